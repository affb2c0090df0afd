// The bot's deploy loses its SSH connection mid-way (through a FaultRelay in front of the
// testbed's sshd): that commit ends with a failure status and a reason, and the next push for the
// same workload deploys — the queue is not wedged.
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
});
