// What integration tests know about the testbed that scripts/testbed.sh brings up: a real dockerd,
// an sshd on 127.0.0.1 and a registry, described in .testbed/env.json.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface TestbedImages {
  busybox: string;
  webV1: string;
  webV2: string;
  webUnhealthy: string;
  webCrash: string;
  /** PostgreSQL 15 from Debian's packages (test/images/postgres), for the example app. */
  postgres: string;
  registryWebV1: string;
  registryWebV2: string;
  registryWebUnhealthy: string;
}

export interface Testbed {
  sshHost: string;
  sshPort: number;
  sshUser: string;
  /** Absolute path of the client's private key (ed25519, no passphrase). */
  sshKeyFile: string;
  /** Absolute path of a known_hosts file with the sshd's host key as `[127.0.0.1]:PORT ssh-ed25519 …`. */
  knownHostsFile: string;
  /** sshd's log (LogLevel INFO): one `Accepted publickey for` line per SSH login. */
  sshdLog: string;
  /** host:port of a plain-HTTP registry holding the web images. */
  registry: string;
  /** The Docker socket path on the SSH host (the same machine). */
  dockerSocket: string;
  /** The port the web images listen on inside the container. */
  webPort: number;
  images: TestbedImages;
}

export const TESTBED_ENV_FILE = fileURLToPath(new URL("../../.testbed/env.json", import.meta.url));

export function loadTestbed(): Testbed {
  if (!existsSync(TESTBED_ENV_FILE)) {
    // Never skip: an integration test that quietly skips would pass a CI run that tested nothing.
    if (process.env.CI === "true") {
      throw new Error(
        `${TESTBED_ENV_FILE} is missing: CI must run \`bash scripts/testbed.sh up\` before the tests (.ci/run does)`,
      );
    }
    throw new Error(`${TESTBED_ENV_FILE} is missing: run npm run testbed first`);
  }
  return JSON.parse(readFileSync(TESTBED_ENV_FILE, "utf8")) as Testbed;
}

/**
 * SSH logins sshd has accepted so far. Tests assert how many SSH connections an operation made by
 * the difference before and after it (the log is shared, so test files run one at a time).
 */
export function sshdLoginCount(testbed: Testbed = loadTestbed()): number {
  if (!existsSync(testbed.sshdLog)) return 0;
  let count = 0;
  for (const line of readFileSync(testbed.sshdLog, "utf8").split("\n")) {
    if (line.includes("Accepted publickey for")) count++;
  }
  return count;
}

/**
 * A DNS- and Docker-safe name no other test run shares (runs of several engineers meet on one
 * engine), e.g. `tf-it-probe-k3x9a1-5f2c`.
 */
export function uniqueName(prefix: string): string {
  const clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `${clean}-${Date.now().toString(36)}-${randomBytes(2).toString("hex")}`;
}
