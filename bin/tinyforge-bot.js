#!/usr/bin/env node
// Starts the bundled bot (dist/ is committed). main() resolves once a SIGTERM/SIGINT has let the
// running deploys finish; its value is the exit code (2: a setting is missing or wrong).
import { main } from "../dist/bot.js";

process.exitCode = await main(process.env);
