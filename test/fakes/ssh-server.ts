// An SSH server in the test process (ssh2's): it records what a client asks of it — each
// authentication attempt's method, each channel it opens — and answers a Docker ping on the
// forwarded socket when the test says so. Reached through a relay that can withhold the server's
// end of the connection, to see whether a client waits for it.
import { type AddressInfo, connect, createServer, type Server as NetServer, type Socket } from "node:net";
import ssh2 from "ssh2";

export interface FakeSshd {
  port: number;
  /** A known_hosts line pinning this server's key at 127.0.0.1:port. */
  knownHosts: string;
  /** The client's private key (its public half is the one accepted). */
  clientKey: string;
  /** Every authentication attempt, by method ("none", "publickey"…), signed or not. */
  auths: Array<{ method: string; signed: boolean }>;
  /** What the client did, in order: "docker channel", "sftp", "ping answered". */
  seen: string[];
  /** Holds each Docker ping's answer until this resolves (default: answered at once). */
  holdPing(until: Promise<void>): void;
  /** The relay stops passing the server's end (FIN) to the client: a peer slow to close. */
  withholdEnd(): void;
  close(): Promise<void>;
}

/**
 * An ed25519 key pair ssh2 can read back. Its generator drops a public key's leading zero byte
 * (about 1 key in 256), and parseKey then refuses the 31-byte key as malformed: such a pair is
 * generated again, or the test would fail at random.
 */
function ed25519Pair(): { pair: ReturnType<typeof ssh2.utils.generateKeyPairSync>; key: ssh2.ParsedKey } {
  for (;;) {
    const pair = ssh2.utils.generateKeyPairSync("ed25519");
    const key = ssh2.utils.parseKey(pair.public);
    if (!(key instanceof Error) && !(ssh2.utils.parseKey(pair.private) instanceof Error))
      return { pair, key };
  }
}

export async function startFakeSshd(): Promise<FakeSshd> {
  const hostKey = ed25519Pair().pair;
  const { pair: client, key: allowed } = ed25519Pair();
  const auths: FakeSshd["auths"] = [];
  const seen: string[] = [];
  let pingHeld: Promise<void> = Promise.resolve();
  let keepEnd = false;
  const conns = new Set<ssh2.Connection>();

  const server = new ssh2.Server({ hostKeys: [hostKey.private] }, (conn) => {
    conns.add(conn);
    conn.on("error", () => undefined);
    conn.on("authentication", (ctx) => {
      auths.push({ method: ctx.method, signed: ctx.method === "publickey" && Boolean(ctx.signature) });
      if (ctx.method !== "publickey" || ctx.key.algo !== allowed.type) return ctx.reject(["publickey"]);
      if (!ctx.key.data.equals(allowed.getPublicSSH())) return ctx.reject(["publickey"]);
      if (ctx.signature && ctx.blob && !allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo))
        return ctx.reject(["publickey"]);
      ctx.accept();
    });
    conn.on("session", (accept) => {
      const session = accept();
      session.on("sftp", (acceptSftp) => {
        seen.push("sftp");
        acceptSftp();
      });
    });
    conn.on("openssh.streamlocal", (accept) => {
      seen.push("docker channel");
      const ch = accept();
      let req = "";
      ch.on("data", (d: Buffer) => {
        req += d.toString();
        if (!req.includes("\r\n\r\n")) return;
        void pingHeld.then(() => {
          seen.push("ping answered");
          ch.end("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK");
        });
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const sshdPort = (server.address() as AddressInfo).port;

  const sockets = new Set<Socket>();
  // Half-open allowed: the client's end is passed on, the server's only when not withheld.
  const relay: NetServer = createServer({ allowHalfOpen: true }, (down) => {
    const up = connect(sshdPort, "127.0.0.1");
    sockets.add(down).add(up);
    down.on("error", () => up.destroy());
    up.on("error", () => down.destroy());
    down.pipe(up);
    up.on("data", (d: Buffer) => down.write(d));
    up.on("end", () => {
      if (!keepEnd) down.end();
    });
  });
  await new Promise<void>((r) => relay.listen(0, "127.0.0.1", r));
  const port = (relay.address() as AddressInfo).port;
  const pub = hostKey.public.split(" ").slice(0, 2).join(" ");

  return {
    port,
    knownHosts: `[127.0.0.1]:${port} ${pub}\n`,
    clientKey: client.private,
    auths,
    seen,
    holdPing: (until) => {
      pingHeld = until;
    },
    withholdEnd: () => {
      keepEnd = true;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      for (const c of conns) c.end();
      await Promise.all([new Promise((r) => relay.close(r)), new Promise((r) => server.close(r))]);
    },
  };
}
