// HostFiles over the deploy's SSH connection (SFTP is one more channel on it, not a new login).
// Relative paths resolve under the SSH user's home, as SFTP does.
import { randomBytes } from "node:crypto";
import { posix } from "node:path";
import type { SFTPWrapper } from "ssh2";
import type { HostFiles } from "../ports/host.js";
import type { Bounds } from "./lifeline.js";

/** State files are small: any SFTP operation taking this long is a host in trouble. */
export const SFTP_BOUNDS: Bounds<SftpFiles> = {
  read: 30_000,
  writeAtomic: 60_000,
  createExclusive: 60_000,
  append: 60_000,
  remove: 30_000,
  list: 30_000,
  mkdirp: 60_000,
};

const NO_SUCH_FILE = 2;

function call<T>(fn: (cb: (err: Error | null | undefined, v?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v as T))));
}

function missing(e: unknown): boolean {
  return (e as { code?: number }).code === NO_SUCH_FILE;
}

/** Files kept open for appending, at most this many per connection (an event journal each). */
const OPEN_APPENDS = 8;

interface Appending {
  /** The SFTP channel the handle belongs to: after a reconnect it is another, and the handle void. */
  sftp: SFTPWrapper;
  handle: Promise<Buffer>;
  /** Where the next write goes: this process is the file's one writer (a journal per deploy). */
  size: number;
  /** Writes to one file go out one after another, each where the last one ended. */
  queue: Promise<void>;
  /** Set when the handle is being closed: a write queued behind that opens the file afresh. */
  closed: boolean;
}

// Every SFTP request is a round trip on the deploy's critical path (a few ms each on a LAN, more
// across one), so the common case costs as few as possible: an operation is tried first and its
// directory made only when missing, and a file being appended to stays open, so that after the
// first append (open + size) each one is a single write instead of ssh2's open, fstat, write, close.
export class SftpFiles implements HostFiles {
  /** By path, least recently used first. */
  private readonly appending = new Map<string, Appending>();

  constructor(private readonly sftp: () => Promise<SFTPWrapper>) {}

  async read(path: string): Promise<string | undefined> {
    const s = await this.sftp();
    try {
      const buf = await call<Buffer>((cb) => s.readFile(path, cb));
      return buf.toString("utf8");
    } catch (e) {
      if (missing(e)) return undefined;
      throw e;
    }
  }

  async writeAtomic(path: string, data: string): Promise<void> {
    const s = await this.sftp();
    await this.forget(path, s);
    const tmp = `${path}.tmp-${randomBytes(4).toString("hex")}`;
    await this.inDir(tmp, () => call<void>((cb) => s.writeFile(tmp, data, cb)));
    // posix-rename@openssh.com replaces the target atomically; plain SFTP rename refuses to.
    await call<void>((cb) => s.ext_openssh_rename(tmp, path, cb));
  }

  async createExclusive(path: string, data: string): Promise<boolean> {
    const s = await this.sftp();
    let handle: Buffer;
    try {
      handle = await this.inDir(path, () => call<Buffer>((cb) => s.open(path, "wx", cb)));
    } catch (e) {
      // OpenSSH maps EEXIST to a generic failure: tell "exists" from other errors by a stat.
      const exists = await call((cb) => s.stat(path, cb)).then(
        () => true,
        () => false,
      );
      if (exists) return false;
      throw e;
    }
    const buf = Buffer.from(data);
    await call<void>((cb) => s.write(handle, buf, 0, buf.length, 0, cb as never));
    await call<void>((cb) => s.close(handle, cb));
    return true;
  }

  async append(path: string, data: string): Promise<void> {
    const s = await this.sftp();
    const buf = Buffer.from(data);
    for (;;) {
      const file = this.appendable(s, path);
      let done!: () => void;
      const before = file.queue;
      file.queue = new Promise<void>((r) => (done = r));
      try {
        await before;
        // Evicted or replaced while this write waited its turn: open the file afresh.
        if (file.closed) continue;
        const handle = await file.handle;
        await call<void>((cb) => s.write(handle, buf, 0, buf.length, file.size, cb as never));
        file.size += buf.length;
        return;
      } catch (e) {
        // Where the file ends is no longer known: the next append opens it afresh.
        done();
        if (this.appending.get(path) === file) await this.forget(path, s);
        throw e;
      } finally {
        done();
      }
    }
  }

