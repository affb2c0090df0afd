// What each chat command does once Slack has its ack: read the repo's tinyforge.yml through the
// forge, resolve the stage and the ref, check who asks, then deploy / roll back (one live message
// per workload, bot/slack/live.ts) or answer with what serves. Anything that stops a command
// before it runs is told to the requester alone (an ephemeral message); the channel only sees
// deploys that run.
import { configText } from "../../src/app/boundary/index.js";
import { execute } from "../../src/app/execute.js";
import { parseConfig } from "../../src/config/load.js";
import { own } from "../../src/config/lookup.js";
import type { Config } from "../../src/config/schema.js";
import type { InstanceStatus } from "../../src/deploy/status.js";
import type { PlanResult } from "../../src/app/plan.js";
import type { Freeze } from "../../src/state/model.js";
import { renderPlan } from "../../src/report/plan-text.js";
import { errorMessage, isTinyforgeError } from "../../src/errors.js";
import { capRunes, type Redactor } from "../../src/events/redact.js";
import { escapeMrkdwn } from "../../src/report/slack-message.js";
import { forceRefusal, mayDeploy, mayForce, type Requester, refusal } from "../chat/authorize.js";
import type { ChatCommand } from "../chat/grammar.js";
import { checkWorkload, pickRef, pickStage } from "../chat/resolve.js";
import { type BotConfig, type BotProject, projectNamed } from "../config.js";
import type { BotRunner, Prepared, RepoSource, Trigger } from "../runner.js";
import { runLive, type SlackChannel } from "./live.js";
import { type RollbackTarget, requestNote, statusMessage, textMessage } from "./messages.js";

export interface ChatOpsDeps {
  config: BotConfig;
  runner: BotRunner;
  source: (project: string) => RepoSource;
  slack: (channel: string) => SlackChannel;
  redact: Redactor;
  warn: (msg: string) => void;
}

/** A reason to stop that the requester reads as it is (already phrased for them). */
class Refused extends Error {}

