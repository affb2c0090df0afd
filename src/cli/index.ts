// The CLI from source: `tsx src/cli/index.ts …` runs it (the integration tests' harness does), and
// importing it gives main. The installed CLI is bin/tinyforge.js → dist/launch.js → dist/cli.cjs.
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { main } from "./main.js";

export { main };

function isEntry(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntry()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
