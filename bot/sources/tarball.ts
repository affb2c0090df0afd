// A repository's tree at a commit, from the forge's archive endpoint (.tar.gz whose entries sit
// under one top directory), streamed into a directory with that top directory stripped. The same
// outbound rules as every other call (src/net/fetch.ts): refused addresses, a deadline, no blind
// redirects — GitHub answers 302 to codeload, so a few are followed, each checked again, and the
// Authorization header never goes to another origin. The archive is bounded in size, and so is
// the tree it unpacks to (checkout_bytes, checkout_entries): past them it is refused. So is a tree
// with a symlink the kernel resolves outside it: tar-fs checks each link's text alone, and a chain
// (`dir/l -> ..`, `x -> dir/l/..`) passes that check while reaching the bot machine's files.
import http from "node:http";
import https from "node:https";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tar from "tar-fs";
import { linkOutside } from "../../src/app/boundary/files.js";
import { TinyforgeError } from "../../src/errors.js";
import { assertCallable, guardedLookup, HttpStatusError, OutboundError } from "../../src/net/fetch.js";

/** Bounds of an unpacked tree (projects.NAME.limits in the bot config). */
export interface CheckoutLimits {
  bytes: number;
  entries: number;
}

export interface TarballOptions {
  /** "GitHub", "Gitea": names the source in errors. */
  what: string;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  limits?: CheckoutLimits;
}

const KINDS = new Set(["file", "directory", "symlink", "link"]);

export async function fetchTarball(
  url: string,
  headers: Record<string, string>,
  dir: string,
  opts: TarballOptions,
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const maxBytes = opts.maxBytes ?? 1024 * 1024 * 1024;
  const limits = opts.limits ?? { bytes: 512 * 1024 * 1024, entries: 100_000 };
  const signal = AbortSignal.timeout(timeoutMs);
  const res = await open(new URL(url), headers, opts.maxRedirects ?? 3, opts.what, signal);
  const refused = (why: string) => new TinyforgeError("checkout_refused", `${opts.what} refused: ${why}`);
  const packed = counter((n) =>
    n > maxBytes ? new OutboundError(`${opts.what}: archive larger than ${maxBytes} bytes`) : undefined,
  );
  // The unpacked tar stream bounds what lands on the bot's disk (a gzip bomb stops here).
  const unpacked = counter((n) =>
    n > limits.bytes
      ? refused(`the unpacked tree is larger than checkout_bytes (${limits.bytes} bytes)`)
      : undefined,
  );
  let entries = 0;
  const extract = tar.extract(dir, {
    strip: 1,
    // Files take the bot's ownership whatever uids the archive names (tar-fs 3; not in its types).
    chown: false,
    // Regular content only: no devices or fifos from an archive. Entries past the limit are
    // skipped (the stream stays bounded by checkout_bytes) and the tree refused once it ends.
    ignore: (_name, header) => ++entries > limits.entries || !header || !KINDS.has(header.type),
  } as tar.ExtractOptions);
  try {
    await pipeline(res, packed, createGunzip(), unpacked, extract, { signal });
    if (entries > limits.entries) throw refused(`more than checkout_entries (${limits.entries}) entries`);
  } catch (e) {
    if (signal.aborted) throw new OutboundError(`${opts.what}: archive not received within ${timeoutMs}ms`);
    if (e instanceof OutboundError || e instanceof TinyforgeError) throw e;
    // tar-fs refuses links that point outside the directory: the whole tree is refused.
    throw refused(`could not unpack the archive (${(e as Error).message.replace(/^.*\//, "")})`);
  }
  // The tree is at most checkout_entries (and the few the caller wrote before): the walk is bounded
  // by that, with room for those.
  let escaping: string | undefined;
  try {
    escaping = linkOutside(dir, limits.entries + 100);
  } catch (e) {
    throw refused(`could not check the unpacked tree (${(e as Error).message})`);
  }
  if (escaping !== undefined) throw refused(`${escaping} is a symlink that resolves outside the checkout`);
}

/** A pass-through that counts bytes and fails with what `over` returns. */
function counter(over: (n: number) => Error | undefined): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      n += chunk.length;
      const e = over(n);
      if (e) return cb(e);
      cb(null, chunk);
    },
  });
}

function open(
  url: URL,
  headers: Record<string, string>,
  redirects: number,
  what: string,
  signal: AbortSignal,
): Promise<http.IncomingMessage> {
  assertCallable(url);
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { headers, lookup: guardedLookup, agent: false, signal }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location) {
        res.resume();
        if (redirects <= 0) return reject(new OutboundError(`${what}: too many redirects`));
        const next = new URL(location, url);
        // The token is for the API's origin only; codeload's URL carries its own.
        const keep =
          next.origin === url.origin
            ? headers
            : Object.fromEntries(
                Object.entries(headers).filter(([k]) => k.toLowerCase() !== "authorization"),
              );
        open(next, keep, redirects - 1, what, signal).then(resolve, reject);
        return;
      }
      if (status < 200 || status > 299) {
        res.resume();
        return reject(new HttpStatusError(status, what));
      }
      resolve(res);
    });
    req.on("error", (e) =>
      reject(
        e instanceof OutboundError
          ? e
          : new OutboundError(
              `${what}: ${signal.aborted ? "no answer in time" : `connection failed (${(e as NodeJS.ErrnoException).code ?? "error"})`}`,
            ),
      ),
    );
    req.end();
  });
}
