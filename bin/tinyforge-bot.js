#!/usr/bin/env node
// Starts the bundled bot (dist/ is committed). main() resolves once a SIGTERM/SIGINT has let the
// running deploys finish (or its bound passed); its value is the exit code (2: a setting is
// missing or wrong). Exit explicitly: an abandoned deploy's connection must not keep node alive.
import { main } from "../dist/bot.js";

process.exit(await main(process.env));
