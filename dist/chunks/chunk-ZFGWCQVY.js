import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  require_src
} from "./chunk-WPXY34SH.js";
import {
  ENV_PLACEHOLDERS,
  STRATEGIES,
  accessoryOf,
  bakeHostsProblem,
  containerBaseName,
  expandImage,
  greenName,
  instanceKey,
  instanceUrl,
  newSuffix,
  own,
  parseMemory,
  routeHostname,
  routeHostnames,
  sanitizeLabel,
  serviceName,
  stageOf,
  storageVolumeName,
  validateName,
  validateRequest,
  validateTag,
  workloadOf
} from "./chunk-MEIW7ZG6.js";
import {
  dropEarlyLogins,
  parseHostTarget,
  sameSecrets,
  targetName,
  timedCall,
  traceToStderr,
  traced
} from "./chunk-F2N6SQFO.js";
import {
  formatDuration
} from "./chunk-6YYFZVAX.js";
import {
  checkHostKey,
  hangUp,
  knownHostName,
  parseKnownHosts,
  require_lib,
  sshLogin
} from "./chunk-FNWFE4L5.js";
import {
  EXIT,
  TinyforgeError,
  causedBy,
  errorMessage,
  isTinyforgeError
} from "./chunk-33CLMXR5.js";
import {
  require_readable_stream
} from "./chunk-QEJUOKHG.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-IXWQZFUI.js";

// node_modules/docker-modem/lib/utils.js
var require_utils = __commonJS({
  "node_modules/docker-modem/lib/utils.js"(exports, module) {
    var arr = [];
    var each = arr.forEach;
    var slice = arr.slice;
    module.exports.extend = function(obj) {
      each.call(slice.call(arguments, 1), function(source) {
        if (source) {
          for (var prop in source) {
            obj[prop] = source[prop];
          }
        }
      });
      return obj;
    };
    module.exports.parseJSON = function(s) {
      try {
        return JSON.parse(s);
      } catch (e) {
        return null;
      }
    };
  }
});

// node_modules/docker-modem/lib/http.js
var require_http = __commonJS({
  "node_modules/docker-modem/lib/http.js"(exports, module) {
    var nativeHttps = __require("https");
    var nativeHttp = __require("http");
    var url = __require("url");
    var utils = require_utils();
    var maxRedirects = module.exports.maxRedirects = 5;
    var protocols = {
      https: nativeHttps,
      http: nativeHttp
    };
    for (protocol in protocols) {
      h = function() {
      };
      h.prototype = protocols[protocol];
      h = new h();
      h.request = /* @__PURE__ */ (function(h2) {
        return function(options, callback, redirectOptions) {
          redirectOptions = redirectOptions || {};
          var max = typeof options === "object" && "maxRedirects" in options ? options.maxRedirects : exports.maxRedirects;
          var redirect = utils.extend({
            count: 0,
            max,
            clientRequest: null,
            userCallback: callback
          }, redirectOptions);
          if (redirect.count > redirect.max) {
            var err = new Error("Max redirects exceeded. To allow more redirects, pass options.maxRedirects property.");
            redirect.clientRequest.emit("error", err);
            return redirect.clientRequest;
          }
          redirect.count++;
          var reqUrl;
          if (typeof options === "string") {
            reqUrl = options;
          } else {
            reqUrl = url.format(utils.extend({
              protocol
            }, options));
          }
          var clientRequest = Object.getPrototypeOf(h2).request(options, redirectCallback(reqUrl, redirect));
          if (!redirect.clientRequest) redirect.clientRequest = clientRequest;
          function redirectCallback(reqUrl2, redirect2) {
            return function(res) {
              if (res.statusCode < 300 || res.statusCode > 399) {
                return redirect2.userCallback(res);
              }
              if (!("location" in res.headers)) {
                return redirect2.userCallback(res);
              }
              var redirectUrl = url.resolve(reqUrl2, res.headers.location);
              var proto = url.parse(redirectUrl).protocol;
              proto = proto.substr(0, proto.length - 1);
              return module.exports[proto].get(redirectUrl, redirectCallback(reqUrl2, redirect2), redirect2);
            };
          }
          return clientRequest;
        };
      })(h);
      h.get = /* @__PURE__ */ (function(h2) {
        return function(options, cb, redirectOptions) {
          var req = h2.request(options, cb, redirectOptions);
          req.end();
          return req;
        };
      })(h);
      module.exports[protocol] = h;
    }
    var h;
    var protocol;
  }
});

// node_modules/docker-modem/lib/ssh.js
var require_ssh = __commonJS({
  "node_modules/docker-modem/lib/ssh.js"(exports, module) {
    var Client = require_lib().Client;
    var http4 = __require("http");
    module.exports = function(opt) {
      var conn = new Client();
      var agent = new http4.Agent();
      agent.createConnection = function(options, fn) {
        try {
          conn.once("ready", function() {
            conn.exec("docker system dial-stdio", function(err, stream) {
              if (err) {
                handleError(err, fn);
              }
              fn(null, stream);
              stream.addListener("error", (err2) => {
                handleError(err2, fn);
              });
              stream.once("close", () => {
                conn.end();
                agent.destroy();
              });
            });
          }).on("error", (err) => {
            handleError(err, fn);
          }).connect(opt);
          conn.once("end", () => agent.destroy());
        } catch (err) {
          handleError(err);
        }
      };
      function handleError(err, cb) {
        conn.end();
        agent.destroy();
        if (cb) {
          cb(err);
        } else {
          throw err;
        }
      }
      return agent;
    };
  }
});

// node_modules/docker-modem/lib/http_duplex.js
var require_http_duplex = __commonJS({
  "node_modules/docker-modem/lib/http_duplex.js"(exports, module) {
    module.exports = HttpDuplex;
    var util = __require("util");
    var stream = require_readable_stream();
    util.inherits(HttpDuplex, stream.Duplex);
    function HttpDuplex(req, res, options) {
      var self2 = this;
      if (!(self2 instanceof HttpDuplex)) return new HttpDuplex(req, res, options);
      stream.Duplex.call(self2, options);
      self2._output = null;
      self2.connect(req, res);
    }
    HttpDuplex.prototype.connect = function(req, res) {
      var self2 = this;
      self2.req = req;
      self2._output = res;
      self2.emit("response", res);
      res.on("data", function(c) {
        if (!self2.push(c)) self2._output.pause();
      });
      res.on("end", function() {
        self2.push(null);
      });
    };
    HttpDuplex.prototype._read = function(n) {
      if (this._output) this._output.resume();
    };
    HttpDuplex.prototype._write = function(chunk, encoding, cb) {
      this.req.write(chunk, encoding);
      cb();
    };
    HttpDuplex.prototype.end = function(chunk, encoding, cb) {
      this._output.socket.destroySoon();
      return this.req.end(chunk, encoding, cb);
    };
    HttpDuplex.prototype.destroy = function() {
      this.req.destroy();
      this._output.socket.destroy();
    };
    HttpDuplex.prototype.destroySoon = function() {
      this.req.destroy();
      this._output.socket.destroy();
    };
  }
});

// node_modules/split-ca/index.js
var require_split_ca = __commonJS({
  "node_modules/split-ca/index.js"(exports, module) {
    var fs = __require("fs");
    module.exports = function(filepath, split2, encoding) {
      split2 = typeof split2 !== "undefined" ? split2 : "\n";
      encoding = typeof encoding !== "undefined" ? encoding : "utf8";
      var ca = [];
      var chain = fs.readFileSync(filepath, encoding);
      if (chain.indexOf("-END CERTIFICATE-") < 0 || chain.indexOf("-BEGIN CERTIFICATE-") < 0) {
        throw Error("File does not contain 'BEGIN CERTIFICATE' or 'END CERTIFICATE'");
      }
      chain = chain.split(split2);
      var cert = [];
      var _i, _len;
      for (_i = 0, _len = chain.length; _i < _len; _i++) {
        var line = chain[_i];
        if (!(line.length !== 0)) {
          continue;
        }
        cert.push(line);
        if (line.match(/-END CERTIFICATE-/)) {
          ca.push(cert.join(split2));
          cert = [];
        }
      }
      return ca;
    };
  }
});

// node_modules/docker-modem/lib/modem.js
var require_modem = __commonJS({
  "node_modules/docker-modem/lib/modem.js"(exports, module) {
    var querystring = __require("querystring");
    var http4 = require_http();
    var fs = __require("fs");
    var path = __require("path");
    var url = __require("url");
    var ssh = require_ssh();
    var HttpDuplex = require_http_duplex();
    var debug = require_src()("modem");
    var utils = require_utils();
    var util = __require("util");
    var splitca = require_split_ca();
    var os = __require("os");
    var isWin = os.type() === "Windows_NT";
    var stream = __require("stream");
    var defaultOpts = function() {
      var host;
      var opts = {};
      if (!process.env.DOCKER_HOST) {
        opts.socketPath = isWin ? "//./pipe/docker_engine" : findDefaultUnixSocket;
      } else if (process.env.DOCKER_HOST.indexOf("unix://") === 0) {
        opts.socketPath = process.env.DOCKER_HOST.substring(7) || findDefaultUnixSocket;
      } else if (process.env.DOCKER_HOST.indexOf("npipe://") === 0) {
        opts.socketPath = process.env.DOCKER_HOST.substring(8) || "//./pipe/docker_engine";
      } else {
        var hostStr = process.env.DOCKER_HOST;
        if (hostStr.indexOf("//") < 0) {
          hostStr = "tcp://" + hostStr;
        }
        try {
          host = new url.URL(hostStr);
        } catch (err) {
          throw new Error("DOCKER_HOST env variable should be something like tcp://localhost:1234");
        }
        opts.port = host.port;
        if (process.env.DOCKER_TLS_VERIFY === "1" || opts.port === "2376") {
          opts.protocol = "https";
        } else if (host.protocol === "ssh:") {
          opts.protocol = "ssh";
          opts.username = host.username;
          opts.sshOptions = {
            agent: process.env.SSH_AUTH_SOCK
          };
        } else {
          opts.protocol = "http";
        }
        if (process.env.DOCKER_PATH_PREFIX) {
          opts.pathPrefix = process.env.DOCKER_PATH_PREFIX;
        } else {
          opts.pathPrefix = "/";
        }
        opts.host = host.hostname;
        if (process.env.DOCKER_CERT_PATH) {
          opts.ca = splitca(path.join(process.env.DOCKER_CERT_PATH, "ca.pem"));
          opts.cert = fs.readFileSync(path.join(process.env.DOCKER_CERT_PATH, "cert.pem"));
          opts.key = fs.readFileSync(path.join(process.env.DOCKER_CERT_PATH, "key.pem"));
        }
        if (process.env.DOCKER_CLIENT_TIMEOUT) {
          opts.timeout = parseInt(process.env.DOCKER_CLIENT_TIMEOUT, 10);
        }
      }
      return opts;
    };
    var findDefaultUnixSocket = function() {
      return new Promise(function(resolve4) {
        var userDockerSocket = path.join(os.homedir(), ".docker", "run", "docker.sock");
        fs.access(userDockerSocket, function(err) {
          if (err) resolve4("/var/run/docker.sock");
          else resolve4(userDockerSocket);
        });
      });
    };
    var Modem = function(options) {
      var optDefaults = defaultOpts();
      var opts = Object.assign({}, optDefaults, options);
      this.host = opts.host;
      if (!this.host) {
        this.socketPath = opts.socketPath;
      }
      this.port = opts.port;
      this.pathPrefix = opts.pathPrefix;
      this.username = opts.username;
      this.password = opts.password;
      this.version = opts.version;
      this.key = opts.key;
      this.cert = opts.cert;
      this.ca = opts.ca;
      this.timeout = opts.timeout;
      this.connectionTimeout = opts.connectionTimeout;
      this.checkServerIdentity = opts.checkServerIdentity;
      this.agent = opts.agent;
      this.headers = opts.headers || {};
      this.sshOptions = Object.assign({}, options ? options.sshOptions : {}, optDefaults.sshOptions);
      if (this.sshOptions.agentForward === void 0) {
        this.sshOptions.agentForward = opts.agentForward;
      }
      if (this.key && this.cert && this.ca) {
        this.protocol = "https";
      }
      this.protocol = opts.protocol || this.protocol || "http";
    };
    Modem.prototype.dial = function(options, callback) {
      var opts, address, data;
      if (options.options) {
        opts = options.options;
      }
      if (opts && opts.authconfig) {
        delete opts.authconfig;
      }
      if (opts && opts.abortSignal) {
        delete opts.abortSignal;
      }
      if (this.version) {
        options.path = "/" + this.version + options.path;
      }
      if (this.host) {
        var parsed = url.parse(this.host);
        address = url.format({
          protocol: parsed.protocol || this.protocol,
          hostname: parsed.hostname || this.host,
          port: this.port,
          pathname: parsed.pathname || this.pathPrefix
        });
        address = url.resolve(address, options.path);
      } else {
        address = options.path;
      }
      if (options.path.indexOf("?") !== -1) {
        if (opts && Object.keys(opts).length > 0) {
          address += this.buildQuerystring(opts._query || opts);
        } else {
          address = address.substring(0, address.length - 1);
        }
      }
      var optionsf = {
        path: address,
        method: options.method,
        headers: options.headers || Object.assign({}, this.headers),
        key: this.key,
        cert: this.cert,
        ca: this.ca
      };
      if (this.checkServerIdentity) {
        optionsf.checkServerIdentity = this.checkServerIdentity;
      }
      if (this.agent) {
        optionsf.agent = this.agent;
      }
      if (options.authconfig) {
        optionsf.headers["X-Registry-Auth"] = options.authconfig.key || options.authconfig.base64 || Buffer.from(JSON.stringify(options.authconfig)).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
      }
      if (options.registryconfig) {
        optionsf.headers["X-Registry-Config"] = options.registryconfig.base64 || Buffer.from(JSON.stringify(options.registryconfig)).toString("base64");
      }
      if (options.abortSignal) {
        optionsf.signal = options.abortSignal;
      }
      if (options.file) {
        if (typeof options.file === "string") {
          data = fs.createReadStream(path.resolve(options.file));
        } else {
          data = options.file;
        }
        optionsf.headers["Content-Type"] = options?.headers?.["Content-Type"] ?? "application/tar";
      } else if (opts && options.method === "POST") {
        data = JSON.stringify(opts._body || opts);
        if (options.allowEmpty) {
          optionsf.headers["Content-Type"] = options?.headers?.["Content-Type"] ?? "application/json";
        } else {
          if (data !== "{}" && data !== '""') {
            optionsf.headers["Content-Type"] = options?.headers?.["Content-Type"] ?? "application/json";
          } else {
            data = void 0;
          }
        }
      }
      if (typeof data === "string") {
        optionsf.headers["Content-Length"] = Buffer.byteLength(data);
      } else if (Buffer.isBuffer(data) === true) {
        optionsf.headers["Content-Length"] = data.length;
      } else if (optionsf.method === "PUT" || options.hijack || options.openStdin) {
        optionsf.headers["Transfer-Encoding"] = "chunked";
      }
      if (options.hijack) {
        optionsf.headers.Connection = "Upgrade";
        optionsf.headers.Upgrade = optionsf.headers.Upgrade ?? "tcp";
      }
      if (this.socketPath) {
        this.getSocketPath().then((socketPath) => {
          optionsf.socketPath = socketPath;
          this.buildRequest(optionsf, options, data, callback);
        });
      } else {
        var urlp = url.parse(address);
        optionsf.hostname = urlp.hostname;
        optionsf.port = urlp.port;
        optionsf.path = urlp.path;
        this.buildRequest(optionsf, options, data, callback);
      }
    };
    Modem.prototype.getSocketPath = function() {
      if (!this.socketPath) return;
      if (this.socketPathCache) return Promise.resolve(this.socketPathCache);
      var socketPathValue = typeof this.socketPath === "function" ? this.socketPath() : this.socketPath;
      this.socketPathCache = socketPathValue;
      return Promise.resolve(socketPathValue);
    };
    Modem.prototype.buildRequest = function(options, context, data, callback) {
      var self2 = this;
      var connectionTimeoutTimer;
      var finished = false;
      var opts = self2.protocol === "ssh" ? Object.assign(options, {
        agent: ssh(Object.assign({}, self2.sshOptions, {
          "host": self2.host,
          "port": self2.port,
          "username": self2.username,
          "password": self2.password
        })),
        protocol: "http:"
      }) : options;
      var req = null;
      try {
        req = http4[self2.protocol === "ssh" ? "http" : self2.protocol].request(opts, function() {
        });
      } catch (e) {
        callback(e);
        return;
      }
      debug("Sending: %s", util.inspect(options, {
        showHidden: true,
        depth: null
      }));
      if (self2.connectionTimeout) {
        connectionTimeoutTimer = setTimeout(function() {
          debug("Connection Timeout of %s ms exceeded", self2.connectionTimeout);
          req.destroy();
        }, self2.connectionTimeout);
      }
      if (self2.timeout) {
        req.setTimeout(self2.timeout);
        req.on("timeout", function() {
          debug("Timeout of %s ms exceeded", self2.timeout);
          req.destroy();
        });
      }
      if (context.hijack === true) {
        clearTimeout(connectionTimeoutTimer);
        req.on("upgrade", function(res, sock, head) {
          if (finished === false) {
            finished = true;
            if (head.length > 0) {
              sock.unshift(head);
            }
            return callback(null, sock);
          }
        });
      }
      req.on("connect", function() {
        clearTimeout(connectionTimeoutTimer);
      });
      req.on("disconnect", function() {
        clearTimeout(connectionTimeoutTimer);
      });
      req.on("response", function(res) {
        clearTimeout(connectionTimeoutTimer);
        if (context.isStream === true) {
          if (finished === false) {
            finished = true;
            self2.buildPayload(null, context.isStream, context.statusCodes, context.openStdin, req, res, null, callback);
          }
        } else {
          if (options.signal != null) {
            stream.addAbortSignal(options.signal, res);
          }
          var chunks2 = [];
          res.on("data", function(chunk) {
            chunks2.push(chunk);
          });
          res.on("end", function() {
            var buffer = Buffer.concat(chunks2);
            var result2 = buffer.toString();
            debug("Received: %s", result2);
            var json = utils.parseJSON(result2) || buffer;
            if (finished === false) {
              finished = true;
              self2.buildPayload(null, context.isStream, context.statusCodes, false, req, res, json, callback);
            }
          });
        }
      });
      req.on("error", function(error) {
        clearTimeout(connectionTimeoutTimer);
        if (finished === false) {
          finished = true;
          self2.buildPayload(error, context.isStream, context.statusCodes, false, {}, {}, null, callback);
        }
      });
      if (typeof data === "string" || Buffer.isBuffer(data)) {
        req.write(data);
      } else if (data) {
        data.on("error", function(error) {
          req.destroy(error);
        });
        data.pipe(req);
      }
      if (!context.openStdin && (typeof data === "string" || data === void 0 || Buffer.isBuffer(data))) {
        req.end();
      }
    };
    Modem.prototype.buildPayload = function(err, isStream, statusCodes, openStdin, req, res, json, cb) {
      if (err) return cb(err, null);
      if (statusCodes[res.statusCode] !== true) {
        getCause(isStream, res, json, function(err2, cause) {
          if (err2) {
            return cb(err2, null);
          }
          var msg = new Error(
            "(HTTP code " + res.statusCode + ") " + (statusCodes[res.statusCode] || "unexpected") + " - " + (cause.message || cause.error || cause) + " "
          );
          msg.reason = statusCodes[res.statusCode];
          msg.statusCode = res.statusCode;
          msg.json = json;
          cb(msg, null);
        });
      } else {
        if (openStdin) {
          cb(null, new HttpDuplex(req, res));
        } else if (isStream) {
          cb(null, res);
        } else {
          cb(null, json);
        }
      }
      function getCause(isStream2, res2, json2, callback) {
        var chunks2 = "";
        var done = false;
        if (isStream2) {
          res2.on("data", function(chunk) {
            chunks2 += chunk;
          });
          res2.on("error", function(err2) {
            handler(err2, null);
          });
          res2.on("end", function() {
            handler(null, utils.parseJSON(chunks2) || chunks2);
          });
        } else {
          callback(null, json2);
        }
        function handler(err2, data) {
          if (done === false) {
            if (err2) {
              callback(err2);
            } else {
              callback(null, data);
            }
          }
          done = true;
        }
      }
    };
    Modem.prototype.demuxStream = function(streama, stdout, stderr) {
      var pendingStreamType = null;
      var pendingDataLength = null;
      var buffer = Buffer.from("");
      function processData(data) {
        if (data) {
          buffer = Buffer.concat([buffer, data]);
        }
        if (pendingStreamType === null) {
          if (buffer.length >= 8) {
            var header = bufferSlice(8);
            var streamType = header.readUInt8(0);
            var dataLength = header.readUInt32BE(4);
            if (streamType !== 0 && streamType !== 1 && streamType !== 2) {
              var remaining = Buffer.concat([header, buffer]);
              stdout.write(remaining);
              buffer = Buffer.from("");
              pendingStreamType = null;
              pendingDataLength = null;
              streama.removeListener("data", processData);
              streama.on("data", function(chunk) {
                stdout.write(chunk);
              });
              return;
            }
            pendingStreamType = streamType;
            pendingDataLength = dataLength;
            processData();
          }
        } else {
          if (buffer.length >= pendingDataLength) {
            var content = bufferSlice(pendingDataLength);
            if (pendingStreamType === 1) {
              stdout.write(content);
            } else {
              stderr.write(content);
            }
            pendingStreamType = null;
            pendingDataLength = null;
            processData();
          }
        }
      }
      function bufferSlice(end) {
        var out = buffer.subarray(0, end);
        buffer = Buffer.from(buffer.subarray(end, buffer.length));
        return out;
      }
      streama.on("data", processData);
    };
    Modem.prototype.followProgress = function(streama, onFinished, onProgress) {
      var buf = "";
      var output = [];
      var finished = false;
      streama.on("data", onStreamEvent);
      streama.on("error", onStreamError);
      streama.on("end", onStreamEnd);
      streama.on("close", onStreamEnd);
      function onStreamEvent(data) {
        buf += data.toString();
        pump2();
        function pump2() {
          var pos;
          while ((pos = buf.indexOf("\n")) >= 0) {
            if (pos == 0) {
              buf = buf.slice(1);
              continue;
            }
            processLine(buf.slice(0, pos));
            buf = buf.slice(pos + 1);
          }
        }
        function processLine(line) {
          if (line[line.length - 1] == "\r") line = line.substr(0, line.length - 1);
          if (line.length > 0) {
            var obj = JSON.parse(line);
            output.push(obj);
            if (onProgress) {
              onProgress(obj);
            }
          }
        }
      }
      ;
      function onStreamError(err) {
        finished = true;
        streama.removeListener("data", onStreamEvent);
        streama.removeListener("error", onStreamError);
        streama.removeListener("end", onStreamEnd);
        streama.removeListener("close", onStreamEnd);
        onFinished(err, output);
      }
      function onStreamEnd() {
        if (!finished) onFinished(null, output);
        finished = true;
      }
    };
    Modem.prototype.buildQuerystring = function(opts) {
      var clone = {};
      Object.keys(opts).map(function(key, i) {
        if (opts[key] && typeof opts[key] === "object" && !Array.isArray(opts[key])) {
          clone[key] = JSON.stringify(opts[key]);
        } else {
          clone[key] = opts[key];
        }
      });
      return querystring.stringify(clone);
    };
    module.exports = Modem;
  }
});

// node_modules/@balena/dockerignore/ignore.js
var require_ignore = __commonJS({
  "node_modules/@balena/dockerignore/ignore.js"(exports, module) {
    "use strict";
    var path = __require("path");
    var factory = (options) => new IgnoreBase(options);
    factory.default = factory;
    module.exports = factory;
    function make_array(subject) {
      return Array.isArray(subject) ? subject : [subject];
    }
    var REGEX_TRAILING_SLASH = /(?<=.)\/$/;
    var REGEX_TRAILING_BACKSLASH = /(?<=.)\\$/;
    var REGEX_TRAILING_PATH_SEP = path.sep === "\\" ? REGEX_TRAILING_BACKSLASH : REGEX_TRAILING_SLASH;
    var KEY_IGNORE = typeof Symbol !== "undefined" ? /* @__PURE__ */ Symbol.for("dockerignore") : "dockerignore";
    function cleanPath(file) {
      return path.normalize(file).replace(REGEX_TRAILING_PATH_SEP, "");
    }
    function toSlash(file) {
      if (path.sep === "/") {
        return file;
      }
      return file.replace(/\\/g, "/");
    }
    function fromSlash(file) {
      if (path.sep === "/") {
        return file;
      }
      return file.replace(/\//g, path.sep);
    }
    var IgnoreBase = class {
      constructor({
        // https://github.com/kaelzhang/node-ignore/blob/5.1.4/index.js#L372
        ignorecase = true
      } = {}) {
        this._rules = [];
        this._ignorecase = ignorecase;
        this[KEY_IGNORE] = true;
        this._initCache();
      }
      _initCache() {
        this._cache = {};
      }
      // @param {Array.<string>|string|Ignore} pattern
      add(pattern) {
        this._added = false;
        if (typeof pattern === "string") {
          pattern = pattern.split(/\r?\n/g);
        }
        make_array(pattern).forEach(this._addPattern, this);
        if (this._added) {
          this._initCache();
        }
        return this;
      }
      // legacy
      addPattern(pattern) {
        return this.add(pattern);
      }
      _addPattern(pattern) {
        if (pattern && pattern[KEY_IGNORE]) {
          this._rules = this._rules.concat(pattern._rules);
          this._added = true;
          return;
        }
        if (this._checkPattern(pattern)) {
          const rule = this._createRule(pattern.trim());
          if (rule !== null) {
            this._added = true;
            this._rules.push(rule);
          }
        }
      }
      _checkPattern(pattern) {
        return pattern && typeof pattern === "string" && pattern.indexOf("#") !== 0 && pattern.trim() !== "";
      }
      filter(paths) {
        return make_array(paths).filter((path2) => this._filter(path2));
      }
      createFilter() {
        return (path2) => this._filter(path2);
      }
      ignores(path2) {
        return !this._filter(path2);
      }
      // https://github.com/moby/moby/blob/v19.03.8/builder/dockerignore/dockerignore.go#L41-L53
      // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L29-L55
      _createRule(pattern) {
        const origin = pattern;
        let negative = false;
        if (pattern[0] === "!") {
          negative = true;
          pattern = pattern.substring(1).trim();
        }
        if (pattern.length > 0) {
          pattern = cleanPath(pattern);
          pattern = toSlash(pattern);
          if (pattern.length > 1 && pattern[0] === "/") {
            pattern = pattern.slice(1);
          }
        }
        if (negative) {
          pattern = "!" + pattern;
        }
        pattern = pattern.trim();
        if (pattern === "") {
          return null;
        }
        pattern = cleanPath(pattern);
        if (pattern[0] === "!") {
          if (pattern.length === 1) {
            return null;
          }
          negative = true;
          pattern = pattern.substring(1);
        } else {
          negative = false;
        }
        return {
          origin,
          pattern,
          // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L54
          dirs: pattern.split(path.sep),
          negative
        };
      }
      // @returns `Boolean` true if the `path` is NOT ignored
      _filter(path2) {
        if (!path2) {
          return false;
        }
        if (path2 in this._cache) {
          return this._cache[path2];
        }
        return this._cache[path2] = this._test(path2);
      }
      // @returns {Boolean} true if a file is NOT ignored
      // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L62
      _test(file) {
        file = fromSlash(file);
        const parentPath = cleanPath(path.dirname(file));
        const parentPathDirs = parentPath.split(path.sep);
        let matched = false;
        this._rules.forEach((rule) => {
          let match = this._match(file, rule);
          if (!match && parentPath !== ".") {
            if (rule.dirs.includes("**")) {
              for (let i = rule.dirs.filter((x) => x !== "**").length; i <= parentPathDirs.length; i++) {
                match = match || this._match(parentPathDirs.slice(0, i).join(path.sep), rule);
              }
            } else if (rule.dirs.length <= parentPathDirs.length) {
              match = this._match(parentPathDirs.slice(0, rule.dirs.length).join(path.sep), rule);
            }
          }
          if (match) {
            matched = !rule.negative;
          }
        });
        return !matched;
      }
      // @returns {Boolean} true if a file is matched by a rule
      _match(file, rule) {
        return this._compile(rule).regexp.test(file);
      }
      // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L139
      _compile(rule) {
        if (rule.regexp) {
          return rule;
        }
        let regStr = "^";
        let escapedSlash = path.sep === "\\" ? "\\\\" : path.sep;
        for (let i = 0; i < rule.pattern.length; i++) {
          const ch = rule.pattern[i];
          if (ch === "*") {
            if (rule.pattern[i + 1] === "*") {
              i++;
              if (rule.pattern[i + 1] === path.sep) {
                i++;
              }
              if (rule.pattern[i + 1] === void 0) {
                regStr += ".*";
              } else {
                regStr += `(.*${escapedSlash})?`;
              }
            } else {
              regStr += `[^${escapedSlash}]*`;
            }
          } else if (ch === "?") {
            regStr += `[^${escapedSlash}]`;
          } else if (ch === "." || ch === "$") {
            regStr += `\\${ch}`;
          } else if (ch === "\\") {
            if (path.sep === "\\") {
              regStr += escapedSlash;
              continue;
            }
            if (rule.pattern[i + 1] !== void 0) {
              regStr += "\\" + rule.pattern[i + 1];
              i++;
            } else {
              regStr += "\\";
            }
          } else {
            regStr += ch;
          }
        }
        regStr += "$";
        rule.regexp = new RegExp(regStr, this._ignorecase ? "i" : "");
        return rule;
      }
    };
  }
});

// lazy:node_modules/dockerode/node_modules/tar-fs/index.js
var require_tar_fs = __commonJS({
  "lazy:node_modules/dockerode/node_modules/tar-fs/index.js"(exports) {
    exports.pack = function(...args) {
      const out = new (__require("node:stream")).PassThrough();
      import("./tar-fs-LIWGSTUX.js").then((m) => m.default || m).then((m) => m.pack(...args)).then((s) => s.on("error", (e) => out.destroy(e)).pipe(out), (e) => out.destroy(e));
      return out;
    };
  }
});

// node_modules/dockerode/lib/util.js
var require_util = __commonJS({
  "node_modules/dockerode/lib/util.js"(exports, module) {
    var DockerIgnore = require_ignore();
    var fs = __require("fs");
    var path = __require("path");
    var tar = require_tar_fs();
    var zlib = __require("zlib");
    var arr = [];
    var each = arr.forEach;
    var slice = arr.slice;
    module.exports.extend = function(obj) {
      each.call(slice.call(arguments, 1), function(source) {
        if (source) {
          for (var prop in source) {
            obj[prop] = source[prop];
          }
        }
      });
      return obj;
    };
    module.exports.processArgs = function(opts, callback, defaultOpts) {
      if (!callback && typeof opts === "function") {
        callback = opts;
        opts = null;
      }
      return {
        callback,
        opts: module.exports.extend({}, defaultOpts, opts)
      };
    };
    module.exports.parseRepositoryTag = function(input) {
      var separatorPos;
      var digestPos = input.indexOf("@");
      var colonPos = input.lastIndexOf(":");
      if (digestPos >= 0) {
        separatorPos = digestPos;
      } else if (colonPos >= 0) {
        separatorPos = colonPos;
      } else {
        return {
          repository: input
        };
      }
      var tag = input.slice(separatorPos + 1);
      if (tag.indexOf("/") === -1) {
        return {
          repository: input.slice(0, separatorPos),
          tag
        };
      }
      return {
        repository: input
      };
    };
    module.exports.prepareBuildContext = function(file, next) {
      if (file && file.context) {
        fs.readFile(path.join(file.context, ".dockerignore"), (err, data) => {
          let ignoreFn;
          let filterFn;
          if (!err) {
            const dockerIgnore = DockerIgnore({ ignorecase: false }).add(data.toString());
            filterFn = dockerIgnore.createFilter();
            ignoreFn = (path2) => {
              return !filterFn(path2);
            };
          }
          const entries = file.src.slice() || [];
          const pack = tar.pack(file.context, {
            entries: filterFn ? entries.filter(filterFn) : entries,
            ignore: ignoreFn
            // Only works on directories
          });
          next(pack.pipe(zlib.createGzip()));
        });
      } else {
        next(file);
      }
    };
  }
});

// node_modules/dockerode/lib/exec.js
var require_exec = __commonJS({
  "node_modules/dockerode/lib/exec.js"(exports, module) {
    var util = require_util();
    var Exec = function(modem, id) {
      this.modem = modem;
      this.id = id;
    };
    Exec.prototype[__require("util").inspect.custom] = function() {
      return this;
    };
    Exec.prototype.start = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/exec/" + this.id + "/start",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        isStream: true,
        allowEmpty: true,
        hijack: args.opts.hijack,
        openStdin: args.opts.stdin,
        statusCodes: {
          200: true,
          204: true,
          404: "no such exec",
          409: "container stopped/paused",
          500: "container not running"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          if (err) return args.callback(err, data);
          args.callback(err, data);
        });
      }
    };
    Exec.prototype.resize = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/exec/" + this.id + "/resize?",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "no such exec",
          500: "container not running"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          if (err) return args.callback(err, data);
          args.callback(err, data);
        });
      }
    };
    Exec.prototype.inspect = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/exec/" + this.id + "/json",
        method: "GET",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "no such exec",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          if (err) return args.callback(err, data);
          args.callback(err, data);
        });
      }
    };
    module.exports = Exec;
  }
});

// node_modules/dockerode/lib/container.js
var require_container = __commonJS({
  "node_modules/dockerode/lib/container.js"(exports, module) {
    var extend = require_util().extend;
    var Exec = require_exec();
    var util = require_util();
    var Container = function(modem, id) {
      this.modem = modem;
      this.id = id;
      this.defaultOptions = {
        top: {},
        start: {},
        commit: {},
        stop: {},
        pause: {},
        unpause: {},
        restart: {},
        resize: {},
        attach: {},
        remove: {},
        copy: {},
        kill: {},
        exec: {},
        rename: {},
        log: {},
        stats: {},
        getArchive: {},
        infoArchive: {},
        putArchive: {},
        update: {},
        wait: {}
      };
    };
    Container.prototype[__require("util").inspect.custom] = function() {
      return this;
    };
    Container.prototype.inspect = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/containers/" + this.id + "/json?",
        method: "GET",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "no such container",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.rename = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.rename);
      var optsf = {
        path: "/containers/" + this.id + "/rename?",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          204: true,
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.update = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.update);
      var optsf = {
        path: "/containers/" + this.id + "/update",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          204: true,
          400: "bad parameter",
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.top = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.top);
      var optsf = {
        path: "/containers/" + this.id + "/top?",
        method: "GET",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.changes = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/containers/" + this.id + "/changes",
        method: "GET",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "no such container",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.listCheckpoint = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/containers/" + this.id + "/checkpoints?",
        method: "GET",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.deleteCheckpoint = function(checkpoint, opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/containers/" + this.id + "/checkpoints/" + checkpoint + "?",
        method: "DELETE",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          204: true,
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.createCheckpoint = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/containers/" + this.id + "/checkpoints",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        allowEmpty: true,
        statusCodes: {
          200: true,
          //unofficial, but proxies may return it
          201: true,
          204: true,
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.export = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/containers/" + this.id + "/export",
        method: "GET",
        abortSignal: args.opts.abortSignal,
        isStream: true,
        statusCodes: {
          200: true,
          404: "no such container",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.start = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.start);
      var optsf = {
        path: "/containers/" + this.id + "/start?",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          204: true,
          304: "container already started",
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.pause = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.pause);
      var optsf = {
        path: "/containers/" + this.id + "/pause",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          204: true,
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.unpause = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.unpause);
      var optsf = {
        path: "/containers/" + this.id + "/unpause",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          204: true,
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.exec = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.exec);
      var optsf = {
        path: "/containers/" + this.id + "/exec",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          201: true,
          404: "no such container",
          409: "container stopped/paused",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(new Exec(self2.modem, data.Id));
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          if (err) return args.callback(err, data);
          args.callback(err, new Exec(self2.modem, data.Id));
        });
      }
    };
    Container.prototype.commit = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.commit);
      args.opts.container = this.id;
      var optsf = {
        path: "/commit?",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          201: true,
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.stop = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.stop);
      var optsf = {
        path: "/containers/" + this.id + "/stop?",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          204: true,
          304: "container already stopped",
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.restart = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.restart);
      var optsf = {
        path: "/containers/" + this.id + "/restart?",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          204: true,
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.kill = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.kill);
      var optsf = {
        path: "/containers/" + this.id + "/kill?",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          204: true,
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.resize = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.resize);
      var optsf = {
        path: "/containers/" + this.id + "/resize?",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          400: "bad parameter",
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.attach = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.attach);
      var optsf = {
        path: "/containers/" + this.id + "/attach?",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        isStream: true,
        hijack: args.opts.hijack,
        openStdin: args.opts.stdin,
        statusCodes: {
          200: true,
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, stream) {
            if (err) {
              return reject(err);
            }
            resolve4(stream);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, stream) {
          args.callback(err, stream);
        });
      }
    };
    Container.prototype.wait = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.wait);
      var optsf = {
        path: "/containers/" + this.id + "/wait?",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          400: "bad parameter",
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.remove = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.remove);
      var optsf = {
        path: "/containers/" + this.id + "?",
        method: "DELETE",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          204: true,
          400: "bad parameter",
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.copy = function(opts, callback) {
      var self2 = this;
      console.log("container.copy is deprecated since Docker v1.8.x");
      var args = util.processArgs(opts, callback, this.defaultOptions.copy);
      var optsf = {
        path: "/containers/" + this.id + "/copy",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        isStream: true,
        statusCodes: {
          200: true,
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.getArchive = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.getArchive);
      var optsf = {
        path: "/containers/" + this.id + "/archive?",
        method: "GET",
        abortSignal: args.opts.abortSignal,
        isStream: true,
        statusCodes: {
          200: true,
          400: "client error, bad parameters",
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.infoArchive = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.infoArchive);
      var optsf = {
        path: "/containers/" + this.id + "/archive?",
        method: "HEAD",
        abortSignal: args.opts.abortSignal,
        isStream: true,
        statusCodes: {
          200: true,
          400: "client error, bad parameters",
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.putArchive = function(file, opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.putArchive);
      var optsf = {
        path: "/containers/" + this.id + "/archive?",
        method: "PUT",
        file,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          400: "client error, bad parameters",
          403: "client error, permission denied",
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.logs = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.log);
      var optsf = {
        path: "/containers/" + this.id + "/logs?",
        method: "GET",
        abortSignal: args.opts.abortSignal,
        isStream: args.opts.follow || false,
        statusCodes: {
          200: true,
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Container.prototype.stats = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.stats);
      var isStream = true;
      if (args.opts.stream === false) {
        isStream = false;
      }
      var optsf = {
        path: "/containers/" + this.id + "/stats?",
        method: "GET",
        abortSignal: args.opts.abortSignal,
        isStream,
        statusCodes: {
          200: true,
          404: "no such container",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    module.exports = Container;
  }
});

// node_modules/dockerode/lib/image.js
var require_image = __commonJS({
  "node_modules/dockerode/lib/image.js"(exports, module) {
    var util = require_util();
    var Image = function(modem, name) {
      this.modem = modem;
      this.name = name;
    };
    Image.prototype[__require("util").inspect.custom] = function() {
      return this;
    };
    Image.prototype.inspect = function(opts, callback) {
      var args = util.processArgs(opts, callback);
      var self2 = this;
      var opts = {
        path: "/images/" + this.name + "/json",
        method: "GET",
        options: args.opts,
        statusCodes: {
          200: true,
          404: "no such image",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(opts, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(opts, function(err, data) {
          if (err) return args.callback(err, data);
          args.callback(err, data);
        });
      }
    };
    Image.prototype.distribution = function(opts, callback) {
      var args = util.processArgs(opts, callback);
      var self2 = this;
      var fopts = {
        path: "/distribution/" + this.name + "/json",
        method: "GET",
        statusCodes: {
          200: true,
          401: "no such image",
          500: "server error"
        },
        authconfig: args.opts ? args.opts.authconfig : void 0
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(fopts, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(fopts, function(err, data) {
          if (err) return args.callback(err, data);
          args.callback(err, data);
        });
      }
    };
    Image.prototype.history = function(callback) {
      var self2 = this;
      var opts = {
        path: "/images/" + this.name + "/history",
        method: "GET",
        statusCodes: {
          200: true,
          404: "no such image",
          500: "server error"
        }
      };
      if (callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(opts, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(opts, function(err, data) {
          if (err) return callback(err, data);
          callback(err, data);
        });
      }
    };
    Image.prototype.get = function(callback) {
      var self2 = this;
      var opts = {
        path: "/images/" + this.name + "/get",
        method: "GET",
        isStream: true,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(opts, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(opts, function(err, data) {
          if (err) return callback(err, data);
          callback(err, data);
        });
      }
    };
    Image.prototype.push = function(opts, callback, auth) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var isStream = true;
      if (args.opts.stream === false) {
        isStream = false;
      }
      var optsf = {
        path: "/images/" + this.name + "/push?",
        method: "POST",
        options: args.opts,
        authconfig: args.opts.authconfig || auth,
        abortSignal: args.opts.abortSignal,
        isStream,
        statusCodes: {
          200: true,
          404: "no such image",
          500: "server error"
        }
      };
      delete optsf.options.authconfig;
      if (callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          callback(err, data);
        });
      }
    };
    Image.prototype.tag = function(opts, callback) {
      var self2 = this;
      var optsf = {
        path: "/images/" + this.name + "/tag?",
        method: "POST",
        options: opts,
        abortSignal: opts && opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          201: true,
          400: "bad parameter",
          404: "no such image",
          409: "conflict",
          500: "server error"
        }
      };
      if (callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          callback(err, data);
        });
      }
    };
    Image.prototype.remove = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/images/" + this.name + "?",
        method: "DELETE",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "no such image",
          409: "conflict",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    module.exports = Image;
  }
});

// node_modules/dockerode/lib/volume.js
var require_volume = __commonJS({
  "node_modules/dockerode/lib/volume.js"(exports, module) {
    var util = require_util();
    var Volume = function(modem, name) {
      this.modem = modem;
      this.name = name;
    };
    Volume.prototype[__require("util").inspect.custom] = function() {
      return this;
    };
    Volume.prototype.inspect = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/volumes/" + this.name,
        method: "GET",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "no such volume",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Volume.prototype.remove = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/volumes/" + this.name,
        method: "DELETE",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          204: true,
          404: "no such volume",
          409: "conflict",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    module.exports = Volume;
  }
});

// node_modules/dockerode/lib/network.js
var require_network = __commonJS({
  "node_modules/dockerode/lib/network.js"(exports, module) {
    var util = require_util();
    var Network = function(modem, id) {
      this.modem = modem;
      this.id = id;
    };
    Network.prototype[__require("util").inspect.custom] = function() {
      return this;
    };
    Network.prototype.inspect = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var opts = {
        path: "/networks/" + this.id + "?",
        method: "GET",
        statusCodes: {
          200: true,
          404: "no such network",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(opts, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(opts, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Network.prototype.remove = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/networks/" + this.id,
        method: "DELETE",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          204: true,
          404: "no such network",
          409: "conflict",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Network.prototype.connect = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/networks/" + this.id + "/connect",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          201: true,
          404: "network or container is not found",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Network.prototype.disconnect = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/networks/" + this.id + "/disconnect",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          201: true,
          404: "network or container is not found",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    module.exports = Network;
  }
});

// node_modules/dockerode/lib/service.js
var require_service = __commonJS({
  "node_modules/dockerode/lib/service.js"(exports, module) {
    var util = require_util();
    var Service = function(modem, id) {
      this.modem = modem;
      this.id = id;
    };
    Service.prototype[__require("util").inspect.custom] = function() {
      return this;
    };
    Service.prototype.inspect = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/services/" + this.id,
        method: "GET",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "no such service",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Service.prototype.remove = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/services/" + this.id,
        method: "DELETE",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          204: true,
          404: "no such service",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Service.prototype.update = function(auth, opts, callback) {
      var self2 = this;
      if (!callback) {
        var t = typeof opts;
        if (t === "function") {
          callback = opts;
          opts = auth;
          auth = opts.authconfig || void 0;
        } else if (t === "undefined") {
          opts = auth;
          auth = opts.authconfig || void 0;
        }
      }
      var optsf = {
        path: "/services/" + this.id + "/update?",
        method: "POST",
        abortSignal: opts && opts.abortSignal,
        statusCodes: {
          200: true,
          404: "no such service",
          500: "server error"
        },
        authconfig: auth,
        options: opts
      };
      if (callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          callback(err, data);
        });
      }
    };
    Service.prototype.logs = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, {});
      var optsf = {
        path: "/services/" + this.id + "/logs?",
        method: "GET",
        abortSignal: args.opts.abortSignal,
        isStream: args.opts.follow || false,
        statusCodes: {
          200: true,
          404: "no such service",
          500: "server error",
          503: "node is not part of a swarm"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    module.exports = Service;
  }
});

// node_modules/dockerode/lib/plugin.js
var require_plugin = __commonJS({
  "node_modules/dockerode/lib/plugin.js"(exports, module) {
    var util = require_util();
    var Plugin = function(modem, name, remote) {
      this.modem = modem;
      this.name = name;
      this.remote = remote || name;
    };
    Plugin.prototype[__require("util").inspect.custom] = function() {
      return this;
    };
    Plugin.prototype.inspect = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/plugins/" + this.name + "/json",
        method: "GET",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "plugin is not installed",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Plugin.prototype.remove = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/plugins/" + this.name + "?",
        method: "DELETE",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "plugin is not installed",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          if (err) return args.callback(err, data);
          args.callback(err, data);
        });
      }
    };
    Plugin.prototype.privileges = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/plugins/privileges?",
        method: "GET",
        options: {
          "remote": this.remote
        },
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Plugin.prototype.pull = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      if (args.opts._query && !args.opts._query.name) {
        args.opts._query.name = this.name;
      }
      if (args.opts._query && !args.opts._query.remote) {
        args.opts._query.remote = this.remote;
      }
      var optsf = {
        path: "/plugins/pull?",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        isStream: true,
        options: args.opts,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          204: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Plugin.prototype.enable = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/plugins/" + this.name + "/enable?",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Plugin.prototype.disable = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/plugins/" + this.name + "/disable",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Plugin.prototype.push = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/plugins/" + this.name + "/push",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "plugin not installed",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Plugin.prototype.configure = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/plugins/" + this.name + "/set",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          204: true,
          404: "plugin not installed",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Plugin.prototype.upgrade = function(auth, opts, callback) {
      var self2 = this;
      if (!callback && typeof opts === "function") {
        callback = opts;
        opts = auth;
        auth = opts.authconfig || void 0;
      }
      var optsf = {
        path: "/plugins/" + this.name + "/upgrade?",
        method: "POST",
        abortSignal: opts && opts.abortSignal,
        statusCodes: {
          200: true,
          204: true,
          404: "plugin not installed",
          500: "server error"
        },
        authconfig: auth,
        options: opts
      };
      if (callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          callback(err, data);
        });
      }
    };
    module.exports = Plugin;
  }
});

// node_modules/dockerode/lib/secret.js
var require_secret = __commonJS({
  "node_modules/dockerode/lib/secret.js"(exports, module) {
    var util = require_util();
    var Secret = function(modem, id) {
      this.modem = modem;
      this.id = id;
    };
    Secret.prototype[__require("util").inspect.custom] = function() {
      return this;
    };
    Secret.prototype.inspect = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/secrets/" + this.id,
        method: "GET",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "secret not found",
          406: "node is not part of a swarm",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Secret.prototype.update = function(opts, callback) {
      var self2 = this;
      if (!callback && typeof opts === "function") {
        callback = opts;
      }
      var optsf = {
        path: "/secrets/" + this.id + "/update?",
        method: "POST",
        abortSignal: opts && opts.abortSignal,
        statusCodes: {
          200: true,
          404: "secret not found",
          500: "server error"
        },
        options: opts
      };
      if (callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          callback(err, data);
        });
      }
    };
    Secret.prototype.remove = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/secrets/" + this.id,
        method: "DELETE",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          204: true,
          404: "secret not found",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    module.exports = Secret;
  }
});

// node_modules/dockerode/lib/config.js
var require_config = __commonJS({
  "node_modules/dockerode/lib/config.js"(exports, module) {
    var util = require_util();
    var Config = function(modem, id) {
      this.modem = modem;
      this.id = id;
    };
    Config.prototype[__require("util").inspect.custom] = function() {
      return this;
    };
    Config.prototype.inspect = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/configs/" + this.id,
        method: "GET",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "config not found",
          500: "server error",
          503: "node is not part of a swarm"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Config.prototype.update = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/configs/" + this.id + "/update?",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "config not found",
          500: "server error",
          503: "node is not part of a swarm"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Config.prototype.remove = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/configs/" + this.id,
        method: "DELETE",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          204: true,
          404: "config not found",
          500: "server error",
          503: "node is not part of a swarm"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    module.exports = Config;
  }
});

// node_modules/dockerode/lib/task.js
var require_task = __commonJS({
  "node_modules/dockerode/lib/task.js"(exports, module) {
    var util = require_util();
    var Task = function(modem, id) {
      this.modem = modem;
      this.id = id;
      this.defaultOptions = {
        log: {}
      };
    };
    Task.prototype[__require("util").inspect.custom] = function() {
      return this;
    };
    Task.prototype.inspect = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/tasks/" + this.id,
        method: "GET",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "unknown task",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Task.prototype.logs = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback, this.defaultOptions.log);
      var optsf = {
        path: "/tasks/" + this.id + "/logs?",
        method: "GET",
        abortSignal: args.opts.abortSignal,
        isStream: args.opts.follow || false,
        statusCodes: {
          101: true,
          200: true,
          404: "no such container",
          500: "server error",
          503: "node is not part of a swarm"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    module.exports = Task;
  }
});

// node_modules/dockerode/lib/node.js
var require_node = __commonJS({
  "node_modules/dockerode/lib/node.js"(exports, module) {
    var util = require_util();
    var Node = function(modem, id) {
      this.modem = modem;
      this.id = id;
    };
    Node.prototype[__require("util").inspect.custom] = function() {
      return this;
    };
    Node.prototype.inspect = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/nodes/" + this.id,
        method: "GET",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "no such node",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Node.prototype.update = function(opts, callback) {
      var self2 = this;
      if (!callback && typeof opts === "function") {
        callback = opts;
      }
      var optsf = {
        path: "/nodes/" + this.id + "/update?",
        method: "POST",
        abortSignal: opts && opts.abortSignal,
        statusCodes: {
          200: true,
          404: "no such node",
          406: "node is not part of a swarm",
          500: "server error"
        },
        options: opts
      };
      if (callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          callback(err, data);
        });
      }
    };
    Node.prototype.remove = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/nodes/" + this.id + "?",
        method: "DELETE",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          404: "no such node",
          500: "server error"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    module.exports = Node;
  }
});

// lazy:node_modules/dockerode/lib/session.js
var require_session = __commonJS({
  "lazy:node_modules/dockerode/lib/session.js"(exports, module) {
    module.exports = function(docker, auth, handler) {
      import("./session-S4HIDVWM.js").then((m) => m.default || m).then((m) => m(docker, auth, handler), handler);
    };
  }
});

// lazy:node_modules/dockerode/lib/buildkit.js
var require_buildkit = __commonJS({
  "lazy:node_modules/dockerode/lib/buildkit.js"(exports) {
    exports.followProgress = function(stream, onFinished, onProgress) {
      import("./buildkit-GKUQGYP4.js").then((m) => m.default || m).then((m) => m.followProgress(stream, onFinished, onProgress), onFinished);
    };
  }
});

// node_modules/dockerode/lib/docker.js
var require_docker = __commonJS({
  "node_modules/dockerode/lib/docker.js"(exports, module) {
    var EventEmitter = __require("events").EventEmitter;
    var Modem = require_modem();
    var Container = require_container();
    var Image = require_image();
    var Volume = require_volume();
    var Network = require_network();
    var Service = require_service();
    var Plugin = require_plugin();
    var Secret = require_secret();
    var Config = require_config();
    var Task = require_task();
    var Node = require_node();
    var Exec = require_exec();
    var util = require_util();
    var withSession = require_session();
    var extend = util.extend;
    var Docker = function(opts) {
      if (!(this instanceof Docker)) return new Docker(opts);
      var plibrary = global.Promise;
      if (opts && opts.Promise) {
        plibrary = opts.Promise;
        if (Object.keys(opts).length === 1) {
          opts = void 0;
        }
      }
      if (opts && opts.modem) {
        this.modem = opts.modem;
      } else {
        this.modem = new Modem(opts);
      }
      this.modem.Promise = plibrary;
    };
    Docker.prototype.createContainer = function(opts, callback) {
      var self2 = this;
      var optsf = {
        path: "/containers/create?",
        method: "POST",
        options: opts,
        authconfig: opts.authconfig,
        abortSignal: opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          201: true,
          400: "bad parameter",
          404: "no such container",
          406: "impossible to attach",
          500: "server error"
        }
      };
      delete opts.authconfig;
      if (callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(self2.getContainer(data.Id));
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          if (err) return callback(err, data);
          callback(err, self2.getContainer(data.Id));
        });
      }
    };
    Docker.prototype.createImage = function(auth, opts, callback) {
      var self2 = this;
      if (!callback && typeof opts === "function") {
        callback = opts;
        opts = auth;
        auth = opts.authconfig || void 0;
      } else if (!callback && !opts) {
        opts = auth;
        auth = opts.authconfig;
      }
      var optsf = {
        path: "/images/create?",
        method: "POST",
        options: opts,
        authconfig: auth,
        abortSignal: opts.abortSignal,
        isStream: true,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          callback(err, data);
        });
      }
    };
    Docker.prototype.loadImage = function(file, opts, callback) {
      var self2 = this;
      if (!callback && typeof opts === "function") {
        callback = opts;
        opts = null;
      }
      var optsf = {
        path: "/images/load?",
        method: "POST",
        options: opts,
        file,
        abortSignal: opts && opts.abortSignal,
        isStream: true,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          callback(err, data);
        });
      }
    };
    Docker.prototype.importImage = function(file, opts, callback) {
      var self2 = this;
      if (!callback && typeof opts === "function") {
        callback = opts;
        opts = void 0;
      }
      if (!opts)
        opts = {};
      opts.fromSrc = "-";
      var optsf = {
        path: "/images/create?",
        method: "POST",
        options: opts,
        file,
        abortSignal: opts.abortSignal,
        isStream: true,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          callback(err, data);
        });
      }
    };
    Docker.prototype.checkAuth = function(opts, callback) {
      var self2 = this;
      var optsf = {
        path: "/auth",
        method: "POST",
        options: opts,
        abortSignal: opts.abortSignal,
        statusCodes: {
          200: true,
          204: true,
          500: "server error"
        }
      };
      if (callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          callback(err, data);
        });
      }
    };
    Docker.prototype.buildImage = function(file, opts, callback) {
      var self2 = this;
      if (!callback && typeof opts === "function") {
        callback = opts;
        opts = null;
      }
      var optsf = {
        path: "/build?",
        method: "POST",
        file: void 0,
        options: opts,
        abortSignal: opts && opts.abortSignal,
        isStream: true,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (opts) {
        if (opts.registryconfig) {
          optsf.registryconfig = optsf.options.registryconfig;
          delete optsf.options.registryconfig;
        }
        if (opts.authconfig) {
          optsf.authconfig = optsf.options.authconfig;
          delete optsf.options.authconfig;
        }
        if (opts.cachefrom && Array.isArray(opts.cachefrom)) {
          optsf.options.cachefrom = JSON.stringify(opts.cachefrom);
        }
      }
      function dial2(callback2) {
        util.prepareBuildContext(file, (ctx) => {
          optsf.file = ctx;
          self2.modem.dial(optsf, callback2);
        });
      }
      function dialWithSession(callback2) {
        if (opts?.version === "2") {
          withSession(self2, optsf.authconfig, (err, sessionId, done) => {
            if (err) {
              return callback2(err);
            }
            optsf.options.session = sessionId;
            dial2((err2, data) => {
              callback2(err2, data);
              if (data) {
                data.on("end", done);
              }
            });
          });
        } else {
          dial2(callback2);
        }
      }
      if (callback === void 0) {
        return new self2.modem.Promise(function(resolve4, reject) {
          dialWithSession(function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        dialWithSession(callback);
      }
    };
    Docker.prototype.followProgress = function(stream, onFinished, onProgress) {
      var buildkit = require_buildkit();
      return buildkit.followProgress(stream, onFinished, onProgress);
    };
    Docker.prototype.getContainer = function(id) {
      return new Container(this.modem, id);
    };
    Docker.prototype.getImage = function(name) {
      return new Image(this.modem, name);
    };
    Docker.prototype.getVolume = function(name) {
      return new Volume(this.modem, name);
    };
    Docker.prototype.getPlugin = function(name, remote) {
      return new Plugin(this.modem, name, remote);
    };
    Docker.prototype.getService = function(id) {
      return new Service(this.modem, id);
    };
    Docker.prototype.getTask = function(id) {
      return new Task(this.modem, id);
    };
    Docker.prototype.getNode = function(id) {
      return new Node(this.modem, id);
    };
    Docker.prototype.getNetwork = function(id) {
      return new Network(this.modem, id);
    };
    Docker.prototype.getSecret = function(id) {
      return new Secret(this.modem, id);
    };
    Docker.prototype.getConfig = function(id) {
      return new Config(this.modem, id);
    };
    Docker.prototype.getExec = function(id) {
      return new Exec(this.modem, id);
    };
    Docker.prototype.listContainers = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/containers/json?",
        method: "GET",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          400: "bad parameter",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.listImages = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/images/json?",
        method: "GET",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          400: "bad parameter",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.getImages = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/images/get?",
        method: "GET",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        isStream: true,
        statusCodes: {
          200: true,
          400: "bad parameter",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.listServices = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/services?",
        method: "GET",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.listNodes = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/nodes?",
        method: "GET",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          400: "bad parameter",
          404: "no such node",
          500: "server error",
          503: "node is not part of a swarm"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.listTasks = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/tasks?",
        method: "GET",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.createSecret = function(opts, callback) {
      var args = util.processArgs(opts, callback);
      var self2 = this;
      var optsf = {
        path: "/secrets/create?",
        method: "POST",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          201: true,
          406: "server error or node is not part of a swarm",
          409: "name conflicts with an existing object",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(self2.getSecret(data.ID));
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          if (err) return args.callback(err, data);
          args.callback(err, self2.getSecret(data.ID));
        });
      }
    };
    Docker.prototype.createConfig = function(opts, callback) {
      var args = util.processArgs(opts, callback);
      var self2 = this;
      var optsf = {
        path: "/configs/create?",
        method: "POST",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          201: true,
          406: "server error or node is not part of a swarm",
          409: "name conflicts with an existing object",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(self2.getConfig(data.ID));
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          if (err) return args.callback(err, data);
          args.callback(err, self2.getConfig(data.ID));
        });
      }
    };
    Docker.prototype.listSecrets = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/secrets?",
        method: "GET",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.listConfigs = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/configs?",
        method: "GET",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.createPlugin = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/plugins/create?",
        method: "POST",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          204: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(self2.getPlugin(args.opts.name));
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          if (err) return args.callback(err, data);
          args.callback(err, self2.getPlugin(args.opts.name));
        });
      }
    };
    Docker.prototype.listPlugins = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/plugins?",
        method: "GET",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.pruneImages = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/images/prune?",
        method: "POST",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.pruneBuilder = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/build/prune",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.pruneContainers = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/containers/prune?",
        method: "POST",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.pruneVolumes = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/volumes/prune?",
        method: "POST",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.pruneNetworks = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/networks/prune?",
        method: "POST",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.createVolume = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/volumes/create?",
        method: "POST",
        allowEmpty: true,
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          201: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(self2.getVolume(data.Name));
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          if (err) return args.callback(err, data);
          args.callback(err, self2.getVolume(data.Name));
        });
      }
    };
    Docker.prototype.createService = function(auth, opts, callback) {
      if (!callback && typeof opts === "function") {
        callback = opts;
        opts = auth;
        auth = opts.authconfig || void 0;
      } else if (!opts && !callback) {
        opts = auth;
      }
      var self2 = this;
      var optsf = {
        path: "/services/create",
        method: "POST",
        options: opts,
        authconfig: auth,
        abortSignal: opts && opts.abortSignal,
        statusCodes: {
          200: true,
          201: true,
          500: "server error"
        }
      };
      if (callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(self2.getService(data.ID || data.Id));
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          if (err) return callback(err, data);
          callback(err, self2.getService(data.ID || data.Id));
        });
      }
    };
    Docker.prototype.listVolumes = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/volumes?",
        method: "GET",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          400: "bad parameter",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.createNetwork = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/networks/create?",
        method: "POST",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          // unofficial, but proxies may return it
          201: true,
          404: "driver not found",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(self2.getNetwork(data.Id));
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          if (err) return args.callback(err, data);
          args.callback(err, self2.getNetwork(data.Id));
        });
      }
    };
    Docker.prototype.listNetworks = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/networks?",
        method: "GET",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          400: "bad parameter",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.searchImages = function(opts, callback) {
      var self2 = this;
      var optsf = {
        path: "/images/search?",
        method: "GET",
        options: opts,
        authconfig: opts.authconfig,
        abortSignal: opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          callback(err, data);
        });
      }
    };
    Docker.prototype.info = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var opts = {
        path: "/info",
        method: "GET",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(opts, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(opts, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.version = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var opts = {
        path: "/version",
        method: "GET",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(opts, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(opts, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.ping = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/_ping",
        method: "GET",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.df = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/system/df",
        method: "GET",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.getEvents = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/events?",
        method: "GET",
        options: args.opts,
        abortSignal: args.opts.abortSignal,
        isStream: true,
        statusCodes: {
          200: true,
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.pull = function(repoTag, opts, callback, auth) {
      var args = util.processArgs(opts, callback);
      var imageSrc = util.parseRepositoryTag(repoTag);
      args.opts.fromImage = imageSrc.repository;
      args.opts.tag = imageSrc.tag || "latest";
      var argsf = [args.opts, args.callback];
      if (auth) {
        argsf = [auth, args.opts, args.callback];
      }
      return this.createImage.apply(this, argsf);
    };
    Docker.prototype.pullAll = function(repoTag, opts, callback, auth) {
      var args = util.processArgs(opts, callback);
      var imageSrc = util.parseRepositoryTag(repoTag);
      args.opts.fromImage = imageSrc.repository;
      var argsf = [args.opts, args.callback];
      if (auth) {
        argsf = [auth, args.opts, args.callback];
      }
      return this.createImage.apply(this, argsf);
    };
    Docker.prototype.run = function(image, cmd, streamo, createOptions2, startOptions, callback) {
      if (typeof arguments[arguments.length - 1] === "function") {
        return this.runCallback(image, cmd, streamo, createOptions2, startOptions, callback);
      } else {
        return this.runPromise(image, cmd, streamo, createOptions2, startOptions);
      }
    };
    Docker.prototype.runCallback = function(image, cmd, streamo, createOptions2, startOptions, callback) {
      if (!callback && typeof createOptions2 === "function") {
        callback = createOptions2;
        createOptions2 = {};
        startOptions = {};
      } else if (!callback && typeof startOptions === "function") {
        callback = startOptions;
        startOptions = {};
      }
      var hub = new EventEmitter();
      function handler(err, container) {
        if (err) return callback(err, null, container);
        hub.emit("container", container);
        container.attach({
          stream: true,
          stdout: true,
          stderr: true
        }, function handler2(err2, stream) {
          if (err2) return callback(err2, null, container);
          hub.emit("stream", stream);
          if (streamo) {
            if (streamo instanceof Array) {
              stream.on("end", function() {
                try {
                  streamo[0].end();
                } catch (e) {
                }
                try {
                  streamo[1].end();
                } catch (e) {
                }
              });
              container.modem.demuxStream(stream, streamo[0], streamo[1]);
            } else {
              stream.setEncoding("utf8");
              stream.pipe(streamo, {
                end: true
              });
            }
          }
          container.start(startOptions, function(err3, data) {
            if (err3) return callback(err3, data, container);
            hub.emit("start", container);
            container.wait(function(err4, data2) {
              hub.emit("data", data2);
              callback(err4, data2, container);
            });
          });
        });
      }
      var optsc = {
        "Hostname": "",
        "User": "",
        "AttachStdin": false,
        "AttachStdout": true,
        "AttachStderr": true,
        "Tty": true,
        "OpenStdin": false,
        "StdinOnce": false,
        "Env": null,
        "Cmd": cmd,
        "Image": image,
        "Volumes": {},
        "VolumesFrom": []
      };
      extend(optsc, createOptions2);
      this.createContainer(optsc, handler);
      return hub;
    };
    Docker.prototype.runPromise = function(image, cmd, streamo, createOptions2, startOptions) {
      var self2 = this;
      createOptions2 = createOptions2 || {};
      startOptions = startOptions || {};
      var optsc = {
        "Hostname": "",
        "User": "",
        "AttachStdin": false,
        "AttachStdout": true,
        "AttachStderr": true,
        "Tty": true,
        "OpenStdin": false,
        "StdinOnce": false,
        "Env": null,
        "Cmd": cmd,
        "Image": image,
        "Volumes": {},
        "VolumesFrom": []
      };
      extend(optsc, createOptions2);
      var containero;
      return new this.modem.Promise(function(resolve4, reject) {
        self2.createContainer(optsc).then(function(container) {
          containero = container;
          return container.attach({
            stream: true,
            stdout: true,
            stderr: true
          });
        }).then(function(stream) {
          if (streamo) {
            if (streamo instanceof Array) {
              stream.on("end", function() {
                try {
                  streamo[0].end();
                } catch (e) {
                }
                try {
                  streamo[1].end();
                } catch (e) {
                }
              });
              containero.modem.demuxStream(stream, streamo[0], streamo[1]);
            } else {
              stream.setEncoding("utf8");
              stream.pipe(streamo, {
                end: true
              });
            }
          }
          return containero.start(startOptions);
        }).then(function(data) {
          return containero.wait();
        }).then(function(data) {
          resolve4([data, containero]);
        }).catch(function(err) {
          reject(err);
        });
      });
    };
    Docker.prototype.swarmInit = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/swarm/init",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          400: "bad parameter",
          406: "node is already part of a Swarm"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.swarmJoin = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/swarm/join",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          400: "bad parameter",
          406: "node is already part of a Swarm"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.swarmLeave = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/swarm/leave?",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          406: "node is not part of a Swarm"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.swarmUpdate = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/swarm/update?",
        method: "POST",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          400: "bad parameter",
          406: "node is already part of a Swarm"
        },
        options: args.opts
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.prototype.swarmInspect = function(opts, callback) {
      var self2 = this;
      var args = util.processArgs(opts, callback);
      var optsf = {
        path: "/swarm",
        method: "GET",
        abortSignal: args.opts.abortSignal,
        statusCodes: {
          200: true,
          406: "This node is not a swarm manager",
          500: "server error"
        }
      };
      if (args.callback === void 0) {
        return new this.modem.Promise(function(resolve4, reject) {
          self2.modem.dial(optsf, function(err, data) {
            if (err) {
              return reject(err);
            }
            resolve4(data);
          });
        });
      } else {
        this.modem.dial(optsf, function(err, data) {
          args.callback(err, data);
        });
      }
    };
    Docker.Container = Container;
    Docker.Image = Image;
    Docker.Volume = Volume;
    Docker.Network = Network;
    Docker.Service = Service;
    Docker.Plugin = Plugin;
    Docker.Secret = Secret;
    Docker.Task = Task;
    Docker.Node = Node;
    Docker.Exec = Exec;
    module.exports = Docker;
  }
});

// src/events/redact.ts
var MASK = "***";
var MIN_SECRET_LENGTH = 8;
function secretValueProblem(value) {
  if (value.length < MIN_SECRET_LENGTH) {
    return `is shorter than ${MIN_SECRET_LENGTH} characters, too short to redact from output without masking ordinary words`;
  }
  return void 0;
}
function maskedParts(secret) {
  const lines = secret.split(/\r?\n|\r/).map((l) => l.trim()).filter((l) => l.length >= MIN_SECRET_LENGTH);
  return lines.length > 1 ? [secret, ...lines] : [secret];
}
function makeRedactor(secrets) {
  const values = [...new Set([...secrets].flatMap(maskedParts))].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  if (values.length === 0) return (t) => t;
  return (text) => {
    let out = text;
    for (const v of values) out = out.split(v).join(MASK);
    return out;
  };
}
function capRunes(text, max = 256) {
  const runes = Array.from(text);
  if (runes.length <= max) return text;
  return `${runes.slice(0, max - 1).join("")}\u2026`;
}
function oneLine(text) {
  return text.replace(
    /[\p{Cc}]/gu,
    (c) => c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "	" ? "	" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  );
}

// src/ports/clock.ts
var systemClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve4) => setTimeout(resolve4, ms))
};

// src/app/credentials.ts
var noCredentials = { forge: { tokens: {} }, notify: {}, proxy: {} };
function credentialValues(c) {
  return [
    c.sshKey,
    c.proxy.password,
    c.proxy.token,
    ...Object.values(c.forge.tokens),
    c.notify.slackToken,
    c.notify.slackWebhook
  ].filter((v) => !!v);
}

// src/app/grants.ts
function granted(config, grants) {
  return {
    ...config,
    ...grants.hosts ? { hosts: grants.hosts } : {},
    ...grants.ignoreRepoForge ? { forge: void 0 } : {}
  };
}
function environmentGrants(vars) {
  return {
    problems: () => [],
    secrets(config, workload) {
      const names = own(config.workloads, workload)?.secrets ?? [];
      const missing2 = names.filter((n) => own(vars, n) === void 0);
      if (missing2.length > 0) {
        throw new TinyforgeError(
          "usage",
          `workloads.${workload}.secrets: not set in the environment: ${missing2.join(", ")}`,
          { hint: "export them in the deploying process (in a workflow: env: from secrets)" }
        );
      }
      for (const n of names) {
        const problem2 = secretValueProblem(vars[n]);
        if (problem2) {
          throw new TinyforgeError("usage", `workloads.${workload}.secrets: ${n} ${problem2}`, {
            hint: `use a longer value for ${n}`
          });
        }
      }
      return Object.fromEntries(names.map((n) => [n, vars[n]]));
    },
    accessorySecrets(config, name, required) {
      const names = own(config.accessories, name)?.secrets ?? [];
      const missing2 = names.filter((n) => own(vars, n) === void 0);
      if (required && missing2.length > 0)
        throw new TinyforgeError(
          "usage",
          `accessories.${name}.secrets: not set in the environment: ${missing2.join(", ")}`,
          { hint: "export them where you run tinyforge accessory up" }
        );
      return Object.fromEntries(names.filter((n) => own(vars, n) !== void 0).map((n) => [n, vars[n]]));
    }
  };
}

// src/net/fetch.ts
import { lookup as dnsLookup } from "node:dns";
import http from "node:http";
import https from "node:https";

// src/net/address.ts
import { BlockList, isIP } from "node:net";
var blocked = new BlockList();
blocked.addSubnet("169.254.0.0", 16, "ipv4");
blocked.addSubnet("fe80::", 10, "ipv6");
for (const ip of ["100.100.100.200", "192.0.0.192", "168.63.129.16"]) blocked.addAddress(ip, "ipv4");
blocked.addAddress("fd00:ec2::254", "ipv6");
for (const prefix of ["64:ff9b::", "::"]) {
  blocked.addSubnet(`${prefix}a9fe:0`, 112, "ipv6");
  for (const hex of ["6464:64c8", "c000:c0", "a83f:8110"]) blocked.addAddress(`${prefix}${hex}`, "ipv6");
}
var nonPublic = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  // "this network"; 0.0.0.0 connects to the local host
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  // carrier-grade NAT
  ["127.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  // IETF protocol assignments
  ["192.0.2.0", 24],
  // documentation
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  // multicast
  ["240.0.0.0", 4]
  // reserved, and the broadcast address
]) {
  nonPublic.addSubnet(net, bits, "ipv4");
  const [a, b, c, d] = net.split(".").map(Number);
  const hex = (x, y) => (x << 8 | y).toString(16);
  nonPublic.addSubnet(`64:ff9b::${hex(a, b)}:${hex(c, d)}`, 96 + bits, "ipv6");
}
for (const [net, bits] of [
  ["::", 96],
  // unspecified, loopback and the deprecated IPv4-compatible form
  ["64:ff9b:1::", 48],
  // local-use NAT64
  ["2001::", 32],
  // Teredo: an IPv4 address inside
  ["2001:db8::", 32],
  // documentation
  ["2002::", 16],
  // 6to4: an IPv4 address inside
  ["fc00::", 7],
  // unique local
  ["fe80::", 10],
  ["ff00::", 8]
  // multicast
])
  nonPublic.addSubnet(net, bits, "ipv6");
var METADATA_NAMES = /* @__PURE__ */ new Set(["metadata", "metadata.google.internal", "metadata.goog", "instance-data"]);
function refusedAddress(ip, publicOnly = false) {
  const bare = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  const family = isIP(bare);
  if (family === 0) return void 0;
  const type = family === 4 ? "ipv4" : "ipv6";
  if (blocked.check(bare, type)) return `${bare} is a link-local or cloud-metadata address`;
  if (publicOnly && nonPublic.check(bare, type)) return `${bare} is not a public address`;
  return void 0;
}
function refusedHost(hostname, publicOnly = false) {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (METADATA_NAMES.has(name)) return `${name} is a cloud-metadata name`;
  if (publicOnly && (name === "localhost" || name.endsWith(".localhost")))
    return `${name} is a loopback name`;
  return refusedAddress(name, publicOnly);
}

// src/net/fetch.ts
var DEFAULT_TIMEOUT_MS = 5e3;
var BODY_LIMIT = 1024 * 1024;
var OutboundError = class extends Error {
  name = "OutboundError";
};
function guardLookup(resolve4 = dnsLookup, publicOnly = false) {
  return (hostname, options, callback) => {
    const cb = callback;
    const opts = options;
    resolve4(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return cb(err, []);
      for (const a of addresses) {
        const why = refusedAddress(a.address, publicOnly);
        if (why)
          return cb(
            Object.assign(new OutboundError(`refused ${hostname}: ${why}`), { code: "EREFUSED_ADDR" }),
            []
          );
      }
      if (opts.all) return cb(null, addresses);
      const first = addresses[0];
      if (!first)
        return cb(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
      cb(null, first.address, first.family);
    });
  };
}
var guardedLookup = guardLookup();
var publicLookup = guardLookup(dnsLookup, true);
function assertCallable(url, publicOnly = false) {
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new OutboundError(`refused ${url.protocol} URL: only http and https`);
  const why = refusedHost(url.hostname, publicOnly);
  if (why) throw new OutboundError(`refused ${url.hostname}: ${why}`);
}
function guardedAgent(url) {
  assertCallable(url);
  const opts = { lookup: guardedLookup, keepAlive: false };
  return url.protocol === "https:" ? new https.Agent(opts) : new http.Agent(opts);
}
function headerRecord(h) {
  if (!h) return {};
  if (h instanceof Headers) return Object.fromEntries(h.entries());
  if (Array.isArray(h)) return Object.fromEntries(h);
  return { ...h };
}
function reason(e, timeoutMs, timedOut) {
  if (timedOut) return `no answer within ${timeoutMs}ms`;
  if (e instanceof OutboundError) return e.message;
  const code2 = e?.code;
  if (e?.name === "AbortError") return "aborted";
  return code2 ? `connection failed (${code2})` : "connection failed";
}
var IDLE_MS = 4e3;
var pool = () => ({
  "http:": new http.Agent({ keepAlive: true, timeout: IDLE_MS }),
  "https:": new https.Agent({ keepAlive: true, timeout: IDLE_MS })
});
var agents = pool();
var publicAgents = pool();
var STALE = /* @__PURE__ */ new Set(["ECONNRESET", "EPIPE"]);
var unwritten = /* @__PURE__ */ new Set();
function trackWrite(req) {
  let settle2;
  const written = new Promise((resolve4) => {
    settle2 = resolve4;
  });
  unwritten.add(written);
  const done = () => {
    unwritten.delete(written);
    settle2();
  };
  req.once("finish", done);
  req.once("close", done);
  req.once("error", done);
}
function requestsWritten() {
  if (unwritten.size === 0) return Promise.resolve();
  return Promise.all(unwritten).then(() => void 0);
}
function safeFetch(input, init = {}) {
  const timeoutMs = init.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let url;
  try {
    url = new URL(String(input));
    assertCallable(url, init.publicOnly);
  } catch (e) {
    return Promise.reject(e instanceof OutboundError ? e : new OutboundError("invalid URL"));
  }
  const body = init.body ?? void 0;
  const headers = headerRecord(init.headers);
  if (body !== void 0 && !Object.keys(headers).some((k) => k.toLowerCase() === "content-length"))
    headers["content-length"] = String(Buffer.byteLength(body));
  const secure = url.protocol === "https:";
  const client = secure ? https : http;
  const agent = (init.publicOnly ? publicAgents : agents)[secure ? "https:" : "http:"];
  const lookup = init.publicOnly ? publicLookup : guardedLookup;
  return new Promise((resolve4, reject) => {
    let timedOut = false;
    let settled2 = false;
    const fail = (e) => {
      if (settled2) return;
      settled2 = true;
      clearTimeout(timer);
      init.signal?.removeEventListener("abort", onAbort);
      reject(new OutboundError(reason(e, timeoutMs, timedOut)));
    };
    let req;
    const send2 = (retried) => {
      req = client.request(url, { method: init.method ?? "GET", headers, lookup, agent }, answered);
      trackWrite(req);
      req.on("error", (e) => {
        if (!retried && req.reusedSocket && STALE.has(e.code ?? "")) send2(true);
        else fail(e);
      });
      req.end(body);
    };
    const answered = (res) => {
      const chunks2 = [];
      let size = 0;
      let cut = false;
      res.on("data", (c) => {
        if (cut) return;
        size += c.length;
        chunks2.push(c);
        if (size >= BODY_LIMIT) {
          cut = true;
          res.destroy();
        }
      });
      const done = () => {
        if (settled2) return;
        settled2 = true;
        clearTimeout(timer);
        init.signal?.removeEventListener("abort", onAbort);
        const status2 = res.statusCode ?? 0;
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (v === void 0) continue;
          for (const one of Array.isArray(v) ? v : [v]) h.append(k, one);
        }
        const nullBody = status2 === 204 || status2 === 205 || status2 === 304;
        if (status2 < 200 || status2 > 599) return reject(new OutboundError(`unexpected HTTP ${status2}`));
        resolve4(
          new Response(nullBody ? null : Buffer.concat(chunks2), {
            status: status2,
            statusText: res.statusMessage ?? "",
            headers: h
          })
        );
      };
      res.on("end", done);
      res.on("close", () => cut ? done() : fail(new Error("closed")));
      res.on("error", (e) => cut ? done() : fail(e));
    };
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy();
      fail(void 0);
    }, timeoutMs);
    const onAbort = () => {
      req.destroy();
      fail(Object.assign(new Error("aborted"), { name: "AbortError" }));
    };
    send2(false);
    if (init.signal?.aborted) return onAbort();
    init.signal?.addEventListener("abort", onAbort, { once: true });
  });
}
var HttpStatusError = class extends Error {
  constructor(status2, what) {
    super(`${what} answered HTTP ${status2}`);
    this.status = status2;
  }
  status;
  name = "HttpStatusError";
};

// src/adapters/notify/slack-api.ts
var SLACK_API_URL = "https://slack.com/api/";
var silent = {
  debug: () => {
  },
  info: () => {
  },
  warn: () => {
  },
  error: () => {
  },
  setLevel: () => {
  },
  // LogLevel.ERROR, spelled out: the enum's value would load the package before it is needed.
  getLevel: () => "error",
  setName: () => {
  }
};
function slackFailure(what, e) {
  const err = e;
  switch (err.code) {
    case "slack_webapi_platform_error": {
      const code2 = err.data?.error;
      return new OutboundError(
        `${what}: ${typeof code2 === "string" && /^[a-z_]{1,64}$/.test(code2) ? code2 : "not ok"}`
      );
    }
    case "slack_webapi_http_error":
      return new OutboundError(`${what} answered HTTP ${err.statusCode}`);
    case "slack_webapi_rate_limited_error":
      return new OutboundError(`${what} answered HTTP 429 (rate limited)`);
    case "slack_webapi_request_error": {
      const o = err.original;
      if (o?.cause instanceof OutboundError) return new OutboundError(`${what}: ${o.cause.message}`);
      if (o?.code === "ECONNABORTED" || o?.code === "ETIMEDOUT")
        return new OutboundError(`${what}: no answer in time`);
      return new OutboundError(`${what}: connection failed${o?.code ? ` (${o.code})` : ""}`);
    }
    default:
      return new OutboundError(`${what}: failed`);
  }
}
var SlackApiNotifier = class {
  constructor(token, channel, apiUrl, timeoutMs) {
    this.channel = channel;
    const options = {
      slackApiUrl: apiUrl,
      agent: guardedAgent(new URL(apiUrl)),
      timeout: timeoutMs,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: silent,
      // slackFailure reads only the code of axios' error: it quotes the request, headers included.
      attachOriginalToWebAPIRequestError: true
    };
    this.client = import("./dist-ATICASGA.js").then(({ WebClient }) => new WebClient(token, options));
  }
  channel;
  kind = "slack";
  updatable = true;
  // Loaded on first use, like Octokit in the GitHub forge: a CLI deploy parses it only if it posts.
  client;
  async post(m) {
    try {
      const res = await (await this.client).chat.postMessage({
        channel: this.channel,
        text: m.text,
        blocks: m.blocks,
        unfurl_links: false
      });
      return res.channel && res.ts ? { channel: res.channel, ts: res.ts } : void 0;
    } catch (e) {
      throw slackFailure("chat.postMessage", e);
    }
  }
  /** A reply in the message's thread (the bot's failure reason under its deploy message). */
  async reply(ref, m) {
    try {
      const res = await (await this.client).chat.postMessage({
        channel: ref.channel,
        thread_ts: ref.ts,
        text: m.text,
        blocks: m.blocks,
        unfurl_links: false
      });
      return res.channel && res.ts ? { channel: res.channel, ts: res.ts } : void 0;
    } catch (e) {
      throw slackFailure("chat.postMessage", e);
    }
  }
  /** A message only `user` sees, in this notifier's channel (refusals, errors, status). */
  async postEphemeral(user, m) {
    try {
      await (await this.client).chat.postEphemeral({
        channel: this.channel,
        user,
        text: m.text,
        blocks: m.blocks
      });
    } catch (e) {
      throw slackFailure("chat.postEphemeral", e);
    }
  }
  async update(ref, m) {
    try {
      await (await this.client).chat.update({
        channel: ref.channel,
        ts: ref.ts,
        text: m.text,
        blocks: m.blocks
      });
    } catch (e) {
      throw slackFailure("chat.update", e);
    }
  }
};

// src/app/session.ts
import { hostname as machineName, userInfo } from "node:os";
import { basename, dirname as dirname2, resolve } from "node:path";

// src/adapters/open-host.ts
var import_ssh2 = __toESM(require_lib(), 1);

// src/adapters/local-host.ts
var import_dockerode = __toESM(require_docker(), 1);
import { execFile } from "node:child_process";
import { Agent } from "node:http";

// src/adapters/docker-attach.ts
import { Readable } from "node:stream";
function lost(what) {
  return new TinyforgeError("host_unreachable", `${what}: the connection to the host was lost`, {
    hint: "check the host and run the command again"
  });
}
function pump(modem, stream, out, what, signal) {
  return new Promise((resolve4, reject) => {
    let ended2 = false;
    const s = stream;
    signal?.addEventListener(
      "abort",
      () => {
        ended2 = true;
        s.destroy();
        resolve4();
      },
      { once: true }
    );
    if (out.tty) s.on("data", (chunk) => out.stdout.write(chunk));
    else modem.demuxStream(s, out.stdout, out.stderr);
    s.on("end", () => {
      ended2 = true;
      resolve4();
    });
    s.on("error", (e) => ended2 ? resolve4() : reject(lost(`${what} (${e.message})`)));
    s.on("close", () => ended2 ? resolve4() : reject(lost(what)));
  });
}
async function streamLogs(d, id, opts, out) {
  const common = {
    stdout: true,
    stderr: true,
    ...opts.tail !== void 0 ? { tail: opts.tail } : {},
    ...opts.sinceSec !== void 0 ? { since: opts.sinceSec } : {}
  };
  const c = d.getContainer(id);
  const body = opts.follow ? await c.logs({ ...common, follow: true }) : Readable.from([await c.logs({ ...common, follow: false })]);
  await pump(d.modem, body, { ...out, tty: false }, `logs of ${id.slice(0, 12)}`, opts.signal);
}
function feedStdin(io, stream) {
  if (!io.stdin) return;
  io.stdin.pipe(stream);
}
async function drained(output, ms = 5e3) {
  let timer;
  await Promise.race([
    output.catch(() => void 0),
    new Promise((r) => {
      timer = setTimeout(r, ms);
    })
  ]);
  clearTimeout(timer);
}
function oneOffOptions(source, name, argv, labels) {
  const networks = Object.keys(source.NetworkSettings.Networks ?? {});
  const mode = source.HostConfig.NetworkMode;
  const first = mode && networks.includes(mode) ? mode : networks[0] ?? mode;
  return {
    name,
    Image: source.Image,
    Env: source.Config.Env ?? [],
    Cmd: argv,
    Labels: labels,
    ...source.Config.User ? { User: source.Config.User } : {},
    ...source.Config.WorkingDir ? { WorkingDir: source.Config.WorkingDir } : {},
    HostConfig: {
      Binds: source.HostConfig.Binds ?? [],
      ...first ? { NetworkMode: first } : {},
      RestartPolicy: { Name: "no" },
      AutoRemove: false
    }
  };
}
function extraNetworks(source, first) {
  return Object.keys(source.NetworkSettings.Networks ?? {}).filter((n) => n !== first);
}
async function runAttached(d, create, io, beforeStart) {
  const withStdin = io.stdin !== void 0;
  const c = await d.createContainer({
    ...create,
    Tty: io.tty,
    AttachStdin: withStdin,
    OpenStdin: withStdin,
    StdinOnce: withStdin,
    AttachStdout: true,
    AttachStderr: true
  });
  try {
    await beforeStart(c.id);
    const stream = await c.attach({
      stream: true,
      stdin: withStdin,
      stdout: true,
      stderr: true,
      hijack: withStdin
    });
    const output = pump(d.modem, stream, io, `run ${create.name ?? c.id}`);
    await c.start();
    if (io.tty && io.size) await c.resize(io.size).catch(() => void 0);
    feedStdin(io, stream);
    const waited = c.wait().catch(
      (e) => {
        throw e.statusCode ? e : lost(`run ${create.name ?? c.id} (${e.message})`);
      }
    );
    const { StatusCode } = await Promise.race([
      waited,
      // The output closing without its end means the connection went: stop waiting for an answer.
      output.then(
        () => waited,
        (e) => Promise.reject(e)
      )
    ]);
    await drained(output);
    return StatusCode;
  } finally {
    await c.remove({ force: true }).catch(() => void 0);
  }
}
async function execAttached(d, id, argv, io) {
  const withStdin = io.stdin !== void 0;
  const exec = await d.getContainer(id).exec({
    Cmd: argv,
    AttachStdin: withStdin,
    AttachStdout: true,
    AttachStderr: true,
    Tty: io.tty
  });
  const stream = await exec.start({
    hijack: withStdin,
    stdin: withStdin,
    Tty: io.tty
  });
  if (io.tty && io.size) await exec.resize(io.size).catch(() => void 0);
  feedStdin(io, stream);
  await pump(d.modem, stream, io, `exec in ${id.slice(0, 12)}`);
  for (let i = 0; i < 50; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new TinyforgeError("deploy_failed", "exec: the process ended but Docker reported no exit code");
}

// src/adapters/docker-engine.ts
var S = 1e3;
var START_ATTEMPTS = 5;
var DOCKER_BOUNDS = {
  ping: 15 * S,
  engine: 15 * S,
  lookUp: 30 * S,
  imageExists: 30 * S,
  removeImage: 60 * S,
  listImageTags: 30 * S,
  create: 60 * S,
  start: 60 * S,
  stop: (_id, timeoutSec) => (timeoutSec + 60) * S,
  remove: 60 * S,
  rename: 30 * S,
  inspect: 30 * S,
  list: 30 * S,
  logs: 30 * S,
  ensureNetwork: 30 * S,
  removeVolume: 60 * S
  // streamLogs, runLike and execAttached last as long as the command or the reader wants; the
  // lifeline still ends them the moment the connection drops.
};
var PROGRESS_IDLE_MS = 10 * 60 * S;
function createOptions(spec) {
  const portKey = spec.port === void 0 ? void 0 : `${spec.port}/tcp`;
  return {
    name: spec.name,
    Image: spec.image,
    Labels: spec.labels,
    Env: spec.env,
    ...spec.command ? { Cmd: spec.command } : {},
    ...portKey ? { ExposedPorts: { [portKey]: {} } } : {},
    StopTimeout: spec.stopTimeoutSec,
    HostConfig: {
      ...portKey ? {
        PortBindings: {
          [portKey]: [{ HostIp: spec.publishIp, HostPort: spec.hostPort ? String(spec.hostPort) : "" }]
        }
      } : {},
      // unless-stopped: a host reboot brings the serving version back; a stop by us is final.
      RestartPolicy: { Name: spec.restart ?? "unless-stopped" },
      ...spec.memoryBytes !== void 0 ? { Memory: spec.memoryBytes } : {},
      ...spec.nanoCpus !== void 0 ? { NanoCpus: spec.nanoCpus } : {},
      Binds: spec.volumes,
      ...spec.network ? { NetworkMode: spec.network } : {}
    },
    ...spec.network && spec.aliases?.length ? { NetworkingConfig: { EndpointsConfig: { [spec.network]: { Aliases: spec.aliases } } } } : {}
  };
}
function firstHostPort(ports) {
  for (const bindings of Object.values(ports ?? {})) {
    const p = bindings?.[0]?.HostPort;
    if (p) return Number(p);
  }
  return void 0;
}
function demuxLogs(buf) {
  let out = "";
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2 || buf[i] === 0)) {
    const size = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + size).toString("utf8");
    i += 8 + size;
  }
  return i === 0 ? buf.toString("utf8") : out;
}
function isNotFound(e) {
  return e.statusCode === 404;
}
async function follow(modem, stream, onProgress) {
  let failure;
  let idle;
  const quiet = (reject) => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      reject(new Error(`no progress for ${PROGRESS_IDLE_MS / 6e4} minutes`));
      stream.destroy?.();
    }, PROGRESS_IDLE_MS);
  };
  await new Promise((resolve4, reject) => {
    quiet(reject);
    modem.followProgress(
      stream,
      (err) => {
        clearTimeout(idle);
        if (err) reject(err);
        else resolve4();
      },
      (ev) => {
        quiet(reject);
        if (ev.error || ev.errorDetail) failure = ev.errorDetail?.message ?? ev.error;
        const line = ev.stream ?? (ev.status ? `${ev.id ? `${ev.id}: ` : ""}${ev.status}` : void 0);
        if (line?.trim()) onProgress(line.trimEnd());
      }
    );
  });
  return failure;
}
var DockerEngine = class {
  constructor(d) {
    this.d = d;
  }
  d;
  async ping() {
    await this.d.ping();
  }
  async engine() {
    const [v, info] = await Promise.all([this.d.version(), this.d.info()]);
    return { version: v.Version, apiVersion: v.ApiVersion, rootDir: String(info.DockerRootDir ?? "") };
  }
  async lookUp(ref) {
    try {
      await this.d.getImage(ref).distribution();
      return "found";
    } catch (e) {
      if (isNotFound(e)) return "missing";
      const body = e.json?.message;
      throw new Error(typeof body === "string" ? body : e.message);
    }
  }
  async imageExists(ref) {
    try {
      await this.d.getImage(ref).inspect();
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }
  async pull(ref, onProgress) {
    let failure;
    try {
      const stream = await this.d.pull(ref);
      failure = await follow(this.d.modem, stream, onProgress);
    } catch (e) {
      failure = e.message;
    }
    if (failure)
      throw new TinyforgeError("pull_failed", `pulling ${ref} failed: ${failure}`, {
        hint: "check the image name and that the host can reach the registry"
      });
  }
  async build(context, opts, onProgress) {
    let failure;
    try {
      const stream = await this.d.buildImage(context, {
        t: opts.tag,
        dockerfile: opts.dockerfile,
        buildargs: opts.buildArgs,
        labels: opts.labels,
        rm: true,
        forcerm: true
      });
      failure = await follow(this.d.modem, stream, onProgress);
    } catch (e) {
      failure = e.message;
    }
    if (failure) throw new TinyforgeError("build_failed", `docker build failed: ${failure}`);
  }
  async removeImage(ref) {
    try {
      await this.d.getImage(ref).remove();
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  async listImageTags(repo) {
    const images = await this.d.listImages({ filters: { reference: [repo] } });
    return images.flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith(`${repo}:`));
  }
  async create(spec) {
    const c = await this.d.createContainer(createOptions(spec));
    try {
      await this.joinNetworks(c.id, spec);
    } catch (e) {
      await this.remove(c.id);
      throw e;
    }
    return c.id;
  }
  // API 1.41 takes one network at create; the others are joined before the container starts.
  async joinNetworks(id, spec) {
    for (const n of spec.networks ?? []) {
      await this.d.getNetwork(n.name).connect({
        Container: id,
        ...n.aliases?.length ? { EndpointConfig: { Aliases: n.aliases } } : {}
      });
    }
  }
  async ensureNetwork(name, labels) {
    try {
      const n = await this.d.getNetwork(name).inspect();
      return n.Labels ?? {};
    } catch (e) {
      if (!isNotFound(e)) throw e;
      await this.d.createNetwork({ Name: name, Driver: "bridge", Labels: labels, CheckDuplicate: true });
      return labels;
    }
  }
  async removeVolume(name) {
    try {
      await this.d.getVolume(name).remove();
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  streamLogs(id, opts, out) {
    return streamLogs(this.d, id, opts, out);
  }
  async runLike(sourceId, one, io) {
    const source = await this.d.getContainer(sourceId).inspect();
    const opts = oneOffOptions(source, one.name, one.command, one.labels);
    const others = extraNetworks(source, opts.HostConfig?.NetworkMode);
    return runAttached(
      this.d,
      opts,
      io,
      (id) => this.joinNetworks(id, { networks: others.map((name) => ({ name })) })
    );
  }
  execAttached(id, argv, io) {
    return execAttached(this.d, id, argv, io);
  }
  async start(id) {
    for (let attempt2 = 1; ; attempt2++) {
      try {
        await this.d.getContainer(id).start();
        return;
      } catch (e) {
        if (attempt2 >= START_ATTEMPTS || !/address already in use/.test(errorMessage(e))) throw e;
      }
    }
  }
  async stop(id, timeoutSec) {
    try {
      await this.d.getContainer(id).stop({ t: timeoutSec });
    } catch (e) {
      const code2 = e.statusCode;
      if (code2 !== 304 && code2 !== 404) throw e;
    }
  }
  async remove(id) {
    try {
      await this.d.getContainer(id).remove({ force: true, v: false });
    } catch (e) {
      const code2 = e.statusCode;
      if (code2 !== 404 && code2 !== 409) throw e;
    }
  }
  async rename(id, name) {
    await this.d.getContainer(id).rename({ name });
  }
  async inspect(idOrName) {
    try {
      const c = await this.d.getContainer(idOrName).inspect();
      return {
        id: c.Id,
        name: c.Name.replace(/^\//, ""),
        image: c.Config.Image,
        imageId: c.Image,
        labels: c.Config.Labels ?? {},
        status: c.State.Status,
        running: c.State.Running && !c.State.Restarting,
        restartCount: c.RestartCount,
        exitCode: c.RestartCount > 0 && c.State.Running ? await this.lastExitCode(c.Id, c.Created).catch(() => void 0) ?? c.State.ExitCode : c.State.ExitCode,
        hostPort: firstHostPort(c.NetworkSettings.Ports),
        createdAt: c.Created,
        env: c.Config.Env ?? [],
        mounts: volumeMounts(c.Mounts)
      };
    } catch (e) {
      if (isNotFound(e)) return void 0;
      throw e;
    }
  }
  async list(labels) {
    const rows = await this.d.listContainers({ all: true, filters: { label: labels } });
    return rows.map((r) => ({
      id: r.Id,
      name: (r.Names[0] ?? "").replace(/^\//, ""),
      image: r.Image,
      imageId: r.ImageID,
      labels: r.Labels ?? {},
      status: r.State,
      running: r.State === "running",
      restartCount: 0,
      exitCode: 0,
      hostPort: r.Ports.find((p) => p.PublicPort)?.PublicPort,
      createdAt: new Date(r.Created * 1e3).toISOString(),
      mounts: volumeMounts(r.Mounts)
    }));
  }
  /**
   * The exit code of a container's last death. Once the restart policy has brought it back,
   * inspect says 0 for the running process; the engine's "die" events keep the real one.
   */
  async lastExitCode(id, created) {
    const stream = await this.d.getEvents({
      since: Math.floor(Date.parse(created) / 1e3),
      until: (Date.now() / 1e3).toFixed(3),
      filters: { container: [id], event: ["die"] }
    });
    let text = "";
    for await (const chunk of stream) text += String(chunk);
    const last = text.trim().split("\n").filter(Boolean).at(-1);
    const code2 = last ? Number(JSON.parse(last).Actor?.Attributes?.exitCode) : Number.NaN;
    return Number.isInteger(code2) ? code2 : void 0;
  }
  async wait(id) {
    const r = await this.d.getContainer(id).wait();
    return r.StatusCode;
  }
  async logs(id, tail) {
    try {
      const buf = await this.d.getContainer(id).logs({ stdout: true, stderr: true, tail, follow: false });
      return demuxLogs(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)));
    } catch (e) {
      if (isNotFound(e)) return "";
      throw e;
    }
  }
};
function volumeMounts(mounts) {
  return (mounts ?? []).flatMap(
    (m) => m.Type === "volume" && m.Name && m.Destination ? [{ volume: m.Name, path: m.Destination }] : []
  );
}

// src/adapters/http-get.ts
import http2 from "node:http";
var PROBE_BODY_LIMIT = 64 * 1024;
var API_BODY_LIMIT = 16 * 1024 * 1024;
function lowerCaseHeaders(h) {
  const out = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}
function responseHeaders(res) {
  const out = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v !== void 0) out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  for (const [k, v] of Object.entries(res.trailers)) {
    if (v !== void 0) out[k.toLowerCase()] = v;
  }
  return out;
}
function send(open3, port, r, truncate) {
  return new Promise((resolve4, reject) => {
    let done = false;
    let req;
    const finish2 = (err, res) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve4(res);
    };
    const timer = setTimeout(() => {
      finish2(new Error(`no answer within ${r.timeoutMs}ms`));
      req?.destroy();
    }, r.timeoutMs);
    const headers = {
      host: `127.0.0.1:${port}`,
      // One connection (one SSH channel) per request: opening one is cheap, and nothing sits in a
      // pool after the far end closed it.
      connection: "close",
      "user-agent": "tinyforge",
      ...lowerCaseHeaders(r.headers),
      ...r.body !== void 0 ? { "content-length": String(Buffer.byteLength(r.body)) } : {}
    };
    const start = (socket) => {
      try {
        request(socket);
      } catch (e) {
        socket?.destroy();
        finish2(e);
      }
    };
    const request = (socket) => {
      req = http2.request(
        {
          host: "127.0.0.1",
          port,
          path: r.path,
          method: r.method,
          headers,
          // Through the opened stream only: with an agent (even \`agent: false\`, a fresh one) Node
          // ignores createConnection and dials host:port itself, from this machine; the tunnel
          // would sit unused and open, holding a connection on the far side (an nginx worker).
          ...socket ? { createConnection: () => socket } : { agent: false }
        },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk) => {
            if (truncate) {
              if (body.length < PROBE_BODY_LIMIT) body += chunk;
              return;
            }
            body += chunk;
            if (body.length > API_BODY_LIMIT) {
              finish2(new Error(`${r.method} ${r.path}: answer larger than ${API_BODY_LIMIT} bytes`));
              res.destroy();
            }
          });
          res.on(
            "end",
            () => finish2(void 0, { status: res.statusCode ?? 0, headers: responseHeaders(res), body })
          );
          res.on("error", (e) => finish2(e));
          res.on("close", () => finish2(new Error(`${r.method} ${r.path}: the connection closed mid-answer`)));
        }
      );
      req.on("error", (e) => finish2(e));
      req.end(r.body);
    };
    if (!open3) {
      start();
      return;
    }
    open3().then(
      (socket) => {
        if (done) {
          socket.destroy();
          return;
        }
        start(socket);
      },
      (e) => finish2(e)
    );
  });
}
function httpRequest(open3, port, r) {
  return send(open3, port, r, false);
}
async function httpGet(open3, port, path, timeoutMs, hostHeader) {
  const res = await send(
    open3,
    port,
    {
      method: "GET",
      path,
      timeoutMs,
      headers: { "user-agent": "tinyforge-gate", ...hostHeader ? { host: hostHeader } : {} }
    },
    true
  );
  return { status: res.status, body: res.body };
}

// src/adapters/lifeline.ts
var Lifeline = class {
  /** `name` goes in front of every message: "host 203.0.113.10". */
  constructor(name) {
    this.name = name;
  }
  name;
  lostError;
  waiting = /* @__PURE__ */ new Set();
  get lost() {
    return this.lostError;
  }
  /** A new connection replaced the lost one: calls go through again (pending ones were rejected). */
  revive() {
    this.lostError = void 0;
  }
  /** The connection is gone: every pending and later call rejects with this reason. */
  cut(reason2) {
    if (this.lostError) return;
    this.lostError = new TinyforgeError(
      "connection_lost",
      `${this.name}: the SSH connection closed (${reason2})`,
      {
        hint: "the next deploy (or `tinyforge reconcile`) puts right whatever this one left half done"
      }
    );
    for (const reject of [...this.waiting]) reject(this.lostError);
    this.waiting.clear();
  }
  /**
   * Settles when `call` does, or rejects as soon as the connection is lost or the bound passes.
   * An answer that arrives after the connection dropped is not trusted: it rejects too.
   */
  guard(call2, opts = {}) {
    if (this.lostError) return Promise.reject(this.lostError);
    return new Promise((resolve4, reject) => {
      let timer;
      const settle2 = (fn) => {
        if (!this.waiting.delete(onCut)) return;
        clearTimeout(timer);
        fn();
      };
      const onCut = (e) => {
        clearTimeout(timer);
        reject(e);
      };
      this.waiting.add(onCut);
      if (opts.timeoutMs !== void 0) {
        timer = setTimeout(
          () => settle2(
            () => reject(
              new TinyforgeError(
                "host_timeout",
                `${this.name}: ${opts.what ?? "a call"} got no answer within ${Math.round(opts.timeoutMs / 1e3)}s`,
                { hint: "check that dockerd and sshd on the host respond (load, disk, a daemon restart)" }
              )
            )
          ),
          opts.timeoutMs
        );
      }
      let p;
      try {
        p = call2();
      } catch (e) {
        p = Promise.reject(e);
      }
      p.then(
        (v) => settle2(() => this.lostError ? reject(this.lostError) : resolve4(v)),
        (e) => settle2(() => reject(this.lostError ?? e))
      );
    });
  }
  /**
   * `target` with every method guarded (all its methods must return promises). `bounds` gives
   * per-method timeouts in ms, or a function of the call's arguments (a stop waits its own timeout).
   */
  wrap(target, bounds = {}, label = "") {
    return new Proxy(target, {
      get: (obj, prop, receiver) => {
        const v = Reflect.get(obj, prop, receiver);
        if (typeof v !== "function") return v;
        const bound = bounds[prop];
        const what = `${label}${String(prop)}`;
        return (...args) => this.guard(() => Promise.resolve(v.apply(obj, args)), {
          timeoutMs: typeof bound === "function" ? bound(...args) : bound,
          what
        });
      }
    });
  }
};

// src/adapters/local-files.ts
import { randomBytes } from "node:crypto";
import { appendFile, mkdir, open, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
function code(e) {
  return e.code;
}
var LocalFiles = class {
  constructor(home = homedir()) {
    this.home = home;
  }
  home;
  abs(p) {
    return isAbsolute(p) ? p : join(this.home, p);
  }
  async read(path) {
    try {
      return await readFile(this.abs(path), "utf8");
    } catch (e) {
      if (code(e) === "ENOENT") return void 0;
      throw e;
    }
  }
  async writeAtomic(path, data) {
    const target = this.abs(path);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${randomBytes(4).toString("hex")}`;
    await writeFile(tmp, data);
    await rename(tmp, target);
  }
  async createExclusive(path, data) {
    const target = this.abs(path);
    await mkdir(dirname(target), { recursive: true });
    try {
      const fh = await open(target, "wx");
      await fh.writeFile(data);
      await fh.close();
      return true;
    } catch (e) {
      if (code(e) === "EEXIST") return false;
      throw e;
    }
  }
  async append(path, data) {
    const target = this.abs(path);
    await mkdir(dirname(target), { recursive: true });
    await appendFile(target, data);
  }
  async remove(path) {
    await rm(this.abs(path), { force: true });
  }
  async list(dir) {
    try {
      return (await readdir(this.abs(dir))).sort();
    } catch (e) {
      if (code(e) === "ENOENT") return [];
      throw e;
    }
  }
  async mkdirp(dir) {
    await mkdir(this.abs(dir), { recursive: true });
  }
};

// src/adapters/plain-http.ts
function plainHttpAgent(options) {
  return { ...options, servername: "" };
}

// src/adapters/local-host.ts
var LocalHost = class {
  name = "local";
  address = "127.0.0.1";
  docker;
  files = new LocalFiles();
  constructor(socketPath = "/var/run/docker.sock") {
    this.docker = new Lifeline("local").wrap(
      new DockerEngine(
        // Keep-alive as Node's global agent (which it replaces) is: one socket reused across calls.
        new import_dockerode.default({ socketPath, agent: new Agent(plainHttpAgent({ keepAlive: true })) })
      ),
      DOCKER_BOUNDS,
      "docker "
    );
  }
  exec(argv, opts = {}) {
    return new Promise((resolve4) => {
      const child = execFile(
        argv[0],
        argv.slice(1),
        { maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code2 = err ? typeof err.code === "number" ? err.code : 127 : 0;
          resolve4({ code: code2, stdout, stderr });
        }
      );
      if (opts.stdin !== void 0) child.stdin?.end(opts.stdin);
    });
  }
  httpGet(port, path, timeoutMs, hostHeader) {
    return httpGet(void 0, port, path, timeoutMs, hostHeader);
  }
  httpRequest(port, req) {
    return httpRequest(void 0, port, req);
  }
  async close() {
  }
};

// src/adapters/ssh-host.ts
var import_dockerode2 = __toESM(require_docker(), 1);
import http3 from "node:http";
import { inspect } from "node:util";

// src/adapters/sftp-files.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { posix } from "node:path";
var SFTP_BOUNDS = {
  read: 3e4,
  writeAtomic: 6e4,
  createExclusive: 6e4,
  append: 6e4,
  remove: 3e4,
  list: 3e4,
  mkdirp: 6e4
};
var NO_SUCH_FILE = 2;
function call(fn) {
  return new Promise((resolve4, reject) => fn((err, v) => err ? reject(err) : resolve4(v)));
}
function missing(e) {
  return e.code === NO_SUCH_FILE;
}
var OPEN_APPENDS = 8;
var SftpFiles = class {
  constructor(sftp) {
    this.sftp = sftp;
  }
  sftp;
  /** By path, least recently used first. */
  appending = /* @__PURE__ */ new Map();
  async read(path) {
    const s = await this.sftp();
    try {
      const buf = await call((cb) => s.readFile(path, cb));
      return buf.toString("utf8");
    } catch (e) {
      if (missing(e)) return void 0;
      throw e;
    }
  }
  async writeAtomic(path, data) {
    const s = await this.sftp();
    await this.forget(path, s);
    const tmp = `${path}.tmp-${randomBytes2(4).toString("hex")}`;
    await this.inDir(tmp, () => call((cb) => s.writeFile(tmp, data, cb)));
    await call((cb) => s.ext_openssh_rename(tmp, path, cb));
  }
  async createExclusive(path, data) {
    const s = await this.sftp();
    let handle;
    try {
      handle = await this.inDir(path, () => call((cb) => s.open(path, "wx", cb)));
    } catch (e) {
      const exists = await call((cb) => s.stat(path, cb)).then(
        () => true,
        () => false
      );
      if (exists) return false;
      throw e;
    }
    const buf = Buffer.from(data);
    await call((cb) => s.write(handle, buf, 0, buf.length, 0, cb));
    await call((cb) => s.close(handle, cb));
    return true;
  }
  async append(path, data) {
    const s = await this.sftp();
    const buf = Buffer.from(data);
    for (; ; ) {
      const file = this.appendable(s, path);
      let done;
      const before = file.queue;
      file.queue = new Promise((r) => done = r);
      try {
        await before;
        if (file.closed) continue;
        const handle = await file.handle;
        await call((cb) => s.write(handle, buf, 0, buf.length, file.size, cb));
        file.size += buf.length;
        return;
      } catch (e) {
        done();
        if (this.appending.get(path) === file) await this.forget(path, s);
        throw e;
      } finally {
        done();
      }
    }
  }
  async remove(path) {
    const s = await this.sftp();
    await this.forget(path, s);
    try {
      await call((cb) => s.unlink(path, cb));
    } catch (e) {
      if (!missing(e)) throw e;
    }
  }
  async list(dir) {
    const s = await this.sftp();
    try {
      const entries = await call((cb) => s.readdir(dir, cb));
      return entries.map((e) => e.filename).sort();
    } catch (e) {
      if (missing(e)) return [];
      throw e;
    }
  }
  async mkdirp(dir) {
    const s = await this.sftp();
    const parts = dir.split("/").filter(Boolean);
    let cur = dir.startsWith("/") ? "" : ".";
    for (const part of parts) {
      cur = cur === "" ? `/${part}` : `${cur}/${part}`;
      const exists = await call((cb) => s.stat(cur, cb)).then(
        () => true,
        () => false
      );
      if (!exists) {
        await call((cb) => s.mkdir(cur, cb)).catch(async (e) => {
          const now = await call((cb) => s.stat(cur, cb)).then(
            () => true,
            () => false
          );
          if (!now) throw e;
        });
      }
    }
  }
  /** Runs op on a path; when its directory is missing, makes it and runs op once more. */
  async inDir(path, op) {
    try {
      return await op();
    } catch (e) {
      if (!missing(e)) throw e;
      await this.mkdirp(posix.dirname(path));
      return op();
    }
  }
  /** The open file for appending to path on this channel: opened (and its end found) once. */
  appendable(s, path) {
    const open3 = this.appending.get(path);
    this.appending.delete(path);
    if (open3 && open3.sftp === s && !open3.closed) {
      this.appending.set(path, open3);
      return open3;
    }
    const file = {
      sftp: s,
      handle: this.openForAppend(s, path),
      size: 0,
      queue: Promise.resolve(),
      closed: false
    };
    file.queue = file.handle.then(
      (h) => call((cb) => s.fstat(h, cb)).then((st) => {
        file.size = st.size;
      }),
      () => void 0
    );
    file.handle.catch(() => {
      if (this.appending.get(path) === file) this.appending.delete(path);
    });
    this.appending.set(path, file);
    for (const [old] of this.appending) {
      if (this.appending.size <= OPEN_APPENDS) break;
      void this.forget(old, s);
    }
    return file;
  }
  openForAppend(s, path) {
    return this.inDir(path, () => call((cb) => s.open(path, "a", cb)));
  }
  /** Closes path's append handle, if one is open on this channel (before the file is replaced or removed). */
  async forget(path, s) {
    const file = this.appending.get(path);
    if (!file) return;
    this.appending.delete(path);
    file.closed = true;
    if (file.sftp !== s) return;
    let tail;
    do {
      tail = file.queue;
      await tail.catch(() => void 0);
    } while (tail !== file.queue);
    const handle = await file.handle.catch(() => void 0);
    if (handle) await call((cb) => s.close(handle, cb)).catch(() => void 0);
  }
};

// src/adapters/shell.ts
function shellQuote(arg) {
  if (arg.includes("\0")) throw new Error("argument contains a NUL byte");
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}
function shellLine(argv) {
  if (argv.length === 0) throw new Error("empty argv");
  return argv.map(shellQuote).join(" ");
}

// src/adapters/swarm-engine.ts
var S2 = 1e3;
var SWARM_BOUNDS = {
  ensureNetwork: 60 * S2,
  service: 30 * S2,
  create: 60 * S2,
  update: 60 * S2,
  remove: 60 * S2,
  tasks: 30 * S2,
  nodes: 30 * S2
};
var NS = 1e6;
function engineServiceSpec(spec) {
  const order = { Order: "start-first", Parallelism: 1, Delay: 0, Monitor: spec.monitorMs * NS };
  return {
    Name: spec.name,
    Labels: spec.labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: spec.image,
        Env: spec.env,
        ...spec.command ? { Args: spec.command } : {},
        StopGracePeriod: spec.stopGraceMs * NS,
        ...spec.health ? {
          HealthCheck: {
            Test: spec.health.test,
            Interval: spec.health.intervalMs * NS,
            Timeout: spec.health.timeoutMs * NS,
            Retries: spec.health.retries,
            StartPeriod: spec.health.startPeriodMs * NS
          }
        } : {}
      },
      ...spec.memoryBytes !== void 0 || spec.nanoCpus !== void 0 ? {
        Resources: {
          Limits: {
            ...spec.memoryBytes !== void 0 ? { MemoryBytes: spec.memoryBytes } : {},
            ...spec.nanoCpus !== void 0 ? { NanoCPUs: spec.nanoCpus } : {}
          }
        }
      } : {},
      Networks: [{ Target: spec.network }],
      // A task that fails is replaced; the update's failure_action decides about the release.
      RestartPolicy: { Condition: "any", Delay: 1 * S2 * NS, MaxAttempts: 0 },
      // Every update gets new tasks, even when only the environment differs.
      ForceUpdate: 0
    },
    Mode: { Replicated: { Replicas: spec.replicas } },
    UpdateConfig: { ...order, FailureAction: "rollback", MaxFailureRatio: 0 },
    RollbackConfig: { ...order, FailureAction: "pause", MaxFailureRatio: 0 },
    EndpointSpec: { Mode: spec.endpointMode }
  };
}
function isNotFound2(e) {
  return e.statusCode === 404;
}
var SwarmEngine = class {
  constructor(d) {
    this.d = d;
  }
  d;
  async ensureNetwork(name, labels) {
    const found = (await this.d.listNetworks({ filters: { name: [name] } })).find((n) => n.Name === name);
    if (found) return found.Labels ?? {};
    await this.d.createNetwork({ Name: name, Driver: "overlay", Attachable: true, Labels: labels });
    return labels;
  }
  async service(name) {
    try {
      const s = await this.d.getService(name).inspect();
      return {
        id: s.ID,
        name: s.Spec.Name,
        version: s.Version.Index,
        image: s.Spec.TaskTemplate.ContainerSpec.Image,
        labels: s.Spec.Labels ?? {},
        replicas: s.Spec.Mode?.Replicated?.Replicas ?? 0,
        ...s.UpdateStatus?.State ? { update: { state: s.UpdateStatus.State, message: s.UpdateStatus.Message ?? "" } } : {}
      };
    } catch (e) {
      if (isNotFound2(e)) return void 0;
      throw e;
    }
  }
  async create(spec) {
    const r = await this.d.createService(engineServiceSpec(spec));
    return r.ID ?? r.id;
  }
  async update(id, version, spec) {
    await this.d.getService(id).update({ version, ...engineServiceSpec(spec) });
  }
  async remove(id) {
    try {
      await this.d.getService(id).remove();
    } catch (e) {
      if (!isNotFound2(e)) throw e;
    }
  }
  async tasks(service) {
    const list = await this.d.listTasks({ filters: { service: [service] } });
    return list.map((t) => ({
      id: t.ID,
      node: t.NodeID ?? "",
      image: t.Spec?.ContainerSpec?.Image ?? "",
      state: t.Status?.State ?? "unknown",
      desired: t.DesiredState ?? "",
      ...t.Status?.Err ? { error: t.Status.Err } : {}
    }));
  }
  async nodes() {
    const list = await this.d.listNodes();
    return Object.fromEntries(list.map((n) => [n.ID, n.Description?.Hostname ?? n.ID]));
  }
};

// src/adapters/ssh-host.ts
var EXEC_TIMEOUT_MS = 30 * 6e4;
function asSocket(ch) {
  const s = ch;
  for (const m of ["setKeepAlive", "setNoDelay", "setTimeout", "ref", "unref"]) {
    if (typeof s[m] !== "function") s[m] = () => ch;
  }
  if (typeof s.destroySoon !== "function") s.destroySoon = () => ch.end();
  return ch;
}
var ChannelAgent = class extends http3.Agent {
  constructor(open3) {
    super(plainHttpAgent({ keepAlive: false }));
    this.open = open3;
  }
  open;
  // docker-modem formats every request's options with util.inspect({ showHidden, depth: null })
  // before it checks whether its debug log is on; through this agent that walked the whole SSH
  // connection (ssh2's client, its buffers and cipher state) on each Docker API call: tens of ms
  // of synchronous CPU per call, stalling the bot's webhooks while a deploy ran.
  [inspect.custom]() {
    return "ChannelAgent";
  }
  // Node calls createConnection(options, callback) and waits for the callback when we return nothing.
  createConnection(_opts, cb) {
    this.open().then(
      (s) => cb(null, s),
      (e) => cb(e)
    );
    return void 0;
  }
};
var SshHost = class _SshHost {
  constructor(ssh, target, creds) {
    this.ssh = ssh;
    this.target = target;
    this.creds = creds;
    this.name = `${target.user}@${target.host}:${target.port}`;
    this.address = target.host;
    this.lifeline = new Lifeline(`host ${target.host}`);
    this.watch(ssh);
    const agent = new ChannelAgent(() => this.streamLocal(creds.dockerSocket ?? "/var/run/docker.sock"));
    const dockerode = new import_dockerode2.default({ protocol: "http", host: "docker.sock", port: 80, agent });
    this.docker = this.lifeline.wrap(new DockerEngine(dockerode), DOCKER_BOUNDS, "docker ");
    if (creds.swarm) this.swarm = this.lifeline.wrap(new SwarmEngine(dockerode), SWARM_BOUNDS, "swarm ");
    this.files = this.lifeline.wrap(new SftpFiles(() => this.sftp()), SFTP_BOUNDS, "sftp ");
  }
  ssh;
  target;
  creds;
  name;
  address;
  docker;
  swarm;
  files;
  sftpChannel;
  lifeline;
  /** The connection's SFTP channel, opened by the first call (and again after a reconnect). */
  sftp() {
    if (!this.sftpChannel) {
      this.sftpChannel = this.ssh.requestSFTP();
      this.sftpChannel.catch(() => void 0);
    }
    return this.sftpChannel;
  }
  /** Logs in, or takes a login already under way with the same target and credentials. */
  static async connect(target, creds, login = sshLogin(target, creds)) {
    const ssh = await login;
    if (!ssh.isConnected()) {
      throw new TinyforgeError(
        "host_unreachable",
        `${target.user}@${target.host}:${target.port}: the SSH connection closed right after login`,
        { hint: "check the host's sshd (MaxStartups, a restart) and the network between; then run again" }
      );
    }
    const host = new _SshHost(ssh, target, creds);
    void host.sftp();
    return host;
  }
  /** The connection's end, however it comes (closed, reset, keepalive timeout), cuts the lifeline. */
  watch(ssh) {
    const conn = ssh.connection;
    if (!conn) {
      this.lifeline.cut("not connected");
      return;
    }
    let reason2 = "closed by the peer";
    const cut = () => {
      if (this.ssh === ssh) this.lifeline.cut(reason2);
    };
    conn.on("error", (e) => {
      reason2 = e.message;
      cut();
    });
    conn.on("end", cut);
    conn.on("close", cut);
  }
  /**
   * Logs in again after the connection was lost (bounded like the first login): the same Host,
   * and everything built on it (its proxy driver, its store), works again.
   */
  async reconnect() {
    const ssh = await sshLogin(this.target, this.creds);
    hangUp(this.ssh);
    this.ssh = ssh;
    this.sftpChannel = void 0;
    this.lifeline.revive();
    this.watch(ssh);
  }
  static knownHostName = knownHostName;
  streamLocal(socketPath) {
    return this.lifeline.guard(
      () => new Promise((resolve4, reject) => {
        const conn = this.ssh.connection;
        if (!conn) return reject(new Error("SSH connection is closed"));
        conn.openssh_forwardOutStreamLocal(
          socketPath,
          (err, ch) => (
            // A refusal from sshd (the connection itself is fine): nothing listens on the socket.
            err ? reject(/Channel open failure/i.test(err.message) ? this.engineGone(socketPath, err) : err) : resolve4(asSocket(ch))
          )
        );
      }),
      { timeoutMs: 3e4, what: "opening a channel to the Docker socket" }
    );
  }
  /** sshd could not open the Docker socket: nothing listens there (dockerd stopped, restarting). */
  engineGone(socketPath, cause) {
    return new TinyforgeError(
      "docker_unreachable",
      `${this.name}: the Docker engine does not answer on ${socketPath} (is dockerd running?)`,
      {
        hint: "once dockerd is back, containers come back with their restart policy; the next deploy removes what this one left",
        cause
      }
    );
  }
  forwardOut(port) {
    return this.lifeline.guard(
      () => new Promise((resolve4, reject) => {
        const conn = this.ssh.connection;
        if (!conn) return reject(new Error("SSH connection is closed"));
        conn.forwardOut(
          "127.0.0.1",
          0,
          "127.0.0.1",
          port,
          (err, ch) => err ? reject(err) : resolve4(asSocket(ch))
        );
      }),
      { timeoutMs: 3e4, what: `opening a tunnel to port ${port}` }
    );
  }
  exec(argv, opts = {}) {
    return this.lifeline.guard(
      async () => {
        const line = this.creds.dockerSocket ? shellLine(["env", `DOCKER_HOST=unix://${this.creds.dockerSocket}`, ...argv]) : shellLine(argv);
        const r = await this.ssh.execCommand(line, { stdin: opts.stdin, noTrim: true });
        return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
      },
      { timeoutMs: EXEC_TIMEOUT_MS, what: `\`${argv.slice(0, 3).join(" ")}\`` }
    );
  }
  // Probes and admin calls carry their own timeout; the lifeline adds the dropped connection.
  httpGet(port, path, timeoutMs, hostHeader) {
    return this.lifeline.guard(() => httpGet(() => this.forwardOut(port), port, path, timeoutMs, hostHeader));
  }
  httpRequest(port, req) {
    return this.lifeline.guard(() => httpRequest(() => this.forwardOut(port), port, req));
  }
  async close() {
    if (!this.lifeline.lost) {
      const sftp = await this.sftpChannel?.catch(() => void 0);
      sftp?.end();
    }
    this.lifeline.cut("closed by us");
    hangUp(this.ssh);
  }
};

// src/adapters/open-host.ts
async function openHost(entry, secrets, login) {
  const host = await connectHost(entry, secrets, login);
  try {
    await host.docker.ping();
  } catch (e) {
    await host.close();
    throw engineSilent(entry, host, e);
  }
  return host;
}
function engineSilent(entry, host, e) {
  const target = parseHostTarget(entry);
  if (target.kind === "local") {
    return new TinyforgeError(
      "host_unreachable",
      `cannot reach the local Docker engine: ${errorMessage(e)}`,
      {
        hint: "start dockerd (or Docker Desktop) and check access to /var/run/docker.sock"
      }
    );
  }
  return new TinyforgeError(
    "host_unreachable",
    `${host.name}: connected, but the Docker engine does not answer: ${errorMessage(e)}`,
    {
      hint: `check that dockerd runs, that the SSH user may use ${target.dockerSocket ?? "/var/run/docker.sock"}, and sshd's AllowStreamLocalForwarding`
    }
  );
}
async function connectHost(entry, secrets, login) {
  const target = parseHostTarget(entry);
  if (target.kind === "local") return new LocalHost();
  if (!secrets.sshKey) {
    throw new TinyforgeError("usage", `${entry}: no SSH key`, {
      hint: "set TINYFORGE_SSH_KEY (the key text) or TINYFORGE_SSH_KEY_FILE"
    });
  }
  if (!secrets.knownHosts) {
    throw new TinyforgeError("usage", `${entry}: no pinned host keys`, {
      hint: "set TINYFORGE_KNOWN_HOSTS (known_hosts lines) or TINYFORGE_KNOWN_HOSTS_FILE, or pin the host in ~/.ssh/known_hosts; unknown host keys are refused"
    });
  }
  const parsed = import_ssh2.default.utils.parseKey(secrets.sshKey);
  if (parsed instanceof Error) {
    throw new TinyforgeError("usage", `${entry}: the SSH key cannot be read (${parsed.message})`, {
      hint: "TINYFORGE_SSH_KEY must hold an unencrypted private key (the whole file, BEGIN to END lines), or use TINYFORGE_SSH_KEY_FILE"
    });
  }
  const { dockerSocket: _socket, swarm, ...address } = target;
  return SshHost.connect(
    address,
    {
      privateKey: secrets.sshKey,
      knownHosts: secrets.knownHosts,
      ...target.dockerSocket ? { dockerSocket: target.dockerSocket } : {},
      ...swarm ? { swarm } : {},
      connectTimeoutMs: secrets.connectTimeoutMs,
      keepaliveMs: secrets.keepaliveMs
    },
    login
  );
}

// src/adapters/proxy/admin-api.ts
function adminEndpoint(url) {
  const u = new URL(url);
  const port = u.port ? Number(u.port) : 80;
  return { port, hostHeader: u.host, base: u.pathname.replace(/\/+$/, "") };
}
var AdminApi = class {
  constructor(host, endpoint, what, hint, timeoutMs = 3e4, retries = 0) {
    this.host = host;
    this.endpoint = endpoint;
    this.what = what;
    this.hint = hint;
    this.timeoutMs = timeoutMs;
    this.retries = retries;
  }
  host;
  endpoint;
  what;
  hint;
  timeoutMs;
  retries;
  async call(method, path, body, headers = {}, raw = false) {
    for (let attempt2 = 0; ; attempt2++) {
      try {
        return await this.once(method, path, body, headers, raw);
      } catch (e) {
        if (attempt2 >= this.retries || e.code !== "deploy_failed") throw e;
        await new Promise((r) => setTimeout(r, 50 * (attempt2 + 1)));
      }
    }
  }
  async once(method, path, body, headers, raw) {
    let res;
    try {
      res = await this.host.httpRequest(this.endpoint.port, {
        method,
        path: `${this.endpoint.base}${path}`,
        headers: {
          host: this.endpoint.hostHeader,
          accept: "application/json",
          ...body !== void 0 ? { "content-type": "application/json" } : {},
          ...headers
        },
        ...body !== void 0 ? { body: raw ? String(body) : JSON.stringify(body) } : {},
        timeoutMs: this.timeoutMs
      });
    } catch (e) {
      throw new TinyforgeError(
        "deploy_failed",
        `cannot reach ${this.what} at 127.0.0.1:${this.endpoint.port} on ${this.host.name} (${method} ${path}: ${errorMessage(e)})`,
        { hint: this.hint, cause: e }
      );
    }
    return { status: res.status, headers: res.headers, body: res.body, json: parseJson(res.body) };
  }
};
function parseJson(text) {
  if (!text.trim()) return void 0;
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}
function clip(text, n = 300) {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > n ? `${one.slice(0, n - 1)}\u2026` : one;
}

// src/adapters/proxy/check.ts
var LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
var HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);
var UPSTREAM_HOST = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,253}$/;
function checkHostname(hostname) {
  if (!HOSTNAME.test(hostname)) {
    throw new TinyforgeError(
      "config_invalid",
      `route hostname ${JSON.stringify(hostname)} is not a DNS name (lowercase letters, digits, "-" and ".")`,
      { hint: "check domain, hostname_pattern and tag_hostname_pattern in the config" }
    );
  }
}
function checkRoute(route) {
  checkHostname(route.hostname);
  for (const alias of route.aliases ?? []) checkHostname(alias);
  for (const u of [route.upstream, ...route.upstreams ?? []]) checkUpstream(u);
  if (route.health && !/^\/[A-Za-z0-9._~/-]*$/.test(route.health.path))
    throw new TinyforgeError(
      "config_invalid",
      `health check path ${JSON.stringify(route.health.path)} is not a plain path`,
      {
        hint: "check workloads.W.healthcheck.path"
      }
    );
}
function checkUpstream({ host, port }) {
  if (!UPSTREAM_HOST.test(host) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TinyforgeError(
      "deploy_failed",
      `route upstream ${JSON.stringify(`${host}:${port}`)} is not a container name or address with a port`
    );
  }
}
function routeNames(route) {
  return [route.hostname, ...route.aliases ?? []];
}
function withNames(names, rest) {
  const [hostname, ...aliases] = names;
  return { hostname, ...aliases.length ? { aliases } : {}, ...rest };
}
function parseHostPort(text) {
  const m = /^([^:\s]+):(\d{1,5})$/.exec(text);
  if (!m) return void 0;
  return { host: m[1], port: Number(m[2]) };
}

// src/adapters/proxy/caddy-route.ts
function balance(health) {
  return {
    load_balancing: {
      selection_policy: { policy: "round_robin" },
      try_duration: "5s",
      try_interval: "100ms"
    },
    health_checks: {
      active: { uri: health.path, interval: health.interval, timeout: "2s" },
      passive: { fail_duration: "10s", max_fails: 1 }
    }
  };
}
function spread(host, port) {
  return {
    dynamic_upstreams: { source: "a", name: host, port: String(port), refresh: "1s" },
    load_balancing: {
      selection_policy: { policy: "round_robin" },
      try_duration: "10s",
      try_interval: "50ms",
      retry_match: [{ method: ["GET", "HEAD", "OPTIONS"] }]
    }
  };
}
function caddyRouteId(hostname) {
  return `tinyforge-${hostname}`;
}
function caddyRoute(route) {
  return {
    "@id": caddyRouteId(route.hostname),
    // Every name in one matcher: one route, one upstream, one swap for all of them.
    match: [{ host: routeNames(route) }],
    handle: [
      {
        handler: "reverse_proxy",
        upstreams: (route.upstreams ?? [route.upstream]).map((u) => ({ dial: `${u.host}:${u.port}` })),
        ...route.spread ? spread(route.upstream.host, route.upstream.port) : {},
        ...route.health ? balance(route.health) : {}
      }
    ],
    // No later route (a catch-all) gets a say once this one matched.
    terminal: true
  };
}
function routeFromCaddy(hostname, tls, json) {
  const r = json;
  const h = r?.handle?.find((x) => x?.handler === "reverse_proxy");
  const dial2 = h?.upstreams?.[0]?.dial;
  const upstream = typeof dial2 === "string" ? parseHostPort(dial2) : void 0;
  if (!upstream) return void 0;
  const hosts = r?.match?.[0]?.host;
  const aliases = Array.isArray(hosts) ? hosts.filter((n) => typeof n === "string" && n !== hostname) : [];
  const route = withNames([hostname, ...aliases], { upstream, tls });
  if (h?.dynamic_upstreams) return { ...route, spread: true };
  const active = h?.health_checks?.active;
  if (!active) return route;
  const upstreams = (h?.upstreams ?? []).flatMap((u) => parseHostPort(String(u?.dial)) ?? []);
  return { ...route, upstreams, health: { path: active.uri, interval: active.interval } };
}
function sameJson(a, b) {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
function canonical(v) {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v).sort().map((k) => [k, canonical(v[k])])
    );
  }
  return v;
}

// src/adapters/proxy/caddy-durability.ts
var CADDYFILE_DEFAULT = "/etc/caddy/Caddyfile";
async function caddyRoutesVolatile(api, files, caddyfile) {
  const text = await files.read(caddyfile).catch(() => void 0);
  if (text === void 0) return void 0;
  const adapted = await api.call("POST", "/adapt", text, { "content-type": "text/caddyfile" }, true);
  const running = await api.call("GET", "/config/");
  const result2 = adapted.json?.result;
  if (adapted.status !== 200 || running.status !== 200 || result2 === void 0) return void 0;
  if (!sameJson(withoutOurRoutes(running.json), withoutOurRoutes(result2))) return void 0;
  return `caddy runs the config of ${caddyfile}, which does not hold tinyforge's routes: a reload (systemctl reload caddy) or restart drops them until the next deploy`;
}
function withoutOurRoutes(config) {
  const copy = structuredClone(config);
  for (const server of Object.values(copy?.apps?.http?.servers ?? {})) {
    const routes = (server.routes ?? []).filter(
      (r) => !(typeof r["@id"] === "string" && r["@id"].startsWith("tinyforge-"))
    );
    if (routes.length > 0) server.routes = routes;
    else delete server.routes;
  }
  return copy;
}

// src/adapters/proxy/caddy-reloads.ts
var MIGRATE_REQ = "/proc/sys/net/ipv4/tcp_migrate_req";
var MIGRATE_REQ_FIX = "echo 'net.ipv4.tcp_migrate_req = 1' > /etc/sysctl.d/60-tinyforge.conf && sysctl --system on the host (caddy in a container: docker run --sysctl net.ipv4.tcp_migrate_req=1; README: Caddy's reloads and tcp_migrate_req)";
var LOSES = "each route change (each swap) resets the new connections queued on caddy's old socket";
async function caddyReloadsReset(files) {
  const value = (await files.read(MIGRATE_REQ))?.trim();
  if (value === "1") return void 0;
  if (value === void 0)
    return {
      reason: `this kernel has no net.ipv4.tcp_migrate_req (Linux 5.14+): ${LOSES}`,
      fix: "upgrade the host's kernel to 5.14 or later, or use proxy.driver: nginx, which keeps its socket across a reload"
    };
  return { reason: `net.ipv4.tcp_migrate_req = ${value}: ${LOSES}`, fix: MIGRATE_REQ_FIX };
}

// src/adapters/proxy/caddy.ts
var CADDY_DEFAULT_ADMIN = "http://127.0.0.1:2019";
var CADDY_DEFAULT_SERVER = "srv0";
var ATTEMPTS = 20;
function backoff(attempt2) {
  const ms = Math.min(500, attempt2 * (10 + Math.random() * 40));
  return new Promise((r) => setTimeout(r, ms));
}
var CaddyProxy = class {
  constructor(host, opts) {
    this.host = host;
    const admin = opts.admin ?? CADDY_DEFAULT_ADMIN;
    this.server = opts.server ?? CADDY_DEFAULT_SERVER;
    this.tls = opts.tls;
    this.caddyfile = opts.caddyfile ?? CADDYFILE_DEFAULT;
    this.api = new AdminApi(
      host,
      adminEndpoint(admin),
      "the caddy admin API",
      `check that caddy runs on ${host.name} with its admin endpoint at ${admin} (proxy.admin)`,
      3e4,
      // Every write is conditional (If-Match): one that did land before a reset gets a 412 when
      // repeated, and the next read finds the route as wanted.
      3
    );
  }
  host;
  driver = "caddy";
  api;
  server;
  tls;
  caddyfile;
  get routesPath() {
    return `/config/apps/http/servers/${this.server}/routes`;
  }
  async upsert(route) {
    checkRoute(route);
    const want = caddyRoute(route);
    const id = want["@id"];
    for (let attempt2 = 1; ; attempt2++) {
      const routes = await this.readRoutes();
      const current = this.ours(routes, id);
      let r;
      if (current === void 0) {
        r = await this.api.call("POST", `${this.routesPath}/...`, [want], ifMatch(routes));
      } else if (!sameJson(current, want)) {
        r = await this.api.call("PATCH", `/id/${id}`, want, ifMatch(routes));
      } else {
        return;
      }
      if (r.status === 412 && attempt2 < ATTEMPTS) {
        await backoff(attempt2);
        continue;
      }
      if (r.status !== 200) throw this.refused(current === void 0 ? "POST" : "PATCH", route.hostname, r);
      break;
    }
    const after = this.ours(await this.readRoutes(), id);
    if (after === void 0 || !sameJson(after, want)) {
      throw new TinyforgeError(
        "deploy_failed",
        `caddy accepted the route for ${route.hostname} but holds ${after === void 0 ? "none" : "another one"} right after`,
        {
          hint: "another client is rewriting caddy's config at the same time (a caddy reload, a Caddyfile, another tool)"
        }
      );
    }
  }
  async remove(hostname) {
    checkHostname(hostname);
    const id = caddyRouteId(hostname);
    for (let attempt2 = 1; attempt2 <= ATTEMPTS * 2; attempt2++) {
      const routes = await this.readRoutes();
      const index = routes.list.findIndex((r2) => r2["@id"] === id);
      if (index < 0) return;
      const r = await this.api.call("DELETE", `${this.routesPath}/${index}`, void 0, ifMatch(routes));
      if (r.status === 412) await backoff(attempt2);
      else if (r.status !== 200) throw this.refused("DELETE", hostname, r);
    }
    throw new TinyforgeError("deploy_failed", `caddy: could not remove the route for ${hostname}`, {
      hint: "another client keeps changing caddy's routes; try again"
    });
  }
  async get(hostname) {
    checkHostname(hostname);
    const json = this.ours(await this.readRoutes(), caddyRouteId(hostname));
    return json === void 0 ? void 0 : routeFromCaddy(hostname, this.tls, json);
  }
  volatile() {
    return caddyRoutesVolatile(this.api, this.host.files, this.caddyfile);
  }
  async reloadsReset() {
    const resets = await caddyReloadsReset(this.host.files);
    return resets && `${resets.reason}; under load each swap loses a few requests: ${resets.fix}`;
  }
  url(route) {
    return `${route.tls ? "https" : "http"}://${route.hostname}`;
  }
  /** The server's routes in one read, with the ETag that conditions the next write on them. */
  async readRoutes() {
    const r = await this.api.call("GET", this.routesPath);
    if (r.status !== 200) throw this.refused("GET", void 0, r);
    const list = Array.isArray(r.json) ? r.json : [];
    return { list, ...r.headers.etag ? { etag: r.headers.etag } : {} };
  }
  /** Our route; more than one is refused rather than guessed at. */
  ours(routes, id) {
    const mine = routes.list.filter((r) => r["@id"] === id);
    if (mine.length > 1) {
      throw new TinyforgeError(
        "deploy_failed",
        `caddy's server ${this.server} has ${mine.length} routes with @id ${id}`,
        {
          hint: "another client duplicated it (PUT /id/X or a second POST insert a copy): remove the copies, or run tinyforge teardown and deploy again"
        }
      );
    }
    return mine[0];
  }
  refused(method, hostname, r) {
    const message = r.json?.error;
    return new TinyforgeError(
      "deploy_failed",
      `caddy refused ${method} ${this.routesPath}${hostname ? ` for ${hostname}` : ""}: HTTP ${r.status}${typeof message === "string" ? ` ${clip(message)}` : ""}`,
      {
        hint: `check that caddy's config has apps.http.servers.${this.server} (proxy.server; GET /config/apps/http/servers on the admin API)`
      }
    );
  }
};
function ifMatch(routes) {
  return routes.etag ? { "if-match": routes.etag } : {};
}

// src/adapters/proxy/nginx-advice.ts
function bucketSizeFor(length) {
  const need = Math.ceil((8 + length + 2) / 8) * 8 + 8;
  let size = 128;
  while (size < need) size *= 2;
  return size;
}
function nginxConfigFix(output, hostname) {
  const bucket = /increase (?:either )?server_names_hash_(max_size|bucket_size)(?::\s*(\d+))?/.exec(output);
  if (!bucket) return void 0;
  const current = Number(/server_names_hash_bucket_size:\s*(\d+)/.exec(output)?.[1] ?? 64);
  const size = Math.max(bucketSizeFor(hostname.length), current * 2);
  if (/server_names_hash_max_size/.test(output)) {
    const max = Number(/server_names_hash_max_size:\s*(\d+)/.exec(output)?.[1] ?? 512);
    return `server_names_hash_max_size ${max * 2}; server_names_hash_bucket_size ${size};`;
  }
  return `server_names_hash_bucket_size ${size};`;
}

// src/adapters/proxy/nginx-block.ts
import { createHash } from "node:crypto";
var ROUTE_PROBE_PATH = "/.well-known/tinyforge-route";
var WORKER_HEADER = "x-tinyforge-worker";
function defaultListen(tls) {
  return tls ? "443 ssl" : "80";
}
function upstreamName(hostname) {
  const id = createHash("sha256").update(hostname).digest("hex").slice(0, 8);
  return `${legacyUpstreamName(hostname)}_${id}`;
}
function legacyUpstreamName(hostname) {
  return `tinyforge_${hostname.replace(/[.-]/g, "_")}`;
}
var KEEPALIVE = `    keepalive 256;
    keepalive_timeout 1s;
`;
var CONNECTION_MAP = `map $http_upgrade $tinyforge_connection {
    default upgrade;
    ""      "";
}

`;
function upstreamGroup(route) {
  const servers = route.upstreams ? route.upstreams.map((u) => `    server ${u.host}:${u.port} max_fails=1 fail_timeout=10s;
`).join("") : `    server ${route.upstream.host}:${route.upstream.port};
`;
  return `upstream ${upstreamName(route.hostname)} {
${servers}${KEEPALIVE}}

`;
}
var BALANCED = `
        proxy_next_upstream error timeout http_502 http_503;
        proxy_next_upstream_timeout 5s;
        proxy_connect_timeout 2s;`;
function nginxServerBlock(route, listen) {
  const balanced = route.upstreams !== void 0;
  const servers = (route.upstreams ?? [route.upstream]).map((u) => `${u.host}:${u.port}`);
  const names = routeNames(route).join(" ");
  const revision = createHash("sha256").update(JSON.stringify([names, balanced, listen, ...servers])).digest("hex").slice(0, 12);
  const text = `# Managed by tinyforge: rewritten on every deploy of ${route.hostname}, removed with it. Do not edit.
${CONNECTION_MAP}${upstreamGroup(route)}server {
    listen ${listen};
    server_name ${names};

    # The block's revision: a deploy reads it back through nginx to know the reload took effect,
    # and which worker answered, to wait for the workers of the previous configuration to exit.
    location = ${ROUTE_PROBE_PATH} {
        access_log off;
        default_type text/plain;
        add_header X-Tinyforge-Worker $pid;
        return 200 "${revision}\\n";
    }

    location / {
        proxy_pass http://${upstreamName(route.hostname)};
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $tinyforge_connection;${balanced ? BALANCED : ""}
    }
}
`;
  return { text, revision };
}
function routeFromNginx(hostname, text) {
  const names = /^\s*server_name\s+([^;]+);/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
  const pass = /^\s*proxy_pass\s+http:\/\/([^;\s/]+);/m.exec(text)?.[1];
  const listen = /^\s*listen\s+([^;]+);/m.exec(text)?.[1];
  const servers = pass === upstreamName(hostname) || pass === legacyUpstreamName(hostname) ? [...text.matchAll(/^\s*server\s+([^;\s]+)[^;]*;/gm)].flatMap((m) => parseHostPort(m[1]) ?? []) : void 0;
  const upstreams = servers && /^\s*proxy_next_upstream\s/m.test(text) ? servers : void 0;
  const upstream = servers ? servers[0] : pass ? parseHostPort(pass) : void 0;
  if (names[0] !== hostname || !upstream || listen === void 0) return void 0;
  return withNames(names, { upstream, tls: /\bssl\b/.test(listen), ...upstreams ? { upstreams } : {} });
}
function probePort(listen) {
  const [addr, ...params] = listen.trim().split(/\s+/);
  if (!addr || params.includes("ssl")) return void 0;
  const m = /^(?:(127\.0\.0\.1|localhost|\*|0\.0\.0\.0|\[::\]):)?(\d{1,5})$/.exec(addr);
  return m ? Number(m[2]) : void 0;
}

// src/adapters/proxy/nginx-workers.ts
var PS_ARGV = ["ps", "-e", "-o", "pid=,ppid=,args="];
function parsePs(text) {
  return text.split("\n").flatMap((line) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    return m ? [{ pid: Number(m[1]), ppid: Number(m[2]), args: m[3].trim() }] : [];
  });
}
var isWorker = (p) => p.args.startsWith("nginx: worker process");
function masterOf(procs, workerPid) {
  const worker = procs.find((p) => p.pid === workerPid && isWorker(p));
  const master = worker && procs.find((p) => p.pid === worker.ppid);
  return master?.args.startsWith("nginx: master process") ? master.pid : void 0;
}
function workersOf(procs, master) {
  return procs.filter((p) => p.ppid === master && isWorker(p)).map((p) => p.pid);
}
function stillRunning(before, now, master) {
  const alive = new Set(workersOf(now, master));
  return workersOf(before, master).filter((pid) => alive.has(pid));
}

// src/adapters/proxy/nginx.ts
var NGINX_DEFAULT_DIR = "/etc/nginx/conf.d/tinyforge";
var sleep = (ms) => new Promise((r) => setTimeout(r, ms));
var NginxProxy = class {
  constructor(host, opts) {
    this.host = host;
    this.dir = (opts.configDir ?? NGINX_DEFAULT_DIR).replace(/\/+$/, "");
    this.command = opts.command ?? ["nginx"];
    this.listen = opts.listen ?? defaultListen(opts.tls);
    this.settleMs = opts.settleMs ?? 1e4;
    this.stableMs = opts.stableMs ?? 250;
    this.oldWorkersMs = opts.oldWorkersMs ?? 1e4;
  }
  host;
  driver = "nginx";
  dir;
  command;
  listen;
  settleMs;
  stableMs;
  oldWorkersMs;
  fileOf(hostname) {
    return `${this.dir}/${hostname}.conf`;
  }
  async upsert(route) {
    checkRoute(route);
    const block = nginxServerBlock(route, this.listen);
    const path = this.fileOf(route.hostname);
    const previous = await this.host.files.read(path);
    if (previous === block.text && await this.serves(route.hostname, block.revision, 0, 0)) return;
    await this.host.files.writeAtomic(path, block.text);
    const listed = this.processes();
    let before;
    await this.apply(path, previous, route.hostname, `the server block for ${route.hostname}`, async () => {
      before = await listed;
    });
    const served2 = await this.serves(route.hostname, block.revision, this.settleMs, this.stableMs);
    if (!served2) {
      const undo = await this.restore(path, previous);
      if (!undo) await this.run("-t").then((t) => t.code === 0 ? this.run("-s", "reload") : t);
      throw new TinyforgeError(
        "deploy_failed",
        `nginx reloaded but does not serve the new server block for ${route.hostname} within ${this.settleMs} ms${undo}`,
        {
          hint: `check that nginx's http block has \`include ${this.dir}/*.conf;\` and that proxy.listen (${this.listen}) is where nginx serves`
        }
      );
    }
    return previous === void 0 ? void 0 : this.oldWorkersGone(before, served2.worker);
  }
  /**
   * Waits (oldWorkersMs at most) until every worker this nginx ran before the reload has exited:
   * until then one may still send a request to the previous upstream. Says what it could not see
   * or what is still running; undefined when they were gone at the first look.
   */
  async oldWorkersGone(before, worker) {
    const blind = (why) => ({
      level: "info",
      message: `nginx's previous workers are not visible from the host (${why}): only the drain protects the requests they hold`
    });
    if (!before || worker === void 0)
      return blind(before ? "no worker PID in the probe's answer" : "`ps` failed");
    const t0 = Date.now();
    for (let look = 0; ; look++) {
      const now = await this.processes();
      if (!now) return blind("`ps` failed");
      const master = masterOf(now, worker);
      if (master === void 0) return blind("nginx runs in another PID namespace, or ps does not list it");
      const left = stillRunning(before, now, master);
      const ms = Date.now() - t0;
      if (left.length === 0)
        return look === 0 ? void 0 : {
          level: "info",
          message: `nginx's previous workers exited ${ms} ms after the new block was served`
        };
      if (ms >= this.oldWorkersMs)
        return {
          level: "warn",
          message: `nginx's workers from before the reload (PID ${left.join(", ")}) still run after ${ms} ms: they hold requests (slow ones, WebSockets) on the previous container, which break when it stops after the drain`
        };
      await sleep(100);
    }
  }
  /** The host's processes, or undefined when `ps` fails there. */
  async processes() {
    const r = await this.host.exec(PS_ARGV).catch(() => void 0);
    return r?.code === 0 ? parsePs(r.stdout) : void 0;
  }
  async remove(hostname) {
    checkHostname(hostname);
    const path = this.fileOf(hostname);
    const previous = await this.host.files.read(path);
    if (previous === void 0) return;
    await this.host.files.remove(path);
    await this.apply(path, previous, hostname, `the removal of ${hostname}`);
  }
  async get(hostname) {
    checkHostname(hostname);
    const text = await this.host.files.read(this.fileOf(hostname));
    return text === void 0 ? void 0 : routeFromNginx(hostname, text);
  }
  url(route) {
    return `${route.tls ? "https" : "http"}://${route.hostname}`;
  }
  /** nginx -t, then reload; on either failure the previous file is back before the error. */
  async apply(path, previous, hostname, what, beforeReload) {
    const test = await this.run("-t");
    if (test.code !== 0) {
      const undo = await this.restore(path, previous);
      const fix = nginxConfigFix(`${test.stderr}
${test.stdout}`, hostname);
      throw this.failed(
        `nginx -t rejected ${what}${undo}${fix ? `; add \`${fix}\` inside http { } in nginx.conf` : ""}`,
        test,
        fix ? `add \`${fix}\` inside the http { } block of nginx.conf, then deploy again; nginx still runs the previous configuration` : "nginx still runs the previous configuration"
      );
    }
    await beforeReload?.();
    const reload = await this.run("-s", "reload");
    if (reload.code !== 0) {
      const undo = await this.restore(path, previous);
      throw this.failed(
        `nginx -s reload failed after ${what}${undo}`,
        reload,
        "is nginx running? (proxy.command)"
      );
    }
  }
  /** Puts the previous file back (or removes a new one); "" when done, else what went wrong. */
  async restore(path, previous) {
    try {
      if (previous === void 0) await this.host.files.remove(path);
      else await this.host.files.writeAtomic(path, previous);
      return "";
    } catch (e) {
      return `; putting the previous ${path} back failed too (${errorMessage(e)}): check it by hand`;
    }
  }
  run(...args) {
    return this.host.exec([...this.command, ...args]);
  }
  /**
   * Served once nginx has answered the block's revision on every probe (each a new connection)
   * for stableMs: then no worker of the previous generation is left accepting (one may still
   * finish what it holds: oldWorkersGone). Undefined when that does not happen within waitMs; at
   * once when the listen address cannot be probed from the host's loopback.
   */
  async serves(hostname, revision, waitMs, stableMs) {
    const port = probePort(this.listen);
    if (port === void 0) return {};
    const deadline = Date.now() + waitMs;
    let since;
    for (; ; ) {
      let worker;
      const body = await this.host.httpRequest(port, {
        method: "GET",
        path: ROUTE_PROBE_PATH,
        headers: { host: hostname },
        timeoutMs: 2e3
      }).then(
        (r) => {
          const pid = Number(r.headers[WORKER_HEADER]);
          worker = Number.isInteger(pid) && pid > 0 ? pid : void 0;
          return r.status === 200 ? r.body.trim() : "";
        },
        () => ""
      );
      const now = Date.now();
      since = body === revision ? since ?? now : void 0;
      if (since !== void 0 && now - since >= stableMs) return worker === void 0 ? {} : { worker };
      if (now >= deadline) return void 0;
      await sleep(25);
    }
  }
  failed(message, r, hint) {
    const out = (r.stderr || r.stdout).split("\n").filter((l) => l.trim() && !/syntax is ok|test is successful/.test(l)).slice(-3).join(" | ");
    return new TinyforgeError("deploy_failed", `${message} (exit ${r.code}${out ? `: ${clip(out)}` : ""})`, {
      hint
    });
  }
};

// src/adapters/proxy/none.ts
var NoProxy = class {
  driver = "none";
  async upsert(_route) {
  }
  async remove(_hostname) {
  }
  async get(_hostname) {
    return void 0;
  }
  url(route) {
    return `http://${route.upstream.host}:${route.upstream.port}`;
  }
};

// src/adapters/proxy/npm-client.ts
var CREDENTIALS_HINT = "set TINYFORGE_PROXY_USER and TINYFORGE_PROXY_PASSWORD (an NPM user allowed to manage proxy hosts), or TINYFORGE_PROXY_TOKEN";
function npmMessage(r) {
  const m = r.json?.error?.message;
  return typeof m === "string" ? m : void 0;
}
function expired(r) {
  return r.status === 400 && /token has expired/i.test(npmMessage(r) ?? "");
}
function npmCredentialsProblem(creds) {
  if (creds.token || creds.user && creds.password) return void 0;
  return new TinyforgeError("usage", "proxy.driver npm: no Nginx Proxy Manager credentials", {
    hint: CREDENTIALS_HINT
  });
}
var NpmClient = class {
  constructor(api, creds) {
    this.api = api;
    this.creds = creds;
    const problem2 = npmCredentialsProblem(creds);
    if (problem2) throw problem2;
    this.token = creds.token;
  }
  api;
  creds;
  token;
  /** From the login answer; a token this close to its end is replaced before use. */
  expiresAt;
  /** METHOD /api/PATH with the token; an expired token is renewed once. */
  async request(method, path, body) {
    let token = await this.currentToken();
    let r = await this.api.call(method, `/api${path}`, body, { authorization: `Bearer ${token}` });
    if (expired(r)) {
      if (!this.canLogin()) {
        throw new TinyforgeError("deploy_failed", "Nginx Proxy Manager: TINYFORGE_PROXY_TOKEN has expired", {
          hint: CREDENTIALS_HINT
        });
      }
      this.token = void 0;
      token = await this.currentToken();
      r = await this.api.call(method, `/api${path}`, body, { authorization: `Bearer ${token}` });
    }
    if (r.status === 403 || r.status === 401) {
      throw new TinyforgeError(
        "deploy_failed",
        `Nginx Proxy Manager refused ${method} /api${path}: HTTP ${r.status}${npmMessage(r) ? ` ${clip(npmMessage(r))}` : ""}`,
        { hint: CREDENTIALS_HINT }
      );
    }
    return r;
  }
  canLogin() {
    return !!(this.creds.user && this.creds.password);
  }
  async currentToken() {
    const stale = this.expiresAt !== void 0 && Date.now() > this.expiresAt - 3e4;
    if (this.token && !stale) return this.token;
    if (!this.canLogin()) return this.token;
    const r = await this.api.call("POST", "/api/tokens", {
      identity: this.creds.user,
      secret: this.creds.password
    });
    const answer = r.json;
    if (r.status === 200 && answer?.requires_2fa) {
      throw new TinyforgeError("deploy_failed", "Nginx Proxy Manager login needs a 2FA code", {
        hint: "use an NPM user without 2FA for deploys, or set TINYFORGE_PROXY_TOKEN"
      });
    }
    if (r.status !== 200 || typeof answer?.token !== "string") {
      throw new TinyforgeError(
        "deploy_failed",
        `Nginx Proxy Manager login failed: HTTP ${r.status}${npmMessage(r) ? ` ${clip(npmMessage(r))}` : ""}`,
        { hint: CREDENTIALS_HINT }
      );
    }
    this.token = answer.token;
    const exp = typeof answer.expires === "string" ? Date.parse(answer.expires) : Number.NaN;
    this.expiresAt = Number.isFinite(exp) ? exp : void 0;
    return this.token;
  }
};

// src/adapters/proxy/npm-payload.ts
function managedFields(route, o) {
  return {
    forward_scheme: o.forwardScheme ?? "http",
    forward_host: route.upstream.host,
    forward_port: route.upstream.port,
    ...o.certificateId !== void 0 ? { certificate_id: o.certificateId } : {},
    ...o.sslForced !== void 0 ? { ssl_forced: o.sslForced } : {},
    ...o.http2Support !== void 0 ? { http2_support: o.http2Support } : {},
    ...o.blockExploits !== void 0 ? { block_exploits: o.blockExploits } : {},
    ...o.allowWebsocketUpgrade !== void 0 ? { allow_websocket_upgrade: o.allowWebsocketUpgrade } : {}
  };
}
function domainNames(route) {
  return [route.hostname, ...route.aliases ?? []];
}
function createBody(route, o) {
  return {
    domain_names: domainNames(route),
    ...managedFields(route, { ...o, allowWebsocketUpgrade: o.allowWebsocketUpgrade ?? true })
  };
}
function updateBody(row, route, o) {
  const want = managedFields(route, o);
  const changed = Object.fromEntries(Object.entries(want).filter(([k, v]) => row[k] !== v));
  const names = domainNames(route);
  const have2 = Array.isArray(row.domain_names) ? row.domain_names.map((d) => d.toLowerCase()) : [];
  const same2 = have2.length === names.length && names.every((n) => have2.includes(n));
  return same2 ? changed : { domain_names: names, ...changed };
}
function revertBody(row, body) {
  return Object.fromEntries(Object.keys(body).map((k) => [k, row[k]]));
}
function exactMatches(rows, hostname) {
  const want = hostname.toLowerCase();
  return rows.filter(
    (r) => Array.isArray(r.domain_names) && r.domain_names.some((d) => d.toLowerCase() === want)
  );
}

// src/adapters/proxy/npm.ts
var NPM_DEFAULT_ADMIN = "http://127.0.0.1:81";
var HOSTS = "/nginx/proxy-hosts";
var NpmProxy = class {
  driver = "npm";
  client;
  options;
  tls;
  constructor(host, opts, creds) {
    const admin = opts.admin ?? NPM_DEFAULT_ADMIN;
    this.options = opts.options;
    this.tls = opts.tls;
    this.client = new NpmClient(
      new AdminApi(
        host,
        adminEndpoint(admin),
        "the Nginx Proxy Manager API",
        `check that Nginx Proxy Manager runs on ${host.name} with its admin port at ${admin} (proxy.admin)`
      ),
      creds
    );
  }
  async upsert(route) {
    checkRoute(route);
    let row = await this.find(route.hostname);
    if (!row) {
      const r = await this.client.request("POST", HOSTS, createBody(route, this.options));
      if (r.status === 201) {
        await this.checkOnline(r.json.id, route.hostname);
        return;
      }
      if (!(r.status === 400 && /already in use/i.test(npmMessage(r) ?? "")))
        throw this.refused("POST", HOSTS, r);
      row = await this.find(route.hostname);
      if (!row) {
        throw new TinyforgeError(
          "deploy_failed",
          `Nginx Proxy Manager: ${route.hostname} is already in use`,
          {
            hint: "a redirection host or 404 host in NPM has this domain name: remove it there, or change the route's hostname"
          }
        );
      }
    }
    const body = updateBody(row, route, this.options);
    const enabled = row.enabled === true || row.enabled === 1;
    const online = row.meta?.nginx_online === true;
    if (Object.keys(body).length === 0 && enabled && online) return;
    if (Object.keys(body).length > 0 || enabled && !online) {
      const put = Object.keys(body).length > 0 ? body : { forward_host: route.upstream.host };
      await this.put(row.id, put);
    }
    if (!enabled) {
      const r = await this.client.request("POST", `${HOSTS}/${row.id}/enable`);
      if (r.status !== 200) throw this.refused("POST", `${HOSTS}/${row.id}/enable`, r);
    }
    try {
      await this.checkOnline(row.id, route.hostname);
    } catch (e) {
      if (online && Object.keys(body).length > 0) {
        await this.put(row.id, revertBody(row, body)).catch(() => void 0);
      }
      throw e;
    }
  }
  async put(id, body) {
    const r = await this.client.request("PUT", `${HOSTS}/${id}`, body);
    if (r.status !== 200) throw this.refused("PUT", `${HOSTS}/${id}`, r);
  }
  async remove(hostname) {
    checkHostname(hostname);
    const row = await this.find(hostname);
    if (!row) return;
    const r = await this.client.request("DELETE", `${HOSTS}/${row.id}`);
    if (r.status !== 200 && r.status !== 404) throw this.refused("DELETE", `${HOSTS}/${row.id}`, r);
  }
  async get(hostname) {
    checkHostname(hostname);
    const row = await this.find(hostname);
    if (!row) return void 0;
    return { hostname, upstream: { host: row.forward_host, port: row.forward_port }, tls: this.tls };
  }
  url(route) {
    return `${route.tls ? "https" : "http"}://${route.hostname}`;
  }
  async find(hostname) {
    const path = `${HOSTS}?query=${encodeURIComponent(hostname)}`;
    const r = await this.client.request("GET", path);
    if (r.status !== 200 || !Array.isArray(r.json)) throw this.refused("GET", path, r);
    const rows = exactMatches(r.json, hostname);
    if (rows.length > 1) {
      throw new TinyforgeError(
        "deploy_failed",
        `Nginx Proxy Manager has ${rows.length} proxy hosts for ${hostname} (ids ${rows.map((h) => h.id).join(", ")})`,
        { hint: "keep one of them in NPM" }
      );
    }
    return rows[0];
  }
  async checkOnline(id, hostname) {
    const r = await this.client.request("GET", `${HOSTS}/${id}`);
    if (r.status !== 200) throw this.refused("GET", `${HOSTS}/${id}`, r);
    const meta = r.json.meta;
    if (meta?.nginx_online !== true) {
      throw new TinyforgeError(
        "deploy_failed",
        `Nginx Proxy Manager saved ${hostname} but nginx rejected its config${meta?.nginx_err ? `: ${clip(meta.nginx_err)}` : ""}`,
        {
          hint: "see the proxy host in NPM's UI (it is marked offline); its advanced config or certificate is the usual cause"
        }
      );
    }
  }
  refused(method, path, r) {
    const m = npmMessage(r);
    return new TinyforgeError(
      "deploy_failed",
      `Nginx Proxy Manager refused ${method} /api${path}: HTTP ${r.status}${m ? ` ${clip(m)}` : ""}`
    );
  }
};

// src/adapters/proxy/index.ts
function checkProxySecrets(config, secrets) {
  if (config.proxy.driver !== "npm") return;
  const problem2 = npmCredentialsProblem(npmCredentials(secrets));
  if (problem2) throw problem2;
}
function npmCredentials(s) {
  return { user: s.proxyUser, password: s.proxyPassword, token: s.proxyToken };
}
function makeProxy(config, host, secrets) {
  return proxyFor(config.proxy, host, secrets);
}
function proxyFor(p, host, secrets) {
  switch (p.driver) {
    case "none":
      return new NoProxy();
    case "caddy":
      return new CaddyProxy(host, { admin: p.admin, server: p.server, caddyfile: p.caddyfile, tls: p.tls });
    case "nginx":
      return new NginxProxy(host, {
        configDir: p.config_dir,
        command: p.command,
        listen: p.listen,
        tls: p.tls
      });
    case "npm":
      return new NpmProxy(
        host,
        {
          admin: p.admin,
          tls: p.tls,
          options: {
            forwardScheme: p.forward_scheme,
            certificateId: p.certificate_id,
            sslForced: p.ssl_forced,
            http2Support: p.http2_support,
            blockExploits: p.block_exploits,
            allowWebsocketUpgrade: p.allow_websocket_upgrade
          }
        },
        npmCredentials(secrets)
      );
  }
}

// src/adapters/forge/repo.ts
function splitRepo(repo) {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(repo);
  if (!m) throw new Error(`repository must be "owner/name" (got ${JSON.stringify(repo)})`);
  return { owner: m[1], name: m[2] };
}
function trimSlash(url) {
  return url.replace(/\/+$/, "");
}

// src/adapters/forge/github.ts
function githubStatusParams(repo, s) {
  const { owner, name } = splitRepo(repo);
  return {
    owner,
    repo: name,
    sha: s.sha,
    state: s.state,
    context: s.context,
    description: s.description,
    ...s.targetUrl ? { target_url: s.targetUrl } : {}
  };
}
function githubDeploymentParams(repo, d) {
  const { owner, name } = splitRepo(repo);
  return {
    owner,
    repo: name,
    ref: d.sha,
    task: "deploy",
    environment: d.environment,
    transient_environment: d.transient,
    description: d.description,
    // A deploy tool must not merge branches, and must not wait for its own pending status:
    // by default GitHub refuses a deployment while any status on the ref is not success (409).
    // The checks the bot waited for are listed, so GitHub shows (and verifies) what gated it.
    auto_merge: false,
    required_contexts: [...d.requiredContexts ?? []]
  };
}
function githubDeploymentStatusParams(repo, id, s) {
  const { owner, name } = splitRepo(repo);
  return {
    owner,
    repo: name,
    deployment_id: id,
    state: s.state,
    description: s.description,
    ...s.environmentUrl ? { environment_url: s.environmentUrl } : {}
  };
}
var silent2 = { debug: () => {
}, info: () => {
}, warn: () => {
}, error: () => {
} };
var KEPT_CLIENTS = 16;
var clients = /* @__PURE__ */ new Map();
function githubClient(api, token, timeoutMs) {
  const key = `${trimSlash(api)}
${timeoutMs}
${token}`;
  let client = clients.get(key);
  if (client) {
    clients.delete(key);
  } else {
    client = import("./dist-src-262LCOEI.js").then(
      ({ Octokit }) => new Octokit({
        auth: token,
        baseUrl: trimSlash(api),
        userAgent: "tinyforge",
        // Octokit's request log prints to the console: our warnings go through the deploy's events.
        log: silent2,
        request: {
          fetch: (url, init) => safeFetch(url, { ...init, timeoutMs })
        }
      })
    );
    client.catch(() => clients.delete(key));
  }
  clients.set(key, client);
  while (clients.size > KEPT_CLIENTS) clients.delete(clients.keys().next().value);
  return client;
}
var GitHubForge = class {
  constructor(api, repo, token, timeoutMs) {
    this.repo = repo;
    this.octokit = githubClient(api, token, timeoutMs);
  }
  repo;
  kind = "github";
  descriptionLimit = 140;
  octokit;
  async setStatus(s) {
    await this.call(
      "GitHub",
      (octokit) => octokit.rest.repos.createCommitStatus(githubStatusParams(this.repo, s))
    );
  }
  async createDeployment(d) {
    const res = await this.call(
      "GitHub",
      (octokit) => octokit.rest.repos.createDeployment(githubDeploymentParams(this.repo, d))
    );
    const id = res.data.id;
    if (typeof id !== "number")
      throw new OutboundError(`GitHub answered HTTP ${res.status} without a deployment`);
    return id;
  }
  async setDeploymentStatus(id, s) {
    await this.call(
      "GitHub",
      (octokit) => octokit.rest.repos.createDeploymentStatus(githubDeploymentStatusParams(this.repo, id, s))
    );
  }
  async call(what, fn) {
    const octokit = await this.octokit;
    let res;
    try {
      res = await fn(octokit);
    } catch (e) {
      const cause = e.cause;
      if (cause instanceof OutboundError) throw new OutboundError(`${what}: ${cause.message}`);
      const status2 = e.status;
      if (typeof status2 === "number" && e.response)
        throw new HttpStatusError(status2, what);
      throw new OutboundError(`${what}: request failed`);
    }
    if (res.status < 200 || res.status > 299) throw new HttpStatusError(res.status, what);
    return res;
  }
};

// src/adapters/forge/post-json.ts
async function postJson(url, headers, body, what, timeoutMs) {
  let res;
  try {
    res = await safeFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body: JSON.stringify(body),
      timeoutMs
    });
  } catch (e) {
    throw new OutboundError(`${what}: ${e instanceof OutboundError ? e.message : "connection failed"}`);
  }
  if (res.status < 200 || res.status > 299) {
    await res.body?.cancel().catch(() => void 0);
    throw new HttpStatusError(res.status, what);
  }
  return res.json().catch(() => void 0);
}

// src/adapters/forge/gitea.ts
function giteaStatusRequest(api, repo, s) {
  const { owner, name } = splitRepo(repo);
  return {
    method: "POST",
    url: `${trimSlash(api)}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/statuses/${s.sha}`,
    body: {
      state: s.state,
      context: s.context,
      description: s.description,
      ...s.targetUrl ? { target_url: s.targetUrl } : {}
    }
  };
}
var GiteaForge = class {
  constructor(api, repo, token, timeoutMs) {
    this.api = api;
    this.repo = repo;
    this.token = token;
    this.timeoutMs = timeoutMs;
  }
  api;
  repo;
  token;
  timeoutMs;
  kind = "gitea";
  // Gitea stores the description as TEXT; 255 keeps its status list readable.
  descriptionLimit = 255;
  async setStatus(s) {
    const r = giteaStatusRequest(this.api, this.repo, s);
    await postJson(r.url, { authorization: `token ${this.token}` }, r.body, "Gitea", this.timeoutMs);
  }
};

// src/adapters/forge/gitlab.ts
var GITLAB_STATE = {
  pending: "pending",
  success: "success",
  failure: "failed"
};
function gitlabStatusRequest(api, project, s) {
  return {
    method: "POST",
    // Subgroups are fine: the whole "group/sub/project" path is one encoded segment.
    url: `${trimSlash(api)}/projects/${encodeURIComponent(project)}/statuses/${s.sha}`,
    body: {
      state: GITLAB_STATE[s.state],
      name: s.context,
      description: s.description,
      ...s.targetUrl ? { target_url: s.targetUrl } : {}
    }
  };
}
var GitLabForge = class {
  constructor(api, project, token, timeoutMs) {
    this.api = api;
    this.project = project;
    this.token = token;
    this.timeoutMs = timeoutMs;
  }
  api;
  project;
  token;
  timeoutMs;
  kind = "gitlab";
  descriptionLimit = 255;
  async setStatus(s) {
    const r = gitlabStatusRequest(this.api, this.project, s);
    await postJson(r.url, { "private-token": this.token }, r.body, "GitLab", this.timeoutMs);
  }
};

// src/adapters/notify/json-webhook.ts
var JsonWebhook = class {
  constructor(url, timeoutMs, publicOnly = false) {
    this.url = url;
    this.timeoutMs = timeoutMs;
    this.publicOnly = publicOnly;
  }
  url;
  timeoutMs;
  publicOnly;
  async send(payload) {
    const what = "endpoint";
    let res;
    try {
      res = await safeFetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "tinyforge" },
        body: JSON.stringify(payload),
        timeoutMs: this.timeoutMs,
        publicOnly: this.publicOnly
      });
    } catch (e) {
      throw new OutboundError(`${what}: ${e instanceof OutboundError ? e.message : "connection failed"}`);
    }
    await res.body?.cancel().catch(() => void 0);
    if (res.status < 200 || res.status > 299) throw new HttpStatusError(res.status, what);
  }
};

// src/adapters/notify/slack-webhook.ts
var SlackWebhookNotifier = class {
  constructor(url, timeoutMs) {
    this.url = url;
    this.timeoutMs = timeoutMs;
  }
  url;
  timeoutMs;
  kind = "slack-webhook";
  updatable = false;
  async post(m) {
    const what = "incoming webhook";
    let res;
    try {
      res = await safeFetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: m.text, blocks: m.blocks, unfurl_links: false }),
        timeoutMs: this.timeoutMs
      });
    } catch (e) {
      throw new OutboundError(`${what}: ${e instanceof OutboundError ? e.message : "connection failed"}`);
    }
    await res.body?.cancel().catch(() => void 0);
    if (res.status < 200 || res.status > 299) throw new HttpStatusError(res.status, what);
    return void 0;
  }
  async update() {
  }
};

// src/report/redact-deep.ts
function redactDeep(value, redact) {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)]));
  }
  return value;
}

// src/report/text.ts
function deployWhat(info) {
  return `${info.workload}${info.tag ? ` (${info.tag})` : ""} to ${info.stage}`;
}
function environmentName(info) {
  return info.tag ? `${info.stage}/${info.tag}` : info.stage;
}
function deployLine(info, result2) {
  if (!result2) return `Deploying ${deployWhat(info)} (${info.strategy})`;
  switch (result2.outcome) {
    case "failed":
      if (result2.error?.code === "frozen") return result2.error.message;
      return `Deploy of ${deployWhat(info)} failed: ${result2.error?.message ?? "unknown error"}`;
    case "unchanged":
      return `Already serving ${info.sha.slice(0, 7)}: ${deployWhat(info)} unchanged`;
    case "superseded":
      return `Not deployed: a newer push superseded ${deployWhat(info)}`;
    default:
      return result2.bake ? `Deployed ${deployWhat(info)}, ${result2.bake.summary}` : `Deployed ${deployWhat(info)} in ${formatDuration(result2.durationMs)}`;
  }
}
function servingUrl(result2) {
  return result2?.outcome === "success" || result2?.outcome === "unchanged" ? result2.url : null;
}

// src/report/slack-message.ts
function escapeMrkdwn(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
var md = (text) => ({ type: "mrkdwn", text });
var field = (label, value) => md(`*${label}*
${value}`);
function link(url, label) {
  return /[|<>\s]/.test(url) ? escapeMrkdwn(label) : `<${url}|${escapeMrkdwn(label)}>`;
}
function headline(w, state, kind = "deploy") {
  const what = `${w.project}/${w.workload}${w.tag ? ` (${w.tag})` : ""}`;
  if (state === "unchanged") return { icon: "\u2705", words: `${what} already serves this commit in ${w.stage}` };
  if (state === "superseded")
    return { icon: "\u23ED\uFE0F", words: `Skipped ${what} to ${w.stage} (superseded by a newer push)` };
  if (kind === "rollback") {
    if (state === "running") return { icon: "\u23F3", words: `Rolling back ${what} in ${w.stage}` };
    if (state === "failed") return { icon: "\u274C", words: `Rollback of ${what} in ${w.stage} failed` };
    return { icon: "\u2705", words: `Rolled back ${what} in ${w.stage}` };
  }
  if (state === "running") return { icon: "\u23F3", words: `Deploying ${what} to ${w.stage}` };
  if (state === "failed") return { icon: "\u274C", words: `Deploy of ${what} to ${w.stage} failed` };
  return { icon: "\u2705", words: `Deployed ${what} to ${w.stage}` };
}
function failedText(error) {
  const why = error ? `${error.code}: ${error.message}` : "unknown error";
  return `failed: ${escapeMrkdwn(capRunes(why, 500))}`;
}
function outcomeText(v) {
  const { result: result2, steps } = v;
  if (!result2) {
    if (v.phase) return escapeMrkdwn(v.phase);
    const last = steps.at(-1);
    return last ? `deploying (${escapeMrkdwn(last.name)} done)` : "deploying";
  }
  if (result2.outcome === "superseded") return "superseded by a newer push: not deployed";
  if (result2.outcome === "unchanged") return "unchanged: already serves";
  if (result2.outcome !== "failed") return result2.outcome;
  return failedText(result2.error);
}
var NEXT_PHASE = {
  lock: "building",
  upload: "building",
  pull: "gating",
  build: "gating",
  image: "gating",
  "stop-old": "gating",
  up: "gating",
  create: "gating",
  start: "gating",
  gate: "swapping",
  route: "swapping",
  persist: "swapping",
  bake: "retiring",
  revert: "rolling back",
  reap: "swapping"
};
function phaseOf(steps) {
  const last = steps.at(-1);
  if (!last) return "building";
  if (steps.some((s) => !s.ok)) return "rolling back";
  return NEXT_PHASE[last.name] ?? "deploying";
}
function stepsLine(steps) {
  return steps.map((s) => `${s.ok ? "\u2713" : "\u2717"} ${s.name} ${formatDuration(s.ms)}`).join(" \xB7 ");
}
function commitField(sha, commitUrl2) {
  if (!sha) return field("Commit", "previous release");
  const short = sha.slice(0, 7);
  return field("Commit", commitUrl2 ? link(commitUrl2, short) : escapeMrkdwn(short));
}
function headlineState(result2) {
  if (!result2) return "running";
  if (result2.outcome === "success") return "done";
  return result2.outcome;
}
function slackMessage(v) {
  const { info, result: result2 } = v;
  const short = info.sha.slice(0, 7);
  const { icon, words } = headline(info, headlineState(result2), v.kind);
  const url = servingUrl(result2);
  const ran = result2 && result2.outcome !== "superseded";
  const duration = !result2 ? "\u2026" : ran ? formatDuration(result2.durationMs) : "-";
  const fields = [
    field("Workload", escapeMrkdwn(info.workload)),
    field("Stage", escapeMrkdwn(`${info.stage}${info.tag ? ` (${info.tag})` : ""}`)),
    commitField(info.sha, v.commitUrl),
    field("Strategy", info.strategy),
    field("Outcome", outcomeText(v)),
    field("Duration", duration)
  ];
  if (result2?.bake) fields.push(field("Bake", escapeMrkdwn(capRunes(result2.bake.summary, 300))));
  if (url) fields.push(field("URL", link(url, url)));
  const context = [md(escapeMrkdwn(`deploy ${info.deployId} on ${info.host}`))];
  if (v.steps.length > 0) context.unshift(md(escapeMrkdwn(capRunes(stepsLine(v.steps), 1900))));
  if (v.note) context.push(md(capRunes(v.note, 500)));
  const blocks = layout(icon, words, fields, context);
  if (v.buttons?.length) blocks.push({ type: "actions", elements: v.buttons });
  const text = `${icon} ${escapeMrkdwn(words)}: ${short}${ran ? ` in ${duration}` : ""}${url ? ` ${url}` : ""}`;
  return { text, blocks };
}
function layout(icon, words, fields, context) {
  const blocks = [
    { type: "header", text: { type: "plain_text", text: capRunes(`${icon} ${words}`, 150) } },
    { type: "section", fields }
  ];
  if (context.length > 0) blocks.push({ type: "context", elements: context });
  return blocks;
}
function pendingMessage(v) {
  const { icon, words } = headline(v, v.error ? "failed" : "running", v.kind);
  const fields = [
    field("Workload", escapeMrkdwn(v.workload)),
    field("Stage", escapeMrkdwn(`${v.stage}${v.tag ? ` (${v.tag})` : ""}`)),
    commitField(v.sha, v.commitUrl),
    field("Strategy", "\u2026"),
    field("Outcome", v.error ? failedText(v.error) : "queued"),
    field("Duration", v.error ? "-" : "\u2026")
  ];
  const context = v.note ? [md(capRunes(v.note, 500))] : [];
  const short = v.sha ? `: ${v.sha.slice(0, 7)}` : "";
  const text = `${icon} ${escapeMrkdwn(words)}${short}${v.error ? "" : " (queued)"}`;
  return { text, blocks: layout(icon, words, fields, context) };
}

// src/report/chat.ts
var ChatReporter = class {
  constructor(notifier, redact, commitUrl2, opts = {}) {
    this.notifier = notifier;
    this.redact = redact;
    this.commitUrl = commitUrl2;
    this.opts = opts;
    this.ref = opts.ref;
  }
  notifier;
  redact;
  commitUrl;
  opts;
  name = "slack";
  ref;
  steps = [];
  /** The message this reporter posted or was given, once there is one. */
  get message() {
    return this.ref;
  }
  render(v) {
    const view = {
      ...v,
      commitUrl: this.commitUrl?.(v.info.sha),
      kind: this.opts.kind,
      note: this.opts.note
    };
    return redactDeep(slackMessage(view), this.redact);
  }
  async started(info) {
    this.steps.length = 0;
    if (!this.notifier.updatable) return;
    const m = this.render({ info, steps: [], phase: phaseOf([]) });
    if (this.ref) await this.notifier.update(this.ref, m);
    else this.ref = await this.notifier.post(m);
  }
  async step(info, step) {
    this.steps.push(step);
    if (!this.notifier.updatable || !this.ref) return;
    await this.notifier.update(
      this.ref,
      this.render({ info, steps: this.steps, phase: phaseOf(this.steps) })
    );
  }
  async finished(info, result2) {
    const m = this.render({ info, steps: result2.steps, result: result2, buttons: this.opts.buttons?.(result2) });
    if (this.notifier.updatable && this.ref) await this.notifier.update(this.ref, m);
    else this.ref = await this.notifier.post(m);
  }
};

// src/report/commit-status.ts
var DEFAULT_CONTEXT = "tinyforge";
function commitStatus(info, result2, context, descriptionLimit, redact) {
  const state = !result2 ? "pending" : result2.outcome === "failed" ? "failure" : "success";
  const url = servingUrl(result2);
  return {
    sha: info.sha,
    state,
    context,
    // Redact before cutting: a cut must never leave half a secret behind.
    description: capRunes(redact(deployLine(info, result2)), descriptionLimit),
    ...url ? { targetUrl: url } : {}
  };
}
var CommitStatusReporter = class {
  constructor(forge, contextFor, redact) {
    this.forge = forge;
    this.contextFor = contextFor;
    this.redact = redact;
  }
  forge;
  contextFor;
  redact;
  name = "commit status";
  send(info, result2) {
    const { forge, redact } = this;
    const context = this.contextFor(info.stage);
    return forge.setStatus(commitStatus(info, result2, context, forge.descriptionLimit, redact));
  }
  async started(info) {
    if (info.sha) await this.send(info);
  }
  async finished(info, result2) {
    if (info.sha) await this.send(info, result2);
  }
};

// src/report/github-deployment.ts
var LIMIT = 140;
function deploymentRequest(info, redact) {
  return {
    sha: info.sha,
    environment: environmentName(info),
    transient: info.tag !== null,
    description: capRunes(redact(deployLine(info)), LIMIT),
    ...info.requiredContexts?.length ? { requiredContexts: info.requiredContexts } : {}
  };
}
function stateOf(outcome) {
  return outcome === "failed" ? "failure" : outcome === "superseded" ? "inactive" : "success";
}
function deploymentStatus(info, result2, redact) {
  const state = !result2 ? "in_progress" : stateOf(result2.outcome);
  const url = servingUrl(result2);
  return {
    state,
    description: capRunes(redact(deployLine(info, result2)), LIMIT),
    ...url ? { environmentUrl: url } : {}
  };
}
var DeploymentReporter = class {
  constructor(deployments, redact) {
    this.deployments = deployments;
    this.redact = redact;
  }
  deployments;
  redact;
  name = "deployment";
  id;
  async started(info) {
    if (!info.sha) return;
    this.id = await this.deployments.createDeployment(deploymentRequest(info, this.redact));
    await this.deployments.setDeploymentStatus(this.id, deploymentStatus(info, void 0, this.redact));
  }
  async finished(info, result2) {
    if (this.id === void 0) return;
    await this.deployments.setDeploymentStatus(this.id, deploymentStatus(info, result2, this.redact));
  }
};

// src/report/notice.ts
var Notice = class {
  constructor(name, notice) {
    this.name = name;
    this.notice = notice;
  }
  name;
  notice;
};

// src/report/webhook.ts
function webhookPayload(info, result2) {
  return {
    event: "deploy.finished",
    deployId: result2.deployId,
    project: info.project,
    workload: result2.workload,
    stage: result2.stage,
    tag: result2.tag,
    sha: result2.sha,
    ref: info.ref,
    strategy: result2.strategy,
    host: result2.host,
    outcome: result2.outcome,
    url: result2.url,
    container: result2.container,
    previous: result2.previous,
    durationMs: result2.durationMs,
    steps: result2.steps,
    // code and public message only: `detail` never leaves the host.
    error: result2.error ? { code: result2.error.code, message: result2.error.message } : null
  };
}
var WebhookReporter = class {
  constructor(sender, redact) {
    this.sender = sender;
    this.redact = redact;
  }
  sender;
  redact;
  name = "webhook";
  async finished(info, result2) {
    await this.sender.send(redactDeep(webhookPayload(info, result2), this.redact));
  }
};

// src/app/reporters.ts
function defaultKind(run) {
  if (run.kind) return run.kind;
  const t = run.tokens;
  if (!t.github && t.gitea) return "gitea";
  if (!t.github && t.gitlab) return "gitlab";
  return "github";
}
function webFromApi(kind, api) {
  const base = api.replace(/\/+$/, "");
  if (kind === "github" && /^https:\/\/api\.github\.com$/i.test(base)) return "https://github.com";
  return base.replace(
    kind === "github" ? /\/api(?:\/v3)?$/ : kind === "gitea" ? /\/api\/v1$/ : /\/api\/v4$/,
    ""
  );
}
function forgePlan(forge, run) {
  const kind = forge?.kind ?? defaultKind(run);
  const t = run.tokens;
  const token = kind === "github" ? t.github : kind === "gitea" ? t.gitea ?? t.github : t.gitlab;
  const tokenName = kind === "github" ? "GITHUB_TOKEN" : kind === "gitea" ? "GITEA_TOKEN" : "GITLAB_TOKEN";
  const place = (kind === "gitlab" ? run.gitlab : run.actions) ?? {};
  const fallback = kind === "github" ? "https://api.github.com" : kind === "gitlab" ? "https://gitlab.com/api/v4" : void 0;
  const api = forge?.api ?? place.api ?? fallback;
  const repo = forge?.repo ?? place.repo;
  const web = forge?.api ? webFromApi(kind, forge.api) : place.web ?? (api ? webFromApi(kind, api) : void 0);
  return { kind, api, repo, token, tokenName, web: web?.replace(/\/+$/, "") };
}
function commitUrl(plan, sha) {
  if (!plan.web || !plan.repo) return void 0;
  return `${plan.web}/${plan.repo}${plan.kind === "gitlab" ? "/-" : ""}/commit/${sha}`;
}
function refused(url, publicOnly = false) {
  try {
    assertCallable(new URL(url), publicOnly);
    return void 0;
  } catch (e) {
    return e instanceof Error && e.message !== "Invalid URL" ? e.message : "not a valid URL";
  }
}
function forgeFor(plan) {
  const { api, repo, token } = plan;
  if (plan.kind === "github") return new GitHubForge(api, repo, token, DEFAULT_TIMEOUT_MS);
  if (plan.kind === "gitea") return new GiteaForge(api, repo, token, DEFAULT_TIMEOUT_MS);
  return new GitLabForge(api, repo, token, DEFAULT_TIMEOUT_MS);
}
function statusExpected(config, run) {
  return !!config.forge || Object.values(config.stages).some((s) => s.status_context) || Object.values(run.tokens).some(Boolean) || !!run.ci || !!run.actions?.repo;
}
function statusReporters(config, plan, run, redact) {
  const name = "commit status";
  if (!plan.token) {
    if (!statusExpected(config, run)) return [];
    const anyToken = Object.values(run.tokens).some(Boolean);
    return [
      new Notice(
        name,
        config.forge || anyToken ? `not sent: ${plan.tokenName} is not set` : "not sent: no forge token in the environment (GITHUB_TOKEN, GITEA_TOKEN or GITLAB_TOKEN)"
      )
    ];
  }
  if (!plan.repo)
    return [
      new Notice(
        name,
        `not sent: no repository (set forge.repo, or ${plan.kind === "gitlab" ? "CI_PROJECT_PATH" : "GITHUB_REPOSITORY"})`
      )
    ];
  if (!plan.api)
    return [new Notice(name, "not sent: no API URL (set forge.api, e.g. https://gitea.example.com/api/v1)")];
  const why = refused(plan.api);
  if (why) return [new Notice(name, `not sent: forge API ${why}`)];
  if (plan.kind !== "gitlab" && !/^[^/\s]+\/[^/\s]+$/.test(plan.repo))
    return [new Notice(name, `not sent: repository must be "owner/name" (got ${JSON.stringify(plan.repo)})`)];
  const forge = forgeFor({ ...plan, api: plan.api, repo: plan.repo, token: plan.token });
  const contextFor = (stage) => own(config.stages, stage)?.status_context || DEFAULT_CONTEXT;
  const hooks = [new CommitStatusReporter(forge, contextFor, redact)];
  if (forge instanceof GitHubForge) hooks.push(new DeploymentReporter(forge, redact));
  return hooks;
}
function slackReporter(config, c, plan, redact) {
  const name = "slack";
  const token = c.slackToken;
  const webhook = c.slackWebhook;
  const channel = config.notify?.slack?.channel;
  let notifier;
  if (token && channel) {
    const api = c.slackApi ?? SLACK_API_URL;
    const why = refused(api);
    if (why) return new Notice(name, `not sent: SLACK_API_URL ${why}`);
    notifier = new SlackApiNotifier(token, channel, api, DEFAULT_TIMEOUT_MS);
  } else if (webhook) {
    if (refused(webhook))
      return new Notice(name, "not sent: SLACK_WEBHOOK_URL is refused or not a valid URL");
    notifier = new SlackWebhookNotifier(webhook, DEFAULT_TIMEOUT_MS);
  } else if (token) {
    return new Notice(name, "not sent: SLACK_BOT_TOKEN is set but notify.slack.channel is not");
  } else if (config.notify?.slack) {
    return new Notice(
      name,
      "not sent: notify.slack is set but neither SLACK_BOT_TOKEN nor SLACK_WEBHOOK_URL is"
    );
  } else {
    return void 0;
  }
  return new ChatReporter(notifier, redact, (sha) => commitUrl(plan, sha));
}
function reportersFor(config, credentials, workload, redact, { publicWebhook = false } = {}) {
  const w = own(config.workloads, workload);
  if (!w) return [];
  const plan = forgePlan(config.forge, credentials.forge);
  const hooks = [];
  if (w.report_commit_status) hooks.push(...statusReporters(config, plan, credentials.forge, redact));
  const slack = slackReporter(config, credentials.notify, plan, redact);
  if (slack) hooks.push(slack);
  const webhook = config.notify?.webhook;
  if (webhook) {
    const why = refused(webhook, publicWebhook);
    hooks.push(
      why ? new Notice(
        "webhook",
        `not sent: notify.webhook is refused (${publicWebhook ? "not a public address" : "link-local or metadata address"})`
      ) : new WebhookReporter(new JsonWebhook(webhook, DEFAULT_TIMEOUT_MS, publicWebhook), redact)
    );
  }
  return hooks;
}

// src/app/session.ts
async function openSession(file, inputs, label = basename(file), read) {
  const loaded = await loadedConfig(file, read);
  const config = granted(loaded.config, inputs.grants);
  const problems = inputs.grants.problems(config);
  if (problems.length > 0)
    throw new TinyforgeError("config_invalid", `${label}: ${problems.length} error(s) in config`, {
      details: problems
    });
  return { ...inputs, config, dir: loaded.dir, file: basename(file) };
}
var validator;
async function loadedConfig(file, read) {
  if (typeof read === "object" && "config" in read)
    return { config: read.config, dir: dirname2(resolve(file)) };
  validator ??= import("./load-Q6XCEOMC.js");
  const { loadConfig, validateConfig } = await validator;
  if (typeof read === "object")
    return { config: validateConfig(read.data, file), dir: dirname2(resolve(file)) };
  return loadConfig(file, read);
}
async function forEachHost(s, hosts, fn) {
  for (const entry of hosts) if (!await withHost(s, entry, fn)) return;
}
function holdConnections(s, entries, early = /* @__PURE__ */ new Map()) {
  const held = /* @__PURE__ */ new Map();
  const unused = new Map(early);
  for (const entry of new Set(entries)) {
    const head = unused.get(entry);
    const taken = head && !s.openHost && sameSecrets(head.secrets, hostSecrets(s)) ? head : void 0;
    if (taken) unused.delete(entry);
    const opening = open2(s, entry, taken);
    opening.catch(() => void 0);
    held.set(entry, opening);
  }
  dropEarlyLogins(unused.values());
  s.held = held;
  return {
    release: async () => {
      if (s.held === held) s.held = void 0;
      const left = [...held.values()];
      held.clear();
      await Promise.all(
        left.map(
          (h) => h.then(
            (host) => host.close(),
            () => void 0
          )
        )
      );
    }
  };
}
async function withHost(s, entry, fn) {
  const held = s.held;
  const taken = held?.get(entry);
  held?.delete(entry);
  const opened = await (taken ?? open2(s, entry));
  const trace = s.trace ? traceToStderr : void 0;
  const host = trace ? tracedHost(opened, trace) : opened;
  let ok2 = false;
  try {
    const result2 = await fn(host);
    ok2 = true;
    return result2;
  } finally {
    if (ok2 && held && s.held === held && !held.has(entry)) held.set(entry, Promise.resolve(opened));
    else await host.close();
  }
}
function readyEarlyHosts(early) {
  for (const [entry, e] of early) {
    e.ready ??= openHost(entry, e.secrets, e.login);
    e.ready.catch(() => void 0);
  }
}
function open2(s, entry, early) {
  const trace = s.trace ? traceToStderr : void 0;
  if (early) {
    const opening = timedCall(
      `connect ${entry} (login begun early)`,
      trace,
      () => early.ready ?? openHost(entry, hostSecrets(s), early.login)
    );
    opening.catch(() => dropEarlyLogins([early]));
    return opening;
  }
  const connect = s.openHost ?? openHost;
  return timedCall(`connect ${entry}`, trace, () => connect(entry, hostSecrets(s)));
}
function hostSecrets(s) {
  return {
    sshKey: s.credentials.sshKey,
    knownHosts: s.credentials.knownHosts,
    connectTimeoutMs: s.config.ssh.connect_timeout,
    keepaliveMs: s.config.ssh.keepalive
  };
}
function engineContext(s, host, scope = {}) {
  const secrets = scope.workload ? s.grants.secrets(s.config, scope.workload, scope.stage) : {};
  const redact = makeRedactor([...credentialValues(s.credentials), ...Object.values(secrets)]);
  const p = s.credentials.proxy;
  const proxySecrets = { proxyUser: p.user, proxyPassword: p.password, proxyToken: p.token };
  const proxy = makeProxy(s.config, host, proxySecrets);
  return {
    config: s.config,
    configDir: s.dir,
    ...s.checkoutRoot ? { checkoutRoot: s.checkoutRoot } : {},
    host,
    proxy: s.trace ? traced(proxy, "proxy", traceToStderr) : proxy,
    proxyFor: (other) => proxyFor(other, host, proxySecrets),
    clock: systemClock,
    secrets,
    redact,
    owner: `${userInfo().username}@${machineName()} pid ${process.pid}`,
    lockTtlMs: s.lockTtlMs,
    // The operator's own run: the overlay its config names is theirs to share.
    networks: s.grants.networks ?? {
      allowed: s.config.swarm.network ? [s.config.swarm.network] : [],
      unlabelled: true
    },
    hooks: scope.workload ? reportersFor(s.config, s.credentials, scope.workload, redact, s.grants) : []
  };
}
function reportersOf(s, workload, stage) {
  const secrets = s.grants.secrets(s.config, workload, stage);
  const redact = makeRedactor([...credentialValues(s.credentials), ...Object.values(secrets)]);
  return reportersFor(s.config, s.credentials, workload, redact, s.grants);
}
function tracedHost(host, write) {
  const docker = traced(host.docker, "docker", write);
  const files = traced(host.files, "files", write);
  return new Proxy(host, {
    get(t, prop) {
      if (prop === "docker") return docker;
      if (prop === "files") return files;
      const v = Reflect.get(t, prop, t);
      if (prop === "httpGet" && typeof v === "function")
        return traced({ httpGet: v.bind(t) }, "host", write).httpGet;
      return typeof v === "function" ? v.bind(t) : v;
    }
  });
}

// src/app/stages.ts
var have = (names) => `(have: ${names.join(", ") || "none"})`;
function checkStage(config, stage) {
  stageOf(config, stage);
  return stage;
}
function findStage(config, want) {
  if (want.stage !== void 0) return checkStage(config, want.stage);
  const stages = Object.entries(config.stages);
  if (want.preview) return stages.find(([, s]) => s.pull_requests)?.[0];
  const byBranch = want.branch ? stages.find(([, s]) => s.branch === want.branch)?.[0] : void 0;
  if (byBranch) return byBranch;
  if (want.guess === "only-stage" && stages.length === 1) return stages[0][0];
  if (want.guess === "only-branched-stage") {
    const branched = stages.filter(([, s]) => s.branch);
    if (branched.length === 1) return branched[0][0];
  }
  return void 0;
}
function resolveStage(config, want) {
  const found = findStage(config, want);
  if (found) return found;
  const names = Object.keys(config.stages);
  if (want.preview)
    throw new TinyforgeError("usage", "a pull request, but no stage has pull_requests: true", {
      hint: `add a preview stage with pull_requests: true${want.ask ? `, or name one with ${want.ask}` : ""}`
    });
  if (want.branch && !want.guess)
    throw new TinyforgeError("usage", `no stage deploys branch ${want.branch}`, {
      hint: `set branch: on a stage${want.ask ? `, or name one with ${want.ask}` : ""} ${have(names)}`
    });
  throw new TinyforgeError("usage", `which stage? ${have(names)}`, {
    hint: [
      want.ask ? `name one with ${want.ask}` : void 0,
      want.branch ? `no stage has branch: ${want.branch}` : void 0
    ].filter(Boolean).join("; ")
  });
}
function resolveWorkloads(config, given) {
  if (given === void 0) return Object.keys(config.workloads);
  workloadOf(config, given);
  return [given];
}
function resolveAccessory(config, name) {
  accessoryOf(config, name);
  return name;
}
function stageHosts(config, stage) {
  return stageOf(config, stage).hosts ?? config.hosts;
}
function allHosts(config) {
  const all = [...config.hosts, ...Object.values(config.stages).flatMap((s) => s.hosts ?? [])];
  return [...new Set(all)];
}

// src/plan/static-site.ts
var STATIC_DEFAULTS = {
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
      "main.ts"
    ]
  }
};
var STORAGE_PATH = "/app/data";
function staticMode(w) {
  return w.mode ?? "httpd";
}
function staticPort(w) {
  return w.port ?? 8080;
}
function staticDockerfile(w) {
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
      ""
    ].join("\n");
  }
  const serve = `trap 'exit 0' TERM; httpd -f -p ${port} -h /www & wait`;
  return [
    `FROM ${w.base_image ?? STATIC_DEFAULTS.httpd.baseImage}`,
    "COPY site /www",
    `EXPOSE ${port}`,
    `CMD ${JSON.stringify(["sh", "-c", serve])}`,
    ""
  ].join("\n");
}
function storageVolume(name) {
  return `${name}:${STORAGE_PATH}`;
}
function mountedStorage(mounts) {
  return mounts?.find((m) => m.path === STORAGE_PATH)?.volume;
}

// src/deploy/bake-figures.ts
function percentile(xs, p) {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}
function pct(rate) {
  return `${Number((rate * 100).toFixed(2))}%`;
}
function soakLine(f) {
  const ms = (v) => v === null ? "-" : `${Math.round(v)} ms`;
  return `soak ${f.ok}/${f.probes} ok, p50 ${ms(f.p50Ms)}, p99 ${ms(f.p99Ms)}`;
}
function plannedProbes(bake) {
  return Math.max(1, Math.floor(bake.for / bake.probe.every));
}
function certainFailure(samples, bake) {
  const planned = Math.max(plannedProbes(bake), samples.length);
  const errors = samples.filter((s) => !s.ok).length;
  if (errors > Math.floor(bake.max_error_rate * planned))
    return `${errors} failed probes, more than ${pct(bake.max_error_rate)} of ${planned}`;
  if (bake.max_p99 !== void 0) {
    const slow = samples.filter((s) => s.answered && s.ms > bake.max_p99).length;
    if (slow > Math.floor(0.01 * planned))
      return `${slow} probes slower than ${bake.max_p99} ms, more than 1% of ${planned}`;
  }
  return void 0;
}
function judge(samples, bake, ms, ended2) {
  const answered = samples.filter((s) => s.answered).map((s) => s.ms);
  const ok2 = samples.filter((s) => s.ok).length;
  const base = {
    forMs: bake.for,
    ms,
    probes: samples.length,
    ok: ok2,
    p50Ms: percentile(answered, 0.5),
    p99Ms: percentile(answered, 0.99)
  };
  const line = soakLine(base);
  const verdict = (v, reason2) => ({
    ...base,
    verdict: v,
    ...reason2 ? { reason: reason2 } : {},
    summary: reason2 ? `${line} (${reason2})` : line
  });
  if (ended2) return verdict(ended2.verdict, ended2.reason);
  if (samples.length === 0) return verdict("failed", "no probe ran");
  const rate = (samples.length - ok2) / samples.length;
  if (rate > bake.max_error_rate)
    return verdict("failed", `error rate ${pct(rate)} over ${pct(bake.max_error_rate)}`);
  if (bake.max_p99 !== void 0 && base.p99Ms !== null && base.p99Ms > bake.max_p99)
    return verdict("failed", `p99 over ${bake.max_p99} ms`);
  return verdict("held");
}

// src/deploy/bake.ts
var CANCEL_CHECK_MS = 1e3;
async function bakeRelease(run, swap2, control) {
  const bake = run.w.bake;
  if (!bake) return void 0;
  const blue = swap2.previous;
  if (!blue || !swap2.revert) {
    run.journal.info(
      "bake",
      "nothing served before this release: there is no old release to go back to, no bake"
    );
    return void 0;
  }
  if (run.req.rollback) {
    run.journal.info("bake", "a rollback returns to a release that already served: no bake");
    return void 0;
  }
  const port = swap2.active.hostPort;
  if (port === void 0)
    throw new TinyforgeError("deploy_failed", `${swap2.active.container} publishes no port to probe`);
  const { clock } = run.ctx;
  const since = clock.now();
  const until = since + bake.for;
  run.state = {
    ...run.state,
    bake: {
      deployId: run.req.deployId,
      since: new Date(since).toISOString(),
      until: new Date(until).toISOString(),
      previous: blue.container
    }
  };
  await run.store.writeInstance(run.state);
  await control.baking(until);
  run.journal.info(
    "bake",
    `${swap2.active.container} serves; ${blue.container} stands by until ${new Date(until).toISOString()}: probing ${bake.probe.path} every ${bake.probe.every} ms`
  );
  let figures;
  try {
    await run.steps.run("bake", async () => {
      figures = await soak(run.ctx.host, port, bake, clock, control);
      control.measured(figures);
      run.journal.info("bake", figures.summary);
      if (figures.verdict !== "held") throw bakeFailed(figures, blue.container);
    });
  } catch (e) {
    await run.steps.run("revert", () => swap2.revert());
    run.journal.warn(
      "revert",
      `the route is back on ${blue.container}; ${swap2.active.container} was removed`
    );
    await control.baking(void 0).catch(() => void 0);
    throw e;
  }
  const { bake: _, ...rest } = run.state;
  run.state = rest;
  await run.store.writeInstance(run.state);
  await control.baking(void 0).catch(() => void 0);
  return figures;
}
function bakeFailed(f, back) {
  const what = f.verdict === "cancelled" ? "bake cancelled" : "bake failed";
  return new TinyforgeError("bake_failed", `${what}: ${f.summary}; reverted to ${back}`, {
    hint: f.verdict === "cancelled" ? "the deploy that cancelled it runs next, from the old release" : "the old release serves again; see the deploy's events (step bake) for the probes"
  });
}
async function soak(host, port, bake, clock, control) {
  const t0 = clock.now();
  const end = t0 + bake.for;
  const samples = [];
  let lastCancelCheck = t0;
  for (; ; ) {
    const start = clock.now();
    samples.push(await probe(host, port, bake, clock));
    const failing = certainFailure(samples, bake);
    if (failing) return judge(samples, bake, clock.now() - t0, { verdict: "failed", reason: failing });
    if (clock.now() - lastCancelCheck >= CANCEL_CHECK_MS) {
      lastCancelCheck = clock.now();
      const by = await control.cancelledBy();
      if (by)
        return judge(samples, bake, clock.now() - t0, {
          verdict: "cancelled",
          reason: `cancelled by deploy ${by}`
        });
    }
    const next = start + bake.probe.every;
    if (next >= end) break;
    const wait = next - clock.now();
    if (wait > 0) await clock.sleep(wait);
  }
  return judge(samples, bake, clock.now() - t0);
}
async function probe(host, port, bake, clock) {
  const t = clock.now();
  try {
    const res = await host.httpGet(port, bake.probe.path, bake.probe.timeout);
    return { ok: res.status >= 200 && res.status < 400, answered: true, ms: clock.now() - t };
  } catch (e) {
    if (causedBy(e, "connection_lost")) throw e;
    return { ok: false, answered: false, ms: clock.now() - t };
  }
}

// src/plan/container.ts
function containerSpec(p) {
  const w = p.workload;
  const env = [
    ...Object.entries(w.env).map(([k, v]) => `${k}=${v}`),
    // Secrets go in the API body's Env, never on a command line that `ps` or a log would show.
    ...w.secrets.map((name) => `${name}=${p.secretValues[name] ?? ""}`),
    `TINYFORGE_SHA=${p.meta.sha}`,
    `TINYFORGE_STAGE=${p.meta.stage}`,
    `TINYFORGE_DEPLOY_ID=${p.meta.deployId}`,
    ...p.meta.tag ? [`TINYFORGE_TAG=${p.meta.tag}`] : []
  ];
  return {
    name: p.name,
    image: p.image,
    labels: p.labels,
    env,
    ...w.port !== void 0 ? { port: w.port } : {},
    publishIp: p.publishIp,
    ...p.hostPort !== void 0 ? { hostPort: p.hostPort } : {},
    ...p.network ? { network: p.network } : {},
    ...p.aliases?.length ? { aliases: p.aliases } : {},
    volumes: w.volumes,
    ...w.command ? { command: w.command } : {},
    stopTimeoutSec: Math.ceil(w.stop_timeout / 1e3),
    ...resourceLimits(w.resources)
  };
}
function resourceLimits(r) {
  const memory = r?.memory === void 0 ? void 0 : parseMemory(r.memory);
  return {
    ...memory !== void 0 ? { memoryBytes: memory } : {},
    ...r?.cpus !== void 0 ? { nanoCpus: Math.round(r.cpus * 1e9) } : {}
  };
}

// src/plan/accessory.ts
import { createHash as createHash2 } from "node:crypto";

// src/plan/labels.ts
var PREFIX = "dev.tinyforge.";
var LABEL2 = {
  project: `${PREFIX}project`,
  workload: `${PREFIX}workload`,
  stage: `${PREFIX}stage`,
  tag: `${PREFIX}tag`,
  sha: `${PREFIX}sha`,
  deployId: `${PREFIX}deploy-id`,
  instance: `${PREFIX}instance`,
  /** "release": a release step's one-off container, never one that serves. */
  role: `${PREFIX}role`,
  port: `${PREFIX}port`
};
var RELEASE_ROLE = "release";
function labelsFor(v) {
  const labels = {
    [LABEL2.project]: v.project,
    [LABEL2.workload]: v.workload,
    [LABEL2.stage]: v.stage,
    [LABEL2.sha]: v.sha,
    [LABEL2.deployId]: v.deployId,
    [LABEL2.instance]: instanceKey(v)
  };
  if (v.tag !== void 0) labels[LABEL2.tag] = v.tag;
  if (v.port !== void 0) labels[LABEL2.port] = String(v.port);
  return labels;
}
function labelFilter(v) {
  const filters = [`${LABEL2.project}=${v.project}`];
  if (v.workload !== void 0) filters.push(`${LABEL2.workload}=${v.workload}`);
  if (v.stage !== void 0) filters.push(`${LABEL2.stage}=${v.stage}`);
  if (v.tag !== void 0) filters.push(`${LABEL2.tag}=${v.tag}`);
  return filters;
}
function fromLabels(labels) {
  if (!labels) return void 0;
  const project = labels[LABEL2.project];
  const workload = labels[LABEL2.workload];
  const stage = labels[LABEL2.stage];
  const sha = labels[LABEL2.sha];
  const deployId = labels[LABEL2.deployId];
  if (!project || !workload || !stage || !sha || !deployId) return void 0;
  const tag = labels[LABEL2.tag];
  return tag === void 0 ? { project, workload, stage, sha, deployId } : { project, workload, stage, tag, sha, deployId };
}

// src/plan/accessory.ts
var ACCESSORY_LABEL = "dev.tinyforge.accessory";
function accessoryNetwork(s) {
  return `tf_${[s.project, s.stage, ...s.tag ? [sanitizeLabel(s.tag)] : []].join("_")}`;
}
function accessoryContainer(name, s) {
  return containerBaseName({ project: s.project, workload: `accessory-${name}`, stage: s.stage, tag: s.tag });
}
var VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
function accessoryVolumes(a, s) {
  const scope = [s.project, s.stage, ...s.tag ? [sanitizeLabel(s.tag)] : []].join("-");
  return a.volumes.map((v) => {
    const i = v.indexOf(":");
    const source = v.slice(0, i);
    return VOLUME_NAME.test(source) ? `${scope}-${source}${v.slice(i)}` : v;
  });
}
function ownedVolumes(a, s) {
  return accessoryVolumes(a, s).map((v) => v.slice(0, v.indexOf(":"))).filter((src) => VOLUME_NAME.test(src));
}
function scopeFor(a, s) {
  return a.per_tag && s.tag ? s : { project: s.project, stage: s.stage };
}
function workloadNetworks(config, s) {
  const nets = Object.values(config.accessories).map((a) => accessoryNetwork(scopeFor(a, s)));
  return [...new Set(nets)].sort();
}
function instanceNetworks(config, w, s, isolate) {
  const own2 = !w.network && isolate ? accessoryNetwork({ project: s.project, stage: s.stage }) : void 0;
  const network = w.network ?? own2;
  const accessories = workloadNetworks(config, s);
  return {
    ...network ? { network } : {},
    // Docker refuses to connect a container to the network it was created on.
    joined: accessories.filter((n) => n !== network),
    made: [.../* @__PURE__ */ new Set([...own2 ? [own2] : [], ...accessories])]
  };
}
function accessoryHash(a, secretValues, network) {
  const secrets = a.secrets.map((k) => [k, secretValues[k] ?? ""]);
  const text = JSON.stringify([a.image, a.env, a.volumes, a.command ?? null, secrets, network]);
  return createHash2("sha256").update(text).digest("hex").slice(0, 16);
}
function accessorySpec(name, a, s, secretValues, configHash) {
  return {
    name: accessoryContainer(name, s),
    image: a.image,
    labels: {
      [LABEL2.project]: s.project,
      [LABEL2.stage]: s.stage,
      ...s.tag ? { [LABEL2.tag]: s.tag } : {},
      [ACCESSORY_LABEL]: name,
      [`${ACCESSORY_LABEL}.config`]: configHash
    },
    // Secrets go in the API body's Env, never on a command line.
    env: [
      ...Object.entries(a.env).map(([k, v]) => `${k}=${v}`),
      ...a.secrets.map((k) => `${k}=${secretValues[k] ?? ""}`)
    ],
    // No port: it is reached over its network by name, never published on the host.
    publishIp: "",
    network: accessoryNetwork(s),
    aliases: [name],
    volumes: accessoryVolumes(a, s),
    ...a.command ? { command: a.command } : {},
    stopTimeoutSec: 30
  };
}

// src/plan/route.ts
function routeFor(v) {
  const names = { hostname: v.hostname, ...v.aliases?.length ? { aliases: v.aliases } : {} };
  if (v.network && v.appPort !== void 0) {
    return { ...names, upstream: { host: v.container, port: v.appPort }, tls: v.tls };
  }
  if (v.hostPort === void 0) return void 0;
  return { ...names, upstream: { host: v.publishAddress, port: v.hostPort }, tls: v.tls };
}

// src/plan/swarm-service.ts
function swarmNetwork(config) {
  return config.swarm.network ?? `tinyforge-${config.project}`;
}
function healthTest(port, h) {
  const url = `http://127.0.0.1:${port}${h.path}`;
  return ["CMD-SHELL", `wget -q -O /dev/null '${url}' || curl -fsS -o /dev/null '${url}'`];
}
function serviceSpec(p) {
  const w = p.workload;
  const { env, memoryBytes, nanoCpus } = containerSpec({ ...p, publishIp: "127.0.0.1" });
  const h = w.healthcheck;
  return {
    name: p.name,
    image: p.image,
    labels: p.labels,
    env,
    ...w.command ? { command: w.command } : {},
    replicas: w.replicas ?? 1,
    network: swarmNetwork(p.config),
    endpointMode: p.config.swarm.endpoint_mode,
    ...h && w.port !== void 0 ? {
      health: {
        test: healthTest(w.port, h),
        intervalMs: h.interval,
        timeoutMs: h.timeout,
        retries: h.retries,
        startPeriodMs: 0
      }
    } : {},
    stopGraceMs: w.stop_timeout,
    monitorMs: p.config.swarm.monitor,
    ...memoryBytes !== void 0 ? { memoryBytes } : {},
    ...nanoCpus !== void 0 ? { nanoCpus } : {}
  };
}
function serviceRoute(v, mode) {
  const host = mode === "dnsrr" ? `tasks.${v.service}` : v.service;
  return { hostname: v.hostname, upstream: { host, port: v.port }, tls: v.tls, spread: true };
}

// src/deploy/compose-dir.ts
var LEGACY = "compose:";
function composeDirOf(r) {
  if (r.composeDir) return r.composeDir;
  return r.image.startsWith(LEGACY) ? r.image.slice(LEGACY.length) : void 0;
}

// src/deploy/gate.ts
async function assertAlive(host, c) {
  const info = await host.docker.inspect(c.id);
  if (!info?.running || info.restartCount > 0) {
    const why = !info ? "disappeared" : info.restartCount > 0 ? `restarted ${info.restartCount}x (last exit code ${info.exitCode})` : `exited with code ${info.exitCode}`;
    throw new TinyforgeError("container_exited", `${c.name} ${why} before it passed its gate`, {
      hint: "its last output lines are in this deploy's events (step container-log)"
    });
  }
  return info;
}
var MIN_PROBE_WAIT_MS = 50;
function probeWait(ageMs, intervalMs) {
  return Math.min(intervalMs, Math.max(MIN_PROBE_WAIT_MS, Math.round(ageMs / 20)));
}
async function httpGate(host, c, hc, clock, log) {
  const deadline = clock.now() + hc.retries * hc.interval;
  const startedAt = c.startedAt ?? clock.now();
  let last = "";
  let attempt2 = 0;
  for (; ; ) {
    attempt2++;
    const port = c.hostPort ?? (await assertAlive(host, c)).hostPort;
    if (port === void 0) throw new TinyforgeError("deploy_failed", `${c.name} publishes no port to probe`);
    try {
      const res = await host.httpGet(
        port,
        hc.path,
        Math.min(hc.timeout, Math.max(1, deadline - clock.now()))
      );
      const ok2 = hc.expect_status === void 0 ? res.status >= 200 && res.status < 400 : res.status === hc.expect_status;
      if (ok2) {
        log(`${hc.path} answered ${res.status} on attempt ${attempt2}`);
        return;
      }
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = errorMessage(e);
    }
    await assertAlive(host, c);
    log(`attempt ${attempt2}: ${hc.path} ${last}`);
    const left = deadline - clock.now();
    if (left <= 0) break;
    await clock.sleep(Math.min(probeWait(clock.now() - startedAt, hc.interval), left));
  }
  throw new TinyforgeError(
    "health_timeout",
    `${c.name} failed its health check ${hc.path} for ${formatDuration(hc.retries * hc.interval)} (${attempt2} probes, last: ${last})`,
    {
      hint: "check the healthcheck path and port, and the app's startup time (healthcheck.retries \xD7 interval)"
    }
  );
}
async function livenessGate(host, c, windowMs, clock) {
  const end = clock.now() + windowMs;
  const every = Math.max(100, Math.min(1e3, Math.floor(windowMs / 5)));
  for (; ; ) {
    await assertAlive(host, c);
    const left = end - clock.now();
    if (left <= 0) return;
    await clock.sleep(Math.min(every, left));
  }
}

// src/plan/network-owner.ts
var OPERATOR_TRUST = { allowed: [], unlabelled: true };
var whose = (labels) => [labels[LABEL2.project] ?? "?", labels[LABEL2.stage]].filter(Boolean).join("/");
function networkProblem(name, found, want, trust) {
  if (trust.allowed.includes(name)) return void 0;
  const allow = `projects.${want[LABEL2.project]}.networks in the bot's config allows it`;
  if (!Object.hasOwn(found, LABEL2.project))
    return trust.unlabelled ? void 0 : `network ${name} exists and was not made by tinyforge for ${whose(want)}; ${allow}`;
  const same2 = Object.entries(want).every(([k, v]) => Object.hasOwn(found, k) && found[k] === v);
  return same2 ? void 0 : `network ${name} belongs to ${whose(found)}, not ${whose(want)}; ${allow}`;
}

// src/deploy/networks.ts
async function ensureOwnNetwork(ctx, engine, name, labels) {
  const found = await engine.ensureNetwork(name, labels).catch((e) => {
    if (/available, non-overlapping .*address pool/i.test(errorMessage(e)))
      throw new TinyforgeError("deploy_failed", `network ${name} could not be made: ${errorMessage(e)}`, {
        hint: "the host's Docker has no address pool left for another network: give it more with default-address-pools in /etc/docker/daemon.json"
      });
    throw e;
  });
  const problem2 = networkProblem(name, found, labels, ctx.networks ?? OPERATOR_TRUST);
  if (problem2)
    throw new TinyforgeError("deploy_failed", problem2, {
      hint: "another project's network would reach its containers (a database): rename the stage, or remove the network if it is stale"
    });
}

// src/deploy/route-records.ts
var NGINX_DEFAULT_DIR2 = "/etc/nginx/conf.d/tinyforge";
function proxyLabel(p) {
  const address = p.driver === "nginx" ? String(p.config_dir ?? NGINX_DEFAULT_DIR2) : p.driver === "caddy" ? `${p.admin ?? "http://127.0.0.1:2019"} server ${p.server ?? "srv0"}` : p.driver === "npm" ? String(p.admin ?? "http://127.0.0.1:81") : "";
  return address ? `${p.driver} at ${address}` : p.driver;
}
function sameProxy(a, b) {
  return proxyLabel(a) === proxyLabel(b);
}
var same = (a, b) => a.hostname === b.hostname && sameProxy(a.proxy, b.proxy);
function currentRoute(config, route) {
  if (!route || config.proxy.driver === "none") return void 0;
  const { hostname, upstream, tls } = route;
  return { hostname, proxy: JSON.parse(JSON.stringify(config.proxy)), upstream: { ...upstream }, tls };
}
function withRoute(routes, current) {
  const rest = (routes ?? []).filter((r) => !current || !same(r, current)).map(({ hostname, proxy }) => ({ hostname, proxy }));
  return current ? [current, ...rest] : rest;
}
function servingRoute(state) {
  const r = state.active ? state.routes?.find((x) => x.upstream) : void 0;
  if (!r?.upstream) return void 0;
  return { route: { hostname: r.hostname, upstream: r.upstream, tls: r.tls ?? false }, proxy: r.proxy };
}
async function dropStaleRoutes(ctx, state, current) {
  const routes = withRoute(state.routes, current);
  const kept = [];
  const lines = [];
  for (const r of routes) {
    if (current && same(r, current)) {
      kept.push(r);
      continue;
    }
    const where = proxyLabel(r.proxy);
    try {
      if (!ctx.proxyFor) throw new Error("no way to reach it from here");
      const old = ctx.proxyFor(r.proxy);
      if (await old.get(r.hostname)) await old.remove(r.hostname);
      lines.push(`${state.key}: removed route ${r.hostname} from ${where} (no longer configured)`);
    } catch (e) {
      kept.push(r);
      lines.push(
        `${state.key}: route ${r.hostname} is left on ${where} (${errorMessage(e)}); remove it there, or run reconcile when it is reachable`
      );
    }
  }
  return { routes: kept, lines };
}

// src/deploy/run.ts
var decided = /* @__PURE__ */ new WeakMap();
function instanceNetworksOf(run) {
  let p = decided.get(run);
  if (!p) {
    p = ensureNetworks(run);
    decided.set(run, p);
  }
  return p;
}
async function ensureNetworks(run) {
  const { ctx, req } = run;
  const scope = { project: ctx.config.project, stage: req.stage, tag: req.tag };
  const nets = instanceNetworks(ctx.config, run.w, scope, ctx.networks?.isolate ?? false);
  const labels = { [LABEL2.project]: ctx.config.project, [LABEL2.stage]: req.stage };
  for (const n of nets.made) await ensureOwnNetwork(ctx, ctx.host.docker, n, labels);
  return {
    ...nets.network ? { network: nets.network } : {},
    networks: nets.joined.map((name) => ({ name }))
  };
}
function runLabels(run) {
  const { ctx, req, w } = run;
  return labelsFor({
    project: ctx.config.project,
    workload: req.workload,
    stage: req.stage,
    tag: req.tag,
    sha: req.sha,
    deployId: req.deployId,
    port: w.port
  });
}
async function startContainer(run, name, hostPort) {
  const { ctx, req, w } = run;
  const docker = ctx.host.docker;
  const id = await run.steps.run("create", async () => {
    const { network, networks } = await instanceNetworksOf(run);
    const spec = containerSpec({
      name,
      image: run.image,
      labels: runLabels(run),
      workload: w,
      secretValues: ctx.secrets,
      meta: { sha: req.sha, stage: req.stage, deployId: req.deployId, tag: req.tag },
      publishIp: ctx.config.publish_ip,
      hostPort,
      network
    });
    return docker.create({ ...spec, networks });
  });
  try {
    return await run.steps.run("start", async () => {
      await docker.start(id);
      const startedAt = ctx.clock.now();
      const info = await docker.inspect(id);
      run.journal.info(
        "start",
        `${name} started${info?.hostPort ? ` on ${ctx.config.publish_ip}:${info.hostPort}` : ""}`
      );
      return { id, name, hostPort: info?.hostPort, startedAt };
    });
  } catch (e) {
    await discard(run, { id, name });
    throw e;
  }
}
async function gate(run, c) {
  const { ctx, w } = run;
  await run.steps.run(
    "gate",
    () => w.healthcheck ? httpGate(ctx.host, c, w.healthcheck, ctx.clock, (m) => run.journal.info("gate", m)) : livenessGate(ctx.host, c, w.liveness_window, ctx.clock)
  );
}
function routeOf(run, c) {
  return routeForContainer(run.ctx, run.w, run.hostnames, c);
}
function routeForContainer(ctx, w, [hostname, ...aliases], c) {
  if (ctx.host.swarm && w.port !== void 0) {
    const route = serviceRoute(
      { hostname, service: c.name, port: w.port, tls: ctx.config.proxy.tls },
      ctx.config.swarm.endpoint_mode
    );
    return aliases.length ? { ...route, aliases } : route;
  }
  const none = ctx.proxy.driver === "none";
  const publishAddress2 = ctx.config.publish_ip === "0.0.0.0" ? ctx.host.address : ctx.config.publish_ip;
  return routeFor({
    hostname,
    aliases,
    container: c.name,
    // Without a proxy the published port is the only way in, network or not.
    network: none ? void 0 : w.network,
    appPort: w.port,
    hostPort: c.hostPort,
    publishAddress: none ? publishAddress2 : "127.0.0.1",
    tls: ctx.config.proxy.tls
  });
}
async function pointRoute(run, c) {
  const route = routeOf(run, c);
  if (!route) return void 0;
  const note = await run.ctx.proxy.upsert(route);
  if (note) run.journal[note.level]("route", note.message);
  return run.ctx.proxy.url(route);
}
function releaseOf(run, c, url) {
  return {
    deployId: run.req.deployId,
    ...run.req.origin ? { origin: run.req.origin } : {},
    sha: run.req.sha,
    ...run.req.dirty ? { dirty: true } : {},
    image: run.image,
    container: c.name,
    containerId: c.id,
    ...c.hostPort !== void 0 ? { hostPort: c.hostPort } : {},
    ...url ? { url } : {},
    strategy: run.strategy,
    deployedAt: new Date(run.ctx.clock.now()).toISOString()
  };
}
async function persistActive(run, active, replaced) {
  const keep = run.w.keep_releases;
  const previous = (replaced ? [replaced, ...run.state.previous] : run.state.previous).filter((r) => r.sha !== active.sha || r.image !== active.image || composeDirOf(r) !== active.composeDir).slice(0, keep);
  const route = routeOf(run, { name: active.container, hostPort: active.hostPort });
  const routes = withRoute(run.state.routes, currentRoute(run.ctx.config, route));
  run.state = {
    ...run.state,
    active,
    previous,
    ...routes.length ? { routes } : {},
    updatedAt: new Date(run.ctx.clock.now()).toISOString()
  };
  await run.store.writeInstance(run.state);
}
async function stopReplaced(run, id, step) {
  const { docker } = run.ctx.host;
  const sec = Math.ceil(run.w.stop_timeout / 1e3);
  await docker.stop(id, sec);
  if (sec === 0) return;
  const info = await docker.inspect(id);
  if (info?.exitCode === SIGKILLED)
    run.journal.warn(
      step,
      `your app does not stop on SIGTERM; it was killed after ${sec}s \u2014 handle SIGTERM, or set stop_timeout`
    );
}
var SIGKILLED = 137;
async function reap(run, fn, name) {
  try {
    await run.steps.run("reap", fn);
  } catch (e) {
    run.journal.warn(
      "reap",
      `${name} could not be removed (${errorMessage(e)}); it no longer serves: remove it by hand or let reconcile do it`
    );
  }
}
async function discard(run, c) {
  const { docker } = run.ctx.host;
  const output = await docker.logs(c.id, 20).catch(() => "");
  const lines = run.ctx.redact(output).split(/\r?\n|\r/).filter((l) => l.trim());
  for (const line of lines.slice(-20)) run.journal.info("container-log", line);
  await docker.remove(c.id).catch(() => void 0);
  await run.journal.flush();
}

// src/deploy/blue-green.ts
async function blueGreen(run, base) {
  const { docker } = run.ctx.host;
  const blue = run.state.active;
  const green = await startContainer(run, greenName(base, newSuffix()));
  let url;
  let routing = false;
  try {
    await gate(run, green);
    await hostsMeet(run, "gated");
    routing = true;
    url = await run.steps.run("route", () => pointRoute(run, green));
  } catch (e) {
    if (routing) await routeBack(run, blue);
    await discard(run, green);
    throw e;
  }
  const active = releaseOf(run, green, url);
  const before = run.state;
  try {
    await run.steps.run("persist", () => persistActive(run, active, blue));
  } catch (e) {
    await routeBack(run, blue);
    await docker.remove(green.id).catch(() => void 0);
    throw e;
  }
  try {
    await hostsMeet(run, "swapped");
  } catch (e) {
    await run.steps.run("swap-back", async () => {
      await routeBack(run, blue);
      run.state = before;
      await run.store.writeInstance(before);
      await docker.remove(green.id).catch(() => void 0);
    });
    throw e;
  }
  const revert = blue ? async () => {
    const back = routeOf(run, { name: blue.container, hostPort: blue.hostPort });
    if (back) await run.ctx.proxy.upsert(back);
    run.state = before;
    await run.store.writeInstance(before);
    await run.ctx.clock.sleep(run.w.drain);
    await discard(run, green);
  } : void 0;
  const retire = blue ? () => reap(
    run,
    async () => {
      await run.ctx.clock.sleep(run.w.drain);
      if (run.w.stop_timeout > 0) await stopReplaced(run, blue.containerId, "reap");
      await docker.remove(blue.containerId);
    },
    blue.container
  ) : void 0;
  return { active, previous: blue, retire, ...revert ? { revert } : {} };
}
async function hostsMeet(run, point) {
  const peer = run.ctx.rollout;
  if (!peer) return;
  const note = await run.steps.run(
    `hosts-${point}`,
    () => point === "gated" ? peer.gated().then(() => void 0) : peer.swapped()
  );
  if (note) run.journal[note.level](`hosts-${point}`, `load balancer: ${note.message}`);
}
async function routeBack(run, blue) {
  const back = blue ? routeOf(run, { name: blue.container, hostPort: blue.hostPort }) : void 0;
  if (back) await run.ctx.proxy.upsert(back).catch(() => void 0);
  else if (!blue && run.ctx.proxy.driver !== "none")
    await run.ctx.proxy.remove(run.hostname).catch(() => void 0);
}

// src/deploy/compose.ts
import { readdirSync as readdirSync2, readFileSync, statSync as statSync2 } from "node:fs";
import { join as join4, posix as posix2, relative as relative3, sep as sep3 } from "node:path";

// src/deploy/build-context.ts
var dockerignoreModule = __toESM(require_ignore(), 1);
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync as realpathSync2,
  statSync
} from "node:fs";
import { join as join3, relative as relative2, sep as sep2 } from "node:path";

// src/app/boundary/files.ts
import { existsSync, readdirSync, readlinkSync, realpathSync } from "node:fs";
import { basename as basename2, dirname as dirname3, isAbsolute as isAbsolute2, join as join2, relative, resolve as resolve2, sep } from "node:path";
function realish(p) {
  let head = resolve2(p);
  const tail = [];
  while (!existsSync(head) && dirname3(head) !== head) {
    tail.unshift(basename2(head));
    head = dirname3(head);
  }
  return join2(realpathSync.native(head), ...tail);
}
function within(root, real) {
  const rel = relative(root, real);
  return rel === "" || rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute2(rel);
}
function inside(root, p) {
  return within(realish(root), realish(p));
}
function linkOutside(root, maxEntries) {
  const top = realpathSync.native(root);
  let seen = 0;
  const pending = [top];
  for (let dir = pending.pop(); dir !== void 0; dir = pending.pop()) {
    const names = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1);
    for (const entry of names) {
      if (++seen > maxEntries) throw new Error(`more than ${maxEntries} entries`);
      const path = join2(dir, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isSymbolicLink() && !within(top, linkTarget(path))) return relative(top, path);
    }
  }
  return void 0;
}
function linkTarget(path) {
  try {
    return realpathSync.native(path);
  } catch {
    const text = readlinkSync(path);
    const parts = (isAbsolute2(text) ? text : `${dirname3(path)}/${text}`).split("/");
    for (let n = parts.length - 1; n > 0; n--) {
      try {
        return realpathSync.native(parts.slice(0, n).join("/") || "/");
      } catch {
      }
    }
    return "/";
  }
}
function namedPaths(config, configDir, workloads) {
  const out = [];
  for (const [name, w] of Object.entries(config.workloads)) {
    if (workloads && !workloads.includes(name)) continue;
    if (w.source === "image") continue;
    const context = resolve2(configDir, w.context);
    out.push([`workloads.${name}.context`, context]);
    if (w.source === "dockerfile") out.push([`workloads.${name}.dockerfile`, resolve2(context, w.dockerfile)]);
    if (w.source === "compose")
      out.push([`workloads.${name}.compose_file`, resolve2(context, w.compose_file ?? "docker-compose.yml")]);
  }
  return out;
}
function pathsOutside(config, configDir, root, workloads) {
  return namedPaths(config, configDir, workloads).filter(([, p]) => !inside(root, p)).map(([key]) => `${key}: resolves outside the checkout`);
}
var VOLUME_NAME2 = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
function split(spec) {
  const i = spec.indexOf(":");
  return { source: spec.slice(0, i), rest: spec.slice(i) };
}
function hostVolumeProblems(config, where, workloads) {
  const allow = `${where}.allow_host_volumes: true in the bot's config allows them`;
  const problems = Object.entries(config.workloads).flatMap(([name, w]) => {
    if (workloads && !workloads.includes(name)) return [];
    const binds = w.volumes.filter((v) => !VOLUME_NAME2.test(split(v).source));
    return [
      ...binds.length > 0 ? [`workloads.${name}.volumes: host bind mounts are refused (${binds.join(", ")}); ${allow}`] : [],
      ...w.source === "compose" ? [`workloads.${name}.source: compose files can bind host paths and are refused; ${allow}`] : []
    ];
  });
  const accessories = Object.entries(config.accessories ?? {}).flatMap(([name, a]) => {
    const binds = a.volumes.filter((v) => !VOLUME_NAME2.test(split(v).source));
    return binds.length > 0 ? [`accessories.${name}.volumes: host bind mounts are refused (${binds.join(", ")}); ${allow}`] : [];
  });
  return [...problems, ...accessories];
}
function networkProblems(config, project, allowed, where, workloads) {
  return [
    ...workloadNetworkProblems(config, project, allowed, where, workloads),
    ...swarmNetworkProblems(config, project, allowed, where)
  ];
}
function swarmNetworkProblems(config, project, allowed, where) {
  const n = config.swarm?.network;
  if (n === void 0 || n === `tinyforge-${project}` || allowed.includes(n)) return [];
  return [
    `swarm.network: ${n} is not this project's (tinyforge-${project}); ${where}.networks in the bot's config allows others`
  ];
}
function workloadNetworkProblems(config, project, allowed, where, workloads) {
  return Object.entries(config.workloads).flatMap(([name, w]) => {
    const n = w.network;
    if (workloads && !workloads.includes(name) || !n) return [];
    if (/^(host|container:.*)$/.test(n))
      return [
        `workloads.${name}.network: ${n} is refused (it reaches the host's loopback or another container)`
      ];
    if (n === "bridge" || n === "default")
      return [
        `workloads.${name}.network: ${n} is refused (Docker's default bridge reaches every other project's containers on the host); leave network: out and the workload runs on its stage's own network`
      ];
    if (n === project || n.startsWith(`${project}_`) || allowed.includes(n)) return [];
    return [
      `workloads.${name}.network: ${n} is not this project's (${project} or ${project}_NAME); ${where}.networks in the bot's config allows others`
    ];
  });
}
function scopeVolumes(config, project) {
  const prefix = `${project}_`;
  const workloads = Object.fromEntries(
    Object.entries(config.workloads).map(([name, w]) => [
      name,
      {
        ...w,
        volumes: w.volumes.map((v) => {
          const { source, rest } = split(v);
          return VOLUME_NAME2.test(source) && !source.startsWith(prefix) ? `${prefix}${source}${rest}` : v;
        })
      }
    ])
  );
  return { ...config, workloads };
}

// src/deploy/build-context.ts
var dockerignore = dockerignoreModule.default;
function isDirectory(p) {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
var IGNORE_FILE_MAX = 1024 * 1024;
function readSmallFile(dir, name, root) {
  const path = join3(dir, name);
  const bad = (why) => new TinyforgeError("build_failed", `${name} in the build context ${why}`);
  try {
    if (root && lstatSync(path).isSymbolicLink() && !within(realpathSync2.native(root), realpathSync2.native(path)))
      throw bad("is a symlink that resolves outside the checkout");
  } catch (e) {
    if (e.code === "ENOENT") return void 0;
    throw e;
  }
  let fd;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    if (e.code === "ENOENT") return void 0;
    throw bad(`cannot be read (${e.code ?? e.message})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw bad("is not a regular file (a FIFO, a device or a directory)");
    if (st.size > IGNORE_FILE_MAX) throw bad(`is larger than ${IGNORE_FILE_MAX} bytes`);
    const buf = Buffer.alloc(st.size);
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, n);
      if (got === 0) break;
      n += got;
    }
    return buf.subarray(0, n).toString("utf8");
  } finally {
    closeSync(fd);
  }
}
function assertInCheckout(contextDir, root) {
  if (!root) return;
  let real;
  try {
    real = realpathSync2.native(contextDir);
  } catch {
    return;
  }
  if (!within(realpathSync2.native(root), real))
    throw new TinyforgeError(
      "checkout_refused",
      `the build context ${relative2(root, contextDir) || "."} resolves outside the checkout`
    );
}
function ignoreFilter(contextDir, dockerfile, checkoutRoot) {
  const patterns = readSmallFile(contextDir, ".dockerignore", checkoutRoot) ?? "";
  const lines = patterns.split(/\r?\n/);
  const ig = dockerignore({ ignorecase: false }).add(lines);
  const keep = [dockerfile.replace(/^\.\//, ""), ".dockerignore"];
  const exceptionHeads = lines.map((l) => l.trim()).filter((l) => l.startsWith("!")).map((l) => l.slice(1).replace(/^\/+/, "").split(/[*?[]/)[0]);
  return (absPath) => {
    const rel = relative2(contextDir, absPath).split(sep2).join("/");
    if (rel === "" || keep.includes(rel)) return false;
    if (!ig.ignores(rel)) return false;
    if (!isDirectory(absPath)) return true;
    const inside2 = `${rel}/`;
    const reachable = [...keep, ...exceptionHeads].some((h) => h.startsWith(inside2) || inside2.startsWith(h));
    return !reachable;
  };
}
var loadTar = () => import("./tar-fs-7XJC3TUV.js").then((m) => m.default);
async function packContext(contextDir, dockerfile, checkoutRoot) {
  assertInCheckout(contextDir, checkoutRoot);
  const ignore = ignoreFilter(contextDir, dockerfile, checkoutRoot);
  const tar = await loadTar();
  return tar.pack(contextDir, { ignore });
}
async function packStaticSite(siteDir, dockerfile, checkoutRoot) {
  assertInCheckout(siteDir, checkoutRoot);
  const ignore = ignoreFilter(siteDir, "", checkoutRoot);
  const tar = await loadTar();
  return tar.pack(siteDir, {
    ignore,
    map: (header) => {
      header.name = `site/${header.name}`;
      return header;
    },
    finalize: false,
    finish: (pack) => {
      pack.entry({ name: "Dockerfile", mode: 420 }, dockerfile);
      pack.finalize();
    }
  });
}

// src/deploy/compose.ts
var ENV_FILE = ".tinyforge.env";
async function composeCommand(host) {
  if ((await host.exec(["docker", "compose", "version"])).code === 0) return ["docker", "compose"];
  if ((await host.exec(["docker-compose", "version"])).code === 0) return ["docker-compose"];
  throw new TinyforgeError(
    "deploy_failed",
    `${host.name} has neither "docker compose" nor "docker-compose"`,
    {
      hint: "install the compose plugin (docker-compose-plugin) on the host"
    }
  );
}
function composeArgv(cmd, project, dir, file, args) {
  return [
    ...cmd,
    "-p",
    project,
    "--project-directory",
    dir,
    "-f",
    posix2.join(dir, file),
    "--env-file",
    posix2.join(dir, ENV_FILE),
    ...args
  ];
}
function localFiles(root, checkoutRoot) {
  const ignored = ignoreFilter(root, "", checkoutRoot);
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync2(dir)) {
      const abs = join4(dir, name);
      if (ignored(abs)) continue;
      const st = statSync2(abs);
      if (st.isDirectory()) walk(abs);
      else if (!st.isFile())
        throw new TinyforgeError(
          "deploy_failed",
          `${relative3(root, abs)} is not a regular file (a FIFO or a device)`
        );
      else out.push(relative3(root, abs).split(sep3).join("/"));
    }
  };
  walk(root);
  return out.sort();
}
async function homeOf(host) {
  const r = await host.exec(["printenv", "HOME"]);
  return r.stdout.trim() || "/root";
}
async function composeUp(run, project, reuseDir) {
  const { ctx, w, req } = run;
  const host = ctx.host;
  const file = w.compose_file ?? "docker-compose.yml";
  const cmd = await composeCommand(host);
  const home = await homeOf(host);
  const abs = (p) => p.startsWith("/") ? p : `${home}/${p}`;
  const previous = run.state.active;
  const dir = reuseDir ?? abs(`${run.store.root}/compose/${run.state.key}/${req.deployId}`);
  if (!reuseDir) {
    await run.steps.run("upload", async () => {
      const src = join4(ctx.configDir, w.context);
      const files = localFiles(src, ctx.checkoutRoot);
      for (const f of files) await host.files.writeAtomic(`${dir}/${f}`, readFileSync(join4(src, f), "utf8"));
      const env = [
        ...Object.entries(w.env).map(([k, v]) => `${k}=${v}`),
        ...w.secrets.map((n) => `${n}=${ctx.secrets[n] ?? ""}`),
        `TINYFORGE_SHA=${req.sha}`,
        `TINYFORGE_STAGE=${req.stage}`
      ].join("\n");
      const wrote = await host.exec(
        ["sh", "-c", 'umask 077 && cat > "$1"', "sh", posix2.join(dir, ENV_FILE)],
        { stdin: `${env}
` }
      );
      if (wrote.code !== 0)
        throw new TinyforgeError(
          "deploy_failed",
          `could not write the compose env file (exit ${wrote.code})`
        );
      run.journal.info("upload", `${files.length} files to ${dir}`);
    });
  }
  const up = async (releaseDir) => {
    const r = await host.exec(composeArgv(cmd, project, releaseDir, file, ["up", "-d", "--remove-orphans"]));
    if (r.code !== 0) {
      throw new TinyforgeError(
        "deploy_failed",
        `docker compose up failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`,
        {
          publicMessage: `docker compose up failed (exit ${r.code}); its output may contain secrets, so it is shown only to the deploying user`
        }
      );
    }
  };
  let container;
  let url;
  try {
    await run.steps.run("up", () => up(dir));
    container = await run.steps.run("start", () => serviceContainer(run, project));
    await gate(run, container);
    url = await run.steps.run("route", () => pointRoute(run, container));
  } catch (e) {
    await restore(run, project, dir, previous, up).catch(
      (re) => run.journal.error("restore", errorMessage(re))
    );
    throw e;
  }
  const active = {
    deployId: req.deployId,
    sha: req.sha,
    image: "",
    composeDir: dir,
    container: container.name,
    containerId: container.id,
    ...container.hostPort !== void 0 ? { hostPort: container.hostPort } : {},
    ...url ? { url } : {},
    strategy: "recreate",
    deployedAt: new Date(ctx.clock.now()).toISOString()
  };
  await run.steps.run("persist", () => persistActive(run, active, previous));
  return { active, previous };
}
async function serviceContainer(run, project) {
  const labels = [`com.docker.compose.project=${project}`];
  if (run.w.service) labels.push(`com.docker.compose.service=${run.w.service}`);
  const found = (await run.ctx.host.docker.list(labels)).filter((c2) => c2.running);
  const c = found[0];
  if (!c || !run.w.service && found.length > 1) {
    throw new TinyforgeError(
      "deploy_failed",
      c ? `the stack runs ${found.length} containers: set service: to the one that serves HTTP` : `no running container of ${run.w.service ?? "the stack"} after compose up`
    );
  }
  const info = await run.ctx.host.docker.inspect(c.id);
  return { id: c.id, name: c.name, hostPort: info?.hostPort };
}
async function restore(run, project, failedDir, previous, up) {
  const prevDir = previous ? composeDirOf(previous) : void 0;
  await run.steps.run("restore", async () => {
    if (!previous || !prevDir) {
      const cmd = await composeCommand(run.ctx.host);
      await run.ctx.host.exec(
        composeArgv(cmd, project, failedDir, run.w.compose_file ?? "docker-compose.yml", ["down"])
      );
      return;
    }
    await up(prevDir);
    const c = await serviceContainer(run, project);
    const url = await pointRoute(run, c);
    run.state = {
      ...run.state,
      active: {
        ...previous,
        containerId: c.id,
        container: c.name,
        ...c.hostPort !== void 0 ? { hostPort: c.hostPort } : {},
        ...url ? { url } : {}
      }
    };
    await run.store.writeInstance(run.state);
    run.journal.warn("restore", `previous release ${previous.sha.slice(0, 12)} is up again`);
  });
}

// src/events/journal.ts
var Journal = class {
  constructor(base, redact, clock, store) {
    this.base = base;
    this.redact = redact;
    this.clock = clock;
    this.store = store;
  }
  base;
  redact;
  clock;
  store;
  pending = [];
  listeners = [];
  flushing = Promise.resolve();
  timer;
  /** Events also reach the host within this long during a step (a long build), for `logs --follow`. */
  flushEveryMs = 1e3;
  on(listener) {
    this.listeners.push(listener);
  }
  emit(level, step, msg) {
    const e = {
      ts: new Date(this.clock.now()).toISOString(),
      ...this.base,
      level,
      step,
      // Redact before capping: a cut must never leave half a secret behind.
      msg: capRunes(this.redact(msg), 256)
    };
    this.pending.push(e);
    if (this.store && !this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushEveryMs);
      this.timer.unref();
    }
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
      }
    }
  }
  info(step, msg) {
    this.emit("info", step, msg);
  }
  warn(step, msg) {
    this.emit("warn", step, msg);
  }
  error(step, msg) {
    this.emit("error", step, msg);
  }
  /** Appends what is pending to the host; flushes run one after another so the file keeps order. */
  flush() {
    clearTimeout(this.timer);
    this.timer = void 0;
    this.flushing = this.flushing.then(() => this.append());
    return this.flushing;
  }
  async append() {
    if (!this.store || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      await this.store.appendEvents(this.base.deployId, batch);
    } catch {
      this.pending = batch.concat(this.pending);
    }
  }
};

// src/state/store.ts
import { posix as posix3 } from "node:path";
var READ_AT_ONCE = 16;
var Store = class {
  constructor(files, stateDir, project) {
    this.files = files;
    this.project = project;
    this.root = `${stateDir.replace(/\/+$/, "")}/${validateName("project", project)}`;
  }
  files;
  project;
  root;
  /**
   * Every path the store touches: joined under the project's state directory and checked after
   * joining, so a name carrying "/" or ".." can never reach a file elsewhere on the host.
   */
  path(...parts) {
    const joined = posix3.join(this.root, ...parts);
    const inside2 = posix3.join(this.root, "/");
    const name = parts.at(-1) ?? "";
    if (!joined.startsWith(inside2) || name.includes("/") || /^\.\.?$/.test(name)) {
      throw new TinyforgeError("usage", `${JSON.stringify(name)} is not a state file name`);
    }
    return joined;
  }
  instancePath(key) {
    return this.path("instances", `${key}.json`);
  }
  async readInstance(key) {
    const text = await this.files.read(this.instancePath(key));
    return text === void 0 ? void 0 : JSON.parse(text);
  }
  async writeInstance(state) {
    await this.files.writeAtomic(this.instancePath(state.key), `${JSON.stringify(state, null, 2)}
`);
  }
  async removeInstance(key) {
    await this.files.remove(this.instancePath(key));
  }
  async listInstances() {
    const keys = (await this.files.list(this.path("instances"))).filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -".json".length));
    const out = [];
    for (let i = 0; i < keys.length; i += READ_AT_ONCE) {
      const read = await Promise.all(keys.slice(i, i + READ_AT_ONCE).map((k) => this.readInstance(k)));
      for (const s of read) if (s) out.push(s);
    }
    return out;
  }
  async writeDeploy(rec) {
    await this.files.writeAtomic(
      this.path("deploys", `${rec.deployId}.json`),
      `${JSON.stringify(rec, null, 2)}
`
    );
  }
  async readDeploy(deployId) {
    const text = await this.files.read(this.path("deploys", `${deployId}.json`));
    return text === void 0 ? void 0 : JSON.parse(text);
  }
  /** Deploy ids are ULIDs, so name order is time order. Newest first. */
  async listDeployIds() {
    const names = await this.files.list(this.path("deploys"));
    return names.filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -".json".length)).reverse();
  }
  async appendEvents(deployId, events) {
    if (events.length === 0) return;
    await this.files.append(
      this.path("events", `${deployId}.jsonl`),
      events.map((e) => `${JSON.stringify(e)}
`).join("")
    );
  }
  async readEvents(deployId) {
    const text = await this.files.read(this.path("events", `${deployId}.jsonl`)) ?? "";
    return text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
  }
  lockDir(workload, stage) {
    return this.path("locks", `${validateName("workload", workload)}.${validateName("stage", stage)}`);
  }
  freezePath(stage) {
    return this.path("freezes", `${validateName("stage", stage)}.json`);
  }
  /** The stage's freeze as written (expired or not: src/deploy/freeze.ts decides), if any. */
  async readFreeze(stage) {
    const text = await this.files.read(this.freezePath(stage));
    if (text === void 0) return void 0;
    try {
      return JSON.parse(text);
    } catch {
      return void 0;
    }
  }
  async writeFreeze(f) {
    await this.files.writeAtomic(this.freezePath(f.stage), `${JSON.stringify(f, null, 2)}
`);
  }
  async removeFreeze(stage) {
    await this.files.remove(this.freezePath(stage));
  }
};

// src/deploy/hooks.ts
var HookQueue = class {
  constructor(hooks, journal, perCallMs = 1e4) {
    this.hooks = hooks;
    this.journal = journal;
    this.perCallMs = perCallMs;
  }
  hooks;
  journal;
  perCallMs;
  tails = /* @__PURE__ */ new Map();
  /** The outcome has been queued: later steps (retiring the old release) are not reported. */
  reported = false;
  enqueue(call2) {
    for (const h of this.hooks) {
      const tail = (this.tails.get(h) ?? Promise.resolve()).then(async () => {
        let timer;
        try {
          const p = call2(h);
          if (!p) return;
          const timeout = new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`no answer within ${this.perCallMs}ms`)),
              this.perCallMs
            );
          });
          await Promise.race([p, timeout]);
        } catch (e) {
          this.journal.warn("report", `${h.name}: ${errorMessage(e)}`);
        } finally {
          clearTimeout(timer);
        }
      });
      this.tails.set(h, tail);
    }
  }
  started(info) {
    for (const h of this.hooks) if (h.notice) this.journal.info("report", `${h.name}: ${h.notice}`);
    this.enqueue((h) => h.started?.(info));
  }
  step(info, step) {
    if (!this.reported) this.enqueue((h) => h.step?.(info, step));
  }
  /** The new release serves and is persisted: report the success now, without waiting. */
  served(info, result2) {
    this.enqueue((h) => h.finished?.(info, result2));
    this.reported = true;
  }
  /** Queues the outcome unless served() did, and waits (bounded) for everything queued to be sent. */
  async finished(info, result2) {
    if (!this.reported) this.enqueue((h) => h.finished?.(info, result2));
    this.reported = true;
    let timer;
    const bound = new Promise((resolve4) => {
      timer = setTimeout(() => {
        this.journal.warn("report", "gave up waiting for reporters");
        resolve4();
      }, this.perCallMs * 2);
    });
    await Promise.race([Promise.all(this.tails.values()), bound]);
    clearTimeout(timer);
  }
};

// src/deploy/steps.ts
var Steps = class {
  constructor(journal, clock, guard = () => {
  }, onStep) {
    this.journal = journal;
    this.clock = clock;
    this.guard = guard;
    this.onStep = onStep;
  }
  journal;
  clock;
  guard;
  onStep;
  records = [];
  /** The step running now, or the last one that ran. */
  current;
  /** The first step that failed: where a deploy broke, even if its cleanup steps ran after. */
  failedAt;
  done(rec) {
    this.records.push(rec);
    try {
      this.onStep?.(rec);
    } catch {
    }
  }
  async run(name, fn) {
    this.guard();
    const t0 = this.clock.now();
    this.current = name;
    this.journal.emit("debug", name, "started");
    void this.journal.flush();
    try {
      const v = await fn();
      const ms = this.clock.now() - t0;
      this.done({ name, ms, ok: true });
      this.journal.info(name, `ok in ${ms}ms`);
      return v;
    } catch (e) {
      const ms = this.clock.now() - t0;
      this.failedAt ??= name;
      this.done({ name, ms, ok: false });
      this.journal.error(name, `failed after ${ms}ms: ${publicReason(e)}`);
      throw e;
    } finally {
      await this.journal.flush();
    }
  }
};
function publicReason(e) {
  return isTinyforgeError(e) && e.publicMessage ? e.publicMessage : errorMessage(e);
}

// src/deploy/deploy-state.ts
function storeFor(ctx) {
  return new Store(ctx.host.files, ctx.config.state_dir, ctx.config.project);
}
var Deploy = class {
  constructor(ctx, plan) {
    this.ctx = ctx;
    this.plan = plan;
    const { req, names, strategy } = plan;
    this.store = storeFor(ctx);
    this.journal = new Journal(
      { deployId: req.deployId, workload: req.workload, stage: req.stage },
      ctx.redact,
      ctx.clock,
      this.store
    );
    if (ctx.onEvent) this.journal.on(ctx.onEvent);
    this.hooks = new HookQueue(ctx.hooks ?? [], this.journal, ctx.hookTimeoutMs);
    this.steps = new Steps(
      this.journal,
      ctx.clock,
      () => this.lock?.assertHeld(),
      (step) => {
        ctx.onStep?.(step);
        if (this.announced) this.hooks.step(plan.info, step);
      }
    );
    this.t0 = ctx.clock.now();
    this.record = {
      deployId: req.deployId,
      ...names,
      sha: req.sha,
      ...req.dirty ? { dirty: true } : {},
      ...req.ref ? { ref: req.ref } : {},
      ...req.trigger ? { trigger: req.trigger } : {},
      ...req.thread ? { thread: req.thread } : {},
      kind: req.rollback ? "rollback" : "deploy",
      ...req.rollback ? { rollback: req.rollback } : {},
      ...req.forced ? { forced: req.forced } : {},
      strategy,
      host: ctx.host.name,
      outcome: "running",
      startedAt: new Date(this.t0).toISOString(),
      steps: this.steps.records
    };
    if (!req.tag) delete this.record.tag;
  }
  ctx;
  plan;
  phase = { name: "planned" };
  lock;
  /** What served before this deploy: on failure, it is what still serves. */
  serving;
  /** From the start until the new release served and was persisted (the success reported). */
  servedMs;
  /** The bake window's figures, once its soak ended. */
  bake;
  /** Whether the image that decides the pull or build is on the host, asked while reconciling. */
  imageAsked;
  store;
  journal;
  hooks;
  steps;
  record;
  t0;
  get announced() {
    const p = this.phase;
    if (this.ctx.announced === true) return true;
    return p.name === "announced" || p.name === "served" || p.name === "failed" && p.announced;
  }
  fail(e) {
    const error = isTinyforgeError(e) ? e : new TinyforgeError("deploy_failed", errorMessage(e), { cause: e });
    this.phase = { name: "failed", error, announced: this.announced };
    this.journal.error("deploy", `failed: ${error.publicMessage ?? error.message}`);
    return error;
  }
};
function result(d) {
  const { plan, ctx } = d;
  const p = d.phase;
  const base = {
    deployId: plan.req.deployId,
    workload: plan.req.workload,
    stage: plan.req.stage,
    tag: plan.req.tag ?? null,
    sha: plan.req.sha,
    ...plan.req.dirty ? { dirty: true } : {},
    ...plan.req.rollback ? { rollback: plan.req.rollback } : {},
    ...plan.req.forced ? { forced: plan.req.forced } : {},
    strategy: plan.strategy,
    host: ctx.host.name,
    durationMs: ctx.clock.now() - d.t0,
    servedMs: d.servedMs ?? null,
    steps: d.steps.records,
    ...d.bake ? { bake: d.bake } : {}
  };
  if (p.name === "unchanged")
    return {
      ...base,
      outcome: "unchanged",
      url: p.active.url ?? null,
      container: p.active.container,
      previous: null,
      error: null
    };
  if (p.name === "served")
    return {
      ...base,
      outcome: "success",
      url: p.swap.active.url ?? null,
      container: p.swap.active.container,
      previous: p.swap.previous?.container ?? null,
      error: null
    };
  const err = p.name === "failed" ? p.error : new TinyforgeError("deploy_failed", `ended while ${p.name}`);
  return {
    ...base,
    outcome: "failed",
    url: null,
    container: null,
    previous: d.serving ?? null,
    error: {
      code: err.code,
      message: ctx.redact(err.publicMessage ?? err.message),
      ...err.hint ? { hint: err.hint } : {},
      ...err.publicMessage ? { detail: ctx.redact(err.message) } : {},
      ...err.code === "release_failed" && err.details.length > 0 ? { output: err.details.map((l) => ctx.redact(l)) } : {}
    }
  };
}

// src/deploy/freeze.ts
function inForce(f, now) {
  if (!f) return void 0;
  if (f.until !== void 0 && Date.parse(f.until) <= now) return void 0;
  return f;
}
async function activeFreeze(store, stage, now) {
  return inForce(await store.readFreeze(stage), now);
}
function freezeText(f) {
  return `frozen: ${f.reason} (by ${f.by}, ${f.until ? `until ${f.until}` : "until unfrozen"})`;
}

// src/deploy/image.ts
import { join as join5 } from "node:path";
function builtImageRepo(project, workload) {
  return `tinyforge/${project}_${workload}`;
}
function builtImageTag(project, workload, sha) {
  return `${builtImageRepo(project, workload)}:${sha}`;
}
function buildTag(r) {
  const version = r.dirty ? `${r.sha}-dirty-${r.deployId.toLowerCase()}` : r.sha;
  return builtImageTag(r.project, r.workload, version);
}
function usesCopyOnHost(w, ref) {
  const immutable = w.image.includes("{sha}") || ref.includes("@sha256:");
  return immutable || w.pull === "missing";
}
function decidingImage(w, r) {
  switch (w.source) {
    case "image": {
      const ref = expandImage(w.image, { sha: r.sha, ref: r.ref, tag: r.tag, stage: r.stage });
      return usesCopyOnHost(w, ref) ? ref : void 0;
    }
    case "dockerfile":
    case "static":
      return buildTag(r);
    default:
      return void 0;
  }
}
async function prepareImage(host, w, r, log, present = (ref) => host.docker.imageExists(ref)) {
  switch (w.source) {
    case "image": {
      const ref = expandImage(w.image, { sha: r.sha, ref: r.ref, tag: r.tag, stage: r.stage });
      if (usesCopyOnHost(w, ref) && await present(ref)) {
        log(`${ref} already on the host`);
        return ref;
      }
      await host.docker.pull(ref, log);
      return ref;
    }
    case "dockerfile": {
      const tag = buildTag(r);
      if (await present(tag)) {
        log(`${tag} already built for this SHA`);
        return tag;
      }
      const contextDir = join5(r.configDir, w.context);
      await host.docker.build(
        await packContext(contextDir, w.dockerfile, r.checkoutRoot),
        {
          tag,
          dockerfile: w.dockerfile,
          buildArgs: w.build_args,
          labels: labelsFor({
            project: r.project,
            workload: r.workload,
            stage: r.stage,
            tag: r.tag,
            sha: r.sha,
            deployId: r.deployId
          })
        },
        log
      );
      return tag;
    }
    case "static": {
      const tag = buildTag(r);
      if (await present(tag)) {
        log(`${tag} already built for this SHA`);
        return tag;
      }
      const labels = labelsFor({
        project: r.project,
        workload: r.workload,
        stage: r.stage,
        tag: r.tag,
        sha: r.sha,
        deployId: r.deployId
      });
      const context = await packStaticSite(join5(r.configDir, w.context), staticDockerfile(w), r.checkoutRoot);
      await host.docker.build(
        context,
        { tag, dockerfile: "Dockerfile", buildArgs: w.build_args, labels },
        log
      );
      return tag;
    }
    default:
      throw new TinyforgeError(
        "usage",
        `source "${w.source}" is not supported by this version of tinyforge yet`,
        {
          hint: 'use source "image" or "dockerfile"'
        }
      );
  }
}

// src/deploy/lock.ts
function cancelPath(dir) {
  return `${dir}/cancel-bake.json`;
}
var GEN = /^gen-(\d+)\.json$/;
async function generations(files, dir) {
  return (await files.list(dir)).map((n) => GEN.exec(n)?.[1]).filter((g) => g !== void 0).map(Number).sort((a, b) => b - a);
}
function parseLease(text) {
  if (!text) return void 0;
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}
var HeldLock = class {
  constructor(files, dir, generation, lease, clock, tookOver) {
    this.files = files;
    this.dir = dir;
    this.generation = generation;
    this.lease = lease;
    this.clock = clock;
    this.tookOver = tookOver;
  }
  files;
  dir;
  generation;
  lease;
  clock;
  tookOver;
  timer;
  lostReason;
  beating = Promise.resolve();
  get path() {
    return `${this.dir}/gen-${this.generation}.json`;
  }
  startHeartbeat() {
    this.timer = setInterval(
      () => {
        this.beating = this.beat();
      },
      Math.max(50, Math.floor(this.lease.ttlMs / 3))
    );
    this.timer.unref();
  }
  async beat() {
    try {
      const top = (await generations(this.files, this.dir))[0];
      if (top !== void 0 && top > this.generation) {
        this.lostReason = `another deploy took the lock (generation ${top}) after ours went stale`;
        return;
      }
      this.lease = {
        ...this.lease,
        expiresAt: this.clock.now() + this.lease.ttlMs,
        beat: this.lease.beat + 1
      };
      await this.files.writeAtomic(this.path, JSON.stringify(this.lease));
    } catch {
    }
  }
  /** The holder bakes its release until `until` (its clock): waiters extend their wait by the rest. */
  async baking(until) {
    const { bakeUntil: _, ...rest } = this.lease;
    this.lease = until === void 0 ? rest : { ...rest, bakeUntil: until };
    await this.beating;
    await this.files.writeAtomic(this.path, JSON.stringify(this.lease));
  }
  /** The deploy that asked this one to end its bake (`--cancel-bake`), if one did. */
  async bakeCancelledBy() {
    const text = await this.files.read(cancelPath(this.dir)).catch(() => void 0);
    if (!text) return void 0;
    try {
      const ask = JSON.parse(text);
      return ask.holder === this.lease.deployId ? ask.by ?? "another deploy" : void 0;
    } catch {
      return void 0;
    }
  }
  /** Called at step boundaries: a deploy that lost its lease must not touch anything more. */
  assertHeld() {
    if (this.lostReason) throw new TinyforgeError("lock_lost", `deploy lock lost: ${this.lostReason}`);
  }
  async release() {
    clearInterval(this.timer);
    await this.beating;
    await Promise.all([
      this.files.remove(this.path),
      this.files.remove(cancelPath(this.dir)).catch(() => void 0)
    ]);
  }
};
async function acquireLock(files, dir, who, opts) {
  const { clock, ttlMs } = opts;
  const started2 = clock.now();
  let seen;
  let announced = false;
  let cancelAsked = false;
  let waitUntil = started2 + opts.waitMs;
  for (; ; ) {
    const gens = await generations(files, dir);
    const top = gens[0];
    const holder = top === void 0 ? void 0 : parseLease(await files.read(`${dir}/gen-${top}.json`));
    if (top !== void 0 && holder) {
      const now = clock.now();
      if (!seen || seen.gen !== top || seen.beat !== holder.beat)
        seen = { gen: top, beat: holder.beat, since: now };
      const stale = now - seen.since >= holder.ttlMs || now > holder.expiresAt + holder.ttlMs;
      if (!stale) {
        if (holder.bakeUntil !== void 0 && opts.cancelBake && !cancelAsked) {
          cancelAsked = true;
          await files.writeAtomic(
            cancelPath(dir),
            JSON.stringify({ holder: holder.deployId, by: who.deployId })
          );
        }
        if (holder.bakeUntil !== void 0) {
          const bakeLeft = Math.max(0, holder.bakeUntil - (holder.expiresAt - holder.ttlMs));
          waitUntil = Math.max(waitUntil, now + bakeLeft + opts.waitMs);
        }
        if (now >= waitUntil) {
          throw new TinyforgeError(
            "lock_held",
            `another deploy holds the lock: ${holder.owner}, deploy ${holder.deployId}, since ${holder.acquiredAt}`,
            {
              hint: "wait for it to finish, or if its process is gone, `tinyforge unlock WORKLOAD --stage S` (it also expires by itself)"
            }
          );
        }
        if (!announced) opts.onWait?.(holder);
        announced = true;
        await clock.sleep(opts.pollMs ?? 500);
        continue;
      }
    }
    const gen = (top ?? 0) + 1;
    const lease = {
      ...who,
      acquiredAt: new Date(clock.now()).toISOString(),
      expiresAt: clock.now() + ttlMs,
      ttlMs,
      beat: 0
    };
    if (await files.createExclusive(`${dir}/gen-${gen}.json`, JSON.stringify(lease))) {
      for (const g of gens) await files.remove(`${dir}/gen-${g}.json`).catch(() => void 0);
      const held = new HeldLock(files, dir, gen, lease, clock, holder);
      held.startHeartbeat();
      return held;
    }
  }
}
async function currentLease(files, dir) {
  const top = (await generations(files, dir))[0];
  return top === void 0 ? void 0 : parseLease(await files.read(`${dir}/gen-${top}.json`));
}
function leaseAlive(lease, now) {
  return lease.expiresAt + lease.ttlMs > now;
}
async function ourLease(files, dir, deployId) {
  const top = (await generations(files, dir))[0];
  if (top === void 0) return void 0;
  const path = `${dir}/gen-${top}.json`;
  return parseLease(await files.read(path))?.deployId === deployId ? path : void 0;
}
async function forceUnlock(files, dir) {
  const gens = await generations(files, dir);
  const holder = gens[0] === void 0 ? void 0 : parseLease(await files.read(`${dir}/gen-${gens[0]}.json`));
  for (const g of gens) await files.remove(`${dir}/gen-${g}.json`);
  return holder;
}

// src/deploy/reconcile.ts
function sameUpstream(a, b) {
  return a?.host === b?.host && a?.port === b?.port;
}
async function reconcile(ctx, store, scope = {}) {
  return (await reconcileScope(ctx, store, scope)).lines;
}
async function reconcileScope(ctx, store, scope = {}) {
  const { docker } = ctx.host;
  const project = ctx.config.project;
  const swarm = Boolean(ctx.host.swarm);
  const [all, containers] = await Promise.all([
    store.listInstances(),
    swarm ? Promise.resolve([]) : docker.list(labelFilter({ project, workload: scope.workload, stage: scope.stage }))
  ]);
  const states = all.filter(
    (s) => (!scope.workload || s.workload === scope.workload) && (!scope.stage || s.stage === scope.stage)
  );
  const actions = [];
  if (scope.interrupted) {
    const line = await markInterrupted(store, scope.interrupted).catch(
      (e) => `could not mark: ${errorMessage(e)}`
    );
    if (line) actions.push(line);
  }
  for (const [i, st] of states.entries()) {
    if (!st.bake) continue;
    const { bake, ...rest } = st;
    states[i] = rest;
    await store.writeInstance(rest);
    actions.push(
      `${st.key}: the bake of deploy ${bake.deployId} never concluded; ${st.active?.container ?? "its release"} keeps serving`
    );
  }
  const unsure = /* @__PURE__ */ new Set();
  const serving = /* @__PURE__ */ new Map();
  if (swarm) return { lines: actions, states, unsure, serving };
  for (const c of containers.filter((c2) => c2.labels[LABEL2.role] === RELEASE_ROLE)) {
    try {
      await docker.remove(c.id);
      actions.push(`${c.labels[LABEL2.instance] ?? c.name}: removed ${c.name} (a release step left behind)`);
    } catch (e) {
      actions.push(`${c.name}: could not remove it: ${errorMessage(e)}`);
    }
  }
  const byKey = /* @__PURE__ */ new Map();
  for (const c of containers) {
    const key = c.labels[LABEL2.instance];
    if (!key || c.labels[LABEL2.role] === RELEASE_ROLE) continue;
    byKey.set(key, [...byKey.get(key) ?? [], c]);
  }
  const keys = /* @__PURE__ */ new Set([...states.map((s) => s.key), ...byKey.keys()]);
  for (const key of [...keys].sort()) {
    const state = states.find((s) => s.key === key);
    const found = byKey.get(key) ?? [];
    const wrote = (next) => {
      states.splice(states.indexOf(state), 1, next);
    };
    const serves = (info) => {
      serving.set(key, info);
    };
    try {
      actions.push(...await reconcileInstance(ctx, store, key, state, found, wrote, serves));
    } catch (e) {
      unsure.add(key);
      serving.delete(key);
      actions.push(`${key}: could not reconcile: ${errorMessage(e)}`);
    }
  }
  return { lines: actions, states, unsure, serving };
}
async function reconcileInstance(ctx, store, key, state, found, wrote, serves) {
  const { docker } = ctx.host;
  const actions = [];
  let active = state?.active;
  const listed = active && found.find((c) => c.id === active?.containerId && c.running);
  let info = listed || (active ? await docker.inspect(active.containerId) : void 0);
  if (state && active && !info) {
    const adopt = found.filter((c) => c.running).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    const id = adopt && fromLabels(adopt.labels);
    if (adopt && id) {
      active = {
        ...active,
        deployId: id.deployId,
        sha: id.sha,
        image: adopt.image,
        container: adopt.name,
        containerId: adopt.id,
        hostPort: adopt.hostPort
      };
      info = await docker.inspect(adopt.id);
      actions.push(
        `${key}: ${state.active?.container} is gone; adopted ${adopt.name} (${id.sha.slice(0, 12)})`
      );
    } else {
      actions.push(`${key}: ${active.container} is gone and nothing else runs; deploy again to restore it`);
    }
  }
  for (const c of found) {
    if (info && c.id === info.id) continue;
    await docker.stop(c.id, 1);
    await docker.remove(c.id);
    actions.push(`${key}: removed ${c.name} (not the active release)`);
  }
  if (active && info && !info.running) {
    if (info.name !== active.container) await docker.rename(info.id, active.container);
    await docker.start(info.id);
    info = await docker.inspect(info.id);
    actions.push(`${key}: restarted ${active.container}`);
  }
  if (state && active && info) {
    serves(info);
    const moved = info.hostPort !== active.hostPort || active.containerId !== state.active?.containerId;
    const w = own(ctx.config.workloads, state.workload);
    const hostname = routeHostname(ctx.config, state);
    const route = w ? routeForContainer(ctx, w, routeHostnames(ctx.config, state), {
      name: active.container,
      hostPort: info.hostPort
    }) : void 0;
    if (route && ctx.proxy.driver !== "none") {
      const current2 = await ctx.proxy.get(hostname);
      if (!sameUpstream(current2?.upstream, route.upstream)) {
        await ctx.proxy.upsert(route);
        actions.push(`${key}: route ${hostname} repointed to ${route.upstream.host}:${route.upstream.port}`);
      }
    }
    const current = currentRoute(ctx.config, route);
    const stale = await dropStaleRoutes(ctx, state, current);
    actions.push(...stale.lines);
    const routesChanged = JSON.stringify(stale.routes) !== JSON.stringify(state.routes ?? []);
    if (moved || routesChanged) {
      const url = route ? ctx.proxy.url(route) : active.url;
      const next = {
        ...active,
        ...info.hostPort !== void 0 ? { hostPort: info.hostPort } : {},
        ...url ? { url } : {}
      };
      const written = {
        ...state,
        active: next,
        routes: stale.routes,
        updatedAt: new Date(ctx.clock.now()).toISOString()
      };
      await store.writeInstance(written);
      wrote(written);
    }
  } else if (!active && ctx.proxy.driver !== "none") {
    const who = state ?? fromLabels(found[0]?.labels);
    if (!who) return actions;
    const hostname = routeHostname(ctx.config, who);
    if (await ctx.proxy.get(hostname)) {
      await ctx.proxy.remove(hostname);
      actions.push(`${key}: removed route ${hostname} (nothing serves it)`);
    }
  }
  return actions;
}

// src/deploy/interrupted.ts
async function stepReached(store, deployId) {
  const events = await store.readEvents(deployId).catch(() => []);
  return events.reverse().find((e) => e.msg === "started")?.step;
}
async function markInterrupted(store, dead) {
  const rec = await store.readDeploy(dead.deployId);
  if (rec?.outcome !== "running") return void 0;
  const step = await stepReached(store, rec.deployId) ?? rec.steps.at(-1)?.name;
  await store.writeDeploy({
    ...rec,
    outcome: "interrupted",
    ...step ? { step } : {},
    error: {
      code: "interrupted",
      message: `its process (${dead.owner}) stopped${step ? ` during "${step}"` : ""} and never finished`
    }
  });
  return `deploy ${rec.deployId} was interrupted${step ? ` during "${step}"` : ""}: recorded as interrupted`;
}
async function afterConnectionLost(d) {
  const { ctx, store, record, step } = d;
  const where = `host ${ctx.host.address}: the SSH connection closed during "${step}"`;
  const fail = (what) => new TinyforgeError("connection_lost", `${where}; ${what}`, { hint: d.cause.hint, cause: d.cause });
  try {
    if (!ctx.host.reconnect) throw d.cause;
    await ctx.host.reconnect();
  } catch (e) {
    d.journal.warn("deploy", `could not reconnect: ${errorMessage(e)}`);
    return fail(
      d.oldUntouched ? "the previous release still serves" : "the host cannot be reached again to check what serves: run `tinyforge reconcile` once it answers"
    );
  }
  try {
    const lease = await ourLease(
      store.files,
      store.lockDir(d.scope.workload, d.scope.stage),
      record.deployId
    );
    if (lease) {
      for (const line of await reconcile(ctx, store, d.scope)) d.journal.warn("reconcile", line);
    }
    await store.writeDeploy({
      ...record,
      outcome: "interrupted",
      step,
      finishedAt: new Date(ctx.clock.now()).toISOString(),
      durationMs: ctx.clock.now() - Date.parse(record.startedAt),
      error: { code: "connection_lost", message: `the SSH connection closed during "${step}"` }
    });
    if (lease && !d.holdsLock) await store.files.remove(lease);
    const active = (await store.readInstance(d.key))?.active;
    return fail(
      !active ? "nothing served before and nothing serves now" : active.deployId === record.deployId ? "the new release serves" : "the previous release still serves"
    );
  } catch (e) {
    d.journal.warn("deploy", `could not clean up after the lost connection: ${errorMessage(e)}`);
    return fail("run `tinyforge reconcile` to put the host right");
  }
}

// node_modules/ulid/dist/node/index.js
import crypto from "node:crypto";
var ENCODING = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
var ENCODING_LEN = 32;
var RANDOM_LEN = 16;
var TIME_LEN = 10;
var TIME_MAX = 281474976710655;
var ULIDErrorCode;
(function(ULIDErrorCode2) {
  ULIDErrorCode2["Base32IncorrectEncoding"] = "B32_ENC_INVALID";
  ULIDErrorCode2["DecodeTimeInvalidCharacter"] = "DEC_TIME_CHAR";
  ULIDErrorCode2["DecodeTimeValueMalformed"] = "DEC_TIME_MALFORMED";
  ULIDErrorCode2["EncodeTimeNegative"] = "ENC_TIME_NEG";
  ULIDErrorCode2["EncodeTimeSizeExceeded"] = "ENC_TIME_SIZE_EXCEED";
  ULIDErrorCode2["EncodeTimeValueMalformed"] = "ENC_TIME_MALFORMED";
  ULIDErrorCode2["PRNGDetectFailure"] = "PRNG_DETECT";
  ULIDErrorCode2["ULIDInvalid"] = "ULID_INVALID";
  ULIDErrorCode2["Unexpected"] = "UNEXPECTED";
  ULIDErrorCode2["UUIDInvalid"] = "UUID_INVALID";
})(ULIDErrorCode || (ULIDErrorCode = {}));
var ULIDError = class extends Error {
  constructor(errorCode, message) {
    super(`${message} (${errorCode})`);
    this.name = "ULIDError";
    this.code = errorCode;
  }
};
function randomChar(prng) {
  const randomPosition = Math.floor(prng() * ENCODING_LEN) % ENCODING_LEN;
  return ENCODING.charAt(randomPosition);
}
function replaceCharAt(str, index, char) {
  if (index > str.length - 1) {
    return str;
  }
  return str.substr(0, index) + char + str.substr(index + 1);
}
function incrementBase32(str) {
  let done = void 0, index = str.length, char, charIndex, output = str;
  const maxCharIndex = ENCODING_LEN - 1;
  while (!done && index-- >= 0) {
    char = output[index];
    charIndex = ENCODING.indexOf(char);
    if (charIndex === -1) {
      throw new ULIDError(ULIDErrorCode.Base32IncorrectEncoding, "Incorrectly encoded string");
    }
    if (charIndex === maxCharIndex) {
      output = replaceCharAt(output, index, ENCODING[0]);
      continue;
    }
    done = replaceCharAt(output, index, ENCODING[charIndex + 1]);
  }
  if (typeof done === "string") {
    return done;
  }
  throw new ULIDError(ULIDErrorCode.Base32IncorrectEncoding, "Failed incrementing string");
}
function detectPRNG(root) {
  const rootLookup = detectRoot();
  const globalCrypto = rootLookup && (rootLookup.crypto || rootLookup.msCrypto) || (typeof crypto !== "undefined" ? crypto : null);
  if (typeof globalCrypto?.getRandomValues === "function") {
    return () => {
      const buffer = new Uint8Array(1);
      globalCrypto.getRandomValues(buffer);
      return buffer[0] / 256;
    };
  } else if (typeof globalCrypto?.randomBytes === "function") {
    return () => globalCrypto.randomBytes(1).readUInt8() / 256;
  } else if (crypto?.randomBytes) {
    return () => crypto.randomBytes(1).readUInt8() / 256;
  }
  throw new ULIDError(ULIDErrorCode.PRNGDetectFailure, "Failed to find a reliable PRNG");
}
function detectRoot() {
  if (inWebWorker())
    return self;
  if (typeof window !== "undefined") {
    return window;
  }
  if (typeof global !== "undefined") {
    return global;
  }
  if (typeof globalThis !== "undefined") {
    return globalThis;
  }
  return null;
}
function encodeRandom(len, prng) {
  let str = "";
  for (; len > 0; len--) {
    str = randomChar(prng) + str;
  }
  return str;
}
function encodeTime(now, len = TIME_LEN) {
  if (isNaN(now)) {
    throw new ULIDError(ULIDErrorCode.EncodeTimeValueMalformed, `Time must be a number: ${now}`);
  } else if (now > TIME_MAX) {
    throw new ULIDError(ULIDErrorCode.EncodeTimeSizeExceeded, `Cannot encode a time larger than ${TIME_MAX}: ${now}`);
  } else if (now < 0) {
    throw new ULIDError(ULIDErrorCode.EncodeTimeNegative, `Time must be positive: ${now}`);
  } else if (Number.isInteger(now) === false) {
    throw new ULIDError(ULIDErrorCode.EncodeTimeValueMalformed, `Time must be an integer: ${now}`);
  }
  let mod, str = "";
  for (let currentLen = len; currentLen > 0; currentLen--) {
    mod = now % ENCODING_LEN;
    str = ENCODING.charAt(mod) + str;
    now = (now - mod) / ENCODING_LEN;
  }
  return str;
}
function inWebWorker() {
  return typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope;
}
function monotonicFactory(prng) {
  const currentPRNG = prng || detectPRNG();
  let lastTime = 0, lastRandom;
  return function _ulid(seedTime) {
    const seed = !seedTime || isNaN(seedTime) ? Date.now() : seedTime;
    if (seed <= lastTime) {
      const incrementedRandom = lastRandom = incrementBase32(lastRandom);
      return encodeTime(lastTime, TIME_LEN) + incrementedRandom;
    }
    lastTime = seed;
    const newRandom = lastRandom = encodeRandom(RANDOM_LEN, currentPRNG);
    return encodeTime(seed, TIME_LEN) + newRandom;
  };
}
function ulid(seedTime, prng) {
  const currentPRNG = prng || detectPRNG();
  const seed = !seedTime || isNaN(seedTime) ? Date.now() : seedTime;
  return encodeTime(seed, TIME_LEN) + encodeRandom(RANDOM_LEN, currentPRNG);
}

// src/plan/strategy.ts
var q = JSON.stringify;
function parseStrategyOption(value) {
  if (value === "recreate" || value === "blue-green") return value;
  throw new TinyforgeError("usage", `--strategy must be one of "recreate", "blue-green" (got ${q(value)})`);
}
function resolveStrategy(w, override) {
  if (!STRATEGIES.includes(w.deploy_strategy)) {
    throw new TinyforgeError(
      "config_invalid",
      `deploy_strategy: must be one of ${STRATEGIES.map((s) => q(s)).join(", ")} (got ${q(w.deploy_strategy)})`
    );
  }
  if (override !== void 0) parseStrategyOption(override);
  const requested = override ?? w.deploy_strategy;
  if (w.source === "compose" && requested === "blue-green") {
    const how = override ? "--strategy blue-green" : 'deploy_strategy "blue-green"';
    throw new TinyforgeError(
      "config_invalid",
      `${how} cannot be used with source compose: the stack manages its own containers`,
      { hint: 'use "recreate" or leave deploy_strategy empty' }
    );
  }
  if (w.source === "static" && w.mode === "deno" && w.storage) return "recreate";
  if (requested !== "") return requested;
  return w.source === "image" ? "blue-green" : "recreate";
}

// src/plan/instance-env.ts
var PLACEHOLDER = new RegExp(`\\{(${ENV_PLACEHOLDERS.join("|")})\\}`, "g");
function expandEnvValue(value, values) {
  return value.replace(PLACEHOLDER, (whole, key) => {
    if (!Object.hasOwn(values, key)) return whole;
    return values[key] ?? "";
  });
}
function instanceEnv(workloadEnv, stageEnv, values) {
  const merged = { ...workloadEnv, ...stageEnv };
  const env = Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, expandEnvValue(v, values)]));
  return { ...env, TINYFORGE_URL: values.url ?? "" };
}

// src/deploy/plan.ts
var ulid2 = monotonicFactory();
var newDeployId = () => ulid2();
function hasStorage(w) {
  return w.source === "static" && staticMode(w) === "deno" && w.storage;
}
function effectiveWorkload(w, storage) {
  if (w.source !== "static") return w;
  const volumes = storage ? [...w.volumes, storageVolume(storage)] : w.volumes;
  return { ...w, port: staticPort(w), volumes };
}
function withStorage(plan, mounted) {
  if (!plan.storage || !mounted || mounted === plan.storage) return plan.w;
  const planned = storageVolume(plan.storage);
  return { ...plan.w, volumes: plan.w.volumes.map((v) => v === planned ? storageVolume(mounted) : v) };
}
function planDeploy(config, request, hostName) {
  const configured = workloadOf(config, request.workload);
  const stage = stageOf(config, request.stage);
  validateRequest(request);
  const names = {
    project: config.project,
    workload: request.workload,
    stage: request.stage,
    tag: request.tag
  };
  const base = containerBaseName(names);
  const req = { ...request, deployId: request.deployId ?? ulid2() };
  const hostnames = routeHostnames(config, names);
  const storage = hasStorage(configured) ? storageVolumeName(names) : void 0;
  const effective = effectiveWorkload(configured, storage);
  const values = { ...names, sha: req.sha, url: instanceUrl(config, hostnames) };
  const w = { ...effective, env: instanceEnv(effective.env, stage.env, values) };
  const strategy = resolveStrategy(w, req.strategy);
  return {
    req,
    w,
    strategy,
    names,
    key: instanceKey(names),
    base,
    hostnames,
    maxInstances: stage.max_instances ?? w.max_instances,
    ...storage ? { storage } : {},
    info: {
      deployId: req.deployId,
      project: config.project,
      workload: req.workload,
      stage: req.stage,
      tag: req.tag ?? null,
      sha: req.sha,
      ref: req.ref ?? null,
      strategy,
      host: hostName
    }
  };
}

// src/deploy/prune.ts
async function pruneImages(ctx, store, workload) {
  const w = own(ctx.config.workloads, workload);
  if (!w || w.source === "image" || w.source === "compose") return [];
  const repo = builtImageRepo(ctx.config.project, workload);
  const keep = /* @__PURE__ */ new Set();
  for (const s of await store.listInstances()) {
    if (s.workload !== workload) continue;
    for (const r of [s.active, ...s.previous.slice(0, w.keep_releases)]) if (r) keep.add(r.image);
  }
  const removed = [];
  for (const tag of await ctx.host.docker.listImageTags(repo)) {
    if (keep.has(tag)) continue;
    try {
      await ctx.host.docker.removeImage(tag);
      removed.push(tag);
    } catch (e) {
      removed.push(`${tag} kept (${errorMessage(e)})`);
    }
  }
  return removed;
}

// src/deploy/recreate.ts
async function recreate(run, base) {
  const { docker } = run.ctx.host;
  const current = run.state.active;
  const old = current ? await docker.inspect(current.containerId) : void 0;
  const asideName = current ? `${current.container}-old` : "";
  let stopped = false;
  let routed = false;
  let fresh;
  let url;
  const before = run.state;
  try {
    if (current && old) {
      await run.steps.run("stop-old", async () => {
        stopped = true;
        await stopReplaced(run, old.id, "stop-old");
        await docker.rename(old.id, asideName);
      });
    }
    fresh = await startContainer(run, greenName(base, newSuffix()), current?.hostPort);
    await gate(run, fresh);
    await hostsMeet(run, "gated");
    url = await run.steps.run("route", () => pointRoute(run, fresh));
    routed = true;
    await run.steps.run("persist", () => persistActive(run, releaseOf(run, fresh, url), current));
    await hostsMeet(run, "swapped");
  } catch (e) {
    if (run.state !== before) {
      run.state = before;
      await run.store.writeInstance(before).catch((we) => run.journal.error("restore", String(we)));
    }
    if (fresh) await discard(run, fresh);
    if (current && old && stopped)
      await restoreOld(run, current, old.id, routed).catch((re) => run.journal.error("restore", String(re)));
    throw e;
  }
  const retire = old ? () => reap(run, () => docker.remove(old.id), asideName) : void 0;
  return { active: run.state.active, previous: current, retire };
}
async function restoreOld(run, current, id, routeMoved) {
  const { docker } = run.ctx.host;
  await run.steps.run("restore", async () => {
    if ((await docker.inspect(id))?.name !== current.container) await docker.rename(id, current.container);
    await docker.start(id);
    const info = await docker.inspect(id);
    if (!info?.running)
      throw new TinyforgeError(
        "deploy_failed",
        `could not restart the previous container ${current.container}`
      );
    const portMoved = info.hostPort !== current.hostPort;
    const url = routeMoved || portMoved ? await pointRoute(run, { name: current.container, hostPort: info.hostPort }) : void 0;
    if (portMoved) {
      const moved = { ...current, hostPort: info.hostPort, ...url ? { url } : {} };
      run.state = { ...run.state, active: moved };
      await run.store.writeInstance(run.state);
    }
    run.journal.warn("restore", `previous release ${current.sha.slice(0, 12)} is serving again`);
  });
}

// src/deploy/release.ts
var RELEASE_OUTPUT_LINES = 20;
async function runRelease(run, base) {
  const release = run.w.release;
  if (!release) return;
  await run.steps.run("release", () => releaseContainer(run, base, release));
}
async function releaseContainer(run, base, release) {
  const { ctx, req, w, journal } = run;
  const { docker } = ctx.host;
  const { network, networks } = await instanceNetworksOf(run);
  const spec = containerSpec({
    name: `${base}-release-${newSuffix()}`,
    image: run.image,
    // The instance label lets reconcile (under the next deploy's lock) remove one a dead bot left
    // running; the role keeps it from ever being taken for a container that serves.
    labels: {
      [LABEL2.project]: ctx.config.project,
      [LABEL2.workload]: req.workload,
      [LABEL2.stage]: req.stage,
      [LABEL2.deployId]: req.deployId,
      [LABEL2.instance]: instanceKey(req),
      [LABEL2.role]: RELEASE_ROLE
    },
    workload: { ...w, port: void 0, command: release.command },
    secretValues: ctx.secrets,
    meta: { sha: req.sha, stage: req.stage, deployId: req.deployId, tag: req.tag },
    publishIp: ctx.config.publish_ip,
    network
  });
  const id = await docker.create({ ...spec, restart: "no", networks });
  const argv = release.command[0];
  try {
    await docker.start(id);
    const exit = await waitBounded(docker.wait(id), release.timeout);
    const lines = (await docker.logs(id, RELEASE_OUTPUT_LINES).catch(() => "")).split("\n").filter((l) => l.trim()).slice(-RELEASE_OUTPUT_LINES);
    for (const line of lines) journal.info("release", line);
    if (exit === "timeout") {
      throw new TinyforgeError(
        "release_failed",
        `release ${argv} did not finish within ${release.timeout / 1e3}s`,
        {
          details: lines.map(ctx.redact),
          hint: "raise release.timeout, or make the command finish sooner"
        }
      );
    }
    if (exit !== 0) {
      throw new TinyforgeError("release_failed", `release ${argv} exited with code ${exit}`, {
        details: lines.map(ctx.redact),
        hint: "the release's output is in `tinyforge logs DEPLOY_ID`; the previous version still serves"
      });
    }
    journal.info("release", `${argv} exited with code 0`);
  } finally {
    await docker.remove(id).catch(() => void 0);
  }
}
async function waitBounded(wait, ms) {
  let timer;
  const timeout = new Promise((resolve4) => {
    timer = setTimeout(() => resolve4("timeout"), ms);
  });
  try {
    return await Promise.race([wait, timeout]);
  } finally {
    clearTimeout(timer);
    wait.catch(() => void 0);
  }
}

// src/deploy/restore-routes.ts
var LOCK_WAIT_MS = 2e3;
async function restoreRoutes(ctx) {
  if (ctx.proxy.driver === "none") return [];
  const lost2 = await lostRoutes(ctx);
  const lines = [];
  for (const group of byLock(lost2)) {
    const { store, state } = group[0];
    try {
      lines.push(...await underLock(ctx, store, state, () => restoreGroup(ctx, group)));
    } catch (e) {
      lines.push(
        `${store.project}/${state.workload}.${state.stage}: routes not restored: ${errorMessage(e)}`
      );
    }
  }
  return lines;
}
async function lostRoutes(ctx) {
  const lost2 = [];
  for (const want of await wantedRoutes(ctx)) {
    if (!sameRoute(await ctx.proxy.get(want.route.hostname), want.route)) lost2.push(want);
  }
  return lost2;
}
async function wantedRoutes(ctx) {
  const wanted = [];
  for (const project of (await ctx.host.files.list(ctx.config.state_dir)).sort()) {
    const store = new Store(ctx.host.files, ctx.config.state_dir, project);
    for (const state of await store.listInstances().catch(() => [])) {
      const route = routeOfState(ctx, state);
      if (route) wanted.push({ store, state, route });
    }
  }
  return wanted;
}
function routeOfState(ctx, state) {
  const active = state.active;
  if (!active) return void 0;
  const w = ctx.config.workloads[state.workload];
  if (state.project === ctx.config.project && w) {
    return routeForContainer(ctx, w, routeHostnames(ctx.config, state), {
      name: active.container,
      hostPort: active.hostPort
    });
  }
  const serving = servingRoute(state);
  return serving && sameProxy(serving.proxy, ctx.config.proxy) ? serving.route : void 0;
}
async function restoreGroup(ctx, group) {
  const lines = [];
  for (const { store, state } of group) {
    const now = await store.readInstance(state.key);
    const route = now && routeOfState(ctx, now);
    if (!route || sameRoute(await ctx.proxy.get(route.hostname), route)) continue;
    await ctx.proxy.upsert(route);
    lines.push(
      `${store.project}/${state.key}: route ${route.hostname} restored \u2192 ${route.upstream.host}:${route.upstream.port}`
    );
  }
  return lines;
}
async function underLock(ctx, store, state, fn) {
  let lock2;
  try {
    lock2 = await acquireLock(
      store.files,
      store.lockDir(state.workload, state.stage),
      { owner: ctx.owner, deployId: "restore-routes" },
      { ttlMs: ctx.lockTtlMs, waitMs: LOCK_WAIT_MS, clock: ctx.clock }
    );
  } catch (e) {
    if (e.code !== "lock_held") throw e;
    return [
      `${store.project}/${state.workload}.${state.stage}: skipped, a deploy holds its lock and sets its own route`
    ];
  }
  try {
    return await fn();
  } finally {
    await lock2.release().catch(() => void 0);
  }
}
function byLock(wanted) {
  const groups = /* @__PURE__ */ new Map();
  for (const w of wanted) {
    const key = `${w.store.project}\0${w.state.workload}\0${w.state.stage}`;
    groups.set(key, [...groups.get(key) ?? [], w]);
  }
  return [...groups.values()];
}
function sameRoute(a, b) {
  return a?.upstream.host === b.upstream.host && a?.upstream.port === b.upstream.port;
}

// src/deploy/route-durability.ts
var DURABLE_ROUTES_HOWTO = "make them durable: run `tinyforge reconcile --routes` each time the proxy starts or reloads (README: Routes that survive a proxy restart)";
async function checkProxyRoutes(ctx, store, journal) {
  if (ctx.proxy.driver === "none") return;
  const resets = noteReloadsReset(ctx, store, journal);
  try {
    const volatile = await ctx.proxy.volatile?.();
    await sayOnce(
      store,
      "volatile-routes",
      volatile,
      (why) => journal.warn("routes", `${why}; ${DURABLE_ROUTES_HOWTO}`)
    );
    for (const line of await restoreRoutes(ctx)) journal.warn("routes", `the proxy had lost routes: ${line}`);
  } catch (e) {
    journal.warn("routes", `could not check the proxy's other routes: ${errorMessage(e)}`);
  }
  await resets;
}
async function noteReloadsReset(ctx, store, journal) {
  try {
    const resets = await ctx.proxy.reloadsReset?.();
    await sayOnce(store, "reloads-reset", resets, (why) => journal.warn("proxy", why));
  } catch (e) {
    journal.warn("proxy", `could not check how the proxy reloads: ${errorMessage(e)}`);
  }
}
async function sayOnce(store, note, reason2, say) {
  const path = `${store.root}/notes/${note}`;
  const said = await store.files.read(path);
  if (reason2 === void 0) {
    if (said !== void 0) await store.files.remove(path);
    return;
  }
  if (said === reason2) return;
  say(reason2);
  await store.files.writeAtomic(path, reason2);
}

// src/swarm/service.ts
function assertOwnService(s, owner) {
  const project = s.labels[LABEL2.project];
  const key = s.labels[LABEL2.instance];
  if (project === owner.project && key === owner.key) return;
  const whose2 = project === void 0 ? "has no tinyforge labels" : project !== owner.project ? `belongs to project "${project}"` : `belongs to instance ${key ?? "(none)"}`;
  throw new TinyforgeError(
    "deploy_failed",
    `Swarm service ${s.name} ${whose2}, not to ${owner.project}'s ${owner.key}: tinyforge leaves it alone`,
    {
      hint: "rename the workload or stage, or remove that service by hand (docker service rm) if it is stale"
    }
  );
}
async function removeService(swarm, name, owner) {
  const s = await swarm.service(name);
  if (!s) return [];
  assertOwnService(s, owner);
  await swarm.remove(s.id);
  return [`removed service ${name}`];
}
async function serviceTasks(swarm, id) {
  const s = await swarm.service(id);
  if (!s) return void 0;
  const [tasks, names] = await Promise.all([swarm.tasks(s.name), swarm.nodes()]);
  const byNode = /* @__PURE__ */ new Map();
  for (const t of tasks.filter((x) => x.desired === "running")) {
    const node = names[t.node] ?? t.node;
    const row = byNode.get(node) ?? { node, desired: 0, running: 0 };
    row.desired++;
    if (t.state === "running") row.running++;
    byNode.set(node, row);
  }
  const nodes = [...byNode.values()].sort((a, b) => a.node.localeCompare(b.node));
  return { running: nodes.some((n) => n.running > 0), nodes };
}

// src/deploy/teardown.ts
async function teardownInstance(ctx, store, who) {
  const { docker } = ctx.host;
  const done = [];
  const containers = (await docker.list(labelFilter({ project: ctx.config.project, workload: who.workload, stage: who.stage }))).filter((c) => c.labels[LABEL2.instance] === who.key);
  if (ctx.proxy.driver !== "none") {
    const hostname = routeHostname(ctx.config, {
      project: ctx.config.project,
      workload: who.workload,
      stage: who.stage,
      tag: who.tag
    });
    if (await ctx.proxy.get(hostname)) {
      await ctx.proxy.remove(hostname);
      done.push(`removed route ${hostname}`);
    }
  }
  const w = own(ctx.config.workloads, who.workload);
  const active = (await store.readInstance(who.key))?.active;
  const dir = active ? composeDirOf(active) : void 0;
  if (w?.source === "compose" && dir) {
    const project = containerBaseName({
      project: ctx.config.project,
      workload: who.workload,
      stage: who.stage,
      tag: who.tag
    });
    const r = await ctx.host.exec(
      composeArgv(await composeCommand(ctx.host), project, dir, w.compose_file ?? "docker-compose.yml", [
        "down"
      ])
    );
    done.push(
      r.code === 0 ? `compose stack ${project} down` : `compose down of ${project} failed (exit ${r.code})`
    );
  }
  if (ctx.host.swarm) {
    const owner = { project: ctx.config.project, key: who.key };
    const name = serviceName({ project: ctx.config.project, ...who });
    done.push(...await removeService(ctx.host.swarm, name, owner));
    if (active && active.container !== name)
      done.push(...await removeService(ctx.host.swarm, active.container, owner));
  }
  const stopSec = Math.ceil((w?.stop_timeout ?? 1e4) / 1e3);
  for (const c of containers) {
    await docker.stop(c.id, stopSec);
    await docker.remove(c.id);
    done.push(`removed ${c.name}`);
  }
  await store.removeInstance(who.key);
  return done;
}
function toEvict(instances, scope) {
  const newestFirst = (a, b) => (b.active?.deployedAt ?? "").localeCompare(a.active?.deployedAt ?? "") || (b.active?.deployId ?? "").localeCompare(a.active?.deployId ?? "");
  return instances.filter((s) => s.workload === scope.workload && s.stage === scope.stage && s.key !== scope.keep).sort(newestFirst).slice(Math.max(0, scope.limit - 1));
}
async function evictOldest(ctx, store, scope) {
  const evicted = [];
  for (const s of toEvict(await store.listInstances(), scope)) {
    const lines = await teardownInstance(ctx, store, s);
    evicted.push(
      `evicted ${s.key} (max_instances ${scope.limit}): ${lines.join(", ") || "nothing left to remove"}`
    );
  }
  return evicted;
}

// src/swarm/update.ts
var POLL_MS = 500;
async function swarmSwap(run, swarm) {
  const { ctx, req } = run;
  const previous = run.state.active;
  const owner = { project: ctx.config.project, key: run.state.key };
  const spec = planService(run, serviceName({ project: ctx.config.project, ...req }));
  const before = await swarm.service(spec.name);
  if (before) assertOwnService(before, owner);
  await run.steps.run(
    "network",
    () => ensureOwnNetwork(ctx, swarm, spec.network, { [LABEL2.project]: ctx.config.project })
  );
  const id = await run.steps.run(before ? "update" : "service", async () => {
    if (!before) return swarm.create(spec);
    await swarm.update(before.id, before.version, spec);
    return before.id;
  });
  run.journal.info(
    before ? "update" : "service",
    `${spec.name}: ${spec.replicas} \xD7 ${spec.image}${before ? ", start-first" : ""}`
  );
  try {
    await run.steps.run("converge", () => before ? updated(run, swarm, spec) : started(run, swarm, spec));
  } catch (e) {
    if (!before) await swarm.remove(id).catch(() => void 0);
    throw e;
  }
  const url = await run.steps.run("route", () => pointRoute(run, { name: spec.name }));
  const active = {
    deployId: req.deployId,
    ...req.origin ? { origin: req.origin } : {},
    sha: req.sha,
    ...req.dirty ? { dirty: true } : {},
    image: run.image,
    container: spec.name,
    containerId: id,
    ...url ? { url } : {},
    strategy: run.strategy,
    deployedAt: new Date(ctx.clock.now()).toISOString()
  };
  await run.steps.run("persist", () => persistActive(run, active, previous));
  const legacy = previous && previous.container !== spec.name ? previous.container : void 0;
  const retire = legacy ? () => reap(run, async () => void await removeService(swarm, legacy, owner), legacy) : void 0;
  return { active, ...previous ? { previous } : {}, ...retire ? { retire } : {} };
}
function planService(run, base) {
  const { ctx, req, w } = run;
  return serviceSpec({
    name: base,
    image: run.image,
    labels: runLabels(run),
    workload: w,
    secretValues: ctx.secrets,
    meta: { sha: req.sha, stage: req.stage, deployId: req.deployId, tag: req.tag },
    config: ctx.config
  });
}
function deadlineMs(spec) {
  const h = spec.health;
  const perTask = (h ? h.retries * (h.intervalMs + h.timeoutMs) : 0) + spec.monitorMs;
  return 6e4 + perTask * spec.replicas;
}
async function started(run, swarm, spec) {
  const clock = run.ctx.clock;
  const t0 = clock.now();
  for (; ; ) {
    const tasks = await swarm.tasks(spec.name);
    const running = tasks.filter((t) => t.desired === "running" && t.state === "running").length;
    if (running >= spec.replicas) {
      await clock.sleep(spec.monitorMs);
      const again = await swarm.tasks(spec.name);
      if (again.filter((t) => t.desired === "running" && t.state === "running").length >= spec.replicas)
        return;
    }
    const failed = tasks.filter((t) => t.state === "failed" || t.state === "rejected");
    if (failed.length >= spec.replicas * 3 || clock.now() - t0 > deadlineMs(spec)) {
      throw new TinyforgeError(
        "health_timeout",
        `${spec.name}: ${running} of ${spec.replicas} tasks became healthy${reasons(failed)}`,
        { hint: "check the service's health check path and the app's logs (docker service logs)" }
      );
    }
    await clock.sleep(POLL_MS);
  }
}
async function updated(run, swarm, spec) {
  const clock = run.ctx.clock;
  const t0 = clock.now();
  for (; ; ) {
    const s = await swarm.service(spec.name);
    if (!s) throw new TinyforgeError("deploy_failed", `${spec.name} was removed during the update`);
    const state = s.update?.state;
    if (state === "completed") return;
    if (state === "rollback_completed" || state === "rollback_paused" || state === "paused") {
      const failed = (await swarm.tasks(spec.name)).filter(
        (t) => t.image === spec.image && (t.state === "failed" || t.state === "rejected" || t.error)
      );
      throw rolledBack(s, failed);
    }
    if (clock.now() - t0 > deadlineMs(spec)) {
      throw new TinyforgeError(
        "health_timeout",
        `${spec.name}: Swarm's update did not finish within ${Math.round(deadlineMs(spec) / 1e3)}s (${state ?? "pending"})`,
        {
          hint: "docker service ps shows where it stands; docker service rollback returns to the previous spec"
        }
      );
    }
    await clock.sleep(POLL_MS);
  }
}
function rolledBack(s, failed) {
  const how = s.update?.state === "rollback_completed" ? "rolled the update back" : "paused the update";
  return new TinyforgeError(
    "health_timeout",
    `${s.name}: Swarm ${how}; the previous release still serves${reasons(failed)}`,
    { hint: "check the service's health check path and the new release's logs (docker service logs)" }
  );
}
function reasons(failed) {
  const why = [...new Set(failed.map((t) => t.error).filter(Boolean))].slice(0, 2);
  return why.length ? ` (${why.join("; ")})` : "";
}

// src/deploy/deploy.ts
var SURFACED = /* @__PURE__ */ new Set(["lock_held", "host_unreachable", "connection_lost", "docker_unreachable"]);
async function deploy(ctx, request) {
  const plan = planDeploy(ctx.config, request, ctx.host.name);
  refuseBake(ctx, plan);
  const d = new Deploy(ctx, plan);
  begin(d);
  try {
    const reconciled = await lock(d);
    const state = await readInstance(d, reconciled);
    const active = await alreadyServes(d, state);
    if (active) {
      d.phase = { name: "unchanged", active };
    } else {
      announce(d, state);
      const release = await prepareRelease(d);
      const run = runOf(d, state, release.image, await runningWorkload(d, reconciled, state));
      const swapped = await swap(d, run, release);
      await bakeRelease(run, swapped, bakeControl(d));
      served(d, swapped);
      await swapped.retire?.();
      await tidy(d);
    }
  } catch (e) {
    await surface(d, e);
  }
  return finish(d, unlock(d));
}
async function surface(d, e) {
  try {
    const error = d.fail(await connectionLost(d, e));
    if (!SURFACED.has(error.code)) return;
    if (error.code === "docker_unreachable") await engineGone(d, error);
    if (d.announced) await d.hooks.finished(d.plan.info, result(d));
    await d.journal.flush();
    throw error;
  } catch (thrown) {
    await d.lock?.release().catch(() => void 0);
    throw thrown;
  }
}
async function unlock(d) {
  if (!d.lock) return;
  await d.lock.release().catch(() => void 0);
  await checkProxyRoutes(d.ctx, d.store, d.journal);
}
function begin(d) {
  const { req, strategy } = d.plan;
  d.journal.info(
    "deploy",
    `${req.workload} ${req.sha.slice(0, 12)}${req.dirty ? " (dirty)" : ""} \u2192 ${req.stage}${req.tag ? ` (${req.tag})` : ""} on ${d.ctx.host.name}, ${strategy}`
  );
  if (req.forced)
    d.journal.warn("freeze", `forced by ${req.forced.by}: ${req.stage} is ${freezeText(req.forced.freeze)}`);
}
async function lock(d) {
  const { ctx, store, journal, plan } = d;
  d.lock = await d.steps.run(
    "lock",
    () => acquireLock(
      store.files,
      store.lockDir(plan.req.workload, plan.req.stage),
      { owner: ctx.owner, deployId: plan.req.deployId },
      {
        ttlMs: ctx.lockTtlMs,
        waitMs: ctx.config.lock_timeout,
        clock: ctx.clock,
        cancelBake: plan.req.cancelBake,
        onWait: (h) => journal.warn(
          "lock",
          `waiting for ${h.owner} (deploy ${h.deployId})${h.bakeUntil !== void 0 ? plan.req.cancelBake ? ", which is baking: asked it to end its bake" : ", which is baking its release (--cancel-bake ends the bake)" : ""}`
        )
      }
    )
  );
  askImage(d);
  const scope = { workload: plan.req.workload, stage: plan.req.stage, interrupted: d.lock.tookOver };
  const [, reconciled] = await Promise.all([store.writeDeploy(d.record), reconcileScope(ctx, store, scope)]);
  for (const line of reconciled.lines) journal.warn("reconcile", line);
  return reconciled;
}
async function readInstance(d, reconciled) {
  const { key, names } = d.plan;
  const left = reconciled.unsure.has(key) ? await d.store.readInstance(key) : reconciled.states.find((s) => s.key === key);
  const state = left ?? {
    key,
    ...names,
    previous: [],
    updatedAt: new Date(d.ctx.clock.now()).toISOString()
  };
  if (!names.tag) delete state.tag;
  d.phase = { name: "locked", state };
  d.serving = state.active?.container;
  return state;
}
async function alreadyServes(d, state) {
  const active = state.active;
  const { sha, dirty } = d.plan.req;
  const same2 = active?.sha === sha && !active.dirty && !dirty;
  if (!same2 || !await stillRuns(d.ctx.host, active)) return void 0;
  d.journal.info("deploy", `${sha.slice(0, 12)} already serves in ${active.container}: nothing to do`);
  return active;
}
async function stillRuns(host, active) {
  if (host.swarm) return (await host.swarm.service(active.containerId))?.image === active.image;
  return (await host.docker.inspect(active.containerId))?.running === true;
}
function announce(d, state) {
  d.phase = { name: "announced", state };
  d.hooks.started(d.plan.info);
}
async function prepareRelease(d) {
  const { ctx, plan, steps, journal } = d;
  const { w, req } = plan;
  if (req.release) {
    const kept = req.release;
    if (w.source === "compose") return kept;
    return { image: await steps.run("image", () => keptImage(ctx.host, kept.image)) };
  }
  if (w.source === "compose") return { image: "" };
  const step = w.source === "image" ? "pull" : "build";
  const asked = d.imageAsked;
  const image = await steps.run(
    step,
    () => prepareImage(
      ctx.host,
      w,
      imageRequest(d),
      (l) => journal.emit("debug", step, l),
      // The answer askImage got; asked again when that failed (a lost connection then says so).
      (ref) => asked?.ref === ref ? asked.present.catch(() => ctx.host.docker.imageExists(ref)) : ctx.host.docker.imageExists(ref)
    )
  );
  return { image };
}
function imageRequest(d) {
  const { req, names } = d.plan;
  return {
    ...names,
    sha: req.sha,
    ref: req.ref,
    deployId: req.deployId,
    configDir: d.ctx.configDir,
    checkoutRoot: d.ctx.checkoutRoot,
    dirty: req.dirty
  };
}
function askImage(d) {
  const { w, req } = d.plan;
  const ref = req.release ? void 0 : decidingImage(w, imageRequest(d));
  if (!ref) return;
  const present = d.ctx.host.docker.imageExists(ref);
  present.catch(() => void 0);
  d.imageAsked = { ref, present };
}
async function keptImage(host, image) {
  if (!await host.docker.imageExists(image)) {
    throw new TinyforgeError("not_found", `image ${image} is no longer on ${host.name}`, {
      hint: "raise keep_releases to keep more releases' images; deploy that SHA again to rebuild it"
    });
  }
  return image;
}
async function runningWorkload(d, reconciled, state) {
  const { ctx, plan } = d;
  const active = state.active;
  if (!plan.storage || !active || ctx.host.swarm) return plan.w;
  const serving = reconciled.serving.get(plan.key) ?? await ctx.host.docker.inspect(active.containerId);
  const mounted = mountedStorage(serving?.mounts);
  const w = withStorage(plan, mounted);
  if (w !== plan.w) d.journal.info("storage", `keeps volume ${mounted}, the one ${active.container} mounts`);
  return w;
}
function runOf(d, state, image, w) {
  const { plan } = d;
  return {
    ctx: d.ctx,
    req: plan.req,
    w,
    steps: d.steps,
    journal: d.journal,
    store: d.store,
    state,
    image,
    hostname: plan.hostnames[0],
    hostnames: plan.hostnames,
    strategy: plan.strategy
  };
}
function refuseBake(ctx, plan) {
  if (!plan.w.bake) return;
  const at = `workloads.${plan.req.workload}.bake`;
  const why = ctx.host.swarm ? "is not supported on a swarm+ssh:// host (Swarm replaces tasks itself; use healthcheck)" : ctx.rollout ? "is supported on a stage with one host only (this stage has several)" : plan.strategy !== "blue-green" ? `needs the blue-green strategy (this deploy is ${plan.strategy}): the old release must keep running during the bake` : void 0;
  if (why) throw new TinyforgeError("config_invalid", `${at}: ${why}`);
}
function bakeControl(d) {
  return {
    baking: async (until) => {
      await d.lock?.baking(until);
    },
    // Asked first in this process (the bot's queue), then the host's request file (another
    // process's --cancel-bake).
    cancelledBy: async () => d.ctx.bakeCancelledBy?.() ?? await d.lock?.bakeCancelledBy(),
    measured: (figures) => {
      d.bake = figures;
    }
  };
}
async function swap(d, run, release) {
  const { plan } = d;
  await runRelease(run, plan.base);
  const swarm = d.ctx.host.swarm;
  if (swarm) return swarmSwap(run, swarm);
  if (plan.w.source === "compose") return composeUp(run, plan.base, release.composeDir);
  return plan.strategy === "blue-green" ? blueGreen(run, plan.base) : recreate(run, plan.base);
}
function served(d, swapped) {
  d.phase = { name: "served", swap: swapped };
  d.servedMs = d.ctx.clock.now() - d.t0;
  if (d.announced) d.hooks.served(d.plan.info, result(d));
}
async function connectionLost(d, e) {
  const lost2 = causedBy(e, "connection_lost");
  if (!lost2) return e;
  const { steps, plan } = d;
  const step = steps.failedAt ?? steps.current ?? "lock";
  return afterConnectionLost({
    ctx: d.ctx,
    store: d.store,
    journal: d.journal,
    record: d.record,
    scope: { workload: plan.req.workload, stage: plan.req.stage },
    key: plan.key,
    holdsLock: d.lock !== void 0,
    step,
    oldUntouched: plan.strategy === "blue-green" && !["route", "persist", "reap"].includes(step) && !steps.records.some((s) => s.name === "route"),
    cause: lost2
  });
}
async function engineGone(d, error) {
  const step = d.steps.failedAt ?? d.steps.current;
  await d.store.writeDeploy({
    ...d.record,
    outcome: "interrupted",
    ...step ? { step } : {},
    finishedAt: new Date(d.ctx.clock.now()).toISOString(),
    durationMs: d.ctx.clock.now() - d.t0,
    error: { code: error.code, message: error.message }
  }).catch((e) => d.journal.warn("record", `could not write the deploy record: ${errorMessage(e)}`));
}
async function tidy(d) {
  const { ctx, store, journal, plan } = d;
  const { workload, stage } = plan.req;
  const limit = plan.maxInstances;
  if (limit !== void 0) {
    await evictOldest(ctx, store, { workload, stage, keep: plan.key, limit }).then(
      (lines) => {
        for (const l of lines) journal.info("evict", l);
      },
      (e) => journal.warn("evict", `could not evict: ${errorMessage(e)}`)
    );
  }
  await pruneImages(ctx, store, workload).then(
    (tags) => {
      for (const t of tags) journal.info("prune", `image ${t}`);
    },
    (e) => journal.warn("prune", `could not prune images: ${errorMessage(e)}`)
  );
  if (d.phase.name === "served") {
    const a = d.phase.swap.active;
    journal.info(
      "deploy",
      `${a.container} serves ${plan.req.sha.slice(0, 12)}${a.url ? ` at ${a.url}` : ""}`
    );
  }
}
async function finish(d, unlocking) {
  void d.journal.flush();
  const r = result(d);
  Object.assign(d.record, {
    outcome: r.outcome,
    finishedAt: new Date(d.ctx.clock.now()).toISOString(),
    durationMs: r.durationMs,
    ...r.url ? { url: r.url } : {},
    ...r.container ? { container: r.container } : {},
    ...r.previous ? { previous: r.previous } : {},
    ...r.error ? { error: { code: r.error.code, message: r.error.message } } : {},
    ...r.bake ? { bake: { verdict: r.bake.verdict, summary: r.bake.summary } } : {}
  });
  await Promise.all([
    d.store.writeDeploy(d.record).catch((e) => d.journal.warn("record", `could not write the deploy record: ${errorMessage(e)}`)),
    unlocking
  ]);
  if (d.announced) await d.hooks.finished(d.plan.info, r);
  await d.journal.flush();
  return r;
}

// src/deploy/history.ts
async function history(store, q2) {
  const out = [];
  for (const id of await store.listDeployIds()) {
    if (q2.before && id >= q2.before) continue;
    const rec = await store.readDeploy(id);
    if (!rec || q2.workload && rec.workload !== q2.workload || q2.stage && rec.stage !== q2.stage) continue;
    out.push(rec);
    if (out.length >= q2.limit) break;
  }
  return out;
}
async function stillRunning2(store, rec) {
  if (rec.outcome !== "running") return false;
  const lease = await currentLease(store.files, store.lockDir(rec.workload, rec.stage));
  return lease !== void 0 && lease.deployId === rec.deployId && leaseAlive(lease, Date.now());
}

// src/deploy/locked.ts
async function withLock(ctx, store, scope, fn) {
  const lock2 = await acquireLock(
    store.files,
    store.lockDir(scope.workload, scope.stage),
    { owner: ctx.owner, deployId: scope.opId ?? ulid() },
    { ttlMs: ctx.lockTtlMs, waitMs: ctx.config.lock_timeout, clock: ctx.clock }
  );
  try {
    return await fn(lock2);
  } finally {
    await lock2.release().catch(() => void 0);
  }
}

// src/deploy/status.ts
async function status(ctx, filter) {
  const instances = await storeFor(ctx).listInstances();
  const out = [];
  for (const i of instances) {
    if (filter.workload && i.workload !== filter.workload) continue;
    if (filter.stage && i.stage !== filter.stage) continue;
    const a = i.active;
    const swarm = a && ctx.host.swarm ? await serviceTasks(ctx.host.swarm, a.containerId) : void 0;
    const info = a && !ctx.host.swarm ? await ctx.host.docker.inspect(a.containerId) : swarm;
    out.push({
      host: ctx.host.name,
      workload: i.workload,
      stage: i.stage,
      tag: i.tag ?? null,
      sha: a?.sha ?? null,
      ...a?.dirty ? { dirty: true } : {},
      container: a?.container ?? null,
      state: !a ? "none" : !info ? "missing" : info.running ? "running" : "stopped",
      url: a?.url ?? null,
      deployId: a?.deployId ?? null,
      deployedAt: a?.deployedAt ?? null,
      releases: (a ? 1 : 0) + i.previous.length,
      ...swarm ? { tasks: swarm.nodes } : {},
      ...i.bake ? { bake: await bakeNow(ctx, i.bake, i.workload, i.stage) } : {}
    });
  }
  return out;
}
async function lastDeploy(ctx, filter) {
  return (await history(storeFor(ctx), { ...filter, limit: 1 }))[0];
}
async function bakeNow(ctx, mark, workload, stage) {
  const store = storeFor(ctx);
  const lease = await currentLease(store.files, store.lockDir(workload, stage)).catch(() => void 0);
  const live = lease?.deployId === mark.deployId && leaseAlive(lease, ctx.clock.now());
  return live ? mark : { ...mark, interrupted: true };
}

// src/plan/instance-settings.ts
var HIDDEN = "***";
function instanceSettings(config, v) {
  const w = config.workloads[v.workload];
  const names = { project: config.project, workload: v.workload, stage: v.stage, tag: v.tag };
  const routes = routeHostnames(config, names);
  const url = instanceUrl(config, routes);
  const plain = instanceEnv(w.env, config.stages[v.stage]?.env ?? {}, {
    ...names,
    url,
    ...v.sha ? { sha: v.sha } : {}
  });
  const secrets = Object.fromEntries(w.secrets.map((name) => [name, HIDDEN]));
  return {
    ...names,
    tag: v.tag ?? null,
    container: containerBaseName(names),
    source: w.source,
    image: w.image ?? null,
    strategy: resolveStrategy(w),
    routes,
    url,
    env: { ...plain, ...secrets },
    release: w.release ? { command: w.release.command, timeoutMs: w.release.timeout } : null,
    resources: w.resources ?? null,
    network: w.network ?? null,
    volumes: w.volumes
  };
}

// src/events/redact-stream.ts
import { Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
var MAX_PENDING = 64 * 1024;
function redactingLines(redact, write) {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  const emit = (text) => {
    if (text) write(redact(text));
  };
  return new Writable({
    write(chunk, _enc, done) {
      pending += decoder.write(chunk);
      const cut = pending.length > MAX_PENDING ? pending.length : pending.lastIndexOf("\n") + 1;
      emit(pending.slice(0, cut));
      pending = pending.slice(cut);
      done();
    },
    final(done) {
      emit(pending + decoder.end());
      pending = "";
      done();
    }
  });
}

// src/deploy/accessory.ts
var SETTLE_MS = 1500;
function resolve3(ctx, ref) {
  const a = accessoryOf(ctx.config, ref.name);
  stageOf(ctx.config, ref.stage);
  if (ref.tag && !a.per_tag) {
    throw new TinyforgeError(
      "usage",
      `accessories.${ref.name} is shared by every tag of a stage (per_tag is false): leave out --tag`
    );
  }
  return {
    a,
    scope: { project: ctx.config.project, stage: ref.stage, ...ref.tag ? { tag: ref.tag } : {} }
  };
}
async function accessoryUp(ctx, ref) {
  const { a, scope } = resolve3(ctx, ref);
  const docker = ctx.host.docker;
  const hash = accessoryHash(a, ctx.secrets, accessoryNetwork(scope));
  const spec = accessorySpec(ref.name, a, scope, ctx.secrets, hash);
  const existing = await docker.inspect(spec.name);
  if (existing && existing.labels[`${ACCESSORY_LABEL}.config`] === hash) {
    if (existing.running) return [`${spec.name} runs, unchanged`];
    await docker.start(existing.id);
    await settled(ctx, existing.id, spec.name, ref);
    return [`${spec.name} started`];
  }
  if (!await docker.imageExists(a.image)) await docker.pull(a.image, () => void 0);
  await ensureOwnNetwork(ctx, docker, spec.network, {
    [LABEL2.project]: scope.project,
    [LABEL2.stage]: scope.stage
  });
  const lines = [];
  if (existing) {
    await docker.stop(existing.id, spec.stopTimeoutSec);
    await docker.remove(existing.id);
    lines.push(`${spec.name}: config changed, replaced (its volumes are kept)`);
  }
  const id = await docker.create(spec);
  await docker.start(id);
  await settled(ctx, id, spec.name, ref);
  lines.push(
    `${spec.name} up on network ${spec.network} as "${ref.name}"${a.port ? ` (port ${a.port})` : ""}`
  );
  return lines;
}
async function settled(ctx, id, name, ref) {
  await ctx.clock.sleep(SETTLE_MS);
  const info = await ctx.host.docker.inspect(id);
  if (info?.running) return;
  const tail = ctx.redact((await ctx.host.docker.logs(id, 20)).trim());
  throw new TinyforgeError(
    "container_exited",
    `${name} did not stay up (exit code ${info?.exitCode ?? "?"})`,
    {
      details: tail ? tail.split("\n") : [],
      hint: `tinyforge accessory logs ${ref.name} --stage ${ref.stage} shows its output`
    }
  );
}
async function accessoryDown(ctx, ref, opts) {
  const { a, scope } = resolve3(ctx, ref);
  const docker = ctx.host.docker;
  const name = accessoryContainer(ref.name, scope);
  const lines = [];
  const existing = await docker.inspect(name);
  if (existing) {
    await docker.stop(existing.id, 30);
    await docker.remove(existing.id);
    lines.push(`removed ${name}`);
  } else lines.push(`${name}: not running`);
  const volumes = ownedVolumes(a, scope);
  if (opts.removeData) {
    for (const v of volumes) {
      await docker.removeVolume(v);
      lines.push(`removed volume ${v}`);
    }
  } else if (volumes.length) lines.push(`kept volume${volumes.length > 1 ? "s" : ""} ${volumes.join(", ")}`);
  return lines;
}
async function accessoryRestart(ctx, ref) {
  const { scope } = resolve3(ctx, ref);
  const name = accessoryContainer(ref.name, scope);
  const existing = await ctx.host.docker.inspect(name);
  if (!existing) throw notUp(ref, name);
  await ctx.host.docker.stop(existing.id, 30);
  await ctx.host.docker.start(existing.id);
  await settled(ctx, existing.id, name, ref);
  return [`${name} restarted`];
}
async function accessoryLogs(ctx, ref, opts, io) {
  const { scope } = resolve3(ctx, ref);
  const name = accessoryContainer(ref.name, scope);
  const existing = await ctx.host.docker.inspect(name);
  if (!existing) throw notUp(ref, name);
  const stdout = redactingLines(ctx.redact, io.out);
  const stderr = redactingLines(ctx.redact, io.err);
  try {
    await ctx.host.docker.streamLogs(existing.id, opts, { stdout, stderr });
  } finally {
    await Promise.all([stdout, stderr].map((w) => new Promise((r) => w.end(r))));
  }
}
function notUp(ref, name) {
  return new TinyforgeError("not_found", `${name} does not exist`, {
    hint: `tinyforge accessory up ${ref.name} --stage ${ref.stage}${ref.tag ? ` --tag ${ref.tag}` : ""}`
  });
}

// src/app/accessories.ts
async function accessoryAction(s, op, obs) {
  const name = resolveAccessory(s.config, op.name);
  const stage = resolveStage(s.config, op.stage);
  if (op.tag !== void 0) validateTag(op.tag);
  if (op.action === "logs" && op.follow && s.config.hosts.length > 1)
    throw new TinyforgeError("usage", "accessory logs --follow acts on one host; this config has several", {
      hint: "run it with a config naming the one host you mean"
    });
  const grant = s.grants.accessorySecrets;
  if (!grant) throw new TinyforgeError("usage", "accessories are run by a person: tinyforge accessory");
  const secrets = grant(s.config, name, op.action === "up");
  const ref = { name, stage, ...op.tag !== void 0 ? { tag: op.tag } : {} };
  const out = [];
  await forEachHost(s, stageHosts(s.config, stage), async (host) => {
    const ctx = {
      ...engineContext(s, host),
      secrets,
      redact: makeRedactor([...credentialValues(s.credentials), ...Object.values(secrets)])
    };
    const at = { host: host.name };
    const lines = op.action === "up" ? await accessoryUp(ctx, ref) : op.action === "down" ? await accessoryDown(ctx, ref, { removeData: op.removeData === true }) : op.action === "restart" ? await accessoryRestart(ctx, ref) : await accessoryLogs(
      ctx,
      ref,
      { follow: op.follow === true, tail: op.tail, signal: obs.signal },
      {
        out: (t) => obs.onOutput?.(t, "stdout", at),
        err: (t) => obs.onOutput?.(t, "stderr", at)
      }
    ).then(() => []);
    out.push({ host: host.name, lines });
    return true;
  });
  return out;
}

// src/deploy/serving.ts
function describe(who) {
  return `${who.workload} in ${who.stage}${who.tag ? ` (${who.tag})` : ""}`;
}
async function servingRelease(ctx, store, who) {
  const state = await store.readInstance(instanceKey(who));
  const active = state?.active;
  if (!active) {
    throw new TinyforgeError("not_found", `nothing serves ${describe(who)} on ${ctx.host.name}`, {
      hint: "deploy it first (tinyforge deploy), or check --stage/--tag with tinyforge status"
    });
  }
  if (!await ctx.host.docker.inspect(active.containerId)) {
    throw new TinyforgeError(
      "not_found",
      `${active.container} (serving ${describe(who)}) is gone from ${ctx.host.name}`,
      { hint: "tinyforge reconcile puts the host right; then deploy again" }
    );
  }
  return active;
}

// src/deploy/app-logs.ts
async function appLogs(ctx, store, who, opts, io) {
  const release = await servingRelease(ctx, store, who);
  const stdout = redactingLines(ctx.redact, io.out);
  const stderr = redactingLines(ctx.redact, io.err);
  try {
    await ctx.host.docker.streamLogs(release.containerId, opts, { stdout, stderr });
  } finally {
    await Promise.all([ended(stdout), ended(stderr)]);
  }
  return release.container;
}
function ended(w) {
  return new Promise((resolve4) => w.end(resolve4));
}

// src/deploy/exec.ts
var ONE_OFF_LABEL = "dev.tinyforge.one-off";
async function execInstance(ctx, store, who, argv, opts, io) {
  if (argv.length === 0) throw new TinyforgeError("usage", "exec: no command given (after --)");
  if (ctx.config.workloads[who.workload]?.source === "compose" && !opts.running) {
    throw new TinyforgeError("usage", `exec: ${who.workload} is a compose stack; pass --running`);
  }
  const release = await servingRelease(ctx, store, who);
  const docker = ctx.host.docker;
  if (opts.running) {
    const info = await docker.inspect(release.containerId);
    if (!info?.running) {
      throw new TinyforgeError("not_found", `${release.container} (serving ${describe(who)}) is not running`);
    }
    return docker.execAttached(release.containerId, argv, io);
  }
  const base = containerBaseName({ project: ctx.config.project, ...who });
  return docker.runLike(
    release.containerId,
    {
      name: `${base}-run-${newSuffix()}`,
      command: argv,
      labels: { [LABEL2.project]: ctx.config.project, [ONE_OFF_LABEL]: release.deployId }
    },
    io
  );
}

// src/app/running.ts
function instanceOf(s, op) {
  const [workload] = resolveWorkloads(s.config, op.workload);
  const stage = resolveStage(s.config, op.stage);
  if (op.tag !== void 0) validateTag(op.tag);
  return { workload, stage, ...op.tag !== void 0 ? { tag: op.tag } : {} };
}
function oneHost(s, stage, what) {
  if (stageHosts(s.config, stage).length > 1)
    throw new TinyforgeError("usage", `${what} acts on one host; this config has several`, {
      hint: "run it with a config naming the one host you mean"
    });
}
async function appLogsOf(s, op, obs) {
  const who = instanceOf(s, op);
  if (op.follow) oneHost(s, who.stage, "logs --follow");
  const out = [];
  await forEachHost(s, stageHosts(s.config, who.stage), async (host) => {
    const ctx = engineContext(s, host, { workload: who.workload, stage: who.stage });
    const at = { host: host.name };
    const container = await appLogs(
      ctx,
      storeFor(ctx),
      who,
      { follow: op.follow === true, tail: op.tail, sinceSec: op.sinceSec, signal: obs.signal },
      {
        out: (t) => obs.onOutput?.(t, "stdout", at),
        err: (t) => obs.onOutput?.(t, "stderr", at)
      }
    );
    out.push({ host: host.name, container });
    return true;
  });
  return out;
}
async function execIn(s, op, obs) {
  const who = instanceOf(s, op);
  if (op.argv.length === 0) throw new TinyforgeError("usage", "exec: give the command after --");
  oneHost(s, who.stage, "exec");
  const io = obs.attach;
  if (!io) throw new TinyforgeError("usage", "exec: nowhere to attach the command's streams");
  let code2 = 0;
  await forEachHost(s, stageHosts(s.config, who.stage), async (host) => {
    const ctx = engineContext(s, host, { workload: who.workload, stage: who.stage });
    code2 = await execInstance(ctx, storeFor(ctx), who, [...op.argv], { running: op.running === true }, io);
    return false;
  });
  return code2;
}

// src/app/previews.ts
function ownContexts(config) {
  const stages = Object.values(config.stages).map((s) => s.status_context ?? "tinyforge");
  return [.../* @__PURE__ */ new Set(["tinyforge", "tinyforge/config", ...stages])];
}
function checksVerdict(want, observed2, own2) {
  const latest = /* @__PURE__ */ new Map();
  for (const c of observed2) if (!own2.includes(c.name)) latest.set(c.name, worse(latest.get(c.name), c.state));
  const contexts = want === true ? [...latest.keys()].sort() : [...new Set(want)];
  const failed = contexts.filter((c) => latest.get(c) === "failure");
  if (failed.length > 0) return { kind: "failed", contexts, failed };
  const pending = contexts.filter((c) => latest.get(c) !== "success");
  if (pending.length > 0 || contexts.length === 0) return { kind: "waiting", contexts, pending };
  return { kind: "green", contexts };
}
var RANK = { success: 0, pending: 1, failure: 2 };
function worse(a, b) {
  return a === void 0 || RANK[b] > RANK[a] ? b : a;
}
function verdictNote(v) {
  if (v.kind === "failed") return `not deployed: ${listOf(v.failed)} failed`;
  if (v.kind === "waiting")
    return v.contexts.length === 0 ? "waiting for CI: no check reported yet" : `waiting for CI: ${listOf(v.pending)}`;
  return `checks passed: ${listOf(v.contexts)}`;
}
function listOf(names) {
  const shown = names.slice(0, 5).join(", ");
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}
function previewWanted(stage, labels) {
  const want = stage.preview_label;
  return want === void 0 || labels.some((l) => l.toLowerCase() === want.toLowerCase());
}
var PR_TAG = /^pr-(\d+)$/;
function pullOfTag(tag) {
  const m = tag ? PR_TAG.exec(tag) : null;
  return m ? Number(m[1]) : void 0;
}
function expiredPreviews(config, instances, now) {
  return instances.filter((i) => expiredFor(config, i, now) !== void 0);
}
function expiredFor(config, i, now) {
  const stage = own(config.stages, i.stage);
  const ttl = stage?.pull_requests ? stage.preview_ttl : void 0;
  if (ttl === void 0 || pullOfTag(i.tag) === void 0 || !i.active) return void 0;
  const at = Date.parse(i.active.deployedAt);
  return Number.isFinite(at) && now - at >= ttl ? ttl : void 0;
}
async function expirePreviews(s, now) {
  const out = [];
  const hasTtl = Object.values(s.config.stages).some((st) => st.pull_requests && st.preview_ttl);
  if (!hasTtl) return out;
  await forEachHost(s, allHosts(s.config), async (host) => {
    const ctx = engineContext(s, host);
    const store = storeFor(ctx);
    for (const found of expiredPreviews(s.config, await store.listInstances(), now)) {
      const { workload, stage, key } = found;
      const tag = found.tag;
      const removed = await withLock(ctx, store, { workload, stage }, async () => {
        const now2 = await store.readInstance(key);
        const ttlMs = now2 ? expiredFor(s.config, now2, now) : void 0;
        if (ttlMs === void 0 || !now2?.active) return void 0;
        const sha = now2.active.sha;
        return { ttlMs, sha, lines: await teardownInstance(ctx, store, { workload, stage, tag, key }) };
      });
      if (removed) out.push({ host: host.name, workload, stage, tag, key, ...removed });
    }
    return true;
  });
  return out;
}
function expiredLine(e) {
  return `${e.key}: no deploy for ${formatTtl(e.ttlMs)} (preview_ttl), torn down${e.lines.length ? `: ${e.lines.join(", ")}` : ""}`;
}
function formatTtl(ms) {
  if (ms % 36e5 === 0) return `${ms / 36e5}h`;
  if (ms % 6e4 === 0) return `${ms / 6e4}m`;
  if (ms % 1e3 === 0) return `${ms / 1e3}s`;
  return formatDuration(ms);
}

// src/adapters/host-key.ts
var import_ssh22 = __toESM(require_lib(), 1);
import { createHash as createHash3 } from "node:crypto";
function fingerprintOf(blob) {
  return `SHA256:${createHash3("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}
function keyTypeOf(blob) {
  const n = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  return blob.subarray(4, 4 + n).toString("latin1");
}
function knownHostsLine(host, port, key) {
  return `${knownHostName(host, port)} ${key.keyType} ${key.key}`;
}
function scanHostKey(host, port, timeoutMs = 1e4) {
  return new Promise((resolve4, reject) => {
    const conn = new import_ssh22.default.Client();
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
      if (seen) done(() => resolve4(seen));
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
      if (seen) done(() => resolve4(seen));
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

// src/app/doctor/finding.ts
var CHECK_TIMEOUT_MS = 2e4;
function bounded(what, fn, ms = CHECK_TIMEOUT_MS) {
  return new Promise((resolve4, reject) => {
    const timer = setTimeout(
      () => reject(
        new TinyforgeError("host_timeout", `${what}: no answer within ${Math.round(ms / 1e3)}s`, {
          hint: "the host or the service is overloaded or the connection stalled; run doctor again"
        })
      ),
      ms
    );
    fn().then(
      (v) => {
        clearTimeout(timer);
        resolve4(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      }
    );
  });
}
var ok = (detail) => ({ verdict: "ok", detail });
var problem = (detail, hint) => ({ verdict: "problem", detail, hint });
var skipped = (detail) => ({ verdict: "skipped", detail });
async function attempt(scope, check, hint, fn) {
  try {
    return { scope, check, ...await bounded(`${scope}: ${check}`, fn) };
  } catch (e) {
    const own2 = isTinyforgeError(e) ? e.hint : void 0;
    return { scope, check, verdict: "problem", detail: errorMessage(e), hint: own2 ?? hint };
  }
}

// src/app/doctor/connect.ts
var REACH_HINT = "check the address and port in hosts:, that sshd runs there, and any firewall";
function keyVerdict(target, key, knownHosts) {
  const verdict = checkHostKey(
    parseKnownHosts(knownHosts ?? ""),
    target.host,
    target.port,
    Buffer.from(key.key, "base64")
  );
  if (verdict === "match") return ok(`pinned (${key.keyType} ${key.fingerprint})`);
  const line = knownHostsLine(target.host, target.port, key);
  if (verdict === "unknown")
    return problem(
      `not pinned: the host presents ${key.keyType} ${key.fingerprint}`,
      `compare that fingerprint with the host's own (\`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` on its console), then add this line to TINYFORGE_KNOWN_HOSTS (the workflow's known-hosts secret): ${line}`
    );
  return problem(
    `the host presents ${key.keyType} ${key.fingerprint}, which does not match the pinned key (${verdict})`,
    "if the host was rebuilt, verify its new key out of band and replace its line in TINYFORGE_KNOWN_HOSTS; otherwise do not connect"
  );
}
async function reachHost(entry, target, secrets) {
  const timeoutMs = secrets.connectTimeoutMs ?? 1e4;
  const at = (check, o) => ({ scope: entry, check, ...o });
  let key;
  try {
    key = await scanHostKey(target.host, target.port, timeoutMs);
  } catch (e) {
    return {
      findings: [
        at("ssh", problem(errorMessage(e), isTinyforgeError(e) && e.hint || REACH_HINT)),
        at("host key", skipped("sshd did not answer"))
      ]
    };
  }
  const pinned = keyVerdict(target, key, secrets.knownHosts);
  if (pinned.verdict !== "ok")
    return {
      findings: [
        at("ssh", skipped("sshd answers; login not tried with an unpinned key")),
        at("host key", pinned)
      ]
    };
  try {
    const host = await connectHost(entry, secrets);
    return { findings: [at("ssh", ok(`logged in as ${target.user}`)), at("host key", pinned)], host };
  } catch (e) {
    const hint = isTinyforgeError(e) && e.hint || REACH_HINT;
    return { findings: [at("ssh", problem(errorMessage(e), hint)), at("host key", pinned)] };
  }
}

// src/app/doctor/forge.ts
var STATUS_SCOPES = ["repo", "repo:status"];
async function checkForge(s) {
  const plan = forgePlan(s.config.forge, s.credentials.forge);
  if (!plan.token) {
    if (!s.config.forge) return [];
    return [
      {
        scope: "forge",
        check: "forge token",
        ...skipped(`no ${plan.tokenName} set: deploys from here send no commit status`)
      }
    ];
  }
  const api = (plan.api ?? "").replace(/\/+$/, "");
  const hint = `check ${plan.tokenName} (expired or revoked?) and forge.api (${api || "unset"})`;
  return [
    await attempt("forge", "forge token", hint, async () => {
      if (!api) return problem(`no API address for ${plan.kind}`, "set forge.api in the config");
      const path = plan.kind === "github" ? plan.repo ? `/repos/${plan.repo}` : "/" : "/user";
      const auth = plan.kind === "gitlab" ? `Bearer ${plan.token}` : `token ${plan.token}`;
      const res = await safeFetch(`${api}${path}`, {
        headers: { authorization: auth, accept: "application/json" },
        timeoutMs: 1e4
      });
      if (res.status === 401 || res.status === 403)
        return problem(`${plan.kind} refuses ${plan.tokenName}: HTTP ${res.status}`, hint);
      if (res.status >= 400) return problem(`${plan.kind} answered HTTP ${res.status} for ${path}`, hint);
      const scopes = res.headers.get("x-oauth-scopes");
      if (plan.kind !== "github" || scopes === null) return ok(`${plan.kind} accepts ${plan.tokenName}`);
      const list = scopes.split(",").map((x) => x.trim()).filter(Boolean);
      if (!list.some((x) => STATUS_SCOPES.includes(x)))
        return problem(
          `${plan.tokenName} has scopes ${list.join(", ") || "(none)"}: none lets it set commit statuses`,
          "give the token the repo:status scope (repo for a private repository), or use the workflow's job token"
        );
      return ok(`${plan.tokenName} accepted, scopes ${list.join(", ")}`);
    })
  ];
}

// src/app/doctor/host.ts
var MIN_API = [1, 41];
var MIN_FREE_BYTES = 2 * 1024 ** 3;
var gib = (bytes) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
var oneLine2 = (text) => text.replace(/\s+/g, " ").trim().slice(0, 300);
function apiTooOld(version) {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major < MIN_API[0] || major === MIN_API[0] && minor < MIN_API[1];
}
async function checkReachedHost(s, entry, host) {
  const out = [];
  const add = async (check, hint, fn) => {
    out.push(await attempt(entry, check, hint, fn));
  };
  let rootDir;
  await add(
    "docker",
    "check that dockerd runs and the SSH user may use its socket (root, or the docker group), and sshd's AllowStreamLocalForwarding",
    async () => {
      const e = await host.docker.engine();
      rootDir = e.rootDir;
      if (apiTooOld(e.apiVersion))
        return problem(
          `Docker ${e.version} (API ${e.apiVersion}) is older than tinyforge needs (API ${MIN_API.join(".")}, Docker 20.10)`,
          "upgrade Docker on the host"
        );
      return ok(`Docker ${e.version}, API ${e.apiVersion}, reached over the connection`);
    }
  );
  if (rootDir) await add("disk", "check that df runs on the host", () => freeDisk(host, rootDir));
  await add("proxy", "check proxy: in the config", () => proxyAnswers(s, host));
  if (s.config.proxy.driver === "caddy")
    await add(
      "caddy reloads",
      `check that the SSH user can read ${MIGRATE_REQ}`,
      () => caddyReloadsKeepConnections(host)
    );
  for (const [name, w] of Object.entries(s.config.workloads)) {
    if (w.source !== "image" || !w.image) continue;
    const stage = Object.keys(s.config.stages)[0] ?? "production";
    const ref = expandImage(w.image, { sha: "0".repeat(40), ref: "main", tag: "pr-1", stage });
    await add(`registry (${name})`, "", () => registryAnswers(host, ref));
  }
  const store = new Store(host.files, s.config.state_dir, s.config.project);
  await add(
    "state dir",
    `the SSH user must be able to create and write ${store.root} (state_dir: in the config; relative paths are under the user's home)`,
    () => stateDirWritable(host, store)
  );
  out.push(...await staleLocks(s, entry, store));
  return out;
}
async function freeDisk(host, rootDir) {
  const r = await host.exec(["df", "-Pk", rootDir]);
  const avail = Number(r.stdout.trim().split("\n").at(-1)?.split(/\s+/)[3]);
  if (r.code !== 0 || !Number.isFinite(avail))
    return problem(
      `cannot read the free space of ${rootDir}: ${oneLine2(r.stderr) || "no df output"}`,
      "check that df runs on the host"
    );
  const free = avail * 1024;
  if (free < MIN_FREE_BYTES)
    return problem(
      `${gib(free)} free for images in ${rootDir} (under ${gib(MIN_FREE_BYTES)})`,
      "free space on the host: `docker image prune -a` and `docker builder prune` remove what no container uses"
    );
  return ok(`${gib(free)} free for images in ${rootDir}`);
}
async function proxyAnswers(s, host) {
  const p = s.config.proxy;
  if (p.driver === "none") return ok("none: each container publishes its port");
  if (p.driver === "nginx") {
    const command = p.command ?? ["nginx"];
    const r = await host.exec([...command, "-t"]);
    if (r.code !== 0)
      return problem(
        `\`${command.join(" ")} -t\` fails: ${oneLine2(r.stderr)}`,
        "fix what nginx names above; a failing config test stops every route change (proxy.command runs nginx on the host)"
      );
    return ok(`\`${command.join(" ")} -t\` passes`);
  }
  const c = s.credentials.proxy;
  const proxy = makeProxy(s.config, host, {
    proxyUser: c.user,
    proxyPassword: c.password,
    proxyToken: c.token
  });
  await proxy.get("tinyforge-doctor.invalid");
  return ok(p.driver === "caddy" ? "caddy admin API answers" : "Nginx Proxy Manager login and API answer");
}
async function caddyReloadsKeepConnections(host) {
  const resets = await caddyReloadsReset(host.files);
  if (resets === void 0)
    return ok("net.ipv4.tcp_migrate_req = 1: a route change hands queued connections to caddy's new socket");
  return problem(resets.reason, resets.fix);
}
async function registryAnswers(host, ref) {
  const registry = ref.includes("/") && /[.:]|^localhost$/.test(ref.split("/")[0]) ? ref.split("/")[0] : "docker.io";
  try {
    const found = await host.docker.lookUp(ref);
    return ok(
      `${registry} answers the host's engine (${ref}: ${found === "found" ? "present" : "not pushed yet"})`
    );
  } catch (e) {
    return problem(
      `the host's engine cannot look up ${ref}: ${oneLine2(errorMessage(e))}`,
      `check that the host reaches ${registry} (DNS, firewall, proxy settings of dockerd), and \`docker login ${registry}\` on the host for a private registry`
    );
  }
}
async function stateDirWritable(host, store) {
  const probe2 = `${store.root}/.doctor-${process.pid}-${Date.now()}`;
  await host.files.mkdirp(store.root);
  await host.files.writeAtomic(probe2, "tinyforge doctor\n");
  await host.files.remove(probe2);
  return ok(`${store.root} is writable`);
}
async function staleLocks(s, entry, store) {
  const found = [];
  let checked = 0;
  for (const workload of Object.keys(s.config.workloads)) {
    for (const stage of Object.keys(s.config.stages)) {
      checked++;
      const f = await attempt(entry, `lock ${workload}/${stage}`, "", async () => {
        const lease = await currentLease(store.files, store.lockDir(workload, stage));
        if (!lease || leaseAlive(lease, Date.now())) return ok("no stale lock");
        return problem(
          `stale lock held by ${lease.owner} (deploy ${lease.deployId}, since ${lease.acquiredAt}): that deploy stopped without finishing`,
          `if that process is gone, \`tinyforge unlock ${workload} --stage ${stage}\` (the next deploy also takes it over and puts right what it left), then \`tinyforge status\``
        );
      });
      if (f.verdict !== "ok") found.push(f);
    }
  }
  if (found.length === 0)
    found.push({
      scope: entry,
      check: "lock",
      verdict: "ok",
      detail: `no stale lock (${checked} workload/stage pairs)`
    });
  return found;
}

// src/app/doctor/index.ts
var AFTER_LOGIN = ["docker", "disk", "proxy", "state dir", "lock"];
async function doctor(s) {
  const findings = [];
  for (const entry of s.config.hosts) findings.push(...await checkHost(s, entry));
  findings.push(...await checkForge(s));
  return findings;
}
async function checkHost(s, entry) {
  const secrets = {
    sshKey: s.credentials.sshKey,
    knownHosts: s.credentials.knownHosts,
    connectTimeoutMs: s.config.ssh.connect_timeout,
    keepaliveMs: s.config.ssh.keepalive
  };
  const target = parseHostTarget(entry);
  let head;
  let host;
  if (target.kind === "local") {
    host = await connectHost(entry, secrets);
    head = [{ scope: entry, check: "ssh", ...ok("local engine, no SSH") }];
  } else {
    ({ findings: head, host } = await reachHost(entry, target, secrets));
  }
  if (!host)
    return [...head, ...AFTER_LOGIN.map((check) => ({ scope: entry, check, ...skipped("not logged in") }))];
  try {
    return [...head, ...await checkReachedHost(s, entry, host)];
  } finally {
    await host.close();
  }
}

// src/app/settle.ts
async function settle(s, op) {
  let out;
  await forEachHost(s, allHosts(s.config), async (host) => {
    const ctx = engineContext(s, host);
    const store = storeFor(ctx);
    let rec = await store.readDeploy(op.deployId);
    if (!rec) return true;
    const scope = { workload: rec.workload, stage: rec.stage };
    if (rec.outcome === "running") {
      await withLock(ctx, store, scope, async (lock2) => {
        await reconcile(ctx, store, { ...scope, interrupted: lock2.tookOver });
        const now = await store.readDeploy(op.deployId);
        if (now?.outcome === "running")
          await markInterrupted(store, {
            owner: "a process that stopped",
            deployId: now.deployId,
            acquiredAt: now.startedAt,
            expiresAt: 0,
            ttlMs: 0,
            beat: 0
          });
      });
      rec = await store.readDeploy(op.deployId) ?? rec;
    }
    const active = await activeRelease(store, rec);
    out = resultOf(rec, active, host.name);
    return false;
  });
  return out;
}
async function activeRelease(store, rec) {
  const key = instanceKey({ workload: rec.workload, stage: rec.stage, tag: rec.tag });
  return (await store.readInstance(key))?.active;
}
function resultOf(rec, active, host) {
  const base = {
    deployId: rec.deployId,
    workload: rec.workload,
    stage: rec.stage,
    tag: rec.tag ?? null,
    sha: rec.sha,
    strategy: rec.strategy,
    host,
    durationMs: rec.durationMs ?? 0,
    servedMs: null,
    steps: rec.steps,
    ...rec.rollback ? { rollback: rec.rollback } : {}
  };
  if (rec.outcome === "success" || rec.outcome === "failed" || rec.outcome === "unchanged")
    return {
      ...base,
      outcome: rec.outcome,
      url: rec.url ?? null,
      container: rec.container ?? null,
      previous: rec.previous ?? null,
      error: rec.error ?? null
    };
  if (active?.deployId === rec.deployId)
    return {
      ...base,
      outcome: "success",
      url: active.url ?? null,
      container: active.container,
      previous: rec.previous ?? null,
      error: null
    };
  const during = rec.step ? ` during "${rec.step}"` : "";
  return {
    ...base,
    outcome: "failed",
    url: null,
    container: null,
    previous: active?.container ?? null,
    error: {
      code: "interrupted",
      message: `interrupted${during} when its process stopped; ${active ? `${active.container} still serves` : "nothing serves"}`,
      hint: "deploy it again"
    }
  };
}

// src/deploy/announce.ts
function announce2(hooks, info) {
  return hooks.map((h) => {
    const sent = Promise.resolve().then(() => h.started?.(info));
    const after = sent.catch(() => void 0);
    return {
      name: h.name,
      notice: h.notice,
      started: () => sent,
      ...h.step ? { step: (i, s) => after.then(() => h.step?.(i, s)) } : {},
      ...h.finished ? { finished: (i, r) => after.then(() => h.finished?.(i, r)) } : {}
    };
  });
}
function notRun(info, error) {
  return {
    deployId: info.deployId,
    workload: info.workload,
    stage: info.stage,
    tag: info.tag,
    sha: info.sha,
    strategy: info.strategy,
    outcome: error ? "failed" : "superseded",
    url: null,
    container: null,
    previous: null,
    host: info.host,
    durationMs: 0,
    servedMs: null,
    steps: [],
    error: error ?? null
  };
}

// src/app/freeze.ts
var REASON_MAX = 200;
var BY_MAX = 100;
var UNTIL_MAX_MS = 366 * 24 * 3600 * 1e3;
function freezeOf(op, now) {
  const reason2 = op.reason.replace(/\s+/g, " ").trim();
  if (!reason2) throw new TinyforgeError("usage", "a freeze needs a reason (--reason TEXT)");
  if (Array.from(reason2).length > REASON_MAX)
    throw new TinyforgeError("usage", `--reason is longer than ${REASON_MAX} characters`);
  const f = {
    stage: op.stage,
    reason: reason2,
    by: capRunes(op.by.replace(/\s+/g, " ").trim() || "someone", BY_MAX),
    at: new Date(now).toISOString()
  };
  if (op.until !== void 0) {
    const t = parseUntil(op.until);
    if (t === void 0)
      throw new TinyforgeError("usage", `--until ${JSON.stringify(op.until)} is not an ISO 8601 time`, {
        hint: "e.g. --until 2026-12-24T18:00Z"
      });
    if (t <= now) throw new TinyforgeError("usage", `--until ${op.until} is in the past`);
    if (t - now > UNTIL_MAX_MS)
      throw new TinyforgeError("usage", `--until ${op.until} is more than a year away`);
    f.until = new Date(t).toISOString();
  }
  return f;
}
function parseUntil(text) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return void 0;
  const t = Date.parse(text.replace(/(T\d{2}:\d{2})(Z|[+-])/i, "$1:00$2"));
  return Number.isNaN(t) ? void 0 : t;
}
async function freezeAll(s, op) {
  checkStage(s.config, op.stage);
  const freeze = freezeOf(op, systemClock.now());
  const out = [];
  await forEachHost(s, stageHosts(s.config, op.stage), async (host) => {
    await storeFor(engineContext(s, host)).writeFreeze(freeze);
    out.push({ host: host.name, freeze });
    return true;
  });
  return out;
}
async function unfreezeAll(s, op) {
  checkStage(s.config, op.stage);
  const out = [];
  await forEachHost(s, stageHosts(s.config, op.stage), async (host) => {
    const store = storeFor(engineContext(s, host));
    const freeze = await store.readFreeze(op.stage);
    await store.removeFreeze(op.stage);
    out.push({ host: host.name, ...freeze ? { freeze } : {} });
    return true;
  });
  return out;
}
async function stageFreeze(s, stage, hosts) {
  let found;
  await forEachHost(s, hosts, async (host) => {
    found ??= await activeFreeze(storeFor(engineContext(s, host)), stage, systemClock.now());
    return true;
  });
  return found;
}
async function checkFreeze(s, op, at, obs) {
  const freeze = await stageFreeze(s, at.stage, at.hosts);
  if (!freeze) return void 0;
  if (op.force) return { freeze, by: op.actor ?? "someone" };
  const message = freezeText(freeze);
  if (!obs.announced) {
    for (const workload of at.workloads) {
      const info = infoOf(s, op, workload, at.stage, at.hosts);
      const hooks = [...reportersOf(s, workload, at.stage), ...obs.hooks ?? []];
      await Promise.allSettled(
        hooks.map((h) => h.finished?.(info, notRun(info, { code: "frozen", message })))
      );
    }
  }
  throw new TinyforgeError("frozen", `${at.stage} is ${message}`, {
    // What a status and chat say: the freeze in its own words.
    publicMessage: message,
    hint: `nothing was deployed; \`tinyforge unfreeze ${at.stage}\` lifts it, --force overrides it (recorded)`
  });
}
function infoOf(s, op, workload, stage, hosts) {
  return {
    deployId: newDeployId(),
    project: s.config.project,
    workload,
    stage,
    tag: op.tag ?? null,
    // A rollback's SHA is the kept release's, unknown until a host is read: no commit status.
    sha: op.kind === "deploy" ? op.sha : "",
    ref: op.kind === "deploy" ? op.ref ?? null : null,
    strategy: resolveStrategy(
      own(s.config.workloads, workload),
      op.kind === "deploy" ? op.strategy : void 0
    ),
    host: hosts.join(", ")
  };
}

// src/app/plan.ts
async function planAll(s, op) {
  const workloads = resolveWorkloads(s.config, op.workload);
  const stage = resolveStage(s.config, op.stage);
  for (const w of workloads) s.grants.secrets(s.config, w, stage);
  const out = [];
  for (const entry of stageHosts(s.config, stage)) {
    await withHost(s, entry, async (host) => {
      for (const workload of workloads)
        out.push(await planOne(engineContext(s, host, { workload, stage }), op, workload, stage));
    });
  }
  return out;
}
async function planOne(ctx, op, workload, stage) {
  const { config, host } = ctx;
  const plan = planDeploy(
    config,
    { workload, stage, sha: op.sha, ref: op.ref, tag: op.tag, strategy: op.strategy },
    host.name
  );
  const { w, req } = plan;
  const store = storeFor(ctx);
  const now = systemClock.now();
  const state = await store.readInstance(plan.key);
  const active = state?.active;
  const running = active && !host.swarm ? await host.docker.inspect(active.containerId) : void 0;
  const serves = host.swarm ? active !== void 0 : running?.running === true;
  const image = w.source === "image" ? expandImage(w.image, { sha: req.sha, ref: req.ref, tag: req.tag, stage }) : w.source === "compose" ? "" : builtImageTag(config.project, workload, req.sha);
  const imagePresent = image !== "" && await host.docker.imageExists(image);
  const imageAction = actionFor(w, image, imagePresent);
  const lease = await currentLease(store.files, store.lockDir(workload, stage));
  const unchanged = serves && active?.sha === req.sha && !active.dirty;
  return {
    host: host.name,
    workload,
    stage,
    tag: req.tag ?? null,
    sha: req.sha,
    source: w.source,
    image,
    imagePresent,
    imageAction,
    strategy: plan.strategy,
    serving: active ? { sha: active.sha, container: active.container } : null,
    unchanged,
    routes: config.proxy.driver === "none" ? [] : plan.hostnames.map((hostname) => ({
      hostname,
      driver: config.proxy.driver,
      port: w.port ?? null,
      tls: config.proxy.tls === true
    })),
    env: running?.env ? envChanges(ctx, plan, running.env) : null,
    release: w.release ? { command: w.release.command, timeoutMs: w.release.timeout } : null,
    evicts: plan.maxInstances === void 0 ? [] : toEvict(await store.listInstances(), {
      workload,
      stage,
      keep: plan.key,
      limit: plan.maxInstances
    }).map((i) => i.key),
    frozen: await activeFreeze(store, stage, now) ?? null,
    locked: lease && leaseAlive(lease, now) ? lease : null
  };
}
function actionFor(w, image, present) {
  if (w.source === "compose") return "compose";
  if (w.source !== "image") return present ? "reuse" : "build";
  return present && usesCopyOnHost(w, image) ? "reuse" : "pull";
}
function envChanges(ctx, plan, serving) {
  const spec = containerSpec({
    name: plan.base,
    image: "",
    labels: {},
    workload: plan.w,
    secretValues: ctx.secrets,
    meta: { sha: plan.req.sha, stage: plan.req.stage, deployId: plan.req.deployId, tag: plan.req.tag },
    publishIp: ctx.config.publish_ip
  });
  const old = new Map(serving.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
  const added = [];
  const changed = [];
  for (const kv of spec.env) {
    const name = kv.slice(0, kv.indexOf("="));
    if (name === "TINYFORGE_DEPLOY_ID") continue;
    const value = kv.slice(kv.indexOf("=") + 1);
    if (!old.has(name)) added.push(name);
    else if (old.get(name) !== value) changed.push(name);
  }
  return { added: added.sort(), changed: changed.sort() };
}

// src/plan/balance.ts
function publishAddress(config, entry, sshAddress) {
  const own2 = config.load_balancer?.private_addresses;
  if (own2 && Object.hasOwn(own2, entry)) return own2[entry];
  return config.publish_ip === "0.0.0.0" ? sshAddress : config.publish_ip;
}
function balancedRoute(lb, [hostname, ...aliases], upstreams, healthPath = "/") {
  if (upstreams.length === 0) return void 0;
  const sorted = [...upstreams].sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port);
  return {
    hostname,
    ...aliases.length ? { aliases } : {},
    upstream: sorted[0],
    upstreams: sorted,
    tls: lb.tls,
    health: { path: healthPath, interval: `${lb.health_interval}ms` }
  };
}
function lbProxy(lb) {
  return {
    driver: lb.driver,
    tls: lb.tls,
    ...lb.admin !== void 0 ? { admin: lb.admin } : {},
    ...lb.server !== void 0 ? { server: lb.server } : {},
    ...lb.config_dir !== void 0 ? { config_dir: lb.config_dir } : {},
    ...lb.command !== void 0 ? { command: lb.command } : {},
    ...lb.listen !== void 0 ? { listen: lb.listen } : {}
  };
}

// src/app/balance.ts
function hostConfig(config, entry) {
  const lb = config.load_balancer;
  if (!lb || !Object.hasOwn(lb.private_addresses, entry)) return config;
  return { ...config, publish_ip: lb.private_addresses[entry] };
}
async function balance2(s, inst, open3 = /* @__PURE__ */ new Map()) {
  const lb = s.config.load_balancer;
  if (!lb) return { route: void 0, note: void 0 };
  const upstreams = [];
  for (const entry of stageHosts(s.config, inst.stage)) {
    const read = (host) => servedBy(s, entry, host, inst);
    const got = open3.has(entry) ? await read(open3.get(entry)) : await withHost(s, entry, read);
    if (got) upstreams.push(got);
  }
  const { hostnames, route } = routeOver(s, lb, inst, upstreams);
  let note;
  await withLoadBalancer(s, lb, async (proxy) => {
    if (route) note = await proxy.upsert(route) ?? void 0;
    else await proxy.remove(hostnames[0]);
  });
  return { route, note };
}
function routeOver(s, lb, inst, upstreams) {
  const hostnames = routeHostnames(s.config, { project: s.config.project, ...inst });
  const w = s.config.workloads[inst.workload];
  return { hostnames, route: balancedRoute(lb, hostnames, upstreams, w?.healthcheck?.path) };
}
async function servedBy(s, entry, host, inst) {
  const state = await storeFor(engineContext(s, host)).readInstance(instanceKey(inst));
  const port = state?.active?.hostPort;
  if (port === void 0) return void 0;
  return { host: publishAddress(s.config, entry, host.address), port };
}
async function withLoadBalancer(s, lb, fn) {
  const p = s.credentials.proxy;
  return withHost(
    s,
    lb.host,
    (host) => fn(proxyFor(lbProxy(lb), host, { proxyUser: p.user, proxyPassword: p.password, proxyToken: p.token }))
  );
}
async function instancesOn(s, host, workload, stage) {
  const all = await storeFor(engineContext(s, host)).listInstances();
  return all.filter((i) => i.workload === workload && i.stage === stage).map((i) => i.tag ?? void 0);
}
async function balanceAll(s) {
  if (!s.config.load_balancer) return [];
  const lines = [];
  for (const stage of Object.keys(s.config.stages)) {
    const seen = /* @__PURE__ */ new Map();
    for (const entry of stageHosts(s.config, stage))
      await withHost(s, entry, async (host) => {
        for (const i of await storeFor(engineContext(s, host)).listInstances())
          if (i.stage === stage) seen.set(i.key, { workload: i.workload, stage, tag: i.tag ?? void 0 });
      });
    for (const inst of seen.values()) {
      const { route } = await balance2(s, inst);
      const name = routeHostnames(s.config, { project: s.config.project, ...inst })[0];
      lines.push(
        `${name}: ${route ? `${route.upstreams?.length ?? 0} host(s)` : "no host serves it, route removed"}`
      );
    }
  }
  return lines;
}

// src/app/restore-balanced.ts
async function balancedRoutesBack(s, lb, proxy, hosts) {
  const lines = [];
  const stage = hosts.stage;
  if (hosts.open.size === 0 && hosts.missed.length > 0)
    return [`${s.config.project}: stage ${stage}: no host reached, its routes not checked`];
  for (const [workload, instances] of await servedInstances(s, hosts.open, stage)) {
    const restore2 = () => restoreEach(s, lb, proxy, hosts, instances);
    try {
      lines.push(...await underLocks(s, [...hosts.open.values()], { workload, stage }, restore2));
    } catch (e) {
      lines.push(
        `${s.config.project}/${workload}.${stage}: load balancer routes not restored: ${errorMessage(e)}`
      );
    }
  }
  return lines;
}
async function restoreEach(s, lb, proxy, hosts, instances) {
  const lines = [];
  for (const inst of instances) {
    const upstreams = [];
    for (const [entry, host] of hosts.open) {
      const u = await servedBy(s, entry, host, inst);
      if (u) upstreams.push(u);
    }
    if (upstreams.length === 0) continue;
    const { hostnames } = routeOver(s, lb, inst, upstreams);
    const now = await proxy.get(hostnames[0]);
    const { kept, notes } = keptFor(s, hosts.missed, now, upstreams);
    const { route } = routeOver(s, lb, inst, [...upstreams, ...kept]);
    if (!route || sameBalanced(now, route)) continue;
    await proxy.upsert(route);
    const to = route.upstreams.map((u) => `${u.host}:${u.port}`).join(", ");
    const why = notes.length ? ` (${notes.join("; ")})` : "";
    lines.push(`${s.config.project}/${instanceKey(inst)}: route ${route.hostname} restored \u2192 ${to}${why}`);
  }
  return lines;
}
function keptFor(s, missed, now, claimed) {
  const kept = [];
  const notes = [];
  const taken = new Set(claimed.map(dial));
  for (const entry of missed) {
    const at = publishAddress(s.config, entry, addressOf(entry));
    const theirs = (now?.upstreams ?? []).filter((u) => u.host === at && !taken.has(dial(u)));
    for (const u of theirs) taken.add(dial(u));
    kept.push(...theirs);
    notes.push(
      `${nameOf(entry)} not reached: ${theirs.length ? "its upstream kept as the load balancer had it" : "left out until it can be read"}`
    );
  }
  return { kept, notes };
}
function sameBalanced(now, want) {
  if (!now?.upstreams) return false;
  const names = (r) => [r.hostname, ...r.aliases ?? []].sort().join(" ");
  const dials = (r) => (r.upstreams ?? []).map(dial).sort().join(" ");
  return names(now) === names(want) && dials(now) === dials(want);
}
async function servedInstances(s, open3, stage) {
  const seen = /* @__PURE__ */ new Map();
  for (const host of open3.values())
    for (const i of await storeFor(engineContext(s, host)).listInstances())
      if (i.stage === stage && i.active)
        seen.set(i.key, { workload: i.workload, stage, tag: i.tag ?? void 0 });
  const byWorkload = /* @__PURE__ */ new Map();
  for (const key of [...seen.keys()].sort()) {
    const inst = seen.get(key);
    byWorkload.set(inst.workload, [...byWorkload.get(inst.workload) ?? [], inst]);
  }
  return new Map([...byWorkload].sort(([a], [b]) => a.localeCompare(b)));
}
function underLocks(s, hosts, pair, fn) {
  const [host, ...rest] = hosts;
  if (!host) return fn();
  const ctx = engineContext(s, host);
  return underLock(ctx, storeFor(ctx), pair, () => underLocks(s, rest, pair, fn));
}
var dial = (u) => `${u.host}:${u.port}`;
function nameOf(entry) {
  return targetName(parseHostTarget(entry));
}
function addressOf(entry) {
  const t = parseHostTarget(entry);
  return t.kind === "local" ? "127.0.0.1" : t.host;
}

// src/app/restore-routes.ts
async function restoreAllRoutes(s) {
  const out = [];
  const unreached = /* @__PURE__ */ new Map();
  const hosts = allHosts(s.config);
  for (const entry of hosts) {
    const row = await reaching(
      entry,
      unreached,
      (opened) => withHost(s, entry, async (host) => {
        opened();
        return { host: host.name, lines: await restoreRoutes(engineContext(s, host)) };
      })
    );
    out.push(row ?? notReached(nameOf2(entry), unreached.get(entry)));
  }
  const lb = s.config.load_balancer;
  if (lb) {
    const lines = await reaching(
      lb.host,
      unreached,
      (opened) => withLoadBalancer(s, lb, async (proxy) => {
        opened();
        const lines2 = [];
        for (const stage of Object.keys(s.config.stages)) {
          const entries = stageHosts(s.config, stage);
          await withReachable(s, entries, unreached, async (open3) => {
            const missed = entries.filter((e) => unreached.has(e));
            lines2.push(...await balancedRoutesBack(s, lb, proxy, { stage, open: open3, missed }));
          });
        }
        return lines2;
      })
    );
    out.push(lines ? { host: "load balancer", lines } : notReached("load balancer", unreached.get(lb.host)));
  }
  for (const [entry, why] of unreached)
    if (hosts.includes(entry) && !out.some((r) => r.unreached && r.host === nameOf2(entry)))
      out.push(notReached(nameOf2(entry), why, "for the load balancer's routes"));
  return out;
}
function notReached(host, why, what = "its routes not checked") {
  return { host, lines: [`not reached, ${what}: ${why}`], unreached: true };
}
async function withReachable(s, entries, unreached, fn, open3 = /* @__PURE__ */ new Map()) {
  const [entry, ...rest] = entries;
  if (entry === void 0) return fn(open3);
  const next = () => withReachable(s, rest, unreached, fn, open3);
  if (open3.has(entry)) return next();
  const ran = await reaching(
    entry,
    unreached,
    (opened) => withHost(s, entry, async (host) => {
      opened();
      open3.set(entry, host);
      try {
        await next();
      } finally {
        open3.delete(entry);
      }
      return true;
    })
  );
  if (!ran) await next();
}
async function reaching(entry, unreached, run) {
  if (unreached.has(entry)) return void 0;
  let opened = false;
  try {
    return await run(() => {
      opened = true;
    });
  } catch (e) {
    if (opened || !isTinyforgeError(e) || e.exitCode !== EXIT.unreachable) throw e;
    unreached.set(entry, errorMessage(e));
    return void 0;
  }
}
function nameOf2(entry) {
  return targetName(parseHostTarget(entry));
}

// src/deploy/rollback.ts
function originOf(r) {
  return r.origin ?? r.deployId;
}
function refOf(r) {
  return { deployId: originOf(r), sha: r.sha };
}
function describe2(r) {
  return `${originOf(r)} (${r.sha.slice(0, 12)}${r.dirty ? ", dirty" : ""}, ${r.deployedAt.slice(0, 16).replace("T", " ")})`;
}
function rollbackTarget(state, req) {
  const where = `${req.workload} in ${req.stage}${req.tag ? ` (${req.tag})` : ""}`;
  const active = state?.active;
  if (!state || !active) {
    throw new TinyforgeError("usage", `nothing serves ${where}: there is nothing to roll back`, {
      hint: "deploy a SHA with --sha to go anywhere"
    });
  }
  const kept = state.previous;
  const keptList = kept.length ? `kept: ${kept.map(describe2).join(", ")}` : "no earlier release is kept";
  let target;
  if (req.to) {
    const to = req.to.toLowerCase();
    const matches = (r) => originOf(r).toLowerCase() === to || r.deployId.toLowerCase() === to || to.length >= 7 && r.sha.startsWith(to);
    if (matches(active)) {
      throw new TinyforgeError("usage", `${req.to} already serves ${where}`, { details: [keptList] });
    }
    target = kept.find(matches);
    if (!target) {
      throw new TinyforgeError("usage", `${req.to} is not a kept release of ${where}`, {
        details: [keptList],
        hint: "only releases whose images are kept can be rolled back to (keep_releases); deploy an older SHA with --sha"
      });
    }
    return target;
  }
  target = kept.filter((r) => originOf(r) < originOf(active)).sort((a, b) => originOf(b).localeCompare(originOf(a)))[0];
  if (!target) {
    throw new TinyforgeError(
      "usage",
      `${where} has no kept release older than the serving one (${describe2(active)})`,
      {
        details: [keptList],
        hint: "roll forward with --to DEPLOY_ID, or deploy a SHA with --sha"
      }
    );
  }
  return target;
}
async function rollback(ctx, req) {
  const state = await storeFor(ctx).readInstance(instanceKey(req));
  const target = rollbackTarget(state, req);
  const composeDir = composeDirOf(target);
  return deploy(ctx, {
    workload: req.workload,
    stage: req.stage,
    tag: req.tag,
    sha: target.sha,
    release: { image: target.image, ...composeDir ? { composeDir } : {} },
    ...target.dirty ? { dirty: true } : {},
    trigger: "rollback",
    ...req.deployId ? { deployId: req.deployId } : {},
    origin: originOf(target),
    rollback: { from: refOf(state.active), to: refOf(target) },
    ...req.forced ? { forced: req.forced } : {}
  });
}

// src/app/agree.ts
async function agreeAcrossHosts(s) {
  const lines = [];
  for (const stage of Object.keys(s.config.stages)) {
    const hosts = stageHosts(s.config, stage);
    if (hosts.length < 2) continue;
    const byKey = /* @__PURE__ */ new Map();
    for (const entry of hosts) {
      await withHost(s, entry, async (host) => {
        const store = storeFor(engineContext(s, host));
        for (const state of await store.listInstances()) {
          if (state.stage !== stage || !state.active) continue;
          const rec = await store.readDeploy(state.active.deployId);
          const seen = { entry, name: host.name, state, finished: rec?.outcome === "success" };
          byKey.set(state.key, [...byKey.get(state.key) ?? [], seen]);
        }
      });
    }
    for (const seen of byKey.values()) lines.push(...await agree(s, seen));
  }
  return lines;
}
var releaseId = (r) => r.origin ?? r.deployId;
async function agree(s, seen) {
  const ids = new Set(seen.map((x) => releaseId(x.state.active)));
  if (ids.size < 2) return [];
  const { workload, stage, tag } = seen[0].state;
  const where = `${workload} in ${stage}${tag ? ` (${tag})` : ""}`;
  const target = mostServed(seen.filter((x) => x.finished));
  if (!target)
    return [`${where}: the hosts serve different releases and none finished its deploy: deploy again`];
  const lines = [];
  for (const x of seen) {
    if (releaseId(x.state.active) === target) continue;
    try {
      const r = await withHost(s, x.entry, (host) => {
        const ctx = engineContext(s, host, { workload, stage });
        ctx.hooks = [];
        return rollback(ctx, { workload, stage, tag: tag ?? void 0, to: target });
      });
      lines.push(
        r.outcome === "success" ? `${x.name}: ${where} back to ${target} (${r.sha.slice(0, 12)}), the release the other hosts serve: the deploy of ${x.state.active.deployId} did not finish on every host` : `${x.name}: ${where} could not go back to ${target}: ${r.error?.message ?? "failed"}`
      );
    } catch (e) {
      lines.push(`${x.name}: ${where} could not go back to ${target}: ${errorMessage(e)}`);
    }
  }
  return lines;
}
function mostServed(seen) {
  const count = /* @__PURE__ */ new Map();
  for (const x of seen) {
    const id = releaseId(x.state.active);
    count.set(id, (count.get(id) ?? 0) + 1);
  }
  return [...count.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

// src/deploy/rollout.ts
var Meeting = class {
  arrived = /* @__PURE__ */ new Set();
  promise;
  resolve;
  reject;
  constructor() {
    this.promise = new Promise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    this.promise.catch(() => void 0);
  }
};
var Rendezvous = class {
  /**
   * `beforeSwapped` runs once when every host swapped, before any of them goes on (a load
   * balancer is pointed at the new containers while the old ones still run); when it throws,
   * the rollout fails as if a host's swap had.
   */
  constructor(hosts, beforeSwapped) {
    this.hosts = hosts;
    this.beforeSwapped = beforeSwapped;
  }
  hosts;
  beforeSwapped;
  meetings = { gated: new Meeting(), swapped: new Meeting() };
  /** Hosts that need no meeting any more: they finished (unchanged, say) or failed. */
  gone = /* @__PURE__ */ new Set();
  failure;
  swapping = false;
  /** The first failure, when a host failed. */
  get failed() {
    return this.failure;
  }
  /** The peer a host's deploy is given. */
  peer(host) {
    return {
      gated: () => this.arrive("gated", host).then(() => void 0),
      swapped: () => this.arrive("swapped", host)
    };
  }
  /** A host failed (its deploy failed or threw): every wait fails with its reason ("HOST: why"). */
  fail(host, reason2) {
    this.gone.add(host);
    if (this.failure) return;
    this.failure = new TinyforgeError("deploy_failed", reason2, {
      hint: "no host changed: every host still serves the release it served before"
    });
    for (const m of Object.values(this.meetings)) m.reject(this.failure);
  }
  /** A host ended without failing: it holds up no meeting (an unchanged SHA never reaches one). */
  done(host) {
    this.gone.add(host);
    for (const p of ["gated", "swapped"]) this.check(p);
  }
  arrive(point, host) {
    if (this.failure) return Promise.reject(this.failure);
    this.meetings[point].arrived.add(host);
    this.check(point);
    return this.meetings[point].promise;
  }
  check(point) {
    if (this.failure) return;
    const m = this.meetings[point];
    if (!this.hosts.every((h) => m.arrived.has(h) || this.gone.has(h))) return;
    if (point !== "swapped" || !this.beforeSwapped || m.arrived.size === 0) {
      m.resolve();
      return;
    }
    if (this.swapping) return;
    this.swapping = true;
    this.beforeSwapped().then(
      (note) => this.failure ? void 0 : m.resolve(note),
      (e) => this.fail("load balancer", `load balancer: ${e instanceof Error ? e.message : String(e)}`)
    );
  }
};
var Slots = class {
  free;
  waiting = [];
  constructor(size) {
    this.free = size;
  }
  async take() {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise((r) => this.waiting.push(r));
  }
  give() {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
};

// src/app/rollout-report.ts
var RANK2 = { failed: 2, success: 1, unchanged: 0, superseded: 0 };
var RolloutReport = class {
  constructor(hooks, hosts) {
    this.hooks = hooks;
    this.hosts = hosts;
  }
  hooks;
  hosts;
  results = /* @__PURE__ */ new Map();
  /** Hosts whose deploy ended without an outcome to report (it never started, or it threw). */
  silent = /* @__PURE__ */ new Set();
  began = /* @__PURE__ */ new Set();
  told = /* @__PURE__ */ new Set();
  // One queue per reporter across all hosts: it hears its calls in order, never two at once.
  tails = /* @__PURE__ */ new Map();
  lastInfo;
  /** Each host entry's name (as the deploys call their host), once it was opened. */
  names = /* @__PURE__ */ new Map();
  /** The reporters as one host's deploy sees them. */
  viewFor(host, name) {
    this.names.set(host, name);
    if (this.hosts.length < 2) return [...this.hooks];
    return this.hooks.map((h) => ({
      name: h.name,
      ...h.notice ? { notice: h.notice } : {},
      started: (info) => {
        this.lastInfo = info;
        if (this.began.has(h)) return Promise.resolve();
        this.began.add(h);
        return this.queue(h, () => h.started?.(this.whole(info)));
      },
      step: (info, step) => this.queue(h, () => h.step?.(this.whole(info), named(name, step))),
      finished: (info, result2) => {
        this.lastInfo = info;
        this.results.set(host, result2);
        return this.maybeFinish(h);
      }
    }));
  }
  /** A host's deploy is over: if it never reported an outcome, the rollout does not wait for one. */
  async settled(host) {
    if (!this.results.has(host)) this.silent.add(host);
    let timer;
    const bound = new Promise((r) => {
      timer = setTimeout(r, 2e4);
    });
    await Promise.race([
      Promise.all(this.hooks.map((h) => this.maybeFinish(h).catch(() => void 0))),
      bound
    ]);
    clearTimeout(timer);
  }
  maybeFinish(h) {
    if (this.told.has(h) || !this.began.has(h) || !this.lastInfo) return Promise.resolve();
    if (!this.hosts.every((x) => this.results.has(x) || this.silent.has(x))) return Promise.resolve();
    this.told.add(h);
    const info = this.whole(this.lastInfo);
    const whole = this.outcome();
    return this.queue(h, () => h.finished?.(info, whole));
  }
  /** The worst host's result stands for the rollout. */
  outcome() {
    const results = [...this.results.values()];
    const worst = results.reduce((a, b) => RANK2[b.outcome] > RANK2[a.outcome] ? b : a);
    const whole = { ...worst, host: this.allNames() };
    if (this.silent.size > 0 && whole.outcome !== "failed")
      return {
        ...whole,
        outcome: "failed",
        error: { code: "deploy_failed", message: `no outcome from ${[...this.silent].join(", ")}` }
      };
    return whole;
  }
  whole(info) {
    return { ...info, host: this.allNames() };
  }
  allNames() {
    return this.hosts.map((h) => this.names.get(h) ?? h).join(", ");
  }
  queue(h, call2) {
    const next = (this.tails.get(h) ?? Promise.resolve()).then(call2);
    this.tails.set(
      h,
      next.catch(() => void 0)
    );
    return next;
  }
};
function named(host, step) {
  return { ...step, name: `${host}: ${step.name}` };
}

// src/app/rollout.ts
async function rollOut(s, ask, contextFor) {
  const deployId = ask.deployId ?? newDeployId();
  const { batch } = s.config.rollout;
  const batches = batch ? chunks(ask.hosts, batch) : [ask.hosts];
  const results = [];
  for (const hosts of batches) {
    const got = await allOrNothing(s, { ...ask, hosts }, deployId, contextFor);
    results.push(...got);
    if (got.length < hosts.length || got.some((r) => r.outcome === "failed")) break;
  }
  return results;
}
async function allOrNothing(s, ask, deployId, contextFor) {
  const { hosts } = ask;
  const inst = { workload: ask.workload, stage: ask.stage, tag: ask.op.tag };
  const open3 = /* @__PURE__ */ new Map();
  let balanced = false;
  const others = /* @__PURE__ */ new Set();
  const evicts = s.config.stages[ask.stage]?.max_instances !== void 0 || s.config.workloads[ask.workload]?.max_instances !== void 0;
  const lb = s.config.load_balancer ? async () => {
    const { note } = await balance2(s, inst, open3);
    balanced = true;
    if (evicts) {
      for (const host of open3.values())
        for (const tag of await instancesOn(s, host, ask.workload, ask.stage))
          if (tag !== inst.tag) others.add(tag);
    }
    return note;
  } : void 0;
  const meet = hosts.length > 1 || lb ? new Rendezvous(hosts, lb) : void 0;
  const slots = new Slots(s.config.rollout.parallel ?? hosts.length);
  let report;
  const results = /* @__PURE__ */ new Map();
  let thrown;
  const names = /* @__PURE__ */ new Map();
  const one = async (entry) => {
    await slots.take();
    let slot = true;
    const giveBack = () => {
      if (slot) slots.give();
      slot = false;
    };
    try {
      if (meet?.failed) return;
      const r = await withHost(s, entry, (host) => {
        names.set(entry, host.name);
        open3.set(entry, host);
        const ctx = contextFor(host);
        ctx.config = hostConfig(ctx.config, entry);
        report ??= new RolloutReport(ctx.hooks ?? [], hosts);
        ctx.hooks = report.viewFor(entry, host.name);
        if (meet) ctx.rollout = releasing(meet.peer(entry), giveBack);
        return runOne(ctx, ask, deployId).finally(() => open3.delete(entry));
      });
      results.set(entry, r);
      if (r.outcome === "failed") meet?.fail(entry, `${r.host}: ${r.error?.message ?? "failed"}`);
      else meet?.done(entry);
    } catch (e) {
      meet?.fail(entry, `${names.get(entry) ?? entry}: ${errorMessage(e)}`);
      thrown ??= e;
    } finally {
      giveBack();
      await report?.settled(entry);
    }
  };
  await Promise.all(hosts.map(one));
  if (thrown) throw thrown;
  const got = hosts.flatMap((h) => results.get(h) ?? []);
  if (lb && !balanced && got.length === hosts.length && got.every((r) => r.outcome !== "failed"))
    await balance2(s, inst);
  if (others.size > 0 && got.some((r) => r.outcome === "success")) {
    const left = /* @__PURE__ */ new Set();
    for (const entry of hosts)
      await withHost(s, entry, async (host) => {
        for (const tag of await instancesOn(s, host, ask.workload, ask.stage)) left.add(tag);
      });
    for (const tag of others) if (!left.has(tag)) await balance2(s, { ...inst, tag }).catch(() => void 0);
  }
  return got;
}
function runOne(ctx, ask, deployId) {
  const { op, workload, stage } = ask;
  const forced = ask.forced ? { forced: ask.forced } : {};
  if (op.kind === "rollback")
    return rollback(ctx, { workload, stage, tag: op.tag, to: op.to, deployId, ...forced });
  return deploy(ctx, {
    workload,
    stage,
    sha: op.sha,
    ...op.dirty ? { dirty: true } : {},
    ref: op.ref,
    tag: op.tag,
    strategy: op.strategy,
    trigger: op.trigger,
    ...op.kind === "deploy" && op.thread ? { thread: op.thread } : {},
    ...op.cancelBake ? { cancelBake: true } : {},
    deployId,
    ...forced
  });
}
function releasing(peer, giveBack) {
  return {
    gated: () => {
      giveBack();
      return peer.gated();
    },
    swapped: () => peer.swapped()
  };
}
function chunks(xs, n) {
  const out = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

// src/app/execute.ts
async function execute(s, op, obs = {}) {
  const run = () => {
    switch (op.kind) {
      case "deploy":
      case "rollback":
        return deployAll(s, op, obs);
      case "teardown":
        return teardownAll(s, op);
      case "reconcile":
        return op.routes ? restoreAllRoutes(s) : reconcileAll(s);
      case "expire":
        return expirePreviews(s, op.now);
      case "status":
        return statusAll(s, op.workload, op.stage);
      case "history":
        return historyOf(s, op);
      case "logs":
        return logsOf(s, op, obs);
      case "unlock":
        return unlockAll(s, op.workload, op.stage);
      case "config":
        return settingsOf(s, op);
      case "app-logs":
        return appLogsOf(s, op, obs);
      case "exec":
        return execIn(s, op, obs);
      case "accessory":
        return accessoryAction(s, op, obs);
      case "doctor":
        return doctor(s);
      case "settle":
        return settle(s, op);
      case "freeze":
        return freezeAll(s, op);
      case "unfreeze":
        return unfreezeAll(s, op);
      case "plan":
        return planAll(s, op);
    }
  };
  return await run();
}
function observed(s, host, workload, stage, obs) {
  const ctx = engineContext(s, host, { workload, stage });
  ctx.hooks = [...ctx.hooks ?? [], ...obs.hooks ?? []];
  if (obs.onEvent) ctx.onEvent = obs.onEvent;
  const onStep = obs.onStep;
  if (onStep) ctx.onStep = (step) => onStep(step, { workload, host: host.name });
  if (obs.bakeCancelledBy) ctx.bakeCancelledBy = obs.bakeCancelledBy;
  return ctx;
}
async function deployAll(s, op, obs) {
  const workloads = resolveWorkloads(s.config, op.workload);
  const stage = resolveStage(s.config, op.stage);
  for (const w of workloads) s.grants.secrets(s.config, w, stage);
  checkProxySecrets(s.config, {
    proxyUser: s.credentials.proxy.user,
    proxyPassword: s.credentials.proxy.password,
    proxyToken: s.credentials.proxy.token
  });
  const hosts = stageHosts(s.config, stage);
  for (const w of workloads) {
    const why = workloadOf(s.config, w).bake ? bakeHostsProblem(hosts, [{}]) : void 0;
    if (why) throw new TinyforgeError("config_invalid", `workloads.${w}.bake: ${why}`);
  }
  const forced = await checkFreeze(s, op, { stage, hosts, workloads }, obs);
  const results = [];
  let deployId = op.kind === "deploy" ? obs.announced?.deployId : void 0;
  for (const workload of workloads) {
    const got = await rollOut(s, { op, workload, stage, hosts, deployId, forced }, (host) => {
      const ctx = observed(s, host, workload, stage, obs);
      if (op.kind === "deploy" && obs.announced) {
        ctx.hooks = obs.announced.hooks;
        ctx.announced = true;
      }
      if (op.kind === "deploy" && op.sourceDir) ctx.configDir = op.sourceDir;
      obs.onStart?.({ workload, stage, host: host.name });
      return ctx;
    });
    deployId = void 0;
    for (const r of got) {
      results.push(r);
      obs.onResult?.(r);
    }
    if (got.length < hosts.length || got.some((r) => r.outcome === "failed")) break;
  }
  return results;
}
async function teardownAll(s, op) {
  const workloads = resolveWorkloads(s.config, op.workload);
  const stage = resolveStage(s.config, op.stage);
  const out = [];
  await forEachHost(s, stageHosts(s.config, stage), async (host) => {
    const ctx = engineContext(s, host);
    const store = storeFor(ctx);
    for (const workload of workloads) {
      const key = instanceKey({ workload, stage, tag: op.tag });
      const lines = await withLock(
        ctx,
        store,
        { workload, stage },
        () => teardownInstance(ctx, store, { workload, stage, tag: op.tag, key })
      );
      out.push({ host: host.name, workload, stage, tag: op.tag ?? null, key, lines });
    }
    return true;
  });
  for (const workload of workloads) await balance2(s, { workload, stage, tag: op.tag });
  return out;
}
async function reconcileAll(s) {
  const out = [];
  await forEachHost(s, allHosts(s.config), async (host) => {
    const ctx = engineContext(s, host);
    const store = storeFor(ctx);
    const pairs = /* @__PURE__ */ new Set();
    for (const w of Object.keys(s.config.workloads))
      for (const st of Object.keys(s.config.stages)) pairs.add(`${w}\0${st}`);
    for (const i of await store.listInstances()) pairs.add(`${i.workload}\0${i.stage}`);
    const lines = [];
    for (const pair of [...pairs].sort()) {
      const [workload, stage] = pair.split("\0");
      lines.push(
        ...await withLock(
          ctx,
          store,
          { workload, stage },
          (lock2) => reconcile(ctx, store, { workload, stage, interrupted: lock2.tookOver })
        )
      );
    }
    out.push({ host: host.name, lines });
    return true;
  });
  const agreed = await agreeAcrossHosts(s);
  if (agreed.length > 0) out.push({ host: "hosts", lines: agreed });
  for (const e of await expirePreviews(s, systemClock.now())) {
    const row = out.find((r) => r.host === e.host);
    if (row) row.lines.push(expiredLine(e));
    else out.push({ host: e.host, lines: [expiredLine(e)] });
  }
  const balanced = await balanceAll(s);
  if (balanced.length > 0) out.push({ host: "load balancer", lines: balanced });
  return out;
}
async function statusAll(s, workload, stage) {
  if (workload !== void 0) resolveWorkloads(s.config, workload);
  if (stage !== void 0) checkStage(s.config, stage);
  const filter = { workload, stage };
  const rows = [];
  const frozen = [];
  let last;
  const stages = stage === void 0 ? Object.keys(s.config.stages) : [stage];
  for (const entry of stage === void 0 ? allHosts(s.config) : stageHosts(s.config, stage)) {
    await withHost(s, entry, async (host) => {
      const ctx = engineContext(s, host);
      rows.push(...await status(ctx, filter));
      if (rows.length === 0) last ??= await lastDeploy(ctx, filter);
      for (const st of stages.filter((st2) => stageHosts(s.config, st2).includes(entry))) {
        const freeze = await activeFreeze(storeFor(ctx), st, systemClock.now());
        if (freeze) frozen.push({ host: host.name, freeze });
      }
    });
  }
  return { rows: markSplit(rows), frozen, ...last ? { last } : {} };
}
function markSplit(rows) {
  const releases = /* @__PURE__ */ new Map();
  const keyOf = (r) => `${r.workload}\0${r.stage}\0${r.tag ?? ""}`;
  for (const r of rows)
    releases.set(keyOf(r), (releases.get(keyOf(r)) ?? /* @__PURE__ */ new Set()).add(`${r.sha}${r.dirty ? "+dirty" : ""}`));
  return rows.map((r) => (releases.get(keyOf(r))?.size ?? 0) > 1 ? { ...r, split: true } : r);
}
async function historyOf(s, op) {
  resolveWorkloads(s.config, op.workload);
  if (op.stage !== void 0) checkStage(s.config, op.stage);
  const rows = [];
  const hosts = op.stage === void 0 ? allHosts(s.config) : stageHosts(s.config, op.stage);
  await forEachHost(s, hosts, async (host) => {
    const recs = await history(storeFor(engineContext(s, host)), op);
    rows.push(...recs.map((r) => ({ ...r, host: host.name })));
    return true;
  });
  rows.sort((a, b) => b.deployId.localeCompare(a.deployId));
  return rows.slice(0, op.limit);
}
async function logsOf(s, op, obs) {
  let found = false;
  let interrupted = false;
  await forEachHost(s, allHosts(s.config), async (host) => {
    const store = storeFor(engineContext(s, host));
    let rec = await store.readDeploy(op.deployId);
    if (!rec) return true;
    found = true;
    let shown = 0;
    const show = async () => {
      const events = await store.readEvents(op.deployId);
      for (const e of events.slice(shown)) obs.onEvent?.(e);
      shown = Math.max(shown, events.length);
    };
    for (; ; ) {
      await show();
      if (!op.follow) break;
      rec = await store.readDeploy(op.deployId) ?? rec;
      if (rec.outcome !== "running") break;
      if (!await stillRunning2(store, rec)) {
        await systemClock.sleep(1e3);
        rec = await store.readDeploy(op.deployId) ?? rec;
        if (rec.outcome !== "running") continue;
        await show();
        interrupted = true;
        break;
      }
      await systemClock.sleep(300);
    }
    return true;
  });
  if (!found)
    throw new TinyforgeError("not_found", `no deploy ${op.deployId} on ${allHosts(s.config).join(", ")}`);
  return { interrupted };
}
async function unlockAll(s, workload, stage) {
  resolveWorkloads(s.config, workload);
  try {
    checkStage(s.config, stage);
  } catch (e) {
    if (!/^[\w-]+$/.test(stage)) validateName("stage", stage);
    throw e;
  }
  const out = [];
  await forEachHost(s, stageHosts(s.config, stage), async (host) => {
    const store = storeFor(engineContext(s, host));
    const holder = await forceUnlock(store.files, store.lockDir(workload, stage));
    if (holder) await markInterrupted(store, holder);
    out.push({ host: host.name, workload, stage, ...holder ? { holder } : {} });
    return true;
  });
  return out;
}
async function settingsOf(s, op) {
  const [workload] = resolveWorkloads(s.config, op.workload);
  const stage = resolveStage(s.config, op.stage);
  if (op.tag !== void 0) validateTag(op.tag);
  return instanceSettings(s.config, { workload, stage, tag: op.tag, sha: op.sha });
}

export {
  linkOutside,
  pathsOutside,
  hostVolumeProblems,
  networkProblems,
  scopeVolumes,
  makeRedactor,
  capRunes,
  oneLine,
  Store,
  activeFreeze,
  freezeText,
  ulid,
  resolveStrategy,
  systemClock,
  noCredentials,
  credentialValues,
  openHost,
  environmentGrants,
  refusedHost,
  DEFAULT_TIMEOUT_MS,
  OutboundError,
  guardedLookup,
  assertCallable,
  requestsWritten,
  safeFetch,
  HttpStatusError,
  splitRepo,
  trimSlash,
  githubClient,
  GitHubForge,
  GiteaForge,
  SLACK_API_URL,
  SlackApiNotifier,
  redactDeep,
  escapeMrkdwn,
  slackMessage,
  pendingMessage,
  ChatReporter,
  DEFAULT_CONTEXT,
  openSession,
  forEachHost,
  holdConnections,
  readyEarlyHosts,
  reportersOf,
  findStage,
  resolveStage,
  resolveWorkloads,
  stageHosts,
  allHosts,
  ownContexts,
  checksVerdict,
  verdictNote,
  previewWanted,
  pullOfTag,
  formatTtl,
  announce2 as announce,
  notRun,
  execute
};
