// An EngineContext over the fakes, with a config parsed by the real schema: one workload "web"
// (an image, blue-green by default, health-checked) and one stage "production".
import { type Config, type ConfigInput, configSchema } from "../../src/config/schema.js";
import { deploy } from "../../src/deploy/deploy.js";
import type { DeployRequest, DeployResult, EngineContext } from "../../src/deploy/types.js";
import { makeRedactor } from "../../src/events/redact.js";
import type { Clock } from "../../src/ports/clock.js";
import type { DeployEvent, InstanceState } from "../../src/state/model.js";
import { Store } from "../../src/state/store.js";
import { FakeClock } from "./clock.js";
import type { FakeDocker } from "./docker.js";
import { FakeHost } from "./host.js";
import { FakeProxy } from "./proxy.js";

export const V1 = "1111111111111111111111111111111111111111";
export const V2 = "2222222222222222222222222222222222222222";
export const V3 = "3333333333333333333333333333333333333333";
export const IMAGE = "registry.example.com/shop/web:{sha}";
export const imageOf = (sha: string) => `registry.example.com/shop/web:${sha}`;
export const BASE = "shop-web-production";
export const KEY = "web.production";
export const HOSTNAME = "stage-production-shop";

type WorkloadInput = ConfigInput["workloads"][string];

export function testConfig(workload: Partial<WorkloadInput> = {}, top: Partial<ConfigInput> = {}): Config {
  return configSchema.parse({
    project: "shop",
    stages: { production: { branch: "main" } },
    workloads: {
      web: {
        source: "image",
        image: IMAGE,
        port: 8080,
        healthcheck: { path: "/healthz", interval: "1s" },
        ...workload,
      },
    },
    ...top,
  });
}

export interface HarnessOptions {
  workload?: Partial<WorkloadInput>;
  config?: Partial<ConfigInput>;
  secrets?: Record<string, string>;
  owner?: string;
  lockTtlMs?: number;
  configDir?: string;
  /** Share a host (and its clock) with another harness: two deployers, one machine. */
  host?: FakeHost;
  proxy?: FakeProxy;
  clock?: Clock;
}

export interface Harness {
  ctx: EngineContext;
  host: FakeHost;
  docker: FakeDocker;
  proxy: FakeProxy;
  clock: Clock;
  store: Store;
  events: DeployEvent[];
  /** Docker calls, proxy calls and file writes in the order they happened. */
  timeline: string[];
  deploy(sha: string, extra?: Partial<DeployRequest>): Promise<DeployResult>;
  state(): Promise<InstanceState | undefined>;
}

const hosts: FakeHost[] = [];

/** Removes every temp home made since the last call; for afterEach. */
export function disposeAll(): void {
  for (const h of hosts.splice(0)) h.dispose();
}

export function harness(o: HarnessOptions = {}): Harness {
  const clock = o.clock ?? new FakeClock();
  const host = o.host ?? new FakeHost({ clock });
  if (!o.host) hosts.push(host);
  const proxy = o.proxy ?? new FakeProxy();
  const config = testConfig(o.workload, o.config);
  const secrets = o.secrets ?? {};
  const events: DeployEvent[] = [];
  const ctx: EngineContext = {
    config,
    configDir: o.configDir ?? host.home,
    host,
    proxy,
    clock,
    secrets,
    redact: makeRedactor(Object.values(secrets)),
    owner: o.owner ?? "ci@runner-7 pid 4242",
    lockTtlMs: o.lockTtlMs ?? 30_000,
    onEvent: (e) => events.push(e),
  };
  const store = new Store(host.files, config.state_dir, config.project);
  const timeline = host.files.timeline ?? [];
  host.files.timeline = host.docker.timeline = proxy.timeline = timeline;
  return {
    ctx,
    host,
    docker: host.docker,
    proxy,
    clock,
    store,
    events,
    timeline,
    deploy: (sha, extra = {}) => deploy(ctx, { workload: "web", stage: "production", sha, ...extra }),
    state: () => store.readInstance(KEY),
  };
}
