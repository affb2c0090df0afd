// A deploy's config is validated on a second thread while the main one loads the SSH client and
// the engine and logs in: zod and the schema take tens of ms of CPU to load and run, and on the
// main thread that time also delays every step of the SSH handshake. Only the bundle has the
// worker's own file (dist/chunks/config-worker.js); without it (tests run the sources), or when a
// thread cannot start, the config is validated here as before. Either way: the same config, or
// the same error, and nothing is touched before it is known.
import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { timedCall, type TraceWrite } from "../adapters/trace.js";
import { type ErrorCode, TinyforgeError } from "../errors.js";
import type { Config } from "./schema.js";

/** V8's default stack for Node's main thread (984 KB); a worker's is 4 MB. */
const MAIN_STACK_MB = 984 / 1024;

type Answer =
  | { config: Config }
  | { error: { code?: ErrorCode; message: string; hint?: string; details?: string[] } };

/**
 * `file` names the config in messages, as loadConfig's does. With `trace` (TINYFORGE_TRACE=1) the
 * time it took is printed, and where it ran.
 */
export function validateOffThread(text: string, file: string, trace?: TraceWrite): Promise<Config> {
  const script = new URL("./config-worker.js", import.meta.url);
  const here = () => import("./load.js").then((m) => m.parseConfig(text, file));
  if (!existsSync(script)) return timedCall(`validate ${file} (this thread)`, trace, here);
  return timedCall(`validate ${file} (own thread)`, trace, () => onThread(script, text, file, here));
}

function onThread(script: URL, text: string, file: string, here: () => Promise<Config>): Promise<Config> {
  let worker: Worker;
  try {
    worker = new Worker(script, {
      // It reads no environment (secrets stay on the main thread), and it gets the main thread's
      // stack: a YAML document nested too deep for one fails on both alike.
      env: {},
      resourceLimits: { stackSizeMb: MAIN_STACK_MB },
    });
  } catch {
    return here();
  }
  // Not unref'd: with nothing else under way (a local engine, no login begun) the command waits
  // for the answer, not exits without one. The thread ends as soon as it has answered.
  return new Promise<Config>((resolve, reject) => {
    let answered = false;
    worker.once("message", (a: Answer) => {
      answered = true;
      void worker.terminate();
      if ("config" in a) resolve(a.config);
      else reject(asError(a.error));
    });
    // A thread that could not start or died before answering: validate here instead.
    const instead = () => {
      if (!answered) here().then(resolve, reject);
      answered = true;
    };
    worker.once("error", instead);
    worker.once("exit", instead);
    worker.postMessage({ text, file });
  });
}

function asError(e: { code?: ErrorCode; message: string; hint?: string; details?: string[] }): Error {
  if (!e.code) return new Error(e.message);
  return new TinyforgeError(e.code, e.message, {
    ...(e.hint !== undefined ? { hint: e.hint } : {}),
    details: e.details ?? [],
  });
}
