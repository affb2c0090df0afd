// Bundle entry (dist/cli.js). bin/tinyforge.js imports main from it; run directly
// (`node dist/cli.js …`, `tsx src/cli/index.ts …`) it runs the CLI itself.
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
