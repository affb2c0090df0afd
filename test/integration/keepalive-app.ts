// tinyforge/conn-web:{v1,v2}: a web app that keeps its HTTP connections open, as real apps do (the
// busybox httpd of tinyforge/web closes each one), and answers every path with "vN PORT": PORT is
// the client's source port as the app sees it, one per connection. Through a proxy and Docker's
// published port, that is one per connection the proxy opened to the upstream, so a load test
// counts them from the answers. Caddy's own binary (the testbed installs caddy) and the libraries
// ldd names, in a scratch image; built again only when the binary or the Caddyfile changed.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { tb } from "./harness.js";

export const CONN_WEB = "tinyforge/conn-web";
const HASH_LABEL = "dev.tinyforge.test.hash";

export function buildConnWebImages(): void {
  const env = { ...process.env, DOCKER_HOST: `unix://${tb.dockerSocket}`, DOCKER_BUILDKIT: "0" };
  const caddy = execFileSync("sh", ["-c", "command -v caddy"], { encoding: "utf8" }).trim();
  let libs: string[] = [];
  try {
    libs = execFileSync("ldd", [caddy], { encoding: "utf8" })
      .split("\n")
      .map((l) => /(\/\S+) \(0x/.exec(l)?.[1])
      .filter((p): p is string => !!p);
  } catch {
    // "not a dynamic executable": a static caddy needs no libraries.
  }
  for (const version of ["v1", "v2"]) {
    const caddyfile = `{\n\tadmin off\n}\n:8080 {\n\trespond "${version} {remote_port}"\n}\n`;
    const dockerfile = [
      "FROM scratch",
      "COPY root/ /",
      "ENV HOME=/tmp XDG_CONFIG_HOME=/tmp XDG_DATA_HOME=/tmp",
      "EXPOSE 8080",
      'CMD ["/caddy", "run", "--adapter", "caddyfile", "--config", "/Caddyfile"]',
      "",
    ].join("\n");
    const hash = createHash("sha256")
      .update(readFileSync(caddy))
      .update(dockerfile)
      .update(caddyfile)
      .digest("hex")
      .slice(0, 16);
    const tag = `${CONN_WEB}:${version}`;
    let current = "";
    try {
      current = execFileSync(
        "docker",
        ["image", "inspect", "-f", `{{ index .Config.Labels "${HASH_LABEL}" }}`, tag],
        { encoding: "utf8", env, stdio: ["ignore", "pipe", "ignore"] },
      ).trim();
    } catch {
      // not built yet
    }
    if (current === hash) continue;
    const ctx = mkdtempSync(join(tmpdir(), "tf-conn-web-"));
    try {
      mkdirSync(join(ctx, "root/tmp"), { recursive: true });
      copyFileSync(caddy, join(ctx, "root/caddy"));
      for (const lib of libs) {
        mkdirSync(join(ctx, "root", dirname(lib)), { recursive: true });
        copyFileSync(lib, join(ctx, "root", lib));
      }
      writeFileSync(join(ctx, "root/Caddyfile"), caddyfile);
      writeFileSync(join(ctx, "Dockerfile"), dockerfile);
      execFileSync("docker", ["build", "-q", "--label", `${HASH_LABEL}=${hash}`, "-t", tag, ctx], {
        env,
        stdio: ["ignore", "ignore", "inherit"],
      });
    } finally {
      rmSync(ctx, { recursive: true, force: true });
    }
  }
}
