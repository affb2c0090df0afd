// `accessories:` — long-lived services beside the app (a database, a cache). Started and stopped
// only by `tinyforge accessory …`; a deploy never restarts them, it only joins their network.
import {
  _default,
  array,
  boolean,
  describe,
  int,
  maximum,
  minimum,
  minLength,
  type output,
  optional,
  record,
  regex,
  strictObject,
  string,
} from "zod/mini";

// schema.ts's rule, repeated: importing it from there would make the two modules a cycle.
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const accessorySchema = strictObject({
  image: string().check(
    minLength(1),
    describe("Image to run, used as written (pulled when the host lacks it)."),
  ),
  port: optional(int().check(minimum(1), maximum(65535))).check(
    describe("Port the service listens on; workloads reach it as NAME:PORT. Never published on the host."),
  ),
  env: _default(record(string(), string()), {}).check(describe("Plain environment variables.")),
  secrets: _default(
    array(string().check(regex(ENV_NAME, { error: "must be an environment variable name" }))),
    [],
  ).check(describe("Names of environment variables read from the process running `tinyforge accessory up`.")),
  volumes: _default(
    array(
      string().check(
        regex(/^[^:\s]+:\/[^:\s]*(?::(?:ro|rw))?$/, {
          error: (iss) => `must be "NAME_OR_PATH:/container/path[:ro]" (got ${JSON.stringify(iss.input)})`,
        }),
      ),
    ),
    [],
  ).check(
    describe(
      'Named volumes are per stage ("pgdata" becomes PROJECT-STAGE-pgdata) and outlive `down` unless --remove-data.',
    ),
  ),
  command: optional(array(string())).check(describe("Overrides the image's command (argv, no shell).")),
  per_tag: _default(boolean(), false).check(
    describe(
      "A tagged instance (a PR preview) gets its own accessory (`accessory up NAME --stage S --tag T`); by default every tag of a stage shares the stage's.",
    ),
  ),
}).check(
  describe("A long-lived service of the project, one per stage, reachable from the workloads by its name."),
);

export type AccessoryConfig = output<typeof accessorySchema>;
