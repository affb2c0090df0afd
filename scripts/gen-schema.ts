// Writes schema/tinyforge.schema.json from the zod schema; `--check` fails when the committed file
// is stale, so CI catches a schema change that was not regenerated.
import { readFile, writeFile } from "node:fs/promises";
import { configJsonSchemaText } from "../src/config/json-schema.js";

const FILE = "schema/tinyforge.schema.json";
const target = new URL(`../${FILE}`, import.meta.url);
const text = configJsonSchemaText();

if (process.argv.includes("--check")) {
  const current = await readFile(target, "utf8").catch(() => "");
  if (current !== text) {
    console.error(`${FILE} is stale: run npm run schema`);
    process.exitCode = 1;
  }
} else {
  await writeFile(target, text);
  console.log(`wrote ${FILE}`);
}
