// The bot's deploy loses its SSH connection mid-way, or never gets one (through a FaultRelay in
// front of the testbed's sshd): that commit ends with a failure status and a reason, and the next
// push for the same workload deploys — the queue is not wedged.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningBot } from "../../bot/main.js";
import { FakeGitHub } from "../fakes/github-server.js";
import {
  APP_ID,
  appKeys,
  botConfigFileOf,
  botProject,
  captureLog,
  deliverGitHub,
  githubPush,
  INSTALLATION,
  REPO,
  repoConfig,
  sha,
  start,
  until,
} from "./bot-harness.js";
import { type RelayedHost, recordOf, relayedHost, stepStarted } from "./fault-harness.js";
import { get, removeProject } from "./harness.js";

const SECRET = `whsec-${randomBytes(8).toString("hex")}`;
const TOKEN = `ghs_${randomBytes(12).toString("hex")}`;

let github: FakeGitHub;
let bot: RunningBot;
let via: RelayedHost;
const logs = captureLog();
const rc = repoConfig();
// The operator's grant: this project deploys through the relay.
let shop: ReturnType<typeof botProject>;
const state = () => ({ stateDir: shop.state_dir, project: rc.project });

beforeAll(async () => {
  via = await relayedHost();
  shop = botProject("github", { hosts: [via.host] });
  const keys = appKeys();
  github = await new FakeGitHub(TOKEN, REPO).start();
  github.app = { id: APP_ID, publicKey: keys.publicKey, installationId: INSTALLATION };
  bot = await start(
    {
      APP_ID: String(APP_ID),
      PRIVATE_KEY: keys.privateKey,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: github.url.replace("http://", ""),
      GHE_PROTOCOL: "http",
      TINYFORGE_BOT_CONFIG: botConfigFileOf({ [rc.project]: shop }),
      ...via.env,
    },
    logs.log,
  );
});

afterAll(async () => {
  await bot?.whenIdle();
  await bot?.close();
  await github?.stop();
  await via?.relay.close();
  await removeProject(rc.project);
});

// No ssh: bounds here: in the bot they are the operator's (a repo's are ignored), so the defaults apply.
const yaml = (v: "v1" | "v2") => rc.yaml(v);
const statusesOf = (s: string) => github.statuses.filter((x) => x.sha === s);

describe("a bot deploy whose SSH connection is cut", () => {
  it("ends that commit as a failure with the reason, and the next push deploys", async () => {
    const [s1, s2, s3] = [sha(), sha(), sha()];
    github.data.commit(s1, { "tinyforge.yml": yaml("v1") }, "main");
    expect((await deliverGitHub(bot, "push", githubPush(s1), SECRET)).status).toBe(200);
    await bot.whenIdle();
    expect(statusesOf(s1).map((x) => x.state)).toEqual(["pending", "success"]);

    github.data.commit(s2, { "tinyforge.yml": yaml("v2") }, "main");
    expect((await deliverGitHub(bot, "push", githubPush(s2), SECRET)).status).toBe(200);
    // Cut while green starts: that takes seconds, well before the route (a gate can pass in milliseconds).
    await stepStarted(state(), s2, "start");
    via.relay.cut();
    await bot.whenIdle();
    const st2 = statusesOf(s2);
    expect(st2.map((x) => x.state)).toEqual(["pending", "failure"]);
    expect(st2[1]!.description).toMatch(/SSH connection closed/);
    expect(recordOf(state(), s2)?.outcome).toBe("interrupted");
    expect((await (await fetch(`${bot.url}/healthz`)).json()).tasks).toBe(0);

    github.data.commit(s3, { "tinyforge.yml": yaml("v2") }, "main");
    expect((await deliverGitHub(bot, "push", githubPush(s3), SECRET)).status).toBe(200);
    await bot.whenIdle();
    const st3 = statusesOf(s3);
    expect(st3.map((x) => x.state)).toEqual(["pending", "success"]);
    expect((await get(st3[1]!.target_url!)).body).toBe("v2");
  });

  it("a host that refuses the connection before the deploy starts: failure with the reason within seconds, the queue goes on", async () => {
    const [s4, s5] = [sha(), sha()];
    await via.relay.refuse();
    try {
      github.data.commit(s4, { "tinyforge.yml": yaml("v1") }, "main");
      const t0 = Date.now();
      expect((await deliverGitHub(bot, "push", githubPush(s4), SECRET)).status).toBe(200);
      const ended = await until(
        () => statusesOf(s4).find((x) => x.state !== "pending"),
        30_000,
        "the status to leave pending",
      );
      // Refused at once; the bound is for a loaded machine.
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(ended.state).toBe("failure");
      expect(ended.description).toMatch(
        /^Deploy of web to production failed: .*cannot reach the host over SSH \(ECONNREFUSED\)/,
      );
      await bot.whenIdle();
      expect(statusesOf(s4).map((x) => x.state)).toEqual(["pending", "failure"]);
      expect(github.deployments.find((d) => d.sha === s4)?.statuses.at(-1)?.state).toBe("failure");
      expect((await (await fetch(`${bot.url}/healthz`)).json()).tasks).toBe(0);
    } finally {
      await via.relay.pass();
    }
    // The next push for the same workload and stage deploys.
    github.data.commit(s5, { "tinyforge.yml": yaml("v1") }, "main");
    expect((await deliverGitHub(bot, "push", githubPush(s5), SECRET)).status).toBe(200);
    await bot.whenIdle();
    const st5 = statusesOf(s5);
    expect(st5.map((x) => x.state)).toEqual(["pending", "success"]);
    expect((await get(st5[1]!.target_url!)).body).toBe("v1");
  });
});
