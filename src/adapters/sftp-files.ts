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

export class SftpFiles implements HostFiles {
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
    await this.mkdirp(posix.dirname(path));
    const tmp = `${path}.tmp-${randomBytes(4).toString("hex")}`;
    await call<void>((cb) => s.writeFile(tmp, data, cb));
    // posix-rename@openssh.com replaces the target atomically; plain SFTP rename refuses to.
    await call<void>((cb) => s.ext_openssh_rename(tmp, path, cb));
  }

  async createExclusive(path: string, data: string): Promise<boolean> {
    const s = await this.sftp();
    await this.mkdirp(posix.dirname(path));
    let handle: Buffer;
    try {
      handle = await call<Buffer>((cb) => s.open(path, "wx", cb));
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
    try {
      await call<void>((cb) => s.appendFile(path, data, cb));
    } catch (e) {
      if (!missing(e)) throw e;
      await this.mkdirp(posix.dirname(path));
      await call<void>((cb) => s.appendFile(path, data, cb));
    }
  }

  async remove(path: string): Promise<void> {
    const s = await this.sftp();
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
}
