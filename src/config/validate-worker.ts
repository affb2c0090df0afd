// The config validator on a thread of its own (off-thread.ts): it gets the file's text and name,
// and answers with the validated config or the error, as plain data.
import { parentPort } from "node:worker_threads";
import { isTinyforgeError } from "../errors.js";
import { parseConfig } from "./load.js";

parentPort?.once("message", ({ text, file }: { text: string; file: string }) => {
  try {
    parentPort?.postMessage({ config: parseConfig(text, file) });
  } catch (e) {
    const error = isTinyforgeError(e)
      ? { code: e.code, message: e.message, hint: e.hint, details: [...e.details] }
      : { message: e instanceof Error ? e.message : String(e) };
    parentPort?.postMessage({ error });
  }
});
