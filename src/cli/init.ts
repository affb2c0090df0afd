import type { Command } from "commander";
import type { CliContext } from "./main.js";
export function registerInit(_program: Command, _ctx: CliContext): void {}
