// Redaction for streamed output (a container's logs): text is passed on a whole line at a time,
// so a secret split across two chunks is still seen whole before anything is written.
import { Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { Redactor } from "./redact.js";

/** A line longer than this is passed on without waiting for its end (a stream never stalls). */
const MAX_PENDING = 64 * 1024;

export function redactingLines(redact: Redactor, write: (text: string) => void): Writable {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  const emit = (text: string) => {
    if (text) write(redact(text));
  };
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      pending += decoder.write(chunk);
      const cut = pending.length > MAX_PENDING ? pending.length : pending.lastIndexOf("\n") + 1;
      emit(pending.slice(0, cut));
      pending = pending.slice(cut);
      done();
    },
    final(done) {
      emit(pending + decoder.end());
      pending = "";
      done();
    },
  });
}
