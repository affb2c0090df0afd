import { afterEach, describe, expect, it } from "vitest";
import { Journal } from "../../../src/events/journal.js";
import { capRunes, makeRedactor, oneLine, secretValueProblem } from "../../../src/events/redact.js";
import type { HostFiles } from "../../../src/ports/host.js";
import type { DeployEvent } from "../../../src/state/model.js";
import { Store } from "../../../src/state/store.js";
import { FakeClock } from "../../fakes/clock.js";
import { FakeFiles } from "../../fakes/files.js";
import { FakeHost } from "../../fakes/host.js";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const runes = (s: string) => Array.from(s).length;

describe("capRunes", () => {
  it("leaves text of at most 256 code points alone, astral characters counting as one", () => {
    const exact = "😀".repeat(256); // 512 UTF-16 units, 256 runes
    expect(capRunes(exact, 256)).toBe(exact);
  });

  it("cuts to 255 runes plus … without splitting a surrogate pair", () => {
    // A cut at 255 UTF-16 units would land inside the first emoji.
    const text = `${"a".repeat(254)}😀😀𝄞 tail`;
    const out = capRunes(text, 256);
    expect(out).toBe(`${"a".repeat(254)}😀…`);
    expect(runes(out)).toBe(256);
    expect(out).not.toMatch(LONE_SURROGATE);
  });

  it("never leaves a lone surrogate wherever the cut falls", () => {
    for (let pad = 0; pad < 6; pad++) {
      const out = capRunes(`${"b".repeat(pad)}${"🚀𝔘".repeat(200)}`, 256);
      expect(runes(out)).toBe(256);
      expect(out).not.toMatch(LONE_SURROGATE);
      expect(out.endsWith("…")).toBe(true);
    }
  });

  it("defaults to 256", () => {
    expect(runes(capRunes("x".repeat(1000)))).toBe(256);
  });
});

describe("oneLine", () => {
  it("escapes CR, LF and other control characters so outside text cannot forge a log line", () => {
    expect(oneLine("gitea push: refs/heads/x\ntinyforge-bot: deployed prod\r\u0007")).toBe(
      "gitea push: refs/heads/x\\ntinyforge-bot: deployed prod\\r\\u0007",
    );
    expect(oneLine("plain\ttext é")).toBe("plain\ttext é");
  });
});

describe("makeRedactor", () => {
  it("masks every occurrence of every secret", () => {
    const redact = makeRedactor(["hunter2-password", "tok_live_abc"]);
    expect(redact("a hunter2-password b tok_live_abc c hunter2-password")).toBe("a *** b *** c ***");
  });

  it("masks longest first, so a secret containing another is masked whole", () => {
    const redact = makeRedactor(["abcd", "abcdefgh"]);
    expect(redact("x abcdefgh y abcd")).toBe("x *** y ***");
    expect(makeRedactor(["abcdefgh", "abcd"])("x abcdefgh")).toBe("x ***");
  });

  it("ignores values shorter than 4 characters, which would mask ordinary words", () => {
    expect(makeRedactor(["abc", "", "on"])("abc on the line")).toBe("abc on the line");
  });

  it("masks each line of a multi-line secret wherever it appears, alone or with CRLF ends", () => {
    const key = "-----BEGIN KEY-----\nAAAAline-one-0001\nBBBBline-two-0002\n-----END KEY-----";
    const redact = makeRedactor([key]);
    expect(redact(`k=${key}.`)).toBe("k=***.");
    expect(redact("x BBBBline-two-0002 y")).toBe("x *** y");
    expect(redact("AAAAline-one-0001\r\nBBBBline-two-0002\r\n")).toBe("***\r\n***\r\n");
  });

  it("refuses secret values shorter than 8 characters as unredactable", () => {
    expect(secretValueProblem("short12")).toMatch(/shorter than 8 characters/);
    expect(secretValueProblem("long-enough")).toBeUndefined();
  });

  it("is the identity with no secrets", () => {
    expect(makeRedactor([])("anything ***")).toBe("anything ***");
  });
});

describe("Journal", () => {
  const SECRET = "SECRETXYZ-0123456789";
  const base = { deployId: "01DEPLOY", workload: "web", stage: "production" };

  it("stamps events with the clock and the deploy's identity and hands them to listeners at once", () => {
    const clock = new FakeClock();
    const j = new Journal(base, makeRedactor([]), clock);
    const seen: DeployEvent[] = [];
    j.on((e) => seen.push(e));
    j.on(() => {
      throw new Error("a broken listener does not stop the others or the deploy");
    });
    j.info("pull", "pulled");
    clock.advance(1500);
    j.warn("gate", "slow");
    expect(seen).toEqual([
      { ts: "2025-01-01T00:00:00.000Z", ...base, level: "info", step: "pull", msg: "pulled" },
      { ts: "2025-01-01T00:00:01.500Z", ...base, level: "warn", step: "gate", msg: "slow" },
    ]);
  });

  it("redacts before capping: a secret straddling the cut leaves no prefix behind", () => {
    const j = new Journal(base, makeRedactor([SECRET]), new FakeClock());
    const seen: DeployEvent[] = [];
    j.on((e) => seen.push(e));
    j.error("deploy", `${"a".repeat(250)}${SECRET} tail`);
    const msg = seen[0]!.msg;
    expect(msg).toBe(`${"a".repeat(250)}*** t…`);
    expect(msg).not.toContain("SECR");
    expect(runes(msg)).toBe(256);
  });

  describe("flush to the host", () => {
    let host: FakeHost | undefined;
    afterEach(() => host?.dispose());

    function journalOn(files: HostFiles) {
      const store = new Store(files, ".tinyforge", "shop");
      return { store, j: new Journal(base, makeRedactor([SECRET]), new FakeClock(), store) };
    }

    it("appends the pending batch as JSON lines, once", async () => {
      host = new FakeHost();
      const { store, j } = journalOn(host.files);
      j.info("lock", `held ${SECRET}`);
      j.info("pull", "ok");
      await j.flush();
      await j.flush();
      expect((await store.readEvents("01DEPLOY")).map((e) => e.msg)).toEqual(["held ***", "ok"]);
    });

    it("keeps a batch whose write failed and writes it, in order, with the next flush", async () => {
      host = new FakeHost();
      const files = new FakeFiles(host.local);
      const { store, j } = journalOn(files);
      files.failWrite = () => new Error("EIO");
      j.info("a", "1");
      await j.flush();
      files.failWrite = undefined;
      j.info("b", "2");
      await j.flush();
      expect((await store.readEvents("01DEPLOY")).map((e) => e.step)).toEqual(["a", "b"]);
    });
  });
});
