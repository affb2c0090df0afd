// ssh2 (without its native binding) writes each packet in pieces; the login's socket sends what was
// written within one tick as one write to the kernel, in order, and holds nothing past the tick.
import { createServer, connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { coalesceWrites } from "../../../src/adapters/ssh-login.js";

describe("an SSH login's socket", () => {
  it("sends the pieces written within one tick as one write, in order, and the next tick's apart", async () => {
    let received = "";
    const server = createServer((s) => s.on("data", (d) => (received += d.toString())));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const sock = connect((server.address() as AddressInfo).port, "127.0.0.1");
    await new Promise((r) => sock.once("connect", r));
    sock.setNoDelay(true);
    coalesceWrites(sock);
    const kernelWrites: number[] = [];
    type Cb = (e?: Error | null) => void;
    const s = sock as Socket & {
      _write: (chunk: unknown, enc: unknown, cb: Cb) => void;
      _writev: (chunks: unknown[], cb: Cb) => void;
    };
    const one = s._write.bind(s);
    const many = s._writev.bind(s);
    s._write = (chunk, enc, cb) => {
      kernelWrites.push(1);
      return one(chunk, enc, cb);
    };
    s._writev = (chunks, cb) => {
      kernelWrites.push(chunks.length);
      return many(chunks, cb);
    };
    try {
      sock.write("len|");
      sock.write("ciphertext|");
      sock.write("tag|");
      await new Promise((r) => setImmediate(r));
      sock.write("next");
      await new Promise((r) => setImmediate(r));
      while (received.length < "len|ciphertext|tag|next".length) await new Promise((r) => setTimeout(r, 5));
      expect(received).toBe("len|ciphertext|tag|next");
      expect(kernelWrites).toEqual([3, 1]);
    } finally {
      sock.destroy();
      server.close();
    }
  });
});
