#!/usr/bin/env node
// Runs the bundled CLI (dist/ is committed) through its launcher, which compiles it from V8's code
// cache; main() returns the exit code and never exits itself, so pending output is flushed before
// node ends (and the launcher's exit handler sees the code).
import { launch } from "../dist/launch.js";

process.exitCode = await launch(process.argv.slice(2));
