// `npm run screenshot`: regenerates docs/dashboard.png, the README's picture of the dashboard.
// Needs the testbed (`npm run testbed`): a bot on 127.0.0.1 against the local GitHub fake deploys
// a production release and a preview for real, then headless Chromium logs in and shoots `/`.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { FakeGitHub } from "../test/fakes/github-server.js";
import {
  APP_ID,
  appKeys,
  botConfigFile,
  deliverGitHub,
  githubPull,
  githubPush,
  INSTALLATION,
  REPO,
  repoConfig,
  sha,
  start,
} from "../test/integration/bot-harness.js";
import { launch } from "../test/integration/browser.js";
import { removeProject } from "../test/integration/harness.js";

const OUT = "docs/dashboard.png";
const secret = randomBytes(8).toString("hex");
const apiToken = randomBytes(12).toString("hex");
const keys = appKeys();
const github = await new FakeGitHub(randomBytes(8).toString("hex"), REPO).start();
github.app = { id: APP_ID, publicKey: keys.publicKey, installationId: INSTALLATION };
const rc = repoConfig();
const bot = await start({
  APP_ID: String(APP_ID),
  PRIVATE_KEY: keys.privateKey,
  WEBHOOK_SECRET: secret,
  GHE_HOST: github.url.replace("http://", ""),
  GHE_PROTOCOL: "http",
  TINYFORGE_BOT_CONFIG: botConfigFile("github", rc.project),
  TINYFORGE_API_TOKEN: apiToken,
});
try {
  for (const [version, kind] of [
    ["v1", "push"],
    ["v2", "push"],
    ["v2", "pr"],
  ] as const) {
    const s = sha();
    github.data.commit(s, { "tinyforge.yml": rc.yaml(version) }, "main");
    const payload = kind === "push" ? githubPush(s) : githubPull("opened", 42, s);
    await deliverGitHub(bot, kind === "push" ? "push" : "pull_request", payload, secret);
    await bot.whenIdle();
  }
  const browser = await launch({ viewport: { width: 1100, height: 520 } });
  try {
    const page = await browser.newPage();
    await page.goto(`${bot.url}/login`);
    await page.fill("#token", apiToken);
    await Promise.all([page.waitForURL(`${bot.url}/`), page.click("button[type=submit]")]);
    mkdirSync("docs", { recursive: true });
    await page.screenshot({ path: OUT });
    process.stdout.write(`wrote ${OUT}\n`);
  } finally {
    await browser.close();
  }
} finally {
  await bot.close();
  await github.stop();
  await removeProject(rc.project);
}
