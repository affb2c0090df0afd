// The dashboard in a real browser (headless Chromium) against a bot whose deploys ran on the
// testbed: log in, see the project, open a deploy, watch a new deploy's steps arrive live, and
// check that a stranger learns nothing and that hostile names stay text. Screenshots of each
// page are kept under test/artifacts/.
import { randomBytes } from "node:crypto";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningBot } from "../../bot/main.js";
import { FakeGitHub } from "../fakes/github-server.js";
import { launch, screenshot } from "./browser.js";
import {
  APP_ID,
  appKeys,
  botConfigFile,
  captureLog,
  deliverGitHub,
  githubPull,
  githubPush,
  INSTALLATION,
  REPO,
  type RepoConfig,
  repoConfig,
  sha,
  start,
} from "./bot-harness.js";
import { removeProject } from "./harness.js";

const SECRET = `whsec-${randomBytes(8).toString("hex")}`;
const TOKEN = `ghs_${randomBytes(12).toString("hex")}`;
const API_TOKEN = `dash-${randomBytes(12).toString("hex")}`;
// The bot refuses refs with quotes, angle brackets or shell syntax before a deploy (src/plan/names.ts),
// so the strongest branch name that still gets a preview is one with template and URL syntax; the
// markup attempts come through the live event below.
const HOSTILE_BRANCH = "x/{{pwned}}=1%3Cimg";

let github: FakeGitHub;
let bot: RunningBot;
let rc: RepoConfig;
let browser: BrowserContext;
const logs = captureLog();
const shas = { v1: sha(), bad: sha(), pr: sha(), v2: sha() };

/** A push of main to s: the fake forge's main moves first, since the bot skips stale pushes. */
async function push(s: string) {
  github.data.branches.set("main", s);
  expect((await deliverGitHub(bot, "push", githubPush(s), SECRET)).status).toBe(200);
}

