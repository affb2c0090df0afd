import { describe, expect, it } from "vitest";
import { mountedStorage, staticDockerfile, storageVolume } from "../../../src/plan/static-site.js";

describe("static site image", () => {
  it("httpd mode serves site/ with busybox httpd behind a shell that exits on SIGTERM", () => {
    expect(staticDockerfile({ port: undefined, mode: undefined, base_image: undefined })).toBe(
      [
        "FROM busybox:stable",
        "COPY site /www",
        "EXPOSE 8080",
        `CMD ["sh","-c","trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"]`,
        "",
      ].join("\n"),
    );
  });

  it("deno mode runs main.ts from /app with write access only to the storage path", () => {
    expect(staticDockerfile({ port: 3000, mode: "deno", base_image: "denoland/deno:2.1" })).toBe(
      [
        "FROM denoland/deno:2.1",
        "WORKDIR /app",
        "COPY site /app",
        "ENV PORT=3000",
        "EXPOSE 3000",
        'CMD ["deno","run","--allow-net","--allow-read","--allow-env","--allow-write=/app/data","main.ts"]',
        "",
      ].join("\n"),
    );
  });

  it("mounts the storage volume at /app/data", () => {
    expect(storageVolume("shop_site-preview-pr-3-data")).toBe("shop_site-preview-pr-3-data:/app/data");
  });

  it("finds the named volume a container mounts at the storage path, and only there", () => {
    const mounts = [
      { volume: "shop_cache", path: "/cache" },
      { volume: "shop-site-production-data", path: "/app/data" },
    ];
    expect(mountedStorage(mounts)).toBe("shop-site-production-data");
    expect(mountedStorage([{ volume: "shop_cache", path: "/cache" }])).toBeUndefined();
    expect(mountedStorage(undefined)).toBeUndefined();
  });
});
