// POST /api/github/webhooks: the signature is checked once, here; a verified delivery reaches
// Probot's receive() already parsed, and the answer waits for its handlers (the inbox's fsync).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type GitHubDelivery, githubReceiver, githubSignature } from "../../../bot/github/verify.js";

const SECRET = "whsec-receiver";
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function serve(receive: (d: GitHubDelivery) => Promise<unknown>, answerWithinMs?: number) {
  const errors: string[] = [];
  const log = { info() {}, warn() {}, error: (m: string) => errors.push(m) };
  const handler = githubReceiver(SECRET, receive, log, answerWithinMs ? { answerWithinMs } : {});
  const server = createServer((req, res) => void handler(req, res));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (body: string, headers: Record<string, string | undefined> = {}) => {
    const all: Record<string, string | undefined> = {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": `d-${Math.random()}`,
      "x-hub-signature-256": githubSignature(SECRET, body),
      ...headers,
    };
    const sent = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >;
    return fetch(url, { method: "POST", headers: sent, body });
  };
  return { post, errors };
}

const body = JSON.stringify({ ref: "refs/heads/main", after: "a".repeat(40) });

describe("the GitHub webhook receiver", () => {
  it("hands a verified delivery over once, parsed, and answers 200 when its handlers are done", async () => {
    const got: GitHubDelivery[] = [];
    let done!: () => void;
    const handled = new Promise<void>((r) => (done = r));
    const { post } = await serve(async (d) => {
      got.push(d);
      await handled;
    });
    let answered = false;
    const res = post(body, { "x-github-delivery": "d-1" }).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    done();
    expect((await res).status).toBe(200);
    expect(got).toEqual([{ id: "d-1", name: "push", payload: JSON.parse(body) }]);
  });

  it.each([
    ["signed with another secret", githubSignature("other", body)],
    ["signed over another body", githubSignature(SECRET, `${body} `)],
    ["unsigned", undefined],
    ["sha1", `sha1=${"0".repeat(40)}`],
  ])("%s: 401, and nothing is handed over", async (_, signature) => {
    const got: GitHubDelivery[] = [];
    const { post } = await serve(async (d) => void got.push(d));
    const res = await post(body, { "x-hub-signature-256": signature });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: "signature missing or wrong (X-Hub-Signature-256, WEBHOOK_SECRET)",
    });
    expect(got).toEqual([]);
  });

  it("a replayed delivery id is answered 200 and not handed over again", async () => {
    const got: GitHubDelivery[] = [];
    const { post } = await serve(async (d) => void got.push(d));
    expect((await post(body, { "x-github-delivery": "d-2" })).status).toBe(200);
    const again = await post(body, { "x-github-delivery": "d-2" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, result: "ignored: delivery already processed" });
    expect(got).toHaveLength(1);
  });

  it("signed but not a JSON delivery: 415, 400 for missing headers or a body that does not parse", async () => {
    const got: GitHubDelivery[] = [];
    const { post } = await serve(async (d) => void got.push(d));
    expect((await post(body, { "content-type": "text/plain" })).status).toBe(415);
    const headless = await post(body, { "x-github-event": undefined });
    expect(headless.status).toBe(400);
    expect(await headless.json()).toEqual({ error: "Required headers missing: x-github-event" });
    const broken = await post("{not json", {});
    expect(broken.status).toBe(400);
    expect(got).toEqual([]);
  });

  it("a handler's failure is its status (else 500), logged, and its words are not sent back", async () => {
    const { post, errors } = await serve(async () => {
      throw new AggregateError([new Error("inbox: fsync failed: EIO on /var/lib/secret-path")]);
    });
    const res = await post(body, { "x-github-delivery": "d-3" });
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain("secret-path");
    expect(errors).toEqual(["github push d-3: inbox: fsync failed: EIO on /var/lib/secret-path"]);
    const gone = await serve(async () => {
      throw new AggregateError([Object.assign(new Error("gone"), { status: 503 })]);
    });
    expect((await gone.post(body)).status).toBe(503);
  });

  it("handlers still running past the bound are answered 202, and their end is still awaited", async () => {
    let ended = false;
    const { post } = await serve(async () => {
      await new Promise((r) => setTimeout(r, 150));
      ended = true;
    }, 30);
    const res = await post(body);
    expect(res.status).toBe(202);
    expect(ended).toBe(false);
  });
});
