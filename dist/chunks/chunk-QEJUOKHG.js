import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  __commonJS,
  __require
} from "./chunk-IXWQZFUI.js";

// node-streams:readable-stream
var require_readable_stream = __commonJS({
  "node-streams:readable-stream"(exports, module) {
    var Stream = __require("node:stream");
    var { Readable, Writable, Duplex, Transform, PassThrough, finished, pipeline } = Stream;
    module.exports = { Stream, Readable, Writable, Duplex, Transform, PassThrough, finished, pipeline };
  }
});

export {
  require_readable_stream
};
