// A TCP relay between the engine and the testbed's sshd that misbehaves on command, the way a
// network does: cut every connection (at once, after N more bytes or after a delay), stall (keep
// the connections open and forward nothing, and accept new ones without answering), throttle,
// and refuse (stop listening, so a connect gets ECONNREFUSED). Loopback only.
import net from "node:net";

type Mode = "pass" | "stall" | "throttle";

interface Link {
  client: net.Socket;
  upstream?: net.Socket;
}

export class FaultRelay {
  private server = net.createServer((c) => this.accept(c));
  private readonly links = new Set<Link>();
  private mode: Mode = "pass";
  private bytesPerSec = 0;
  private cutAt?: number;
  /** Bytes forwarded, both directions, since the relay started. */
  forwarded = 0;
  /** Connections accepted since the relay started. */
  accepted = 0;
  port = 0;

  private constructor(private readonly target: { host: string; port: number }) {}

  static async start(target: { host: string; port: number }): Promise<FaultRelay> {
    const r = new FaultRelay(target);
    await r.listen(0);
    return r;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        this.server.off("error", reject);
        this.port = (this.server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  private accept(client: net.Socket): void {
    this.accepted++;
    const link: Link = { client };
    this.links.add(link);
    client.on("error", () => this.drop(link));
    client.on("close", () => this.drop(link));
    // A stalled relay accepts TCP and then says nothing: the handshake never completes.
    if (this.mode === "stall") return;
    const upstream = net.connect(this.target.port, this.target.host);
    link.upstream = upstream;
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    upstream.on("error", () => this.drop(link));
    upstream.on("close", () => this.drop(link));
    this.wire(link, client, upstream);
    this.wire(link, upstream, client);
  }

  private wire(link: Link, from: net.Socket, to: net.Socket): void {
    from.on("data", (chunk: Buffer) => {
      if (this.mode === "stall") return; // swallowed: the far side waits forever
      this.forwarded += chunk.length;
      if (this.cutAt !== undefined && this.forwarded >= this.cutAt) {
        this.cut();
        return;
      }
      if (this.mode === "throttle") {
        // Hold the sender back for as long as this chunk takes at the configured rate.
        from.pause();
        setTimeout(
          () => {
            if (!to.destroyed) to.write(chunk);
            from.resume();
          },
          (chunk.length / this.bytesPerSec) * 1000,
        );
        return;
      }
      if (!to.write(chunk)) {
        from.pause();
        to.once("drain", () => from.resume());
      }
    });
    void link;
  }

  private drop(link: Link): void {
    if (!this.links.delete(link)) return;
    link.client.destroy();
    link.upstream?.destroy();
  }

  /** Closes every open connection, both sides, now. New connections pass (a network blip). */
  cut(): void {
    this.cutAt = undefined;
    for (const l of [...this.links]) this.drop(l);
  }

  /** Cuts every connection once `bytes` more bytes have been forwarded. */
  cutAfterBytes(bytes: number): void {
    this.cutAt = this.forwarded + bytes;
  }

  /** Cuts every connection after `ms`. */
  cutAfter(ms: number): void {
    setTimeout(() => this.cut(), ms).unref();
  }

  /** Forwards nothing either way, on open and new connections alike, until pass(). */
  stall(): void {
    this.mode = "stall";
  }

  /** Forwards at most `bytesPerSec` per direction and connection. */
  throttle(bytesPerSec: number): void {
    this.bytesPerSec = bytesPerSec;
    this.mode = "throttle";
  }

  /** Stops listening: connecting gets ECONNREFUSED (open connections are cut too) until pass(). */
  async refuse(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Back to a good network: forwards everything, listening on the same port. */
  async pass(): Promise<void> {
    this.mode = "pass";
    this.cutAt = undefined;
    if (!this.server.listening) {
      this.server = net.createServer((c) => this.accept(c));
      await this.listen(this.port);
    }
  }

  async close(): Promise<void> {
    this.cut();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
