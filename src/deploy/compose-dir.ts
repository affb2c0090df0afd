// Where a compose release's files are on the host. State written before Release.composeDir
// existed kept the directory in the image field as "compose:DIR"; it is still read.
import type { Release } from "../state/model.js";

const LEGACY = "compose:";

export function composeDirOf(r: Release): string | undefined {
  if (r.composeDir) return r.composeDir;
  return r.image.startsWith(LEGACY) ? r.image.slice(LEGACY.length) : undefined;
}
