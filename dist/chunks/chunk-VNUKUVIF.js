import { createRequire as __tfCreateRequire } from "node:module";
import { fileURLToPath as __tfFileURLToPath } from "node:url";
import { dirname as __tfDirname } from "node:path";
const require = __tfCreateRequire(import.meta.url);
const __filename = __tfFileURLToPath(import.meta.url);
const __dirname = __tfDirname(__filename);
import {
  require_is_stream
} from "./chunk-KCBSN2NP.js";
import {
  CONNECT_TIMEOUT_MS,
  KEEPALIVE_MISSES,
  KEEPALIVE_MS
} from "./chunk-73AJGAF4.js";
import {
  checkHostKey,
  parseKnownHosts,
  require_lib
} from "./chunk-FPYNHSIU.js";
import {
  TinyforgeError
} from "./chunk-33CLMXR5.js";
import {
  __commonJS,
  __toESM
} from "./chunk-IXWQZFUI.js";

// lazy:node_modules/make-dir/index.js
var require_make_dir = __commonJS({
  "lazy:node_modules/make-dir/index.js"(exports, module) {
    module.exports = function(...args) {
      return import("./make-dir-2YYRIIH6.js").then((m) => m.default || m).then((m) => m(...args));
    };
  }
});

// node_modules/shell-escape/shell-escape.js
var require_shell_escape = __commonJS({
  "node_modules/shell-escape/shell-escape.js"(exports, module) {
    module.exports = shellescape;
    function shellescape(a) {
      var ret = [];
      a.forEach(function(s) {
        if (!/^[A-Za-z0-9_\/-]+$/.test(s)) {
          s = "'" + s.replace(/'/g, "'\\''") + "'";
          s = s.replace(/^(?:'')+/g, "").replace(/\\'''/g, "\\'");
        }
        ret.push(s);
      });
      return ret.join(" ");
    }
  }
});

// src/adapters/ssh-login.ts
import { connect } from "node:net";

// node_modules/node-ssh/lib/esm/index.mjs
var import_is_stream = __toESM(require_is_stream(), 1);
var import_make_dir = __toESM(require_make_dir(), 1);
import invariant2, { AssertionError } from "assert";
import fs2 from "fs";
import fsPath2 from "path";

// node_modules/sb-promise-queue/lib/esm/index.mjs
var PromiseQueue = class {
  constructor({ concurrency = 1 } = {}) {
    this.options = { concurrency };
    this.running = 0;
    this.queue = [];
    this.idleCallbacks = [];
  }
  clear() {
    this.queue = [];
  }
  onIdle(callback) {
    this.idleCallbacks.push(callback);
    return () => {
      const index = this.idleCallbacks.indexOf(callback);
      if (index !== -1) {
        this.idleCallbacks.splice(index, 1);
      }
    };
  }
  waitTillIdle() {
    return new Promise((resolve) => {
      if (this.running === 0) {
        resolve();
        return;
      }
      const dispose = this.onIdle(() => {
        dispose();
        resolve();
      });
    });
  }
  add(callback) {
    return new Promise((resolve, reject) => {
      const runCallback = () => {
        this.running += 1;
        try {
          Promise.resolve(callback()).then((val) => {
            resolve(val);
            this.processNext();
          }, (err) => {
            reject(err);
            this.processNext();
          });
        } catch (err) {
          reject(err);
          this.processNext();
        }
      };
      if (this.running >= this.options.concurrency) {
        this.queue.push(runCallback);
      } else {
        runCallback();
      }
    });
  }
  // Internal function, don't use
  processNext() {
    this.running -= 1;
    const callback = this.queue.shift();
    if (callback) {
      callback();
    } else if (this.running === 0) {
      this.idleCallbacks.forEach((item) => item());
    }
  }
};

// node_modules/sb-scandir/lib/esm/index.mjs
import fs from "fs";
import fsPath from "path";
import invariant from "assert";
var defaultFilesystem = {
  join(pathA, pathB) {
    return fsPath.join(pathA, pathB);
  },
  basename(path) {
    return fsPath.basename(path);
  },
  stat(path) {
    return new Promise((resolve, reject) => {
      fs.stat(path, (err, res) => {
        if (err) {
          reject(err);
        } else {
          resolve(res);
        }
      });
    });
  },
  readdir(path) {
    return new Promise((resolve, reject) => {
      fs.readdir(path, (err, res) => {
        if (err) {
          reject(err);
        } else {
          resolve(res);
        }
      });
    });
  }
};
async function scanDirectoryInternal({ path, recursive, validate, result, fileSystem, queue, reject }) {
  const itemStat = await fileSystem.stat(path);
  if (itemStat.isFile()) {
    result.files.push(path);
  } else if (itemStat.isDirectory()) {
    result.directories.push(path);
  }
  if (!itemStat.isDirectory() || recursive === "none") {
    return;
  }
  const contents = await fileSystem.readdir(path);
  contents.forEach((item) => {
    const itemPath = fileSystem.join(path, item);
    if (!validate(itemPath)) {
      return;
    }
    queue.add(() => scanDirectoryInternal({
      path: itemPath,
      recursive: recursive === "shallow" ? "none" : "deep",
      validate,
      result,
      fileSystem,
      queue,
      reject
    })).catch(reject);
  });
}
async function scanDirectory(path, { recursive = true, validate = null, concurrency = Infinity, fileSystem = defaultFilesystem } = {}) {
  invariant(path && typeof path === "string", "path must be a valid string");
  invariant(typeof recursive === "boolean", "options.recursive must be a valid boolean");
  invariant(validate === null || typeof validate === "function", "options.validate must be a valid function");
  invariant(typeof concurrency === "number", "options.concurrency must be a valid number");
  invariant(fileSystem !== null && typeof fileSystem === "object", "options.fileSystem must be a valid object");
  const queue = new PromiseQueue({
    concurrency
  });
  const result = { files: [], directories: [] };
  const mergedFileSystem = { ...defaultFilesystem, ...fileSystem };
  await new Promise((resolve, reject) => {
    scanDirectoryInternal({
      path,
      recursive: recursive ? "deep" : "shallow",
      validate: validate != null ? validate : (item) => mergedFileSystem.basename(item).slice(0, 1) !== ".",
      result,
      fileSystem: mergedFileSystem,
      queue,
      reject
    }).then(() => queue.waitTillIdle()).then(resolve, reject);
  });
  return result;
}
var esm_default = scanDirectory;

// node_modules/node-ssh/lib/esm/index.mjs
var import_shell_escape = __toESM(require_shell_escape(), 1);
var import_ssh2 = __toESM(require_lib(), 1);
var DEFAULT_CONCURRENCY = 1;
var DEFAULT_VALIDATE = (path) => !fsPath2.basename(path).startsWith(".");
var DEFAULT_TICK = () => {
};
var SSHError = class extends Error {
  constructor(message, code = null) {
    super(message);
    this.code = code;
  }
};
function unixifyPath(path) {
  if (path.includes("\\")) {
    return path.split("\\").join("/");
  }
  return path;
}
async function readFile(filePath) {
  return new Promise((resolve, reject) => {
    fs2.readFile(filePath, "utf8", (err, res) => {
      if (err) {
        reject(err);
      } else {
        resolve(res);
      }
    });
  });
}
var SFTP_MKDIR_ERR_CODE_REGEXP = /Error: (E[\S]+): /;
async function makeDirectoryWithSftp(path, sftp) {
  let stats = null;
  try {
    stats = await new Promise((resolve, reject) => {
      sftp.stat(path, (err, res) => {
        if (err) {
          reject(err);
        } else {
          resolve(res);
        }
      });
    });
  } catch (_) {
  }
  if (stats) {
    if (stats.isDirectory()) {
      return;
    }
    throw new Error("mkdir() failed, target already exists and is not a directory");
  }
  try {
    await new Promise((resolve, reject) => {
      sftp.mkdir(path, (err) => {
        if (err) {
          reject(err);
        } else {
          resolve();
        }
      });
    });
  } catch (err) {
    if (err != null && typeof err.stack === "string") {
      const matches = SFTP_MKDIR_ERR_CODE_REGEXP.exec(err.stack);
      if (matches != null) {
        throw new SSHError(err.message, matches[1]);
      }
      throw err;
    }
  }
}
var NodeSSH = class {
  constructor() {
    this.connection = null;
  }
  getConnection() {
    const { connection } = this;
    if (connection == null) {
      throw new Error("Not connected to server");
    }
    return connection;
  }
  async connect(givenConfig) {
    invariant2(givenConfig != null && typeof givenConfig === "object", "config must be a valid object");
    const config = { ...givenConfig };
    invariant2(config.username != null && typeof config.username === "string", "config.username must be a valid string");
    if (config.host != null) {
      invariant2(typeof config.host === "string", "config.host must be a valid string");
    } else if (config.sock != null) {
      invariant2(typeof config.sock === "object", "config.sock must be a valid object");
    } else {
      throw new AssertionError({ message: "Either config.host or config.sock must be provided" });
    }
    if (config.privateKey != null || config.privateKeyPath != null) {
      if (config.privateKey != null) {
        invariant2(typeof config.privateKey === "string", "config.privateKey must be a valid string");
        invariant2(config.privateKeyPath == null, "config.privateKeyPath must not be specified when config.privateKey is specified");
      } else if (config.privateKeyPath != null) {
        invariant2(typeof config.privateKeyPath === "string", "config.privateKeyPath must be a valid string");
        invariant2(config.privateKey == null, "config.privateKey must not be specified when config.privateKeyPath is specified");
      }
      invariant2(config.passphrase == null || typeof config.passphrase === "string", "config.passphrase must be null or a valid string");
      if (config.privateKeyPath != null) {
        try {
          config.privateKey = await readFile(config.privateKeyPath);
        } catch (err) {
          if (err != null && err.code === "ENOENT") {
            throw new AssertionError({ message: "config.privateKeyPath does not exist at given fs path" });
          }
          throw err;
        }
      }
    } else if (config.password != null) {
      invariant2(typeof config.password === "string", "config.password must be a valid string");
    }
    if (config.tryKeyboard != null) {
      invariant2(typeof config.tryKeyboard === "boolean", "config.tryKeyboard must be a valid boolean");
    }
    if (config.tryKeyboard) {
      const { password } = config;
      if (config.onKeyboardInteractive != null) {
        invariant2(typeof config.onKeyboardInteractive === "function", "config.onKeyboardInteractive must be a valid function");
      } else if (password != null) {
        config.onKeyboardInteractive = (name, instructions, instructionsLang, prompts, finish) => {
          if (prompts.length > 0 && prompts[0].prompt.toLowerCase().includes("password")) {
            finish([password]);
          }
        };
      }
    }
    const connection = new import_ssh2.default.Client();
    this.connection = connection;
    await new Promise((resolve, reject) => {
      connection.on("error", reject);
      if (config.onKeyboardInteractive) {
        connection.on("keyboard-interactive", config.onKeyboardInteractive);
      }
      connection.on("ready", () => {
        connection.removeListener("error", reject);
        resolve();
      });
      connection.on("end", () => {
        if (this.connection === connection) {
          this.connection = null;
        }
      });
      connection.on("close", () => {
        if (this.connection === connection) {
          this.connection = null;
        }
        reject(new SSHError("No response from server", "ETIMEDOUT"));
      });
      connection.connect(config);
    });
    return this;
  }
  isConnected() {
    return this.connection != null;
  }
  async requestShell(options) {
    const connection = this.getConnection();
    return new Promise((resolve, reject) => {
      connection.on("error", reject);
      const callback = (err, res) => {
        connection.removeListener("error", reject);
        if (err) {
          reject(err);
        } else {
          resolve(res);
        }
      };
      if (options == null) {
        connection.shell(callback);
      } else {
        connection.shell(options, callback);
      }
    });
  }
  async withShell(callback, options) {
    invariant2(typeof callback === "function", "callback must be a valid function");
    const shell = await this.requestShell(options);
    try {
      await callback(shell);
    } finally {
      shell.destroy();
    }
  }
  async requestSFTP() {
    const connection = this.getConnection();
    return new Promise((resolve, reject) => {
      connection.on("error", reject);
      connection.sftp((err, res) => {
        connection.removeListener("error", reject);
        if (err) {
          reject(err);
        } else {
          resolve(res);
        }
      });
    });
  }
  async withSFTP(callback) {
    invariant2(typeof callback === "function", "callback must be a valid function");
    const sftp = await this.requestSFTP();
    try {
      await callback(sftp);
    } finally {
      sftp.end();
    }
  }
  async execCommand(givenCommand, options = {}) {
    invariant2(typeof givenCommand === "string", "command must be a valid string");
    invariant2(options != null && typeof options === "object", "options must be a valid object");
    invariant2(options.cwd == null || typeof options.cwd === "string", "options.cwd must be a valid string");
    invariant2(options.stdin == null || typeof options.stdin === "string" || import_is_stream.default.readable(options.stdin), "options.stdin must be a valid string or readable stream");
    invariant2(options.execOptions == null || typeof options.execOptions === "object", "options.execOptions must be a valid object");
    invariant2(options.encoding == null || typeof options.encoding === "string", "options.encoding must be a valid string");
    invariant2(options.onChannel == null || typeof options.onChannel === "function", "options.onChannel must be a valid function");
    invariant2(options.onStdout == null || typeof options.onStdout === "function", "options.onStdout must be a valid function");
    invariant2(options.onStderr == null || typeof options.onStderr === "function", "options.onStderr must be a valid function");
    invariant2(options.noTrim == null || typeof options.noTrim === "boolean", "options.noTrim must be a boolean");
    let command = givenCommand;
    if (options.cwd) {
      command = `cd ${(0, import_shell_escape.default)([options.cwd])} ; ${command}`;
    }
    const connection = this.getConnection();
    const output = { stdout: [], stderr: [] };
    return new Promise((resolve, reject) => {
      connection.on("error", reject);
      connection.exec(command, options.execOptions != null ? options.execOptions : {}, (err, channel) => {
        connection.removeListener("error", reject);
        if (err) {
          reject(err);
          return;
        }
        if (options.onChannel) {
          options.onChannel(channel);
        }
        channel.on("data", (chunk) => {
          if (options.onStdout)
            options.onStdout(chunk);
          output.stdout.push(chunk.toString(options.encoding));
        });
        channel.stderr.on("data", (chunk) => {
          if (options.onStderr)
            options.onStderr(chunk);
          output.stderr.push(chunk.toString(options.encoding));
        });
        if (options.stdin != null) {
          if (import_is_stream.default.readable(options.stdin)) {
            options.stdin.pipe(channel, {
              end: true
            });
          } else {
            channel.write(options.stdin);
            channel.end();
          }
        } else {
          channel.end();
        }
        let code = null;
        let signal = null;
        channel.on("exit", (code_, signal_) => {
          code = code_ !== null && code_ !== void 0 ? code_ : null;
          signal = signal_ !== null && signal_ !== void 0 ? signal_ : null;
        });
        channel.on("close", () => {
          let stdout = output.stdout.join("");
          let stderr = output.stderr.join("");
          if (options.noTrim !== true) {
            stdout = stdout.trim();
            stderr = stderr.trim();
          }
          resolve({
            code: code != null ? code : null,
            signal: signal != null ? signal : null,
            stdout,
            stderr
          });
        });
      });
    });
  }
  async exec(command, parameters, options = {}) {
    invariant2(typeof command === "string", "command must be a valid string");
    invariant2(Array.isArray(parameters), "parameters must be a valid array");
    invariant2(options != null && typeof options === "object", "options must be a valid object");
    invariant2(options.stream == null || ["both", "stdout", "stderr"].includes(options.stream), "options.stream must be one of both, stdout, stderr");
    for (let i = 0, { length } = parameters; i < length; i += 1) {
      invariant2(typeof parameters[i] === "string", `parameters[${i}] must be a valid string`);
    }
    const completeCommand = `${command}${parameters.length > 0 ? ` ${(0, import_shell_escape.default)(parameters)}` : ""}`;
    const response = await this.execCommand(completeCommand, options);
    if (options.stream == null || options.stream === "stdout") {
      if (response.stderr) {
        throw new Error(response.stderr);
      }
      return response.stdout;
    }
    if (options.stream === "stderr") {
      return response.stderr;
    }
    return response;
  }
  async mkdir(path, method = "sftp", givenSftp = null) {
    invariant2(typeof path === "string", "path must be a valid string");
    invariant2(typeof method === "string" && (method === "sftp" || method === "exec"), "method must be either sftp or exec");
    invariant2(givenSftp == null || typeof givenSftp === "object", "sftp must be a valid object");
    if (method === "exec") {
      await this.exec("mkdir", ["-p", unixifyPath(path)]);
      return;
    }
    const sftp = givenSftp || await this.requestSFTP();
    const makeSftpDirectory = async (retry) => makeDirectoryWithSftp(unixifyPath(path), sftp).catch(async (error) => {
      if (!retry || error == null || error.message !== "No such file" && error.code !== "ENOENT") {
        throw error;
      }
      await this.mkdir(fsPath2.dirname(path), "sftp", sftp);
      await makeSftpDirectory(false);
    });
    try {
      await makeSftpDirectory(true);
    } finally {
      if (!givenSftp) {
        sftp.end();
      }
    }
  }
  async getFile(localFile, remoteFile, givenSftp = null, transferOptions = null) {
    invariant2(typeof localFile === "string", "localFile must be a valid string");
    invariant2(typeof remoteFile === "string", "remoteFile must be a valid string");
    invariant2(givenSftp == null || typeof givenSftp === "object", "sftp must be a valid object");
    invariant2(transferOptions == null || typeof transferOptions === "object", "transferOptions must be a valid object");
    const sftp = givenSftp || await this.requestSFTP();
    try {
      await new Promise((resolve, reject) => {
        sftp.fastGet(unixifyPath(remoteFile), localFile, transferOptions || {}, (err) => {
          if (err) {
            reject(err);
          } else {
            resolve();
          }
        });
      });
    } finally {
      if (!givenSftp) {
        sftp.end();
      }
    }
  }
  async putFile(localFile, remoteFile, givenSftp = null, transferOptions = null) {
    invariant2(typeof localFile === "string", "localFile must be a valid string");
    invariant2(typeof remoteFile === "string", "remoteFile must be a valid string");
    invariant2(givenSftp == null || typeof givenSftp === "object", "sftp must be a valid object");
    invariant2(transferOptions == null || typeof transferOptions === "object", "transferOptions must be a valid object");
    invariant2(await new Promise((resolve) => {
      fs2.access(localFile, fs2.constants.R_OK, (err) => {
        resolve(err === null);
      });
    }), `localFile does not exist at ${localFile}`);
    const sftp = givenSftp || await this.requestSFTP();
    const putFile = (retry) => {
      return new Promise((resolve, reject) => {
        sftp.fastPut(localFile, unixifyPath(remoteFile), transferOptions || {}, (err) => {
          if (err == null) {
            resolve();
            return;
          }
          if (err.message === "No such file" && retry) {
            resolve(this.mkdir(fsPath2.dirname(remoteFile), "sftp", sftp).then(() => putFile(false)));
          } else {
            reject(err);
          }
        });
      });
    };
    try {
      await putFile(true);
    } finally {
      if (!givenSftp) {
        sftp.end();
      }
    }
  }
  async putFiles(files, { concurrency = DEFAULT_CONCURRENCY, sftp: givenSftp = null, transferOptions = {} } = {}) {
    invariant2(Array.isArray(files), "files must be an array");
    for (let i = 0, { length } = files; i < length; i += 1) {
      const file = files[i];
      invariant2(file, "files items must be valid objects");
      invariant2(file.local && typeof file.local === "string", `files[${i}].local must be a string`);
      invariant2(file.remote && typeof file.remote === "string", `files[${i}].remote must be a string`);
    }
    const transferred = [];
    const sftp = givenSftp || await this.requestSFTP();
    const queue = new PromiseQueue({ concurrency });
    try {
      await new Promise((resolve, reject) => {
        files.forEach((file) => {
          queue.add(async () => {
            await this.putFile(file.local, file.remote, sftp, transferOptions);
            transferred.push(file);
          }).catch(reject);
        });
        queue.waitTillIdle().then(resolve);
      });
    } catch (error) {
      if (error != null) {
        error.transferred = transferred;
      }
      throw error;
    } finally {
      if (!givenSftp) {
        sftp.end();
      }
    }
  }
  async putDirectory(localDirectory, remoteDirectory, { concurrency = DEFAULT_CONCURRENCY, sftp: givenSftp = null, transferOptions = {}, recursive = true, tick = DEFAULT_TICK, validate = DEFAULT_VALIDATE } = {}) {
    invariant2(typeof localDirectory === "string" && localDirectory, "localDirectory must be a string");
    invariant2(typeof remoteDirectory === "string" && remoteDirectory, "remoteDirectory must be a string");
    const localDirectoryStat = await new Promise((resolve) => {
      fs2.stat(localDirectory, (err, stat) => {
        resolve(stat || null);
      });
    });
    invariant2(localDirectoryStat != null, `localDirectory does not exist at ${localDirectory}`);
    invariant2(localDirectoryStat.isDirectory(), `localDirectory is not a directory at ${localDirectory}`);
    const sftp = givenSftp || await this.requestSFTP();
    const scanned = await esm_default(localDirectory, {
      recursive,
      validate
    });
    const files = scanned.files.map((item) => fsPath2.relative(localDirectory, item));
    const directories = scanned.directories.map((item) => fsPath2.relative(localDirectory, item));
    directories.sort((a, b) => a.length - b.length);
    let failed = false;
    try {
      await new Promise((resolve, reject) => {
        const queue = new PromiseQueue({ concurrency });
        directories.forEach((directory) => {
          queue.add(async () => {
            await this.mkdir(fsPath2.join(remoteDirectory, directory), "sftp", sftp);
          }).catch(reject);
        });
        resolve(queue.waitTillIdle());
      });
      await new Promise((resolve, reject) => {
        const queue = new PromiseQueue({ concurrency });
        files.forEach((file) => {
          queue.add(async () => {
            const localFile = fsPath2.join(localDirectory, file);
            const remoteFile = fsPath2.join(remoteDirectory, file);
            try {
              await this.putFile(localFile, remoteFile, sftp, transferOptions);
              tick(localFile, remoteFile, null);
            } catch (_) {
              failed = true;
              tick(localFile, remoteFile, _);
            }
          }).catch(reject);
        });
        resolve(queue.waitTillIdle());
      });
    } finally {
      if (!givenSftp) {
        sftp.end();
      }
    }
    return !failed;
  }
  async getDirectory(localDirectory, remoteDirectory, { concurrency = DEFAULT_CONCURRENCY, sftp: givenSftp = null, transferOptions = {}, recursive = true, tick = DEFAULT_TICK, validate = DEFAULT_VALIDATE } = {}) {
    invariant2(typeof localDirectory === "string" && localDirectory, "localDirectory must be a string");
    invariant2(typeof remoteDirectory === "string" && remoteDirectory, "remoteDirectory must be a string");
    const localDirectoryStat = await new Promise((resolve) => {
      fs2.stat(localDirectory, (err, stat) => {
        resolve(stat || null);
      });
    });
    invariant2(localDirectoryStat != null, `localDirectory does not exist at ${localDirectory}`);
    invariant2(localDirectoryStat.isDirectory(), `localDirectory is not a directory at ${localDirectory}`);
    const sftp = givenSftp || await this.requestSFTP();
    const scanned = await esm_default(remoteDirectory, {
      recursive,
      validate,
      concurrency,
      fileSystem: {
        basename(path) {
          return fsPath2.posix.basename(path);
        },
        join(pathA, pathB) {
          return fsPath2.posix.join(pathA, pathB);
        },
        readdir(path) {
          return new Promise((resolve, reject) => {
            sftp.readdir(path, (err, res) => {
              if (err) {
                reject(err);
              } else {
                resolve(res.map((item) => item.filename));
              }
            });
          });
        },
        stat(path) {
          return new Promise((resolve, reject) => {
            sftp.stat(path, (err, res) => {
              if (err) {
                reject(err);
              } else {
                resolve(res);
              }
            });
          });
        }
      }
    });
    const files = scanned.files.map((item) => fsPath2.relative(remoteDirectory, item));
    const directories = scanned.directories.map((item) => fsPath2.relative(remoteDirectory, item));
    directories.sort((a, b) => a.length - b.length);
    let failed = false;
    try {
      await new Promise((resolve, reject) => {
        const queue = new PromiseQueue({ concurrency });
        directories.forEach((directory) => {
          queue.add(async () => {
            await (0, import_make_dir.default)(fsPath2.join(localDirectory, directory));
          }).catch(reject);
        });
        resolve(queue.waitTillIdle());
      });
      await new Promise((resolve, reject) => {
        const queue = new PromiseQueue({ concurrency });
        files.forEach((file) => {
          queue.add(async () => {
            const localFile = fsPath2.join(localDirectory, file);
            const remoteFile = fsPath2.join(remoteDirectory, file);
            try {
              await this.getFile(localFile, remoteFile, sftp, transferOptions);
              tick(localFile, remoteFile, null);
            } catch (_) {
              failed = true;
              tick(localFile, remoteFile, _);
            }
          }).catch(reject);
        });
        resolve(queue.waitTillIdle());
      });
    } finally {
      if (!givenSftp) {
        sftp.end();
      }
    }
    return !failed;
  }
  forwardIn(remoteAddr, remotePort, onConnection) {
    const connection = this.getConnection();
    return new Promise((resolve, reject) => {
      connection.forwardIn(remoteAddr, remotePort, (error, port) => {
        if (error) {
          reject(error);
          return;
        }
        const handler = (details, acceptConnection, rejectConnection) => {
          if (details.destIP === remoteAddr && details.destPort === port) {
            onConnection === null || onConnection === void 0 ? void 0 : onConnection(details, acceptConnection, rejectConnection);
          }
        };
        if (onConnection) {
          connection.on("tcp connection", handler);
        }
        const dispose = () => {
          return new Promise((_resolve, _reject) => {
            connection.off("tcp connection", handler);
            connection.unforwardIn(remoteAddr, port, (_error) => {
              if (_error) {
                _reject(error);
              }
              _resolve();
            });
          });
        };
        resolve({ port, dispose });
      });
    });
  }
  forwardOut(srcIP, srcPort, dstIP, dstPort) {
    const connection = this.getConnection();
    return new Promise((resolve, reject) => {
      connection.forwardOut(srcIP, srcPort, dstIP, dstPort, (error, channel) => {
        if (error) {
          reject(error);
          return;
        }
        resolve(channel);
      });
    });
  }
  forwardInStreamLocal(socketPath, onConnection) {
    const connection = this.getConnection();
    return new Promise((resolve, reject) => {
      connection.openssh_forwardInStreamLocal(socketPath, (error) => {
        if (error) {
          reject(error);
          return;
        }
        const handler = (details, acceptConnection, rejectConnection) => {
          if (details.socketPath === socketPath) {
            onConnection === null || onConnection === void 0 ? void 0 : onConnection(details, acceptConnection, rejectConnection);
          }
        };
        if (onConnection) {
          connection.on("unix connection", handler);
        }
        const dispose = () => {
          return new Promise((_resolve, _reject) => {
            connection.off("unix connection", handler);
            connection.openssh_unforwardInStreamLocal(socketPath, (_error) => {
              if (_error) {
                _reject(_error);
              }
              _resolve();
            });
          });
        };
        resolve({ dispose });
      });
    });
  }
  forwardOutStreamLocal(socketPath) {
    const connection = this.getConnection();
    return new Promise((resolve, reject) => {
      connection.openssh_forwardOutStreamLocal(socketPath, (error, channel) => {
        if (error) {
          reject(error);
          return;
        }
        resolve(channel);
      });
    });
  }
  dispose() {
    if (this.connection) {
      this.connection.end();
      this.connection = null;
    }
  }
};

// src/adapters/ssh-login.ts
var sockets = /* @__PURE__ */ new WeakMap();
async function sshLogin(target, creds, signal) {
  const name = `${target.user}@${target.host}:${target.port}`;
  const entries = parseKnownHosts(creds.knownHosts);
  const timeoutMs = creds.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  let keyProblem;
  const ssh = new NodeSSH();
  try {
    const given = creds.sock;
    const sock = given && !given.destroyed && (given.connecting || given.readyState === "open") ? given : connect({ host: target.host, port: target.port });
    sock.setNoDelay(true);
    sockets.set(ssh, sock);
    const connecting = ssh.connect({
      host: target.host,
      port: target.port,
      sock,
      username: target.user,
      privateKey: creds.privateKey,
      // The key is the only way in: without this, ssh2 first asks for "none" (a round trip that
      // sshd answers with a failure listing publickey) before it offers the key.
      authHandler: ["publickey"],
      readyTimeout: timeoutMs,
      keepaliveInterval: creds.keepaliveMs ?? KEEPALIVE_MS,
      keepaliveCountMax: KEEPALIVE_MISSES,
      hostVerifier: (key) => {
        const verdict = checkHostKey(entries, target.host, target.port, key);
        if (verdict !== "match") keyProblem = verdict;
        return verdict === "match";
      }
    });
    const drop = () => ssh.connection?.destroy();
    signal?.addEventListener("abort", drop, { once: true });
    await connecting.finally(() => signal?.removeEventListener("abort", drop));
  } catch (e) {
    hangUp(ssh);
    throw classify(e, name, keyProblem, timeoutMs);
  }
  ssh.connection?.on("error", () => void 0);
  return ssh;
}
function hangUp(ssh) {
  const sock = sockets.get(ssh);
  ssh.dispose();
  sock?.destroy();
}
function classify(e, name, keyProblem, timeoutMs) {
  const err = e;
  if (err.level === "client-timeout") {
    return new TinyforgeError(
      "host_unreachable",
      `${name}: no SSH handshake within ${Math.round(timeoutMs / 1e3)}s (the host accepts connections but does not answer)`,
      {
        hint: "check that sshd runs on that port and the host is not overloaded; ssh.connect_timeout raises the bound",
        cause: e
      }
    );
  }
  if (keyProblem === "unknown") {
    return new TinyforgeError("host_key_unknown", `${name}: host key is not pinned; refusing to connect`, {
      hint: "add the host's key to TINYFORGE_KNOWN_HOSTS (e.g. the output of `ssh-keyscan -p PORT HOST`, checked out of band)",
      cause: e
    });
  }
  if (keyProblem === "changed" || keyProblem === "revoked") {
    return new TinyforgeError(
      "host_key_changed",
      `${name}: host key does not match the pinned key (${keyProblem}); refusing to connect`,
      {
        hint: "if the host was rebuilt, verify its new key out of band and replace the line in TINYFORGE_KNOWN_HOSTS",
        cause: e
      }
    );
  }
  if (err.level === "client-authentication" || /authentication methods failed/i.test(err.message ?? "")) {
    return new TinyforgeError("host_auth_failed", `${name}: SSH authentication failed`, {
      hint: "check TINYFORGE_SSH_KEY and that its public key is in the user's authorized_keys",
      cause: e
    });
  }
  return new TinyforgeError(
    "host_unreachable",
    `${name}: cannot reach the host over SSH (${err.code ?? err.message})`,
    {
      hint: "check the address and port in hosts:, that sshd runs there, and any firewall",
      cause: e
    }
  );
}

export {
  sshLogin,
  hangUp
};
