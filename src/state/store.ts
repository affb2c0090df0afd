// Deploy state as files under state_dir/PROJECT on the host, each written atomically
// (temp + rename): a crash leaves the old file or the new one, never half of one.
import { posix } from "node:path";
import { TinyforgeError } from "../errors.js";
import { validateName } from "../plan/names.js";
import type { HostFiles } from "../ports/host.js";
import type { DeployEvent, DeployRecord, InstanceState } from "./model.js";

/** Instance files read at once by listInstances. */
const READ_AT_ONCE = 16;

export class Store {
  readonly root: string;

  constructor(
    readonly files: HostFiles,
    stateDir: string,
    readonly project: string,
  ) {
    this.root = `${stateDir.replace(/\/+$/, "")}/${validateName("project", project)}`;
  }

  /**
   * Every path the store touches: joined under the project's state directory and checked after
   * joining, so a name carrying "/" or ".." can never reach a file elsewhere on the host.
   */
  private path(...parts: string[]): string {
    const joined = posix.join(this.root, ...parts);
    const inside = posix.join(this.root, "/");
    const name = parts.at(-1) ?? "";
    if (!joined.startsWith(inside) || name.includes("/") || /^\.\.?$/.test(name)) {
      throw new TinyforgeError("usage", `${JSON.stringify(name)} is not a state file name`);
    }
    return joined;
  }

  private instancePath(key: string): string {
    return this.path("instances", `${key}.json`);
  }

  async readInstance(key: string): Promise<InstanceState | undefined> {
    const text = await this.files.read(this.instancePath(key));
    return text === undefined ? undefined : (JSON.parse(text) as InstanceState);
  }

  async writeInstance(state: InstanceState): Promise<void> {
    await this.files.writeAtomic(this.instancePath(state.key), `${JSON.stringify(state, null, 2)}\n`);
  }

  async removeInstance(key: string): Promise<void> {
    await this.files.remove(this.instancePath(key));
  }

  async listInstances(): Promise<InstanceState[]> {
    const keys = (await this.files.list(this.path("instances")))
      .filter((n) => n.endsWith(".json"))
      .map((n) => n.slice(0, -".json".length));
    // Read side by side, a few at a time: one round trip per batch instead of per instance (a
    // stage with many previews has many), without opening hundreds of SFTP handles at once.
    const out: InstanceState[] = [];
    for (let i = 0; i < keys.length; i += READ_AT_ONCE) {
      const read = await Promise.all(keys.slice(i, i + READ_AT_ONCE).map((k) => this.readInstance(k)));
      for (const s of read) if (s) out.push(s);
    }
    return out;
  }

  async writeDeploy(rec: DeployRecord): Promise<void> {
    await this.files.writeAtomic(
      this.path("deploys", `${rec.deployId}.json`),
      `${JSON.stringify(rec, null, 2)}\n`,
    );
  }

  async readDeploy(deployId: string): Promise<DeployRecord | undefined> {
    const text = await this.files.read(this.path("deploys", `${deployId}.json`));
    return text === undefined ? undefined : (JSON.parse(text) as DeployRecord);
  }

  /** Deploy ids are ULIDs, so name order is time order. Newest first. */
  async listDeployIds(): Promise<string[]> {
    const names = await this.files.list(this.path("deploys"));
    return names
      .filter((n) => n.endsWith(".json"))
      .map((n) => n.slice(0, -".json".length))
      .reverse();
  }

  async appendEvents(deployId: string, events: DeployEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.files.append(
      this.path("events", `${deployId}.jsonl`),
      events.map((e) => `${JSON.stringify(e)}\n`).join(""),
    );
  }

  async readEvents(deployId: string): Promise<DeployEvent[]> {
    const text = (await this.files.read(this.path("events", `${deployId}.jsonl`))) ?? "";
    return text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as DeployEvent);
  }

  lockDir(workload: string, stage: string): string {
    return this.path("locks", `${validateName("workload", workload)}.${validateName("stage", stage)}`);
  }
}
