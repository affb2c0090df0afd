import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);

// package.json
var package_default = {
  name: "tinyforge",
  version: "0.1.0",
  description: "Push-to-deploy for your own Docker hosts: build over SSH, health-gated blue-green swaps, commit statuses, chat-ops.",
  type: "module",
  license: "MIT",
  engines: {
    node: ">=20.18"
  },
  bin: {
    tinyforge: "bin/tinyforge.js",
    "tinyforge-bot": "bin/tinyforge-bot.js"
  },
  files: [
    "bin",
    "dist",
    "schema",
    "action.yml",
    "app.yml"
  ],
  scripts: {
    build: "node scripts/build.mjs",
    typecheck: "tsc --noEmit",
    lint: "biome check .",
    format: "biome format --write .",
    schema: "tsx scripts/gen-schema.ts",
    test: "bash scripts/test.sh",
    "test:unit": "vitest run --project unit",
    "test:integration": "vitest run --project integration",
    testbed: "bash scripts/testbed.sh up",
    demo: "bash scripts/demo.sh",
    bench: "node scripts/build.mjs && tsx bench/startup.ts && tsx bench/deploy.ts && tsx bench/swap.ts && tsx bench/webhook.ts && tsx bench/hosts.ts && tsx bench/lb-swap.ts",
    docs: "tsx scripts/gen-action-docs.ts",
    screenshot: "tsx scripts/screenshot.ts"
  },
  dependencies: {
    "@actions/core": "^3.0.1",
    "@balena/dockerignore": "^1.0.2",
    "@octokit/rest": "^22.0.1",
    "@slack/bolt": "^5.1.0",
    "@slack/web-api": "^7.19.0",
    commander: "^14.0.3",
    dockerode: "^5.0.1",
    "node-ssh": "^13.2.1",
    pino: "^10.4.0",
    probot: "^14.3.2",
    "prom-client": "^15.1.3",
    ssh2: "^1.17.0",
    "tar-fs": "^3.1.3",
    ulid: "^3.0.2",
    yaml: "^2.9.1",
    zod: "^4.6.7"
  },
  devDependencies: {
    "@biomejs/biome": "2.5.15",
    "@octokit/webhooks-examples": "^7.6.1",
    "@types/autocannon": "^7.12.7",
    "@types/dockerode": "^4.0.2",
    "@types/node": "^20.19.43",
    "@types/ssh2": "^1.15.6",
    "@types/tar-fs": "^2.0.4",
    autocannon: "^8.0.0",
    esbuild: "^0.28.2",
    "playwright-core": "^1.65.1",
    tsx: "^4.23.15",
    typescript: "^6.0.3",
    vitest: "4.1"
  }
};

export {
  package_default
};
