// A reporter that cannot report (no token, no repository, a refused URL) says why, once per deploy,
// when the deploy starts: one info event (and a line at the terminal's verbose level); it sends
// nothing.
import type { DeployHooks } from "../deploy/hooks.js";

export class Notice implements DeployHooks {
  constructor(
    readonly name: string,
    readonly notice: string,
  ) {}
}
