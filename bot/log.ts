// The bot's log: one JSON object per line on stderr (pino, the logger Probot itself uses), so a
// log shipper reads fields instead of parsing text. A deploy's lines carry its deployId, project,
// workload and stage; a newline in an outside value (a webhook's ref) is escaped by JSON and can
// never start a line of its own. LOG_LEVEL (Probot's name) sets the level.
import { type DestinationStream, type Level, pino } from "pino";
import type { Logger } from "./forge/types.js";

const LEVELS = new Set(["trace", "debug", "info", "warn", "error", "fatal", "silent"]);

export function jsonLog(level = "info", stream?: DestinationStream): Logger {
  const p = pino(
    {
      name: "tinyforge-bot",
      level: LEVELS.has(level) ? (level as Level) : "info",
      base: { name: "tinyforge-bot" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    // process.stderr, whose writes to files and pipes are synchronous on Linux: the last lines
    // before an exit (a failed start, SIGTERM) are not lost, and whoever watches the stream sees them.
    stream ?? process.stderr,
  );
  return {
    info: (msg, fields) => p.info(fields ?? {}, msg),
    warn: (msg, fields) => p.warn(fields ?? {}, msg),
    error: (msg, fields) => p.error(fields ?? {}, msg),
  };
}
