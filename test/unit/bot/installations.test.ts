// The GitHub App's installation token: minted once and kept until 5 minutes before it expires;
// callers arriving together (the pushes of a burst, a push's own reads) share one mint.
import type { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { Installations } from "../../../bot/github/installations.js";

function app(expiresInMs: () => number) {
  let mints = 0;
  const probot = {
    auth: async () => ({
      rest: {
        apps: {
          createInstallationAccessToken: async () => {
            mints++;
            await new Promise((r) => setTimeout(r, 5));
            return {
              data: { token: `ghs_${mints}`, expires_at: new Date(Date.now() + expiresInMs()).toISOString() },
            };
          },
        },
      },
    }),
  } as unknown as Probot;
  const installations = new Installations(probot);
  installations.remember("octo/shop", 2);
  return { installations, mints: () => mints };
}

describe("installation tokens", () => {
  it("callers arriving together share one mint, and later ones reuse it", async () => {
    const { installations, mints } = app(() => 3600_000);
    const tokens = await Promise.all([1, 2, 3, 4].map(() => installations.token("octo/shop")));
    expect(tokens).toEqual(["ghs_1", "ghs_1", "ghs_1", "ghs_1"]);
    expect(await installations.token("octo/shop")).toBe("ghs_1");
    expect(mints()).toBe(1);
  });

  it("a token within 5 minutes of expiring is replaced once, however many ask at the same time", async () => {
    let ttl = 60_000;
    const { installations, mints } = app(() => ttl);
    expect(await installations.token("octo/shop")).toBe("ghs_1");
    ttl = 3600_000;
    const tokens = await Promise.all([1, 2, 3].map(() => installations.token("octo/shop")));
    expect(tokens).toEqual(["ghs_2", "ghs_2", "ghs_2"]);
    expect(mints()).toBe(2);
  });
});
