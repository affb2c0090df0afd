// A deploy in progress as one object: its plan, its observers, the lock it holds and the one
// explicit phase it is in. Its answer (DeployResult) is derived from the phase, never from flags.
import { errorMessage, isTinyforgeError, TinyforgeError } from "../errors.js";
import { Journal } from "../events/journal.js";
import type { DeployRecord, InstanceState, Release } from "../state/model.js";
import { Store } from "../state/store.js";
import type { BakeFigures } from "./bake-figures.js";
import type { Swap } from "./blue-green.js";
import { HookQueue } from "./hooks.js";
import type { HeldLock } from "./lock.js";
import type { DeployPlan } from "./plan.js";
import { Steps } from "./steps.js";
import type { DeployResult, EngineContext } from "./types.js";

export function storeFor(ctx: EngineContext): Store {
  return new Store(ctx.host.files, ctx.config.state_dir, ctx.config.project);
}

/**
 * planned → locked → (unchanged | announced → served) ; any → failed.
 * Observers hear of a deploy from `announced` on: the unchanged short-circuit sends nothing.
 */
export type Phase =
  | { name: "planned" }
  | { name: "locked"; state: InstanceState }
  | { name: "unchanged"; active: Release }
  | { name: "announced"; state: InstanceState }
  | { name: "served"; swap: Swap }
  | { name: "failed"; error: TinyforgeError; announced: boolean };

/** One deploy in progress: its plan, its observers, the lock it holds and the phase it is in. */
export class Deploy {
  phase: Phase = { name: "planned" };
  lock?: HeldLock;
  /** What served before this deploy: on failure, it is what still serves. */
  serving?: string;
  /** From the start until the new release served and was persisted (the success reported). */
  servedMs?: number;
  /** The bake window's figures, once its soak ended. */
  bake?: BakeFigures;
  /** Whether the image that decides the pull or build is on the host, asked while reconciling. */
  imageAsked?: { ref: string; present: Promise<boolean> };
  readonly store: Store;
  readonly journal: Journal;
  readonly hooks: HookQueue;
  readonly steps: Steps;
  readonly record: DeployRecord;
  readonly t0: number;

  constructor(
    readonly ctx: EngineContext,
    readonly plan: DeployPlan,
  ) {
    const { req, names, strategy } = plan;
    this.store = storeFor(ctx);
    this.journal = new Journal(
      { deployId: req.deployId, workload: req.workload, stage: req.stage },
      ctx.redact,
      ctx.clock,
      this.store,
    );
    if (ctx.onEvent) this.journal.on(ctx.onEvent);
    this.hooks = new HookQueue(ctx.hooks ?? [], this.journal, ctx.hookTimeoutMs);
    this.steps = new Steps(
      this.journal,
      ctx.clock,
      () => this.lock?.assertHeld(),
      (step) => {
        ctx.onStep?.(step);
        if (this.announced) this.hooks.step(plan.info, step);
      },
    );
    this.t0 = ctx.clock.now();
    this.record = {
      deployId: req.deployId,
      ...names,
      sha: req.sha,
      ...(req.dirty ? { dirty: true as const } : {}),
      ...(req.ref ? { ref: req.ref } : {}),
      ...(req.trigger ? { trigger: req.trigger } : {}),
      ...(req.thread ? { thread: req.thread } : {}),
      kind: req.rollback ? "rollback" : "deploy",
      ...(req.rollback ? { rollback: req.rollback } : {}),
      ...(req.forced ? { forced: req.forced } : {}),
      strategy,
      host: ctx.host.name,
      outcome: "running",
      startedAt: new Date(this.t0).toISOString(),
      steps: this.steps.records,
    };
    if (!req.tag) delete this.record.tag;
  }

  get announced(): boolean {
    const p = this.phase;
    // Announced before the deploy (the bot's early "pending"): they hear the end, whatever it is.
    if (this.ctx.announced === true) return true;
    return p.name === "announced" || p.name === "served" || (p.name === "failed" && p.announced);
  }

  fail(e: unknown): TinyforgeError {
    const error = isTinyforgeError(e)
      ? e
      : new TinyforgeError("deploy_failed", errorMessage(e), { cause: e });
    this.phase = { name: "failed", error, announced: this.announced };
    this.journal.error("deploy", `failed: ${error.publicMessage ?? error.message}`);
    return error;
  }
}

/** The deploy's answer, from its phase. */
export function result(d: Deploy): DeployResult {
  const { plan, ctx } = d;
  const p = d.phase;
  const base = {
    deployId: plan.req.deployId,
    workload: plan.req.workload,
    stage: plan.req.stage,
    tag: plan.req.tag ?? null,
    sha: plan.req.sha,
    ...(plan.req.dirty ? { dirty: true as const } : {}),
    ...(plan.req.rollback ? { rollback: plan.req.rollback } : {}),
    ...(plan.req.forced ? { forced: plan.req.forced } : {}),
    strategy: plan.strategy,
    host: ctx.host.name,
    durationMs: ctx.clock.now() - d.t0,
    servedMs: d.servedMs ?? null,
    steps: d.steps.records,
    ...(d.bake ? { bake: d.bake } : {}),
  };
  if (p.name === "unchanged")
    return {
      ...base,
      outcome: "unchanged",
      url: p.active.url ?? null,
      container: p.active.container,
      previous: null,
      error: null,
    };
  if (p.name === "served")
    return {
      ...base,
      outcome: "success",
      url: p.swap.active.url ?? null,
      container: p.swap.active.container,
      previous: p.swap.previous?.container ?? null,
      error: null,
    };
  const err = p.name === "failed" ? p.error : new TinyforgeError("deploy_failed", `ended while ${p.name}`);
  return {
    ...base,
    outcome: "failed",
    url: null,
    container: null,
    previous: d.serving ?? null,
    error: {
      code: err.code,
      message: ctx.redact(err.publicMessage ?? err.message),
      ...(err.hint ? { hint: err.hint } : {}),
      ...(err.publicMessage ? { detail: ctx.redact(err.message) } : {}),
      ...(err.code === "release_failed" && err.details.length > 0
        ? { output: err.details.map((l) => ctx.redact(l)) }
        : {}),
    },
  };
}
