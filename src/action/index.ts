// Bundle entry (dist/action.js), run by action.yml's composite step. The SSH login to the stage's
// hosts begins first (early.ts); the action itself loads while it runs.
import { loginEarlyForAction } from "./early.js";

const early = loginEarlyForAction(process.env);
await Promise.all([...early.values()].map((e) => e.begun));
const { run } = await import("./main.js");
await run(process.env, early);
