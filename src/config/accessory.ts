// `accessories:` — long-lived services beside the app (a database, a cache). Started and stopped
// only by `tinyforge accessory …`; a deploy never restarts them, it only joins their network.
import { z } from "zod";

// schema.ts's rule, repeated: importing it from there would make the two modules a cycle.
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const accessorySchema = z
  .strictObject({
    image: z.string().min(1).describe("Image to run, used as written (pulled when the host lacks it)."),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .optional()
      .describe("Port the service listens on; workloads reach it as NAME:PORT. Never published on the host."),
    env: z.record(z.string(), z.string()).default({}).describe("Plain environment variables."),
    secrets: z
      .array(z.string().regex(ENV_NAME, { error: "must be an environment variable name" }))
      .default([])
      .describe("Names of environment variables read from the process running `tinyforge accessory up`."),
    volumes: z
      .array(
        z.string().regex(/^[^:\s]+:\/[^:\s]*(?::(?:ro|rw))?$/, {
          error: (iss) => `must be "NAME_OR_PATH:/container/path[:ro]" (got ${JSON.stringify(iss.input)})`,
        }),
      )
      .default([])
      .describe(
        'Named volumes are per stage ("pgdata" becomes PROJECT-STAGE-pgdata) and outlive `down` unless --remove-data.',
      ),
    command: z.array(z.string()).optional().describe("Overrides the image's command (argv, no shell)."),
    per_tag: z
      .boolean()
      .default(false)
      .describe(
        "A tagged instance (a PR preview) gets its own accessory (`accessory up NAME --stage S --tag T`); by default every tag of a stage shares the stage's.",
      ),
  })
  .describe("A long-lived service of the project, one per stage, reachable from the workloads by its name.");

export type AccessoryConfig = z.output<typeof accessorySchema>;