async function loggedIn(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${bot.url}/login`);
  await page.fill("#token", API_TOKEN);
  await Promise.all([page.waitForURL(`${bot.url}/`), page.click("button[type=submit]")]);
  return page;
}

beforeAll(async () => {
  const keys = appKeys();
  github = await new FakeGitHub(TOKEN, REPO).start();
  github.app = { id: APP_ID, publicKey: keys.publicKey, installationId: INSTALLATION };
  rc = repoConfig();
  bot = await start(
    {
      APP_ID: String(APP_ID),
      PRIVATE_KEY: keys.privateKey,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: github.url.replace("http://", ""),
      GHE_PROTOCOL: "http",
      TINYFORGE_BOT_CONFIG: botConfigFile("github", rc.project),
      TINYFORGE_API_TOKEN: API_TOKEN,
    },
    logs.log,
  );
  // History on the testbed: a good deploy, a failed one (the old version keeps serving), and a
  // preview whose branch name is an HTML injection attempt.
  github.data.commit(shas.v1, { "tinyforge.yml": rc.yaml("v1") }, "main");
  github.data.commit(shas.bad, { "tinyforge.yml": rc.yaml("unhealthy") });
  github.data.commit(shas.pr, { "tinyforge.yml": rc.yaml("v1") });
  github.data.commit(shas.v2, { "tinyforge.yml": rc.yaml("v2") });
  await push(shas.v1);
  await bot.whenIdle();
  await push(shas.bad);
  await bot.whenIdle();
  const pr = githubPull("opened", 31, shas.pr);
  pr.pull_request.head.ref = HOSTILE_BRANCH;
  expect((await deliverGitHub(bot, "pull_request", pr, SECRET)).status).toBe(200);
  await bot.whenIdle();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await bot?.whenIdle();
  await bot?.close();
  await github?.stop();
  if (rc) await removeProject(rc.project);
});

describe("dashboard", () => {
  it("without the token every page answers 401 and names no project", async () => {
    const deployId = "01JAAAAAAAAAAAAAAAAAAAAAAA";
    for (const path of [
      "/",
      `/projects/${rc.project}`,
      `/projects/${rc.project}/deploys/${deployId}`,
      `/projects/${rc.project}/live`,
      "/projects/nope",
    ]) {
      const tries: Record<string, string>[] = [
        {},
        { cookie: "tinyforge_session=forged" },
        { authorization: "Bearer nope" },
      ];
      for (const headers of tries) {
        const res = await fetch(`${bot.url}${path}`, { headers });
        const body = await res.text();
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(body).not.toContain(rc.project);
        expect(body).not.toContain(REPO);
      }
    }
  });

  it("logs in with the token: an HttpOnly SameSite=Strict cookie, then every project's stages and instances", async () => {
    const page = await loggedIn();
    const [cookie] = await browser.cookies(bot.url);
    expect(cookie).toMatchObject({
      name: "tinyforge_session",
      httpOnly: true,
      sameSite: "Strict",
      secure: false,
    });
    expect(cookie!.value).not.toContain(API_TOKEN);
    const project = page.locator(`section.project[data-project="${rc.project}"]`);
    await expect.poll(() => project.count()).toBe(1);
    const production = project.locator('[data-stage="production"] tr[data-instance]');
    // The failed deploy left v1 serving: the page says so, linked to the forge.
    expect(await production.locator("td").nth(1).textContent()).toContain(shas.v1.slice(0, 7));
    expect(await production.locator("a[href*='/commit/']").getAttribute("href")).toBe(
      `${github.url}/${REPO}/commit/${shas.v1}`,
    );
    const preview = project.locator('[data-stage="preview"] tr[data-instance]');
    expect(await preview.locator("a[href$='/pull/31']").textContent()).toBe("PR #31");
    await screenshot(page, "dashboard-overview");
    await page.close();
  });

  it("opens a deploy: its steps on a timeline, its events, and the failure reason", async () => {
    const page = await loggedIn();
    await page.click(`section.project[data-project="${rc.project}"] h2 a`);
    await page.waitForURL(`${bot.url}/projects/${rc.project}`);
    expect(await page.locator("svg.history .bar.failed").count()).toBeGreaterThan(0);
    expect(await page.locator("svg.history .bar.success").count()).toBeGreaterThan(0);
    await screenshot(page, "dashboard-project");

    await page
      .locator("tr[data-deploy-id]", { has: page.locator(".badge.failed") })
      .first()
      .locator("a")
      .first()
      .click();
    await page.waitForURL(/\/deploys\//);
    expect(await page.locator("p.error").textContent()).toMatch(/health/i);
    expect(await page.locator("svg.timeline .step.failed").count()).toBe(1);
    expect(await page.locator("svg.timeline .step.ok").count()).toBeGreaterThan(0);
    expect(await page.locator("#events tr").count()).toBeGreaterThan(3);
    await screenshot(page, "dashboard-deploy-failed");
    await page.close();
  });

  it("a new deploy and its steps appear live on the project page, without a reload", async () => {
    const page = await loggedIn();
    await page.goto(`${bot.url}/projects/${rc.project}`);
    await page.waitForSelector(".live-dot:not([hidden])");
    const before = await page
      .locator("#deploys tr")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-deploy-id")));
    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    await push(shas.v2);
    const row = page.locator("#deploys tr.new").first();
    await row.locator(".chip.ok").first().waitFor({ timeout: 60_000 });
    await row.locator(".badge.success").waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    const id = await row.getAttribute("data-deploy-id");
    expect(before).not.toContain(id);
    expect(await row.locator(".chip.ok").count()).toBeGreaterThan(2);
    await screenshot(page, "dashboard-live");

    await row.locator("a").first().click();
    await page.waitForURL(`${bot.url}/projects/${rc.project}/deploys/${id}`);
    await bot.whenIdle();
    await page.reload();
    expect(await page.locator("h1 .badge").textContent()).toBe("success");
    expect(await page.locator("svg.timeline .step.ok").count()).toBeGreaterThan(2);
    await screenshot(page, "dashboard-deploy");

    // The deploy page follows its own deploy's events too: a step it has not shown yet appears.
    await page.waitForSelector(".live-dot:not([hidden])");
    const events = await page.locator("#events tr").count();
    bot.hub.publish(rc.project, {
      ts: new Date().toISOString(),
      deployId: id!,
      workload: "web",
      stage: "production",
      level: "debug",
      step: "smoke",
      msg: "started",
    });
    await page.locator('#live-steps .chip.started[data-step="smoke"]').waitFor({ timeout: 10_000 });
    expect(await page.locator("#events tr").count()).toBe(events + 1);
    await page.close();
  });

  it("a hostile branch name or event message stays text: nothing runs, no element is made", async () => {
    const page = await loggedIn();
    await page.goto(`${bot.url}/projects/${rc.project}`);
    await page.waitForSelector(".live-dot:not([hidden])");
    expect(await page.locator("#deploys").textContent()).toContain(HOSTILE_BRANCH);
    bot.hub.publish(rc.project, {
      ts: new Date().toISOString(),
      deployId: '<img src=x onerror="window.__pwned=2">',
      workload: "web",
      stage: "<b>stage</b>",
      level: "debug",
      step: '<img src=x onerror="window.__pwned=3">',
      msg: "started",
    });
    await page.locator('#deploys tr.new [data-step^="<img"]').waitFor({ timeout: 10_000 });
    expect(await page.locator("main img").count()).toBe(0);
    expect(await page.locator("#deploys b").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
  });

  it("works without JavaScript, by keyboard, and on a phone-sized screen", async () => {
    const noJs = await launch({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    try {
      const page = await noJs.newPage();
      await page.goto(`${bot.url}/login`);
      await page.fill("#token", API_TOKEN);
      await Promise.all([page.waitForURL(`${bot.url}/`), page.press("#token", "Enter")]);
      expect(
        await page
          .locator(
            `section.project[data-project="${rc.project}"] [data-stage="production"] tr[data-instance]`,
          )
          .count(),
      ).toBe(1);

      // Keyboard: the skip link comes first, then the links lead to the project.
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
      for (let i = 0; i < 10; i++) {
        if ((await page.evaluate(() => document.activeElement?.textContent)) === rc.project) break;
        await page.keyboard.press("Tab");
      }
      await Promise.all([page.waitForURL(`${bot.url}/projects/${rc.project}`), page.keyboard.press("Enter")]);
      // Readable on a phone: no sideways scrolling of the page (wide tables scroll on their own).
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      await screenshot(page, "dashboard-phone-nojs");
    } finally {
      await noJs.close();
    }
  });
});
