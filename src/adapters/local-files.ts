// HostFiles on this machine. Relative paths are under $HOME, like SFTP's under the login home,
// so one state_dir means the same place for "local" and for ssh hosts.
import { randomBytes } from "node:crypto";
import { appendFile, mkdir, open, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import type { HostFiles } from "../ports/host.js";

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

export class LocalFiles implements HostFiles {
  constructor(private readonly home = homedir()) {}

  private abs(p: string): string {
    return isAbsolute(p) ? p : join(this.home, p);
  }

  async read(path: string): Promise<string | undefined> {
    try {
      return await readFile(this.abs(path), "utf8");
    } catch (e) {
      if (code(e) === "ENOENT") return undefined;
      throw e;
    }
  }

  async writeAtomic(path: string, data: string): Promise<void> {
    const target = this.abs(path);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${randomBytes(4).toString("hex")}`;
    await writeFile(tmp, data);
    await rename(tmp, target);
  }

  async createExclusive(path: string, data: string): Promise<boolean> {
    const target = this.abs(path);
    await mkdir(dirname(target), { recursive: true });
    try {
      const fh = await open(target, "wx");
      await fh.writeFile(data);
      await fh.close();
      return true;
    } catch (e) {
      if (code(e) === "EEXIST") return false;
      throw e;
    }
  }

  async append(path: string, data: string): Promise<void> {
    const target = this.abs(path);
    await mkdir(dirname(target), { recursive: true });
    await appendFile(target, data);
  }

  async remove(path: string): Promise<void> {
    await rm(this.abs(path), { force: true });
  }

  async list(dir: string): Promise<string[]> {
    try {
      return (await readdir(this.abs(dir))).sort();
    } catch (e) {
      if (code(e) === "ENOENT") return [];
      throw e;
    }
  }

  async mkdirp(dir: string): Promise<void> {
    await mkdir(this.abs(dir), { recursive: true });
  }
}
