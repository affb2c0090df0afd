import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  require_protobufjs
} from "./chunk-CFHCIIJW.js";
import {
  __commonJS,
  __require
} from "./chunk-IXWQZFUI.js";

// node_modules/dockerode/lib/buildkit.js
var require_buildkit = __commonJS({
  "node_modules/dockerode/lib/buildkit.js"(exports, module) {
    var protobuf = require_protobufjs();
    var path = __require("path");
    var BUILDKIT_TRACE_ID = "moby.buildkit.trace";
    var BUILDKIT_IMAGE_ID = "moby.image.id";
    var PROTO_TYPE = "moby.buildkit.v1.StatusResponse";
    var ENCODING_UTF8 = "utf8";
    var ENCODING_BASE64 = "base64";
    var StatusResponse;
    function loadProto() {
      if (StatusResponse) return StatusResponse;
      var root = protobuf.loadSync(
        path.resolve(__dirname, "proto", "buildkit_status.proto")
      );
      StatusResponse = root.lookupType(PROTO_TYPE);
      return StatusResponse;
    }
    function decodeBuildKitStatus(base64Data) {
      var StatusResponse2 = loadProto();
      if (!base64Data || base64Data.length === 0) {
        return {
          vertexes: [],
          statuses: [],
          logs: [],
          warnings: []
        };
      }
      var buffer = Buffer.from(base64Data, ENCODING_BASE64);
      var message = StatusResponse2.decode(buffer);
      return StatusResponse2.toObject(message, {
        longs: String,
        enums: String,
        bytes: String,
        defaults: true
      });
    }
    function formatBuildKitStatus(status) {
      var lines = [];
      if (status.vertexes && status.vertexes.length > 0) {
        status.vertexes.forEach(function(vertex) {
          if (vertex.name && vertex.started && !vertex.completed) {
            lines.push("[" + vertex.digest.substring(0, 12) + "] " + vertex.name);
          }
          if (vertex.error) {
            lines.push("ERROR: " + vertex.error);
          }
          if (vertex.completed && vertex.cached) {
            lines.push("CACHED: " + vertex.name);
          }
        });
      }
      if (status.logs && status.logs.length > 0) {
        status.logs.forEach(function(log) {
          var msg = Buffer.from(log.msg).toString(ENCODING_UTF8);
          if (msg.trim()) {
            lines.push(msg.trimEnd());
          }
        });
      }
      if (status.statuses && status.statuses.length > 0) {
        status.statuses.forEach(function(s) {
          if (s.name && s.total > 0) {
            var percent = Math.floor(s.current / s.total * 100);
            lines.push(s.name + ": " + percent + "% (" + s.current + "/" + s.total + ")");
          }
        });
      }
      if (status.warnings && status.warnings.length > 0) {
        status.warnings.forEach(function(warning) {
          var msg = Buffer.from(warning.short).toString(ENCODING_UTF8);
          lines.push("WARNING: " + msg);
        });
      }
      return lines;
    }
    function parseBuildKitLine(line) {
      try {
        var json = JSON.parse(line);
        if (json.id === BUILDKIT_TRACE_ID && json.aux !== void 0) {
          var status = decodeBuildKitStatus(json.aux);
          var logs = formatBuildKitStatus(status);
          return {
            isBuildKit: true,
            logs,
            raw: status
          };
        }
        if (json.id === BUILDKIT_IMAGE_ID && json.aux && json.aux.ID) {
          return {
            isBuildKit: true,
            logs: ["Built image: " + json.aux.ID],
            raw: json.aux
          };
        }
        return {
          isBuildKit: false,
          logs: [],
          raw: json
        };
      } catch (e) {
        return {
          isBuildKit: false,
          logs: [],
          raw: null,
          error: e.message
        };
      }
    }
    function followProgress(stream, onFinished, onProgress) {
      var buffer = "";
      var output = [];
      var finished = false;
      stream.on("data", onStreamEvent);
      stream.on("error", onStreamError);
      stream.on("end", onStreamEnd);
      stream.on("close", onStreamEnd);
      function onStreamEvent(data) {
        buffer += data.toString();
        var lines = buffer.split("\n");
        buffer = lines.pop();
        lines.forEach(function(line) {
          if (!line.trim()) return;
          processLine(line);
        });
      }
      function processLine(line) {
        try {
          var result = parseBuildKitLine(line);
          if (result.isBuildKit) {
            result.logs.forEach(function(log) {
              var event = { stream: log + "\n" };
              output.push(event);
              if (onProgress) onProgress(event);
            });
          } else if (result.raw) {
            output.push(result.raw);
            if (onProgress) onProgress(result.raw);
          }
        } catch (e) {
          try {
            var json = JSON.parse(line);
            output.push(json);
            if (onProgress) onProgress(json);
          } catch (e2) {
          }
        }
      }
      function onStreamError(err) {
        finished = true;
        stream.removeListener("data", onStreamEvent);
        stream.removeListener("error", onStreamError);
        stream.removeListener("end", onStreamEnd);
        stream.removeListener("close", onStreamEnd);
        if (onFinished) onFinished(err, output);
      }
      function onStreamEnd() {
        if (finished) return;
        finished = true;
        if (buffer.trim()) {
          processLine(buffer);
        }
        stream.removeListener("data", onStreamEvent);
        stream.removeListener("error", onStreamError);
        stream.removeListener("end", onStreamEnd);
        stream.removeListener("close", onStreamEnd);
        if (onFinished) onFinished(null, output);
      }
    }
    module.exports = {
      followProgress
    };
  }
});
export default require_buildkit();
