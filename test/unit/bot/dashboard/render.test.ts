// Every value the dashboard shows comes from someone else (a branch name, a commit message, an
// error from a container): rendered, it must stay text.
import { describe, expect, it } from "vitest";
import type { ProjectData } from "../../../../bot/dashboard/data.js";
import { escapeHtml, html, safeUrl } from "../../../../bot/dashboard/html.js";
import { deployPage, overviewPage, projectPage } from "../../../../bot/dashboard/pages.js";
import { historyChart, timeline } from "../../../../bot/dashboard/svg.js";
import type { DeployRecord } from "../../../../src/state/model.js";

const EVIL = `"><img src=x onerror=alert(1)><script>alert(2)</script>'\``;
const forge = { kind: "github" as const, web: "https://github.example" };
const info = { name: EVIL, repo: `o/${EVIL}`, forge };

function record(over: Partial<DeployRecord> = {}): DeployRecord {
  return {
    deployId: "01JAAAAAAAAAAAAAAAAAAAAAAA",
    project: EVIL,
    workload: EVIL,
    stage: EVIL,
    tag: EVIL,
    sha: EVIL,
    ref: EVIL,
    trigger: EVIL,
    strategy: "blue-green",
    host: EVIL,
    outcome: "failed",
    url: `javascript:alert(3)//${EVIL}`,
    startedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 1200,
    steps: [
      { name: EVIL, ms: 300, ok: true },
      { name: "gate", ms: 900, ok: false },
    ],
    error: { code: EVIL, message: EVIL },
    ...over,
  };
}

const data: ProjectData = {
  stages: [EVIL],
  workloads: [EVIL],
  hostNames: [EVIL],
  instances: [
    {
      key: EVIL,
      workload: EVIL,
      stage: EVIL,
      tag: "pr-7",
      agree: false,
      hosts: [
        {
          host: EVIL,
          state: {
            key: EVIL,
            project: EVIL,
            workload: EVIL,
            stage: EVIL,
            previous: [],
            updatedAt: "2026-01-01T00:00:00.000Z",
            active: {
              deployId: EVIL,
              sha: EVIL,
              image: EVIL,
              container: EVIL,
              containerId: EVIL,
              url: `javascript:alert(4)`,
              strategy: "recreate",
              deployedAt: "2026-01-01T00:00:00.000Z",
            },
          },
        },
      ],
    },
  ],
  // A freeze's reason and author come from chat and PR comments: escaped like everything else.
  freezes: [{ stage: EVIL, reason: EVIL, by: EVIL, at: "2026-01-01T00:00:00.000Z" }],
  locks: [
    {
      host: EVIL,
      workload: EVIL,
      stage: EVIL,
      lease: {
        owner: EVIL,
        deployId: EVIL,
        acquiredAt: "2026-01-01T00:00:00.000Z",
        expiresAt: 0,
        ttlMs: 1,
        beat: 1,
      },
    },
  ],
  deploys: [record()],
};

