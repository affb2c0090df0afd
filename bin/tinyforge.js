#!/usr/bin/env node
// Runs the bundled CLI (dist/ is committed); main() returns the exit code and never exits itself,
// so pending output is flushed before node ends.
import { main } from "../dist/cli.js";

process.exitCode = await main(process.argv.slice(2));
