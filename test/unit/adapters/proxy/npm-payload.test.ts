import { describe, expect, it } from "vitest";
import {
  createBody,
  exactMatches,
  type NpmProxyHost,
  revertBody,
  updateBody,
  writableFields,
} from "../../../../src/adapters/proxy/npm-payload.js";

const route = {
  hostname: "stage-production-shop.example.com",
  upstream: { host: "127.0.0.1", port: 40123 },
  tls: false,
};

function row(fields: Partial<NpmProxyHost> = {}): NpmProxyHost {
  return {
    id: 7,
    created_on: "2026-01-01T00:00:00.000Z",
    modified_on: "2026-01-01T00:00:00.000Z",
    owner_user_id: 1,
    domain_names: ["stage-production-shop.example.com"],
    forward_scheme: "http",
    forward_host: "127.0.0.1",
    forward_port: 40000,
    access_list_id: 3,
    certificate_id: 0,
    ssl_forced: false,
    block_exploits: true,
    advanced_config: "",
    meta: { nginx_online: true, nginx_err: null },
    allow_websocket_upgrade: false,
    enabled: true,
    locations: [],
    owner: { id: 1, email: "admin@example.com" },
    certificate: null,
    access_list: null,
    ...fields,
  };
}

describe("createBody", () => {
  it("holds the required fields and websockets on, nothing else by default", () => {
    expect(createBody(route, {})).toEqual({
      domain_names: ["stage-production-shop.example.com"],
      forward_scheme: "http",
      forward_host: "127.0.0.1",
      forward_port: 40123,
      allow_websocket_upgrade: true,
    });
  });

  it("options the config leaves unset (undefined, as makeProxy passes them) keep the defaults", () => {
    const unset = {
      forwardScheme: undefined,
      certificateId: undefined,
      sslForced: undefined,
      http2Support: undefined,
      blockExploits: undefined,
      allowWebsocketUpgrade: undefined,
    };
    expect(createBody(route, unset)).toEqual(createBody(route, {}));
    expect(updateBody(row({ forward_port: 40123 }), route, unset)).toEqual({});
  });

  it("carries the TLS options the config sets", () => {
    expect(
      createBody(
        { ...route, upstream: { host: "shop-web-production-ab12cd34", port: 8080 }, tls: true },
        {
          forwardScheme: "https",
          certificateId: 4,
          sslForced: true,
          http2Support: true,
          blockExploits: false,
        },
      ),
    ).toEqual({
      domain_names: ["stage-production-shop.example.com"],
      forward_scheme: "https",
      forward_host: "shop-web-production-ab12cd34",
      forward_port: 8080,
      certificate_id: 4,
      ssl_forced: true,
      http2_support: true,
      block_exploits: false,
      allow_websocket_upgrade: true,
    });
  });
});

describe("updateBody", () => {
  it("sends only the managed fields that differ: a new port is {forward_port}", () => {
    expect(updateBody(row(), route, {})).toEqual({ forward_port: 40123 });
  });

  it("is empty when the host already routes there (an upsert applied twice writes nothing)", () => {
    expect(updateBody(row({ forward_port: 40123 }), route, {})).toEqual({});
  });

  it("leaves what a person set in NPM alone unless the config manages it", () => {
    expect(updateBody(row({ forward_port: 40123, block_exploits: true }), route, {})).toEqual({});
    expect(
      updateBody(row({ forward_port: 40123 }), route, { blockExploits: false, certificateId: 4 }),
    ).toEqual({
      block_exploits: false,
      certificate_id: 4,
    });
  });
});

describe("revertBody", () => {
  it("puts back the values the host had for the keys an update changed", () => {
    expect(revertBody(row(), { forward_port: 40123, forward_host: "x" })).toEqual({
      forward_port: 40000,
      forward_host: "127.0.0.1",
    });
  });
});

describe("writableFields", () => {
  it("drops what NPM's schema refuses (additionalProperties: false): id, dates, owner, expansions", () => {
    expect(writableFields(row())).toEqual({
      domain_names: ["stage-production-shop.example.com"],
      forward_scheme: "http",
      forward_host: "127.0.0.1",
      forward_port: 40000,
      access_list_id: 3,
      certificate_id: 0,
      ssl_forced: false,
      block_exploits: true,
      advanced_config: "",
      meta: { nginx_online: true, nginx_err: null },
      allow_websocket_upgrade: false,
      enabled: true,
      locations: [],
    });
  });
});

describe("exactMatches", () => {
  it("keeps only hosts that list the hostname itself, not LIKE '%x%' neighbours", () => {
    const rows = [
      row({ id: 1, domain_names: ["xstage-production-shop.example.com"] }),
      row({ id: 2, domain_names: ["www.example.com", "Stage-Production-Shop.example.com"] }),
      row({ id: 3, domain_names: ["stage-production-shop.example.com.evil.test"] }),
    ];
    expect(exactMatches(rows, route.hostname).map((r) => r.id)).toEqual([2]);
  });
});