/** No tag, attribute or script from EVIL made it into the markup. */
function expectInert(out: string): void {
  expect(out).not.toMatch(/<img|<script>alert|onerror=alert\(1\)>|href="javascript:/i);
  expect(out).not.toContain(`"><img`);
  expect(out).toContain("&lt;img src=x onerror=alert(1)&gt;");
}

describe("dashboard rendering", () => {
  it("escapes every interpolated value and leaves Html built by the template alone", () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\``)).toBe(
      "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;",
    );
    const inner = html`<b>${"<i>"}</b>`;
    expect(html`<p>${inner}${["<u>", inner]}</p>`.text).toBe(
      "<p><b>&lt;i&gt;</b>&lt;u&gt;<b>&lt;i&gt;</b></p>",
    );
  });

  it("links only http(s) and same-site paths", () => {
    expect(safeUrl("javascript:alert(1)")).toBe("#");
    expect(safeUrl("//evil.example/x")).toBe("#");
    expect(safeUrl("data:text/html,x")).toBe("#");
    expect(safeUrl("/projects/a")).toBe("/projects/a");
    expect(safeUrl("https://a.example/b?c")).toBe("https://a.example/b?c");
  });

  it("keeps hostile names, SHAs, messages and URLs as text on every page", () => {
    expectInert(overviewPage([{ info, data }]));
    expectInert(overviewPage([{ info, error: EVIL }]));
    expectInert(projectPage({ info, data }));
    expectInert(
      deployPage(info, {
        record: record(),
        events: [
          {
            ts: "2026-01-01T00:00:00.000Z",
            deployId: EVIL,
            workload: EVIL,
            stage: EVIL,
            level: "error",
            step: EVIL,
            msg: EVIL,
          },
        ],
      }),
    );
  });

  it("shows the instance's PR, its hosts' disagreement, its lock and the freeze/bake column", () => {
    const out = projectPage({ info: { name: "shop", repo: "o/shop", forge }, data });
    expect(out).toContain('<a href="https://github.example/o/shop/pull/7">PR #7</a>');
    expect(out).toContain("hosts disagree");
    expect(out).toContain("locked by deploy");
    expect(out).toContain("Freeze / bake");
  });

  it("marks a frozen stage's instances and an instance whose release is baking", () => {
    const shop = { name: "shop", repo: "o/shop", forge };
    const host = data.instances[0]!.hosts[0]!;
    const baking: ProjectData = {
      ...data,
      instances: [
        {
          ...data.instances[0]!,
          hosts: [
            {
              ...host,
              state: {
                ...host.state,
                bake: {
                  deployId: "01JBBBBBBBBBBBBBBBBBBBBBBB",
                  since: "2026-12-01T22:01:10Z",
                  until: "2026-12-01T22:03:10Z",
                  previous: "shop-web-production-ab12cd34",
                },
              },
            },
          ],
        },
      ],
    };
    const out = projectPage({ info: shop, data: baking });
    expect(out).toMatch(/<span class="badge failed" data-freeze title="[^"]*">frozen<\/span>/);
    expect(out).toContain("baking until 2026-12-01T22:03:10Z");
    expect(out).toContain('title="old release shop-web-production-ab12cd34 stands by"');
    // Neither: a dash.
    const calm = projectPage({ info: shop, data: { ...data, freezes: [] } });
    expect(calm).not.toContain("data-freeze");
    expect(calm).not.toContain("data-bake");
  });

  it("links a deploy that came from Slack to its thread, in Slack's permalink form", () => {
    const shop = { name: "shop", repo: "o/shop", forge };
    const slack = (thread: DeployRecord["thread"]) =>
      deployPage(shop, { record: record({ tag: "pr-7", sha: "abc123", thread }), events: [] });
    const out = slack({ channel: "C0DEPLOYS1", ts: "1700000000.123456", domain: "acme" });
    expect(out).toContain(
      '<a href="https://acme.slack.com/archives/C0DEPLOYS1/p1700000000123456" data-link="slack">Slack thread</a>',
    );
    expect(out).toContain('<a href="https://github.example/o/shop/pull/7">PR #7</a>');
    // No workspace domain: Slack's link to the channel.
    expect(slack({ channel: "C0DEPLOYS1", ts: "1700000000.123456" })).toContain(
      'href="https://slack.com/app_redirect?channel=C0DEPLOYS1"',
    );
    // Not Slack ids, or no thread at all: no link.
    expect(slack({ channel: EVIL, ts: "1.2", domain: "acme" })).not.toContain('data-link="slack"');
    expect(slack(undefined)).not.toContain('data-link="slack"');
  });
});

describe("dashboard pictures", () => {
  it("draws one bar per step on the timeline, the failed one marked", () => {
    const svg = timeline(record().steps).text;
    expect(svg.match(/<g class="step /g)).toHaveLength(2);
    expect(svg).toContain('<g class="step failed" data-step="gate">');
    expect(svg).toContain("900ms ✗");
  });

  it("charts a stage's deploys only, oldest first, at most 30", () => {
    const deploys = Array.from({ length: 40 }, (_, i) =>
      record({
        deployId: `01JAAAAAAAAAAAAAAAAAAAA${String(i).padStart(3, "0")}`,
        stage: i % 2 ? "prod" : "preview",
        outcome: "success",
      }),
    ).reverse();
    const svg = historyChart("prod", deploys, (d) => `/d/${d.deployId}`).text;
    const hrefs = [...svg.matchAll(/href="\/d\/(\w+)"/g)].map((m) => m[1]!);
    expect(hrefs).toHaveLength(20);
    expect(hrefs[0]! < hrefs.at(-1)!).toBe(true);
    expect(svg).not.toContain("AAA000"); // a preview deploy
  });
});
