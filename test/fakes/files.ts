// HostFiles that wrap real ones to record writes on a shared timeline and to fail on demand
// (a full disk, a dropped SFTP channel) for the path a test names.
import type { HostFiles } from "../../src/ports/host.js";

export class FakeFiles implements HostFiles {
  /** Shared with the fake docker and proxy: one ordered story of what touched the host. */
  timeline?: string[];
  /** Return an error to make writeAtomic/createExclusive/append of that path fail. */
  failWrite?: (path: string) => Error | undefined;

  constructor(private readonly inner: HostFiles) {}

  private check(op: string, path: string): void {
    this.timeline?.push(`files ${op} ${path}`);
    const e = this.failWrite?.(path);
    if (e) throw e;
  }

  read(path: string): Promise<string | undefined> {
    return this.inner.read(path);
  }

  async writeAtomic(path: string, data: string): Promise<void> {
    this.check("write", path);
    await this.inner.writeAtomic(path, data);
  }

  async createExclusive(path: string, data: string): Promise<boolean> {
    this.check("create", path);
    return this.inner.createExclusive(path, data);
  }

  async append(path: string, data: string): Promise<void> {
    this.check("append", path);
    await this.inner.append(path, data);
  }

  remove(path: string): Promise<void> {
    this.timeline?.push(`files remove ${path}`);
    return this.inner.remove(path);
  }

  list(dir: string): Promise<string[]> {
    return this.inner.list(dir);
  }

  mkdirp(dir: string): Promise<void> {
    return this.inner.mkdirp(dir);
  }
}
