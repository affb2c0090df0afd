// Unpacking a forge's archive is bounded and contained: a tree past checkout_bytes or
// checkout_entries, or with a link out of the checkout, is refused as checkout_refused (which the
// flows put on the commit), and nothing lands outside the directory.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGzip } from "node:zlib";
import tar from "tar-fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SeenDeliveries } from "../../../bot/forge/deliveries.js";
import { fetchTarball } from "../../../bot/sources/tarball.js";

let server: Server;
let url: string;
const archives = new Map<string, Buffer>();

/** A .tar.gz of `build(dir)`'s files under top/, as forges send them. */
async function archive(name: string, build: (dir: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tf-tarball-src-"));
  build(dir);
  const chunks: Buffer[] = [];
  const gz = tar.pack(dir, { map: (h) => ({ ...h, name: `top/${h.name}` }) }).pipe(createGzip());
  for await (const c of gz) chunks.push(c as Buffer);
  archives.set(name, Buffer.concat(chunks));
}

beforeAll(async () => {
  await archive("ok", (d) => writeFileSync(join(d, "index.html"), "hi"));
  await archive("big", (d) => writeFileSync(join(d, "zeros"), Buffer.alloc(5_000_000)));
  await archive("many", (d) => {
    for (let i = 0; i < 30; i++) writeFileSync(join(d, `f${i}`), "x");
  });
  await archive("link", (d) => {
    mkdirSync(join(d, "www"));
    symlinkSync("../../../../../../etc/passwd", join(d, "www", "passwd"));
  });
  // Each link's text stays inside (tar-fs's check); the kernel takes x to the checkout's parent.
  await archive("chain", (d) => {
    mkdirSync(join(d, "dir1"));
    symlinkSync("..", join(d, "dir1", "l"));
    symlinkSync("dir1/l/..", join(d, "x"));
    writeFileSync(join(d, "index.html"), "hi");
  });
  // Dangling, but where the kernel stops (the checkout's parent) a file may appear.
  await archive("dangling-out", (d) => {
    mkdirSync(join(d, "dir1"));
    symlinkSync("..", join(d, "dir1", "l"));
    symlinkSync("dir1/l/../tf-not-there", join(d, "z"));
  });
  await archive("in-tree", (d) => {
    mkdirSync(join(d, "a"));
    mkdirSync(join(d, "c"));
    writeFileSync(join(d, "c", "file"), "x");
    symlinkSync("../c", join(d, "a", "b"));
    symlinkSync("../c/file", join(d, "a", "f"));
    symlinkSync("..", join(d, "a", "up"));
    symlinkSync("a/b", join(d, "e"));
    symlinkSync("a/up/c", join(d, "g"));
    symlinkSync(".", join(d, "self"));
    symlinkSync("build/out", join(d, "dist"));
  });
  server = createServer((req, res) => {
    const body = archives.get(req.url!.slice(1));
    res.writeHead(body ? 200 : 404).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const limits = { bytes: 1_000_000, entries: 20 };
const unpack = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), "tf-tarball-dst-"));
  return fetchTarball(`${url}/${name}`, {}, dir, { what: "GitHub tarball", limits }).then(
    () => ({ dir, error: undefined }),
    (error: { code?: string; message: string }) => ({ dir, error }),
  );
};

describe("fetchTarball", () => {
  it("a tree within the limits is unpacked with its top directory stripped", async () => {
    const r = await unpack("ok");
    expect(r.error).toBeUndefined();
    expect(readdirSync(r.dir)).toEqual(["index.html"]);
  });

  it("a chain of relative links the kernel resolves out of the checkout is refused, naming the link", async () => {
    const r = await unpack("chain");
    expect(r.error).toMatchObject({
      code: "checkout_refused",
      message: "GitHub tarball refused: x is a symlink that resolves outside the checkout",
    });
  });

  it("a dangling link whose target the kernel would look for outside the checkout is refused", async () => {
    const r = await unpack("dangling-out");
    expect(r.error).toMatchObject({
      code: "checkout_refused",
      message: "GitHub tarball refused: z is a symlink that resolves outside the checkout",
    });
  });

  it("links that stay in the tree (a/b -> ../c, chains, the root, a dangling one) are accepted", async () => {
    const r = await unpack("in-tree");
    expect(r.error).toBeUndefined();
    expect(readdirSync(r.dir).sort()).toEqual(["a", "c", "dist", "e", "g", "self"]);
    expect(readFileSync(join(r.dir, "e", "file"), "utf8")).toBe("x");
  });

  it.each([
    ["big", "GitHub tarball refused: the unpacked tree is larger than checkout_bytes (1000000 bytes)"],
    ["many", "GitHub tarball refused: more than checkout_entries (20) entries"],
    ["link", "GitHub tarball refused: could not unpack the archive (passwd is not a valid symlink)"],
  ])("%s: refused as checkout_refused", async (name, message) => {
    const r = await unpack(name);
    expect(r.error).toMatchObject({ code: "checkout_refused", message });
  });
});

describe("SeenDeliveries", () => {
  it("a delivery id acts once; memory is bounded, oldest forgotten first", () => {
    const seen = new SeenDeliveries(2);
    expect([seen.first("a"), seen.first("a"), seen.first("b"), seen.first("c")]).toEqual([
      true,
      false,
      true,
      true,
    ]);
    expect([seen.first("a"), seen.first("c"), seen.first(undefined)]).toEqual([true, false, true]);
  });
});
