// The bot's log is one JSON object per line: a newline in a webhook's ref cannot forge a line,
// and a deploy's lines carry its deploy id as a field.
import { describe, expect, it } from "vitest";
import { jsonLog } from "../../../bot/log.js";

function collected(level?: string) {
  const written: string[] = [];
  return { written, log: jsonLog(level, { write: (s: string) => void written.push(s) }) };
}

describe("bot log lines", () => {
  it("are one JSON object each, CR/LF from outside values escaped inside it", () => {
    const { written, log } = collected();
    log.info("github push: refs/heads/x\ntinyforge-bot: deployed shop to production\r");
    expect(written).toHaveLength(1);
    expect(written[0]!.trimEnd()).not.toMatch(/[\r\n]/);
    const line = JSON.parse(written[0]!);
    expect(line).toMatchObject({
      level: "info",
      name: "tinyforge-bot",
      msg: "github push: refs/heads/x\ntinyforge-bot: deployed shop to production\r",
    });
    expect(Date.parse(line.time)).not.toBeNaN();
  });

  it("carry the fields they are given, such as a deploy's id", () => {
    const { written, log } = collected();
    log.warn("gate: still starting", { deployId: "01JDEPLOY", project: "shop", stage: "production" });
    expect(JSON.parse(written[0]!)).toMatchObject({
      level: "warn",
      deployId: "01JDEPLOY",
      project: "shop",
      stage: "production",
    });
  });

  it("leave out what is below LOG_LEVEL", () => {
    const { written, log } = collected("warn");
    log.info("quiet");
    log.error("loud");
    expect(written.map((w) => JSON.parse(w).msg)).toEqual(["loud"]);
  });
});
