// The `tinyforge` program. Each command lives in its own file and registers itself here; main()
// only parses argv, runs the command and turns the outcome into an exit code and printed lines.
// Commands are imported only when named: `validate` must not pay for loading SSH and Docker, and
// `--version` for nothing at all (the bundle splits along these imports).
import { Command, CommanderError } from "commander";
import pkg from "../../package.json" with { type: "json" };
import type { Prompter } from "../app/init/index.js";
import { errorMessage, EXIT, isTinyforgeError } from "../errors.js";
import { asksVersion, commandWord } from "./argv.js";

/** Where the CLI writes; tests pass their own to capture output. Writers get whole chunks. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** The process's own streams, for commands that pass bytes through (exec); absent in most tests. */
export interface CliStreams {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: NodeJS.WritableStream;
}

export interface CliContext {
  io: CliIO;
  streams?: CliStreams;
  /** The environment, read here at the edge once; commands and the engine never read process.env. */
  env: Record<string, string | undefined>;
  /** stderr is a terminal: progress lines are for a person watching. */
  isTTY: boolean;
  /** A command sets this for an outcome that is not an error (e.g. a failed deploy it reported). */
  exitCode: number;
  /** Who answers `init`'s questions: tests pass their own; default a terminal when there is one. */
  prompter?: Prompter;
}

/** What main() takes from the outside world; tests pass their own. */
export type CliDeps = Pick<CliContext, "io" | "env" | "isTTY" | "streams" | "prompter">;

// `tinyforge history | head`: once the reader is gone, output ends quietly instead of an
// unhandled EPIPE crash; the command still finishes and returns its own exit code.
let stdoutGone = false;
function onStdoutError(e: NodeJS.ErrnoException): void {
  if (e.code !== "EPIPE") throw e;
  stdoutGone = true;
}

const processIO: CliIO = {
  out: (text) => {
    if (process.stdout.listeners("error").indexOf(onStdoutError) < 0)
      process.stdout.on("error", onStdoutError);
    if (!stdoutGone) process.stdout.write(text);
  },
  err: (text) => process.stderr.write(text),
};

/** Shared by every command: read the config path with `cmd.optsWithGlobals().config`. */
export interface GlobalOptions {
  config: string;
}

type Register = (program: Command, ctx: CliContext) => void;

/** In the order `--help` lists them. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  init: () => import("./init.js").then((m) => m.registerInit),
  validate: () => import("./validate.js").then((m) => m.registerValidate),
  doctor: () => import("./doctor.js").then((m) => m.registerDoctor),
  deploy: () => import("./deploy.js").then((m) => m.registerDeploy),
  status: () => import("./status.js").then((m) => m.registerStatus),
  unlock: () => import("./unlock.js").then((m) => m.registerUnlock),
  reconcile: () => import("./reconcile.js").then((m) => m.registerReconcile),
  teardown: () => import("./teardown.js").then((m) => m.registerTeardown),
  history: () => import("./history.js").then((m) => m.registerHistory),
  logs: () => import("./logs.js").then((m) => m.registerLogs),
  config: () => import("./config.js").then((m) => m.registerConfig),
  exec: () => import("./exec.js").then((m) => m.registerExec),
  accessory: () => import("./accessory.js").then((m) => m.registerAccessory),
  rollback: () => import("./rollback.js").then((m) => m.registerRollback),
  plan: () => import("./plan.js").then((m) => m.registerPlan),
  freeze: () => import("./freeze.js").then((m) => m.registerFreeze),
  unfreeze: () => import("./freeze.js").then((m) => m.registerUnfreeze),
};

/**
 * The commands argv needs: the one it names; none for a bare --version; every one otherwise
 * (help lists them, and commander suggests the nearest to a typo).
 */
export function commandsFor(argv: string[]): string[] {
  const word = commandWord(argv);
  if (word !== undefined) return Object.hasOwn(COMMANDS, word) ? [word] : Object.keys(COMMANDS);
  return asksVersion(argv) ? [] : Object.keys(COMMANDS);
}

async function buildProgram(ctx: CliContext, argv: string[]): Promise<Command> {
  const registers = await Promise.all(commandsFor(argv).map((name) => COMMANDS[name]!()));
  // exitOverride and output must be set before commands are added: subcommands copy them.
  const program = new Command("tinyforge")
    .description("Push-to-deploy for your own Docker hosts.")
    .version(pkg.version)
    .exitOverride()
    .configureOutput({ writeOut: ctx.io.out, writeErr: ctx.io.err })
    .option("-c, --config <file>", "config file", "tinyforge.yml");
  for (const register of registers) register(program, ctx);
  return program;
}

/** Runs the CLI and returns its exit code; never calls process.exit. */
export async function main(argv: string[], deps: Partial<CliDeps> = {}): Promise<number> {
  const io = deps.io ?? processIO;
  const ctx: CliContext = {
    io,
    streams:
      deps.streams ??
      (deps.io ? undefined : { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }),
    env: deps.env ?? process.env,
    isTTY: deps.isTTY ?? process.stderr.isTTY === true,
    exitCode: EXIT.ok,
    ...(deps.prompter ? { prompter: deps.prompter } : {}),
  };
  try {
    await (await buildProgram(ctx, argv)).parseAsync(argv, { from: "user" });
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has printed its message; --help and --version end here too, successfully.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isTinyforgeError(e)) {
      const lines = [`error: ${e.message}`, ...e.details.map((d) => `  ${d}`)];
      if (e.hint) lines.push(`hint: ${e.hint}`);
      io.err(`${lines.join("\n")}\n`);
      return e.exitCode;
    }
    io.err(`error: ${errorMessage(e)}\n`);
    return EXIT.deployFailed;
  }
}
