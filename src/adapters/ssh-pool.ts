// The bot keeps one SSH connection per host open across deploys, so a deploy does not pay the
// handshake (~100 ms and up). A pooled connection is checked before each use (a Docker ping
// through it, bounded), opened again when it died, and closed after `idleMs` unused. Deploys to
// one host share it: SSH multiplexes their channels.
import { createHash } from "node:crypto";
import type { Host } from "../ports/host.js";
import { type HostSecrets, openHost } from "./open-host.js";

interface Slot {
  host: Promise<Host>;
  users: number;
  idle?: NodeJS.Timeout;
}

export class HostPool {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly opts: {
      idleMs?: number;
      /** Bound on the check of a pooled connection before it is reused. */
      checkMs?: number;
      open?: (entry: string, secrets: HostSecrets) => Promise<Host>;
    } = {},
  ) {}

  /** Open connections, for tests and the bot's health page. */
  get size(): number {
    return this.slots.size;
  }

  /** A connected host; its close() hands it back to the pool instead of closing it. */
  async acquire(entry: string, secrets: HostSecrets): Promise<Host> {
    // Keyed by the credentials too: another key must never ride on this key's connection.
    const key = `${entry}\n${createHash("sha256").update(`${secrets.sshKey}\n${secrets.knownHosts}`).digest("hex")}`;
    let slot = this.slots.get(key);
    if (slot && !(await this.alive(slot))) {
      this.drop(key, slot);
      slot = undefined;
    }
    if (!slot) {
      slot = { host: (this.opts.open ?? openHost)(entry, secrets), users: 0 };
      this.slots.set(key, slot);
      slot.host.catch(() => this.slots.get(key) === slot && this.slots.delete(key));
    }
    slot.users++;
    clearTimeout(slot.idle);
    try {
      return lease(await slot.host, () => this.release(key, slot));
    } catch (e) {
      slot.users--;
      throw e;
    }
  }

  /** Closes every pooled connection (the bot's shutdown). */
  async closeAll(): Promise<void> {
    const slots = [...this.slots.entries()];
    for (const [key, slot] of slots) this.drop(key, slot);
    await Promise.all(slots.map(([, s]) => s.host.then((h) => h.close()).catch(() => undefined)));
  }

  private async alive(slot: Slot): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("no answer")), this.opts.checkMs ?? 5_000);
    });
    try {
      await Promise.race([slot.host.then((h) => h.docker.ping()), timeout]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private release(key: string, slot: Slot): void {
    slot.users--;
    if (slot.users > 0 || this.slots.get(key) !== slot) return;
    slot.idle = setTimeout(() => this.drop(key, slot), this.opts.idleMs ?? 60_000);
    slot.idle.unref();
  }

  private drop(key: string, slot: Slot): void {
    clearTimeout(slot.idle);
    if (this.slots.get(key) === slot) this.slots.delete(key);
    void slot.host.then((h) => h.close()).catch(() => undefined);
  }
}

/** The host, but close() releases it once (a second close is a no-op). */
function lease(host: Host, release: () => void): Host {
  let released = false;
  const close = async () => {
    if (released) return;
    released = true;
    release();
  };
  return new Proxy(host, {
    get(t, prop) {
      if (prop === "close") return close;
      const v = Reflect.get(t, prop, t);
      return typeof v === "function" ? v.bind(t) : v;
    },
  });
}
