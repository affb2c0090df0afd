// The image a `static` workload is served from, as data: a generated Dockerfile around the site
// directory. httpd mode serves files with busybox httpd; deno mode runs the site's main.ts.
import type { WorkloadConfig } from "../config/schema.js";

export const STATIC_DEFAULTS = {
  httpd: { baseImage: "busybox:stable" },
  deno: {
    baseImage: "denoland/deno:2",
    command: [
      "deno",
      "run",
      "--allow-net",
      "--allow-read",
      "--allow-env",
      "--allow-write=/app/data",
      "main.ts",
    ],
  },
} as const;

/** Where a deno site's persistent storage is mounted. */
export const STORAGE_PATH = "/app/data";

export function staticMode(w: Pick<WorkloadConfig, "mode">): "httpd" | "deno" {
  return w.mode ?? "httpd";
}

export function staticPort(w: Pick<WorkloadConfig, "port">): number {
  return w.port ?? 8080;
}

/** The Dockerfile; the site's files are under `site/` in the build context. */
export function staticDockerfile(w: Pick<WorkloadConfig, "mode" | "port" | "base_image">): string {
  const mode = staticMode(w);
  const port = staticPort(w);
  if (mode === "deno") {
    return [
      `FROM ${w.base_image ?? STATIC_DEFAULTS.deno.baseImage}`,
      "WORKDIR /app",
      "COPY site /app",
      `ENV PORT=${port}`,
      `EXPOSE ${port}`,
      `CMD ${JSON.stringify(STATIC_DEFAULTS.deno.command)}`,
      "",
    ].join("\n");
  }
  // httpd as PID 1 ignores SIGTERM; the shell's trap makes `docker stop` quick instead of a kill
  // after stop_timeout.
  const serve = `trap 'exit 0' TERM; httpd -f -p ${port} -h /www & wait`;
  return [
    `FROM ${w.base_image ?? STATIC_DEFAULTS.httpd.baseImage}`,
    "COPY site /www",
    `EXPOSE ${port}`,
    `CMD ${JSON.stringify(["sh", "-c", serve])}`,
    "",
  ].join("\n");
}

/** A deno site's storage as a mount: the named volume `name` at the storage path. */
export function storageVolume(name: string): string {
  return `${name}:${STORAGE_PATH}`;
}

/** The named volume a container mounts at the storage path, if it mounts one there. */
export function mountedStorage(
  mounts: readonly { volume: string; path: string }[] | undefined,
): string | undefined {
  return mounts?.find((m) => m.path === STORAGE_PATH)?.volume;
}
