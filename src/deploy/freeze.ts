// A stage's deploy freeze: a file per stage in the project's state directory on each host of the
// stage (next to its locks and instances), so the CLI, the action and the bot all read the same one.
// A freeze whose `until` has passed no longer freezes (it is left for `unfreeze` or the next freeze).
import type { Freeze } from "../state/model.js";
import type { Store } from "../state/store.js";

/** A freeze still in force at `now` (ms). */
export function inForce(f: Freeze | undefined, now: number): Freeze | undefined {
  if (!f) return undefined;
  if (f.until !== undefined && Date.parse(f.until) <= now) return undefined;
  return f;
}

/** The stage's freeze on this host, when it is in force. */
export async function activeFreeze(store: Store, stage: string, now: number): Promise<Freeze | undefined> {
  return inForce(await store.readFreeze(stage), now);
}

/** "frozen: REASON (by WHO, until …)": the words every surface uses (status, chat, CLI). */
export function freezeText(f: Freeze): string {
  return `frozen: ${f.reason} (by ${f.by}, ${f.until ? `until ${f.until}` : "until unfrozen"})`;
}