export class ChatOps {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: ChatOpsDeps) {}

  /** Runs a command's work after the ack; whatever stops it is told to the requester. */
  start(
    cmd: Exclude<ChatCommand, { kind: "help" }> | ({ kind: "button" } & RollbackTarget),
    who: Requester,
  ): void {
    this.track(
      (async () => {
        try {
          if (cmd.kind === "deploy") await this.deploy(cmd, who);
          else if (cmd.kind === "freeze" || cmd.kind === "unfreeze") await this.freeze(cmd, who);
          else if (cmd.kind === "plan") await this.plan(cmd, who);
          else if (cmd.kind === "rollback") await this.rollback(cmd, who, "command");
          else if (cmd.kind === "button") await this.rollback(cmd, who, "button");
          else await this.status(cmd.project, who);
        } catch (e) {
          await this.tell(who, e instanceof Refused ? e.message : this.reason(e));
        }
      })(),
    );
  }

  /** Keeps work that outlives its request in view of whenIdle. */
  track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  /** Resolves once every command started so far has finished (tests, graceful shutdown). */
  async whenIdle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async tell(who: Requester, text: string): Promise<void> {
    await this.deps
      .slack(who.channel)
      .postEphemeral(who.user, textMessage(text))
      .catch((e) => this.deps.warn(`slack: ephemeral answer: ${errorMessage(e)}`));
  }

  private async deploy(cmd: Extract<ChatCommand, { kind: "deploy" }>, who: Requester): Promise<void> {
    const { project, source } = this.repo(cmd.project);
    // The config is read at the REF when one is named, else on the default branch, to learn the
    // stages (and the stage's branch, which is then the ref).
    const probe = await this.resolve(source, project, cmd.ref ?? "HEAD");
    const c = await this.config(source, cmd.project, probe);
    const { stage } = must(pickStage(c.stages, cmd));
    must(checkWorkload(c.workloads, cmd.workload));
    if (!mayDeploy(project, stage, who)) throw new Refused(refusal(cmd.project, stage, who));
    if (cmd.force && !mayForce(project, stage, who)) throw new Refused(forceRefusal(cmd.project, stage, who));
    // `cancel-bake` needs no more than the deploy itself (bot/chat/authorize.ts says why).
    const { ref } = must(pickRef(c.stages, stage, cmd.ref));
    const sha = cmd.ref ? probe : await this.resolve(source, project, ref);
    const trigger: Trigger = {
      project: cmd.project,
      sha,
      ref,
      stage,
      kind: "deploy",
      trigger: "chat",
      actor: `slack:${who.user}`,
      ...(cmd.force ? { force: true } : {}),
      ...(cmd.cancelBake ? { cancelBake: true } : {}),
    };
    if (cmd.workload) trigger.workload = cmd.workload;
    const note = requestNote("deploy", who.user, "command", { cancelBake: cmd.cancelBake === true });
    await this.live(trigger, await this.prepare(trigger), who, note);
  }

  /** `freeze` / `unfreeze`: the same people who may deploy the stage; the channel hears of it. */
  private async freeze(
    cmd: Extract<ChatCommand, { kind: "freeze" | "unfreeze" }>,
    who: Requester,
  ): Promise<void> {
    const { project, source } = this.repo(cmd.project);
    const head = await this.resolve(source, project, "HEAD");
    const c = await this.config(source, cmd.project, head);
    const { stage } = must(pickStage(c.stages, { stage: cmd.stage }));
    if (!mayDeploy(project, stage, who)) throw new Refused(refusal(cmd.project, stage, who));
    // The runner's session for the stage's hosts; kind "rollback": no tree is fetched.
    const prepared = await this.prepare({
      project: cmd.project,
      sha: head,
      stage,
      kind: "rollback",
      trigger: "chat",
    });
    let text: string;
    try {
      if (cmd.kind === "freeze") {
        const done = await execute(prepared.session, {
          kind: "freeze",
          stage,
          reason: cmd.reason,
          by: `slack:${who.user}`,
        });
        const f = done[0]?.freeze;
        text = f
          ? `:snowflake: <@${who.user}> froze ${cmd.project} ${stage}: ${escapeMrkdwn(f.reason)} (on ${done.map((d) => d.host).join(", ")})`
          : `${cmd.project} ${stage} has no hosts to freeze`;
      } else {
        const done = await execute(prepared.session, { kind: "unfreeze", stage });
        text = done.some((d) => d.freeze)
          ? `:sunny: <@${who.user}> unfroze ${cmd.project} ${stage}`
          : `${cmd.project} ${stage} was not frozen`;
      }
    } finally {
      prepared.cleanup();
    }
    const channel = this.deps.slack(who.channel);
    await channel.post(textMessage(text)).catch(async (e) => {
      this.deps.warn(`slack: freeze answer: ${errorMessage(e)}`);
      await this.tell(who, text);
    });
  }

  /** `plan`: what a deploy would do, to the requester alone (the same people who may deploy). */
  private async plan(cmd: Extract<ChatCommand, { kind: "plan" }>, who: Requester): Promise<void> {
    const { project, source } = this.repo(cmd.project);
    const probe = await this.resolve(source, project, cmd.ref ?? "HEAD");
    const c = await this.config(source, cmd.project, probe);
    const { stage } = must(pickStage(c.stages, cmd));
    must(checkWorkload(c.workloads, cmd.workload));
    if (!mayDeploy(project, stage, who)) throw new Refused(refusal(cmd.project, stage, who));
    const { ref } = must(pickRef(c.stages, stage, cmd.ref));
    const sha = cmd.ref ? probe : await this.resolve(source, project, ref);
    const trigger: Trigger = { project: cmd.project, sha, ref, stage, kind: "rollback", trigger: "chat" };
    if (cmd.workload) trigger.workload = cmd.workload;
    const prepared = await this.prepare(trigger);
    let plans: PlanResult[];
    try {
      plans = await execute(prepared.session, {
        kind: "plan",
        stage: { stage },
        ...(cmd.workload ? { workload: cmd.workload } : {}),
        sha,
        ref,
      });
    } finally {
      prepared.cleanup();
    }
    const text = `*plan* for ${cmd.project} ${stage} at \`${sha.slice(0, 7)}\` (nothing was changed):\n\`\`\`\n${capRunes(this.deps.redact(plans.map(renderPlan).join("\n")), 2800)}\`\`\``;
    await this.tell(who, text);
  }

  private async rollback(
    t: Omit<RollbackTarget, "stage"> & { stage?: string; force?: boolean },
    who: Requester,
    via: "command" | "button",
  ): Promise<void> {
    const { project, source } = this.repo(t.project);
    const head = await this.resolve(source, project, "HEAD");
    const c = await this.config(source, t.project, head);
    const { stage } = must(pickStage(c.stages, { stage: t.stage }));
    must(checkWorkload(c.workloads, t.workload));
    if (!mayDeploy(project, stage, who)) throw new Refused(refusal(t.project, stage, who));
    if (t.force && !mayForce(project, stage, who)) throw new Refused(forceRefusal(t.project, stage, who));
    // Hosts and settings as the stage's branch has them now; the release is the host's previous one.
    const branch = own(c.stages, stage)?.branch;
    const sha = branch ? await this.resolve(source, project, branch) : head;
    const trigger: Trigger = {
      project: t.project,
      sha,
      stage,
      workload: t.workload,
      kind: "rollback",
      trigger: "chat",
      actor: `slack:${who.user}`,
      ...(t.force ? { force: true } : {}),
    };
    if (branch) trigger.ref = branch;
    if (t.tag) trigger.tag = t.tag;
    const prepared = await this.prepare(trigger);
    try {
      // A button goes back from the release its message showed; once another one serves, the
      // click is stale and would roll back something nobody looked at.
      if (t.sha) await this.assertServes(prepared, trigger, t.sha);
    } catch (e) {
      prepared.cleanup();
      throw e;
    }
    await this.live(trigger, prepared, who, requestNote("rollback", who.user, via));
  }

  private async assertServes(prepared: Prepared, t: Trigger, sha: string): Promise<void> {
    const rows = await this.instances(prepared);
    const mine = rows.filter(
      (r) => r.workload === t.workload && r.stage === t.stage && r.tag === (t.tag ?? null),
    );
    const other = mine.find((r) => r.sha !== sha);
    if (mine.length > 0 && !other) return;
    const now = other?.sha ? `${other.sha.slice(0, 7)} serves now` : "nothing serves now";
    throw new Refused(
      `nothing rolled back: ${sha.slice(0, 7)} no longer serves ${t.project}/${t.workload} in ${t.stage} (${now}); \`/deploy rollback ${t.project}/${t.workload} ${t.stage}\` goes back from what serves`,
    );
  }

  /** What serves, on every host of the prepared session. */
  private async instances(prepared: Prepared): Promise<InstanceStatus[]> {
    return (await execute(prepared.session, { kind: "status" })).rows;
  }

  private async status(projectName: string, who: Requester): Promise<void> {
    const { project, source } = this.repo(projectName);
    const head = await this.resolve(source, project, "HEAD");
    const c = await this.config(source, projectName, head);
    // The runner's session (its hosts, keys and settings) for the config on the default branch;
    // kind "rollback" because it fetches no tree, and nothing is submitted.
    const stage = Object.keys(c.stages)[0]!;
    const prepared = await this.deps.runner.prepare({
      project: projectName,
      sha: head,
      stage,
      kind: "rollback",
      trigger: "chat",
    });
    if (!prepared) throw new Refused(`no stage to read in ${projectName}`);
    let got: { rows: InstanceStatus[]; frozen: Array<{ freeze: Freeze }> };
    try {
      got = await execute(prepared.session, { kind: "status" });
    } finally {
      prepared.cleanup();
    }
    const message = statusMessage(
      projectName,
      got.rows,
      got.frozen.map((f) => f.freeze),
    );
    await this.deps
      .slack(who.channel)
      .postEphemeral(who.user, message)
      .catch((e) => this.deps.warn(`slack: status answer: ${errorMessage(e)}`));
  }

  private async prepare(trigger: Trigger): Promise<Prepared> {
    const prepared = await this.deps.runner.prepare(trigger);
    // Only a trigger without a stage (a push) prepares nothing; ours always name one.
    if (!prepared) throw new Refused(`no stage '${trigger.stage}' in ${trigger.project}`);
    return prepared;
  }

  private async live(trigger: Trigger, prepared: Prepared, who: Requester, note: string): Promise<void> {
    const { runner, redact, warn } = this.deps;
    const kind = trigger.kind === "rollback" ? "rollback" : "deploy";
    await runLive({ runner, redact, warn }, this.deps.slack(who.channel), trigger, prepared, {
      kind,
      note,
      ...(who.domain ? { domain: who.domain } : {}),
    });
  }

  private repo(name: string): { project: BotProject; source: RepoSource } {
    const project = projectNamed(this.deps.config, name);
    if (!project) throw new Refused(`unknown project '${name}'`);
    return { project, source: this.deps.source(name) };
  }

  private async resolve(source: RepoSource, p: BotProject, ref: string): Promise<string> {
    try {
      return await source.resolveRef(p.repo, ref);
    } catch (e) {
      throw new Refused(`cannot resolve '${escapeMrkdwn(ref)}' in ${p.repo}: ${this.reason(e)}`);
    }
  }

  private async config(source: RepoSource, name: string, sha: string): Promise<Config> {
    const { project: p } = this.repo(name);
    const text = await source.readFile(p.repo, p.config_path, sha);
    if (text === undefined)
      throw new Refused(`${p.config_path} not found in ${p.repo} at ${sha.slice(0, 12)}`);
    // As the runner reads it: the operator's hosts and proxy in place of the repo's.
    return parseConfig(configText(text, p, name).text, p.config_path);
  }

  /** An error as the requester may read it: the public message, a config's first details, redacted. */
  private reason(e: unknown): string {
    const lines = isTinyforgeError(e)
      ? [e.publicMessage ?? e.message, ...(e.publicMessage ? [] : e.details.slice(0, 5).map((d) => `• ${d}`))]
      : [errorMessage(e)];
    return escapeMrkdwn(capRunes(this.deps.redact(lines.join("\n")), 1500));
  }
}

function must<T extends object>(r: T | { error: string }): T {
  if ("error" in r && typeof r.error === "string") throw new Refused(r.error);
  return r as T;
}
