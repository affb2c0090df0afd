import { describe, expect, it } from "vitest";
import { eventLine, stepLine } from "../../../src/cli/progress.js";

const ev = (level: "debug" | "info" | "warn" | "error", step: string, msg: string) => ({
  ts: "2026-11-21T00:00:00.000Z",
  deployId: "01JAAAAAAAAAAAAAAAAAAAAAAA",
  workload: "web",
  stage: "production",
  level,
  step,
  msg,
});

describe("terminal progress", () => {
  it("a line per step with its time", () => {
    expect(stepLine({ name: "gate", ms: 1520, ok: true })).toBe("  ✓ gate         1.5s\n");
    expect(stepLine({ name: "pull", ms: 80, ok: false })).toBe("  ✗ pull         80ms\n");
  });

  it("streams build output under its step at a terminal only", () => {
    expect(eventLine(ev("debug", "build", "Step 2/3 : COPY www /www"), true)).toBe(
      "    │ Step 2/3 : COPY www /www\n",
    );
    expect(eventLine(ev("debug", "build", "Step 2/3 : COPY www /www"), false)).toBeUndefined();
    expect(eventLine(ev("warn", "reconcile", "removed x"), false)).toBe("  ! reconcile: removed x\n");
    expect(eventLine(ev("info", "gate", "/healthz answered 200"), true)).toBeUndefined();
  });
});
