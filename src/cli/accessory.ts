// `tinyforge accessory up|down|restart|logs NAME [--stage S] [--tag T] [--remove-data]`
import type { Command } from "commander";
import { accessoryDown, accessoryLogs, accessoryRestart, accessoryUp } from "../deploy/accessory.js";
import { TinyforgeError } from "../errors.js";
import { makeRedactor } from "../events/redact.js";
import type { CliContext, GlobalOptions } from "./main.js";
import { engineContext, forEachHost, openSession, type Session } from "./session.js";
import { knownSecretValues } from "./settings.js";
import { resolveStage } from "./stage.js";

const ACTIONS = ["up", "down", "restart", "logs"] as const;

interface AccessoryOptions {
  stage?: string;
  tag?: string;
  removeData?: boolean;
  follow?: boolean;
  tail?: string;
}

/** Values of an accessory's `secrets:`; only `up` needs them (the others only redact them). */
function accessorySecrets(s: Session, name: string, required: boolean): Record<string, string> {
  const names = s.config.accessories[name]?.secrets ?? [];
  const missing = names.filter((n) => s.env[n] === undefined);
  if (required && missing.length > 0) {
    throw new TinyforgeError(
      "usage",
      `accessories.${name}.secrets: not set in the environment: ${missing.join(", ")}`,
    );
  }
  return Object.fromEntries(names.filter((n) => s.env[n] !== undefined).map((n) => [n, s.env[n]!]));
}

export function registerAccessory(program: Command, ctx: CliContext): void {
  program
    .command("accessory")
    .description("start, stop, restart or read a long-lived service of the project (a database, a cache)")
    .argument("<action>", ACTIONS.join("|"))
    .argument("<name>", "the accessory, as named under accessories:")
    .option("--stage <stage>", "its stage (each stage has its own)")
    .option("--tag <tag>", "with per_tag: the tagged instance's own accessory")
    .option("--remove-data", "down: remove its named volumes too")
    .option("-f, --follow", "logs: keep printing new output")
    .option("--tail <n>", "logs: only the last N lines")
    .action(async (action: string, name: string, opts: AccessoryOptions, cmd: Command) => {
      if (!(ACTIONS as readonly string[]).includes(action)) {
        throw new TinyforgeError(
          "usage",
          `accessory: unknown action "${action}" (have: ${ACTIONS.join(", ")})`,
        );
      }
      const s = await openSession(cmd.optsWithGlobals<GlobalOptions>().config, ctx.env);
      const stage = await resolveStage(s.config, s.dir, opts.stage);
      const secrets = s.config.accessories[name] ? accessorySecrets(s, name, action === "up") : {};
      const ref = { name, stage, ...(opts.tag ? { tag: opts.tag } : {}) };
      await forEachHost(s, async (host) => {
        const ectx = {
          ...engineContext(s, host, undefined),
          secrets,
          redact: makeRedactor(knownSecretValues(s.settings, secrets, s.env)),
        };
        if (action === "logs") {
          const tail = opts.tail === undefined ? undefined : Number(opts.tail);
          await accessoryLogs(ectx, ref, { follow: opts.follow === true, tail }, ctx.io);
          return true;
        }
        const lines =
          action === "up"
            ? await accessoryUp(ectx, ref)
            : action === "down"
              ? await accessoryDown(ectx, ref, { removeData: opts.removeData === true })
              : await accessoryRestart(ectx, ref);
        ctx.io.out(lines.map((l) => `${host.name}: ${l}\n`).join(""));
        return true;
      });
    });
}
