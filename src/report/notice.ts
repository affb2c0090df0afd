// A reporter that cannot report (no token, no repository, a refused URL) says why, once per deploy,
// when the deploy starts: it shows as one warning line and one event, and sends nothing.
// (Hooks have no journal of their own; the hook queue turns a rejection into that warning.)
import type { DeployHooks } from "../deploy/hooks.js";

export class Notice implements DeployHooks {
  constructor(
    readonly name: string,
    private readonly text: string,
  ) {}

  async started(): Promise<void> {
    throw new Error(this.text);
  }
}
