// The README's action inputs/outputs tables, generated from action.yml so they are never written
// twice. `--check` fails when the README is stale (run in npm test).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const root = join(import.meta.dirname, "..");
const START = "<!-- action-docs:start (generated from action.yml by npm run docs) -->";
const END = "<!-- action-docs:end -->";

interface ActionYml {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
}

export function actionDocs(yml: string): string {
  const a = parse(yml) as ActionYml;
  const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");
  const inputs = Object.entries(a.inputs).map(
    ([name, i]) => `| \`${name}\` | ${cell(i.description)} | ${i.default ? `\`${cell(i.default)}\`` : ""} |`,
  );
  const outputs = Object.entries(a.outputs).map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`);
  return [
    START,
    "| input | what | default |",
    "|---|---|---|",
    ...inputs,
    "",
    "| output | what |",
    "|---|---|",
    ...outputs,
    END,
  ].join("\n");
}

const readmePath = join(root, "README.md");
const readme = readFileSync(readmePath, "utf8");
const a = readme.indexOf(START);
const b = readme.indexOf(END);
if (a < 0 || b < a) {
  console.error("README.md has no action-docs markers");
  process.exit(1);
}
const next =
  readme.slice(0, a) +
  actionDocs(readFileSync(join(root, "action.yml"), "utf8")) +
  readme.slice(b + END.length);
if (process.argv.includes("--check")) {
  if (next !== readme) {
    console.error("README.md's action tables are stale: run npm run docs");
    process.exit(1);
  }
} else {
  writeFileSync(readmePath, next);
  console.log("wrote the action tables in README.md");
}
