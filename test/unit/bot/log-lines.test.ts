// The bot's log is one line per message: a newline in a webhook's ref cannot forge a line.
import { afterEach, describe, expect, it, vi } from "vitest";
import { stderrLog } from "../../../bot/main.js";

afterEach(() => vi.restoreAllMocks());

describe("bot log lines", () => {
  it("escape CR/LF from outside values instead of starting a new line", () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((t) => {
      written.push(String(t));
      return true;
    });
    stderrLog.info("github push: refs/heads/x\ntinyforge-bot: deployed shop to production\r");
    expect(written).toEqual([
      "tinyforge-bot: github push: refs/heads/x\\ntinyforge-bot: deployed shop to production\\r\n",
    ]);
  });
});
