import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  knownHostName,
  require_lib
} from "./chunk-FPYNHSIU.js";
import {
  TinyforgeError,
  errorMessage
} from "./chunk-33CLMXR5.js";
import {
  __toESM
} from "./chunk-IXWQZFUI.js";

// src/adapters/host-key.ts
var import_ssh2 = __toESM(require_lib(), 1);
import { createHash } from "node:crypto";
function fingerprintOf(blob) {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}
function keyTypeOf(blob) {
  const n = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  return blob.subarray(4, 4 + n).toString("latin1");
}
function knownHostsLine(host, port, key) {
  return `${knownHostName(host, port)} ${key.keyType} ${key.key}`;
}
function scanHostKey(host, port, timeoutMs = 1e4) {
  return new Promise((resolve, reject) => {
    const conn = new import_ssh2.default.Client();
    let seen;
    const done = (fn) => {
      clearTimeout(timer);
      conn.removeAllListeners();
      conn.on("error", () => void 0);
      conn.end();
      fn();
    };
    const timer = setTimeout(
      () => done(
        () => reject(
          new TinyforgeError(
            "host_unreachable",
            `${host}:${port}: no SSH host key within ${Math.round(timeoutMs / 1e3)}s`,
            { hint: "check that sshd runs on that port and nothing in between drops the connection" }
          )
        )
      ),
      timeoutMs
    );
    conn.on("error", (e) => {
      if (seen) done(() => resolve(seen));
      else
        done(
          () => reject(
            new TinyforgeError(
              "host_unreachable",
              `${host}:${port}: cannot reach sshd (${errorMessage(e)})`,
              {
                hint: "check the address and port, that sshd runs there, and any firewall",
                cause: e
              }
            )
          )
        );
    });
    conn.on("close", () => {
      if (seen) done(() => resolve(seen));
    });
    conn.connect({
      host,
      port,
      username: "tinyforge-host-key-scan",
      readyTimeout: timeoutMs,
      // Refusing the key ends the handshake here: no authentication is ever attempted.
      hostVerifier: (blob) => {
        seen = { keyType: keyTypeOf(blob), key: blob.toString("base64"), fingerprint: fingerprintOf(blob) };
        return false;
      }
    });
  });
}

export {
  knownHostsLine,
  scanHostKey
};
