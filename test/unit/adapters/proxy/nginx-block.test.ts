import { describe, expect, it } from "vitest";
import {
  defaultListen,
  nginxServerBlock,
  probePort,
  routeFromNginx,
} from "../../../../src/adapters/proxy/nginx-block.js";

const route = {
  hostname: "stage-production-shop.example.com",
  upstream: { host: "127.0.0.1", port: 40123 },
  tls: false,
};

describe("nginxServerBlock", () => {
  it("is one upstream group that keeps connections open, and one server block: the probe location with its revision, and the proxy_pass", () => {
    const block = nginxServerBlock(route, "127.0.0.1:8080");
    expect(block.revision).toMatch(/^[0-9a-f]{12}$/);
    expect(
      block.text,
    ).toBe(`# Managed by tinyforge: rewritten on every deploy of stage-production-shop.example.com, removed with it. Do not edit.
map $http_upgrade $tinyforge_connection {
    default upgrade;
    ""      "";
}

upstream tinyforge_stage_production_shop_example_com_19d2737f {
    server 127.0.0.1:40123;
    keepalive 256;
    keepalive_timeout 1s;
}

server {
    listen 127.0.0.1:8080;
    server_name stage-production-shop.example.com;

    # The block's revision: a deploy reads it back through nginx to know the reload took effect,
    # and which worker answered, to wait for the workers of the previous configuration to exit.
    location = /.well-known/tinyforge-route {
        access_log off;
        default_type text/plain;
        add_header X-Tinyforge-Worker $pid;
        return 200 "${block.revision}\\n";
    }

    location / {
        proxy_pass http://tinyforge_stage_production_shop_example_com_19d2737f;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $tinyforge_connection;
    }
}
`);
  });

  it("the revision changes with the upstream and the listen address, and only with them", () => {
    const a = nginxServerBlock(route, "80").revision;
    expect(nginxServerBlock(route, "80").revision).toBe(a);
    expect(
      nginxServerBlock({ ...route, upstream: { host: "127.0.0.1", port: 40124 } }, "80").revision,
    ).not.toBe(a);
    expect(nginxServerBlock(route, "8080").revision).not.toBe(a);
  });

  it("forwards to a container by name on a shared network", () => {
    const text = nginxServerBlock(
      { ...route, upstream: { host: "shop-web-production-ab12cd34", port: 8080 } },
      "80",
    ).text;
    expect(text).toContain("    server shop-web-production-ab12cd34:8080;\n");
    expect(routeFromNginx(route.hostname, text)?.upstream).toEqual({
      host: "shop-web-production-ab12cd34",
      port: 8080,
    });
  });
});

describe("routeFromNginx", () => {
  it("reads back what the block routes", () => {
    expect(routeFromNginx(route.hostname, nginxServerBlock(route, "80").text)).toEqual(route);
    expect(routeFromNginx(route.hostname, nginxServerBlock(route, "443 ssl").text)?.tls).toBe(true);
  });

  it("reads back a block of an earlier version, which named the upstream in proxy_pass", () => {
    const earlier = `server {
    listen 80;
    server_name ${route.hostname};
    location / {
        proxy_pass http://127.0.0.1:40123;
    }
}
`;
    expect(routeFromNginx(route.hostname, earlier)).toEqual(route);
  });

  it("is undefined for another hostname's block or text that is not ours", () => {
    expect(routeFromNginx("other.example.com", nginxServerBlock(route, "80").text)).toBeUndefined();
    expect(routeFromNginx(route.hostname, "server { listen 80; }")).toBeUndefined();
  });
});

describe("probePort and defaultListen", () => {
  it("finds the loopback port of plain listen parameters", () => {
    expect(probePort("80")).toBe(80);
    expect(probePort("127.0.0.1:8080")).toBe(8080);
    expect(probePort("*:8080 default_server")).toBe(8080);
    expect(probePort("[::]:81")).toBe(81);
  });

  it("gives up where 127.0.0.1 would not reach the block: TLS, another address, a socket", () => {
    expect(probePort("443 ssl")).toBeUndefined();
    expect(probePort("10.0.0.5:80")).toBeUndefined();
    expect(probePort("unix:/run/nginx.sock")).toBeUndefined();
  });

  it("listens on 80, or 443 ssl with tls", () => {
    expect(defaultListen(false)).toBe("80");
    expect(defaultListen(true)).toBe("443 ssl");
  });
});

describe("the upstream group's name", () => {
  it("differs for hostnames that read the same once dots and dashes are underscores", () => {
    const group = (hostname: string) =>
      /^upstream (\S+) \{/m.exec(nginxServerBlock({ ...route, hostname }, "80").text)?.[1];
    expect(group("a-b.example.com")).toMatch(/^tinyforge_a_b_example_com_[0-9a-f]{8}$/);
    expect(group("a-b.example.com")).not.toBe(group("a.b-example.com"));
  });
});

describe("a load balancer's server block", () => {
  const balanced = {
    ...route,
    upstream: { host: "10.0.0.11", port: 32768 },
    upstreams: [
      { host: "10.0.0.11", port: 32768 },
      { host: "10.0.0.12", port: 32771 },
    ],
    health: { path: "/healthz", interval: "2000ms" },
  };

  it("proxies to an upstream group of every host, a failed host left out and the request tried on the next", () => {
    const { text } = nginxServerBlock(balanced, "80");
    expect(text).toContain(
      "upstream tinyforge_stage_production_shop_example_com_19d2737f {\n    server 10.0.0.11:32768 max_fails=1 fail_timeout=10s;\n    server 10.0.0.12:32771 max_fails=1 fail_timeout=10s;\n    keepalive 256;\n    keepalive_timeout 1s;\n}\n",
    );
    expect(text).toContain("proxy_pass http://tinyforge_stage_production_shop_example_com_19d2737f;");
    expect(text).toContain("proxy_next_upstream error timeout http_502 http_503;");
  });

  it("another host list is another revision, and so is one host behind the balancer or not", () => {
    const one = { ...balanced, upstreams: [balanced.upstreams[0]!] };
    expect(nginxServerBlock(one, "80").revision).not.toBe(nginxServerBlock(balanced, "80").revision);
    const { upstreams: _, health: __, ...single } = one;
    expect(nginxServerBlock(single, "80").revision).not.toBe(nginxServerBlock(one, "80").revision);
  });

  it("reads back a block written before every route had a group (its name without the hash)", () => {
    const text = nginxServerBlock(balanced, "80").text.replaceAll(
      "tinyforge_stage_production_shop_example_com_19d2737f",
      "tinyforge_stage_production_shop_example_com",
    );
    expect(routeFromNginx(route.hostname, text)?.upstreams).toEqual(balanced.upstreams);
  });

  it("reads back the hosts it lists", () => {
    const back = routeFromNginx(route.hostname, nginxServerBlock(balanced, "80").text);
    expect(back?.upstreams).toEqual(balanced.upstreams);
    expect(back?.upstream).toEqual(balanced.upstreams[0]);
    // One host behind the balancer is still a balancer's route, not a route to one container.
    const one = { ...balanced, upstreams: [balanced.upstreams[0]!] };
    expect(routeFromNginx(route.hostname, nginxServerBlock(one, "80").text)?.upstreams).toEqual(
      one.upstreams,
    );
  });
});
