// The one comment a pull request's preview keeps up to date. Writes are serialized per comment
// and coalesced: each write renders the latest state and skips when the body did not change, so
// a burst of step updates from several workloads ends as a few edits of one comment. It is also a
// DeployHooks, so the engine tells it when each workload's deploy starts and ends.
import type { DeployHooks } from "../../src/deploy/hooks.js";
import type { DeployInfo, DeployResult } from "../../src/deploy/types.js";
import { errorMessage } from "../../src/errors.js";
import type { Outcome } from "../runner.js";
import { marker, type PreviewView, type Row, renderPreview, rowOf } from "./text.js";
import type { Logger, RepoApi } from "./types.js";

export class PreviewComment implements DeployHooks {
  readonly name = "pull request comment";
  private readonly view: PreviewView;
  private id?: number;
  private written?: string;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly api: RepoApi,
    private readonly number: number,
    project: string,
    tag: string,
    private readonly log: Logger,
  ) {
    this.view = { project, tag, rows: [] };
  }

  /** A new round of deploys (a push to the PR, a /deploy): their rows start as queued. */
  queued(stage: string, workloads: string[], sha: string): Promise<void> {
    this.view.problem = undefined;
    this.view.closed = false;
    this.view.ended = undefined;
    for (const workload of workloads) this.setRow({ workload, stage, state: "queued", sha });
    return this.sync();
  }

  /** The commit's checks are not green (yet): `note` says which ones it waits for, or which failed. */
  checks(stage: string, workloads: string[], sha: string, failed: boolean, note: string): Promise<void> {
    this.view.problem = undefined;
    this.view.closed = false;
    this.view.ended = undefined;
    const state = failed ? "failed" : "waiting";
    // The row's label already says "waiting for CI".
    const detail = failed ? note : note.replace(/^waiting for CI: /, "");
    for (const workload of workloads) this.setRow({ workload, stage, state, sha, detail });
    return this.sync();
  }

  /** The preview was torn down while the PR stays open; `why` ends the comment. */
  ended(list: Outcome[], sha: string, why: string): Promise<void> {
    this.view.ended = why;
    return this.outcomes(list, sha);
  }

  invalid(sha: string, lines: string[]): Promise<void> {
    this.view.problem = { sha, lines };
    return this.sync();
  }

  outcomes(list: Outcome[], sha: string): Promise<void> {
    for (const o of list) this.setRow(rowOf(o, sha));
    return this.sync();
  }

  /** Deploys that never produced an outcome (the host was unreachable, another deploy held the lock). */
  failed(stage: string, workloads: string[], sha: string, why: string): Promise<void> {
    for (const workload of workloads) this.setRow({ workload, stage, state: "failed", sha, detail: why });
    return this.sync();
  }

  closed(list: Outcome[], sha: string): Promise<void> {
    this.view.closed = true;
    return this.outcomes(list, sha);
  }

  async started(info: DeployInfo): Promise<void> {
    this.setRow({ workload: info.workload, stage: info.stage, state: "deploying", sha: info.sha });
    await this.sync();
  }

  async finished(_info: DeployInfo, result: DeployResult): Promise<void> {
    this.setRow(rowOf(result, result.sha));
    await this.sync();
  }

  private setRow(row: Row): void {
    const i = this.view.rows.findIndex((r) => r.workload === row.workload && r.stage === row.stage);
    if (i >= 0) this.view.rows[i] = row;
    else this.view.rows.push(row);
  }

  /** Resolves once the state as it is now has been written (or the write failed and was logged). */
  private sync(): Promise<void> {
    this.chain = this.chain.then(() => this.write());
    return this.chain;
  }

  private async write(): Promise<void> {
    const body = renderPreview(this.view);
    if (body === this.written) return;
    try {
      if (this.id === undefined) {
        // Another process (or this one before a restart) may have written it: find it by marker.
        const tag = marker(this.view.project);
        const mine = (await this.api.comments(this.number)).find((c) => c.mine && c.body.startsWith(tag));
        this.id = mine?.id;
        this.written = mine?.body;
        if (body === this.written) return;
      }
      if (this.id === undefined) this.id = await this.api.createComment(this.number, body);
      else await this.api.updateComment(this.id, body);
      this.written = body;
    } catch (e) {
      // Best-effort like every reporter; forget the id so the next write looks the comment up again
      // (someone may have deleted it).
      this.id = undefined;
      this.written = undefined;
      this.log.warn(`${this.api.repo}#${this.number}: preview comment: ${errorMessage(e)}`);
    }
  }
}

/** One PreviewComment per repo, pull request and project, for as long as the PR is open. */
export class PreviewComments {
  private readonly open = new Map<string, PreviewComment>();

  constructor(private readonly log: Logger) {}

  get(api: RepoApi, number: number, project: string): PreviewComment {
    const key = `${api.forge}:${api.repo.toLowerCase()}#${number}:${project}`;
    let c = this.open.get(key);
    if (!c) {
      c = new PreviewComment(api, number, project, `pr-${number}`, this.log);
      this.open.set(key, c);
    }
    return c;
  }

  /** A closed PR's comment got its final edit: nothing will write it again. */
  forget(api: RepoApi, number: number, project: string): void {
    this.open.delete(`${api.forge}:${api.repo.toLowerCase()}#${number}:${project}`);
  }
}
