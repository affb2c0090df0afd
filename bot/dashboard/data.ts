// What the dashboard shows, read from where every deploy keeps its state: the hosts' state
// directories (deploys by the CLI and the action show up too), through the same per-project
// session the events API uses. One SSH connection per host per page.
import { forEachHost, type Session } from "../../src/app/session.js";
import { allHosts } from "../../src/app/stages.js";
import type { Lease } from "../../src/deploy/lock.js";
import { activeFreeze } from "../../src/deploy/freeze.js";
import type { DeployEvent, DeployRecord, Freeze, InstanceState } from "../../src/state/model.js";
import { Store } from "../../src/state/store.js";

/** How many deploys a project page reads per host: enough for the history charts. */
const RECENT = 40;

export interface HostInstance {
  host: string;
  state: InstanceState;
}

export interface InstanceView {
  key: string;
  workload: string;
  stage: string;
  tag?: string;
  /** One entry per host that has this instance; they agree when all serve the same SHA. */
  hosts: HostInstance[];
  agree: boolean;
}

export interface LockView {
  host: string;
  workload: string;
  stage: string;
  lease: Lease;
}

export interface ProjectData {
  stages: string[];
  workloads: string[];
  hostNames: string[];
  instances: InstanceView[];
  locks: LockView[];
  /** Stage freezes in force, one per stage (the first host's that has it). */
  freezes: Freeze[];
  /** Newest first, all hosts merged. */
  deploys: DeployRecord[];
}

export interface DeployData {
  record: DeployRecord;
  events: DeployEvent[];
}

/** `recent`: how many deploy records to read per host (none for the overview, which shows none). */
export async function readProject(s: Session, recent = RECENT): Promise<ProjectData> {
  const byKey = new Map<string, InstanceView>();
  const locks: LockView[] = [];
  const freezes = new Map<string, Freeze>();
  const deploys: DeployRecord[] = [];
  const hostNames: string[] = [];
  await forEachHost(s, allHosts(s.config), async (host) => {
    hostNames.push(host.name);
    const store = new Store(host.files, s.config.state_dir, s.config.project);
    for (const state of await store.listInstances()) {
      const v = byKey.get(state.key) ?? {
        key: state.key,
        workload: state.workload,
        stage: state.stage,
        ...(state.tag ? { tag: state.tag } : {}),
        hosts: [],
        agree: true,
      };
      v.hosts.push({ host: host.name, state });
      byKey.set(state.key, v);
    }
    for (const workload of Object.keys(s.config.workloads))
      for (const stage of Object.keys(s.config.stages)) {
        const lease = await currentLease(store, workload, stage);
        if (lease) locks.push({ host: host.name, workload, stage, lease });
      }
    for (const stage of Object.keys(s.config.stages)) {
      const f = freezes.has(stage) ? undefined : await activeFreeze(store, stage, Date.now());
      if (f) freezes.set(stage, f);
    }
    for (const id of (await store.listDeployIds()).slice(0, recent)) {
      const rec = await store.readDeploy(id);
      if (rec) deploys.push(rec);
    }
    return true;
  });
  const instances = [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
  for (const v of instances) v.agree = new Set(v.hosts.map((h) => h.state.active?.sha)).size <= 1;
  deploys.sort((a, b) => (a.deployId < b.deployId ? 1 : a.deployId > b.deployId ? -1 : 0));
  return {
    stages: Object.keys(s.config.stages),
    workloads: Object.keys(s.config.workloads),
    hostNames,
    instances,
    locks,
    freezes: [...freezes.values()],
    deploys,
  };
}

/** One deploy as the first host that ran it recorded it, with its events. */
export async function readDeploy(s: Session, deployId: string): Promise<DeployData | undefined> {
  let found: DeployData | undefined;
  await forEachHost(s, allHosts(s.config), async (host) => {
    const store = new Store(host.files, s.config.state_dir, s.config.project);
    const record = await store.readDeploy(deployId);
    if (record) found = { record, events: await store.readEvents(deployId) };
    return !found;
  });
  return found;
}

/** The lease a deploy holds on workload+stage, if any (a released lock leaves no file). */
async function currentLease(store: Store, workload: string, stage: string): Promise<Lease | undefined> {
  const dir = store.lockDir(workload, stage);
  const gens = (await store.files.list(dir))
    .map((n) => /^gen-(\d+)\.json$/.exec(n)?.[1])
    .filter((g): g is string => g !== undefined)
    .map(Number)
    .sort((a, b) => b - a);
  if (gens.length === 0) return undefined;
  try {
    return JSON.parse((await store.files.read(`${dir}/gen-${gens[0]}.json`)) ?? "") as Lease;
  } catch {
    return undefined;
  }
}