  async remove(path: string): Promise<void> {
    const s = await this.sftp();
    await this.forget(path, s);
    try {
      await call<void>((cb) => s.unlink(path, cb));
    } catch (e) {
      if (!missing(e)) throw e;
    }
  }

  async list(dir: string): Promise<string[]> {
    const s = await this.sftp();
    try {
      const entries = await call<Array<{ filename: string }>>((cb) => s.readdir(dir, cb as never));
      return entries.map((e) => e.filename).sort();
    } catch (e) {
      if (missing(e)) return [];
      throw e;
    }
  }

  async mkdirp(dir: string): Promise<void> {
    const s = await this.sftp();
    const parts = dir.split("/").filter(Boolean);
    let cur = dir.startsWith("/") ? "" : ".";
    for (const part of parts) {
      cur = cur === "" ? `/${part}` : `${cur}/${part}`;
      const exists = await call((cb) => s.stat(cur, cb)).then(
        () => true,
        () => false,
      );
      if (!exists) {
        await call<void>((cb) => s.mkdir(cur, cb)).catch(async (e) => {
          // Another writer may have made it between our stat and mkdir.
          const now = await call((cb) => s.stat(cur, cb)).then(
            () => true,
            () => false,
          );
          if (!now) throw e;
        });
      }
    }
  }

  /** Runs op on a path; when its directory is missing, makes it and runs op once more. */
  private async inDir<T>(path: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      if (!missing(e)) throw e;
      await this.mkdirp(posix.dirname(path));
      return op();
    }
  }

  /** The open file for appending to path on this channel: opened (and its end found) once. */
  private appendable(s: SFTPWrapper, path: string): Appending {
    const open = this.appending.get(path);
    this.appending.delete(path);
    // A handle of a channel lost since (a reconnect) is void: dropped, not closed (nothing answers).
    if (open && open.sftp === s && !open.closed) {
      this.appending.set(path, open);
      return open;
    }
    const file: Appending = {
      sftp: s,
      handle: this.openForAppend(s, path),
      size: 0,
      queue: Promise.resolve(),
      closed: false,
    };
    file.queue = file.handle.then(
      (h) =>
        call<{ size: number }>((cb) => s.fstat(h, cb as never)).then((st) => {
          file.size = st.size;
        }),
      () => undefined,
    );
    file.handle.catch(() => {
      if (this.appending.get(path) === file) this.appending.delete(path);
    });
    this.appending.set(path, file);
    // The least recently used journals are done with: their handles are closed, so a long-lived
    // connection (the bot's pool) does not collect open files on the host.
    for (const [old] of this.appending) {
      if (this.appending.size <= OPEN_APPENDS) break;
      void this.forget(old, s);
    }
    return file;
  }

  private openForAppend(s: SFTPWrapper, path: string): Promise<Buffer> {
    return this.inDir(path, () => call<Buffer>((cb) => s.open(path, "a", cb)));
  }

  /** Closes path's append handle, if one is open on this channel (before the file is replaced or removed). */
  private async forget(path: string, s: SFTPWrapper): Promise<void> {
    const file = this.appending.get(path);
    if (!file) return;
    this.appending.delete(path);
    file.closed = true;
    if (file.sftp !== s) return;
    // Writes already queued finish first; those queued later see `closed` and reopen.
    let tail: Promise<void>;
    do {
      tail = file.queue;
      await tail.catch(() => undefined);
    } while (tail !== file.queue);
    const handle = await file.handle.catch(() => undefined);
    if (handle) await call<void>((cb) => s.close(handle, cb)).catch(() => undefined);
  }
}
