// Lambda Workbench's Node.js runtime interface client: one file, no npm dependency.
//
// Behaves like AWS's aws-lambda-ric (npm) so that handlers see the same context, logs and
// error payloads ({"errorType", "errorMessage", "trace"}) as in the official nodejs images,
// but talks to the Runtime API with node:http instead of a native addon, so it runs wherever
// `node` runs (Linux, macOS, Windows).
// Usage: node bootstrap.mjs MODULE.FUNCTION   (AWS_LAMBDA_RUNTIME_API set)
//
// Two conventions of the workbench's process environment (as in bootstrap.py):
// - after each invocation, SENTINEL + requestId + "\n" goes to stdout, so the workbench knows
//   every line the handler printed has arrived before it closes the invocation's logs;
// - posts carry Workbench-Max-Rss-Kb, the process's own peak resident memory.

import fs from "node:fs";
import net from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Writable } from "node:stream";
import util from "node:util";

const require = createRequire(import.meta.url);
const SENTINEL = "\x1e\x1eworkbench-invocation-done:";
const MAX_RSS_HEADER = "Workbench-Max-Rss-Kb";
const TOKEN_HEADER = "Workbench-Runtime-Token";
const TOKEN_FD_VARIABLE = "_WORKBENCH_TOKEN_FD";
const ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type";
const ERROR_BODY_TRAILER = "Lambda-Runtime-Function-Error-Body";
const CRLF = Buffer.from("\r\n");
const REQUEST_ID_SYMBOL = Symbol.for("aws.lambda.runtime.requestId");
const TENANT_ID_SYMBOL = Symbol.for("aws.lambda.runtime.tenantId");
const LISTENER_SYMBOL = Symbol.for("aws.lambda.beforeExit");
const HANDLER_STREAMING = Symbol.for("aws.lambda.runtime.handler.streaming");
const FUNCTION_EXPR = /^([^.]*)\.(.*)$/;
const stdoutWrite = process.stdout.write.bind(process.stdout);

// Errors, named as aws-lambda-ric names them.

function runtimeError(name) {
  const cls = class extends Error {};
  Object.defineProperty(cls, "name", { value: name });
  cls.prototype.name = `Runtime.${name}`;
  return cls;
}
const ImportModuleError = runtimeError("ImportModuleError");
const HandlerNotFound = runtimeError("HandlerNotFound");
const MalformedHandlerName = runtimeError("MalformedHandlerName");
const UserCodeSyntaxError = runtimeError("UserCodeSyntaxError");
class UnhandledPromiseRejection extends Error {
  constructor(reason, promise) {
    super(reason);
    this.reason = reason;
    this.promise = promise;
  }
}
UnhandledPromiseRejection.prototype.name = "Runtime.UnhandledPromiseRejection";

function isError(obj) {
  return (
    obj && typeof obj.name === "string" && obj.name && typeof obj.message === "string" &&
    obj.message && typeof obj.stack === "string" && obj.stack
  );
}

function intoError(err) {
  return err instanceof Error ? err : new Error(err);
}

// The payload posted to the Runtime API and returned to the caller.
function toRapidResponse(error) {
  try {
    if (util.types.isNativeError(error) || isError(error)) {
      return {
        errorType: error.name?.replace(/\x7F/g, "%7F"),
        errorMessage: error.message?.replace(/\x7F/g, "%7F"),
        trace: error.stack.replace(/\x7F/g, "%7F").split("\n"),
      };
    }
    return { errorType: typeof error, errorMessage: error.toString(), trace: [] };
  } catch (_err) {
    return {
      errorType: "handled",
      errorMessage:
        "callback called with Error argument, but there was a problem while retrieving one " +
        "or more of its message, name, and stack",
    };
  }
}

function withEnumerableProperties(error) {
  if (!(error instanceof Error)) return error;
  const ret = Object.assign(
    { errorType: error.name, errorMessage: error.message, code: error.code },
    error,
  );
  if (typeof error.stack === "string") ret.stack = error.stack.split("\n");
  return ret;
}

function toFormatted(error) {
  try {
    return "\t" + JSON.stringify(error, (_k, v) => withEnumerableProperties(v));
  } catch (_err) {
    return "\t" + JSON.stringify(toRapidResponse(error));
  }
}

// Console: `<ISO time>\t<requestId>\t<LEVEL>\t<message>` or one JSON object per line.

const LEVELS = Object.freeze({
  TRACE: { name: "TRACE", priority: 1 },
  DEBUG: { name: "DEBUG", priority: 2 },
  INFO: { name: "INFO", priority: 3 },
  WARN: { name: "WARN", priority: 4 },
  ERROR: { name: "ERROR", priority: 5 },
  FATAL: { name: "FATAL", priority: 6 },
});

function jsonErrorReplacer(_key, value) {
  if (value instanceof Error) {
    return Object.assign(
      {
        errorType: value?.constructor?.name ?? "UnknownError",
        errorMessage: value.message,
        stackTrace: typeof value.stack === "string" ? value.stack.split("\n") : value.stack,
      },
      value,
    );
  }
  return value;
}

function formatJson(requestId, timestamp, level, tenantId, ...params) {
  const result = { timestamp, level: level.name, requestId };
  if (tenantId !== undefined && tenantId !== null) result.tenantId = tenantId;
  if (params.length === 1) {
    result.message = params[0];
    try {
      return JSON.stringify(result, jsonErrorReplacer);
    } catch (_err) {
      result.message = util.format(result.message);
      return JSON.stringify(result);
    }
  }
  result.message = util.format(...params);
  for (const param of params) {
    if (param instanceof Error) {
      result.errorType = param?.constructor?.name ?? "UnknownError";
      result.errorMessage = param.message;
      result.stackTrace = typeof param.stack === "string" ? param.stack.split("\n") : [];
      break;
    }
  }
  return JSON.stringify(result);
}

const logText = (level, message, ...params) => {
  const line = `${new Date().toISOString()}\t${globalThis[REQUEST_ID_SYMBOL]}\t${level.name}\t${util.format(message, ...params)}`;
  stdoutWrite(line.replace(/\n/g, "\r") + "\n");
};

const logJson = (level, message, ...params) => {
  const line = formatJson(
    globalThis[REQUEST_ID_SYMBOL],
    new Date().toISOString(),
    level,
    globalThis[TENANT_ID_SYMBOL],
    message,
    ...params,
  );
  stdoutWrite(line.replace(/\n/g, "\r") + "\n");
};

let logError = () => {};

function patchConsole() {
  const json = process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === "JSON";
  const log = json ? logJson : logText;
  const floor = LEVELS[process.env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase()] ?? LEVELS.TRACE;
  const nop = () => {};
  const at = (level) => (level.priority >= floor.priority ? (m, ...p) => log(level, m, ...p) : nop);
  console.trace = at(LEVELS.TRACE);
  console.debug = at(LEVELS.DEBUG);
  console.info = at(LEVELS.INFO);
  console.log = console.info;
  console.warn = at(LEVELS.WARN);
  console.error = at(LEVELS.ERROR);
  console.fatal = (m, ...p) => log(LEVELS.FATAL, m, ...p);
  logError = json
    ? (_msg, err) => console.error(intoError(err))
    : (msg, err) => console.error(msg, toFormatted(intoError(err)));
}

// The Runtime API, over one kept-alive connection.

function maxRssKb() {
  // Linux: VmHWM is this process's own peak (maxRSS would include a forking parent's).
  try {
    const match = /^VmHWM:\s+(\d+)/m.exec(fs.readFileSync("/proc/self/status", "latin1"));
    if (match) return match[1];
  } catch (_err) {
    // not Linux
  }
  try {
    return String(process.resourceUsage().maxRSS);
  } catch (_err) {
    return undefined;
  }
}

function serialize(body) {
  try {
    return JSON.stringify(body === undefined ? null : body);
  } catch (_err) {
    throw new Error("Unable to stringify response body");
  }
}

class RuntimeClient {
  // A hand-rolled HTTP/1.1 client on one kept-alive socket: node:http costs ~0.2 ms per
  // request on the hot path, and the Runtime API answers with Content-Length only.
  constructor(address, token) {
    // The workbench's per-environment secret: other environments' runtimes lack it.
    this.auth = token ? `${TOKEN_HEADER}: ${token}\r\n` : "";
    const colon = address.lastIndexOf(":");
    this.hostname = address.slice(0, colon);
    this.port = parseInt(address.slice(colon + 1), 10);
    this.socket = null;
    this.buffer = Buffer.alloc(0);
    this.waiting = null; // {resolve, reject} of the request in flight (one at a time)
  }

  connect() {
    const socket = net.connect({ host: this.hostname, port: this.port, noDelay: true });
    socket.unref(); // an idle connection must not keep the event loop alive
    socket.on("data", (chunk) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.parse();
    });
    const fail = (err) => {
      if (this.socket === socket) this.socket = null;
      const waiting = this.waiting;
      this.waiting = null;
      if (waiting) waiting.reject(err || new Error("connection closed"));
    };
    socket.on("error", fail);
    socket.on("close", () => fail(null));
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
  }

  parse() {
    const end = this.buffer.indexOf("\r\n\r\n");
    if (end < 0 || !this.waiting) return;
    const head = this.buffer.toString("latin1", 0, end).split("\r\n");
    const status = parseInt(head[0].split(" ")[1], 10);
    const headers = {};
    for (const line of head.slice(1)) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = parseInt(headers["content-length"] || "0", 10);
    if (this.buffer.length < end + 4 + length) return;
    const body = this.buffer.subarray(end + 4, end + 4 + length);
    this.buffer = this.buffer.subarray(end + 4 + length);
    const waiting = this.waiting;
    this.waiting = null;
    this.socket.unref();
    waiting.resolve({ status, headers, body });
  }

  request(method, urlPath, body, headers) {
    return new Promise((resolve, reject) => {
      if (this.socket === null) this.connect();
      this.waiting = { resolve, reject };
      const payload = body === undefined ? null : Buffer.from(body, "utf8");
      let head = `${method} /2018-06-01/runtime${urlPath} HTTP/1.1\r\nHost: ${this.hostname}:${this.port}\r\n${this.auth}`;
      for (const [name, value] of Object.entries(headers || {})) head += `${name}: ${value}\r\n`;
      head += `Content-Length: ${payload ? payload.length : 0}\r\n\r\n`;
      // Pending requests keep the event loop alive (waiting for next must, too).
      this.socket.ref();
      this.socket.write(payload ? Buffer.concat([Buffer.from(head, "latin1"), payload]) : head);
    });
  }

  // A chunked POST whose headers go out at the first write (so the content type can still be
  // set before it) and whose trailers carry an error, as Lambda's response streaming does.
  openStream(urlPath, headersAtStart) {
    if (this.socket === null) this.connect();
    const socket = this.socket;
    const done = new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
    socket.ref();
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      const headers = { ...headersAtStart() };
      const rss = maxRssKb();
      if (rss !== undefined) headers[MAX_RSS_HEADER] = rss;
      let head = `POST /2018-06-01/runtime${urlPath} HTTP/1.1\r\nHost: ${this.hostname}:${this.port}\r\n${this.auth}`;
      for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
      socket.write(`${head}Transfer-Encoding: chunked\r\nTrailer: ${ERROR_TYPE_HEADER}, ${ERROR_BODY_TRAILER}\r\n\r\n`);
    };
    return {
      started: () => started,
      write: (buffer) => {
        start();
        if (buffer.length) socket.write(Buffer.concat([Buffer.from(`${buffer.length.toString(16)}\r\n`), buffer, CRLF]));
      },
      end: (trailers) => {
        start();
        let tail = "0\r\n";
        for (const [name, value] of Object.entries(trailers || {})) tail += `${name}: ${value}\r\n`;
        socket.write(`${tail}\r\n`);
      },
      done,
    };
  }

  async next() {
    const { status, headers, body } = await this.request("GET", "/invocation/next");
    if (status !== 200) throw new Error(`Failed to get next invocation, status ${status}`);
    return { bodyJson: body.toString("utf8"), headers };
  }

  post(urlPath, bodyString, headers) {
    const rss = maxRssKb();
    const all = { "Content-Type": "application/json", ...headers };
    if (rss !== undefined) all[MAX_RSS_HEADER] = rss;
    return this.request("POST", urlPath, bodyString, all);
  }

  postInvocationResponse(response, id, callback) {
    const bodyString = serialize(response);
    stdoutWrite(SENTINEL + id + "\n");
    this.post(`/invocation/${encodeURIComponent(id)}/response`, bodyString, {}).then(
      () => callback(), // a refused response (413) is the platform's to report
      (err) => fatal(err),
    );
  }

  // `exits`: the runtime exits after this post, so no sentinel: the workbench then waits for
  // the exit itself and the next invoke starts a fresh environment, as in Lambda. (Named so
  // it does not hide fatal(): when the Runtime API is gone the runtime must exit, not spin.)
  postInvocationError(error, id, callback, exits = false) {
    const response = toRapidResponse(error);
    const bodyString = serialize(response);
    if (!exits) stdoutWrite(SENTINEL + id + "\n");
    this.post(`/invocation/${encodeURIComponent(id)}/error`, bodyString, {
      [ERROR_TYPE_HEADER]: "Unhandled",
    }).then(() => callback(), (err) => fatal(err));
  }

  postInitError(error, callback) {
    const response = toRapidResponse(error);
    this.post("/init/error", serialize(response), { [ERROR_TYPE_HEADER]: response.errorType }).then(
      () => callback(),
      (err) => fatal(err),
    );
  }
}

function fatal(err) {
  process.stderr.write(`The Runtime API could not be reached: ${err}\n`);
  process.exit(1);
}

// Loading the handler, with aws-lambda-ric's rules (CommonJS, ES modules, folders, nesting).

function moduleRootAndHandler(fullHandlerString) {
  const handlerString = path.basename(fullHandlerString);
  return [fullHandlerString.substring(0, fullHandlerString.indexOf(handlerString)), handlerString];
}

function splitHandlerString(handler) {
  const match = handler.match(FUNCTION_EXPR);
  if (!match || match.length !== 3) throw new MalformedHandlerName("Bad handler");
  return [match[1], match[2]];
}

function resolveHandler(object, nestedProperty) {
  return nestedProperty.split(".").reduce((nested, key) => nested && nested[key], object);
}

function tryRequireFile(file, extension) {
  const target = file + (extension || "");
  return fs.existsSync(target) ? require(target) : undefined;
}

async function tryAwaitImport(file, extension) {
  const target = file + (extension || "");
  // A file URL, not a path: import() of "C:\..." fails on Windows.
  return fs.existsSync(target) ? await import(pathToFileURL(target).href) : undefined;
}

function folderIsTypeModule(folder) {
  if (folder.endsWith(`${path.sep}node_modules`) || folder.endsWith("/node_modules")) return false;
  const pj = path.join(folder, "package.json");
  if (fs.existsSync(pj)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(pj));
      if (pkg) return pkg.type === "module";
    } catch (e) {
      console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, e);
      return false;
    }
  }
  const parent = path.resolve(folder, "..");
  return parent === folder ? false : folderIsTypeModule(parent);
}

function hasPackageJsonTypeModule(file) {
  const jsPath = file + ".js";
  return fs.existsSync(jsPath) ? folderIsTypeModule(path.resolve(path.dirname(jsPath))) : false;
}

async function tryRequire(appRoot, moduleRoot, module) {
  const lambdaStylePath = path.resolve(appRoot, moduleRoot, module);
  const extensionless = tryRequireFile(lambdaStylePath);
  if (extensionless) return extensionless;
  const typeModule = hasPackageJsonTypeModule(lambdaStylePath);
  if (!typeModule) {
    const loaded = tryRequireFile(lambdaStylePath, ".js");
    if (loaded) return loaded;
  }
  const loaded =
    (typeModule && (await tryAwaitImport(lambdaStylePath, ".js"))) ||
    (await tryAwaitImport(lambdaStylePath, ".mjs")) ||
    tryRequireFile(lambdaStylePath, ".cjs");
  if (loaded) return loaded;
  return require(require.resolve(module, { paths: [appRoot, moduleRoot] }));
}

async function loadUserApp(appRoot, moduleRoot, module) {
  if (!["1", "true"].includes(process.env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA)) {
    globalThis.awslambda = {
      streamifyResponse: (handler) => {
        handler[HANDLER_STREAMING] = "response";
        return handler;
      },
      HttpResponseStream,
    };
  }
  try {
    return await tryRequire(appRoot, moduleRoot, module);
  } catch (e) {
    if (e instanceof SyntaxError) throw new UserCodeSyntaxError(e);
    if (e.code !== undefined && e.code === "MODULE_NOT_FOUND") throw new ImportModuleError(e);
    throw e;
  }
}

async function loadHandler(appRoot, fullHandlerString) {
  if (fullHandlerString.includes("..")) {
    throw new MalformedHandlerName(
      `'${fullHandlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const [moduleRoot, moduleAndHandler] = moduleRootAndHandler(fullHandlerString);
  const [module, handlerPath] = splitHandlerString(moduleAndHandler);
  const userApp = await loadUserApp(appRoot, moduleRoot, module);
  const handlerFunc = resolveHandler(userApp, handlerPath);
  if (!handlerFunc) throw new HandlerNotFound(`${fullHandlerString} is undefined or not exported`);
  if (typeof handlerFunc !== "function") {
    throw new HandlerNotFound(`${fullHandlerString} is not a function`);
  }
  return handlerFunc;
}

// The context and callback of one invocation.

const beforeExit = {
  invoke: () => globalThis[LISTENER_SYMBOL](),
  reset: () => {
    globalThis[LISTENER_SYMBOL] = () => {};
  },
  set: (listener) => {
    globalThis[LISTENER_SYMBOL] = listener;
  },
};

function buildCallbackContext(client, id, scheduleNext) {
  const postError = (err, callback) => {
    logError("Invoke Error", err);
    client.postInvocationError(err, id, callback);
  };
  let isCompleteInvoked = false;
  const complete = (result, callback) => {
    if (isCompleteInvoked) {
      console.error(
        "Invocation has already been reported as done. Cannot call complete more than once per invocation.",
      );
      return;
    }
    isCompleteInvoked = true;
    client.postInvocationResponse(result, id, callback);
  };
  let waitForEmptyEventLoop = true;
  const callback = (err, result) => {
    beforeExit.reset();
    if (err !== undefined && err !== null) {
      postError(err, scheduleNext);
    } else if (!waitForEmptyEventLoop) {
      complete(result, scheduleNext);
    } else {
      // Lambda answers once the event loop is empty (callbackWaitsForEmptyEventLoop).
      beforeExit.set(() => setImmediate(() => complete(result, scheduleNext)));
    }
  };
  const done = (err, result) => {
    beforeExit.reset();
    if (err !== undefined && err !== null) postError(err, scheduleNext);
    else complete(result, scheduleNext);
  };
  const context = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      waitForEmptyEventLoop = value;
    },
    succeed: (result) => done(null, result),
    fail: (err) => (err === undefined || err === null ? done("handled") : done(err, null)),
    done,
  };
  // Only the first of callback/succeed/fail/done counts.
  let finished = false;
  const once = (fn) =>
    function (...args) {
      if (!finished) {
        fn(...args);
        finished = true;
      }
    };
  context.succeed = once(context.succeed);
  context.fail = once(context.fail);
  context.done = once(context.done);
  return [once(callback), context, () => (isCompleteInvoked = true)];
}

function parseJsonHeader(value, name) {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new Error(`Cannot parse ${name} as json: ${err.toString()}`);
  }
}

function attachEnvironmentData(context, headers) {
  const trace = headers["lambda-runtime-trace-id"];
  if (trace) process.env._X_AMZN_TRACE_ID = trace;
  else delete process.env._X_AMZN_TRACE_ID;
  const deadline = headers["lambda-runtime-deadline-ms"];
  return Object.assign(context, {
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: parseJsonHeader(headers["lambda-runtime-client-context"], "ClientContext"),
    identity: parseJsonHeader(headers["lambda-runtime-cognito-identity"], "CognitoIdentity"),
    invokedFunctionArn: headers["lambda-runtime-invoked-function-arn"],
    awsRequestId: headers["lambda-runtime-aws-request-id"],
    tenantId: headers["lambda-runtime-aws-tenant-id"],
    getRemainingTimeInMillis: () => deadline - Date.now(),
  });
}

// Response streaming (awslambda.streamifyResponse): handler(event, responseStream, context).

const InvalidStreamingOperation = runtimeError("InvalidStreamingOperation");

class HttpResponseStream {
  static from(underlyingStream, prelude) {
    underlyingStream.setContentType("application/vnd.awslambda.http-integration-response");
    const metadata = JSON.stringify(prelude);
    underlyingStream._onBeforeFirstWrite = (write) => {
      write(metadata);
      write(new Uint8Array(8));
    };
    return underlyingStream;
  }
}

function toBuffer(chunk) {
  return Buffer.isBuffer(chunk) ? chunk : typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk);
}

function createResponseStream(client, id) {
  let contentType = "application/octet-stream";
  let finished = false;
  const post = client.openStream(`/invocation/${encodeURIComponent(id)}/response`, () => ({
    "Lambda-Runtime-Function-Response-Mode": "streaming",
    "Content-Type": contentType,
  }));
  const finish = (trailers) => {
    if (finished) return;
    finished = true;
    stdoutWrite(SENTINEL + id + "\n");
    post.end(trailers);
  };
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      if (!post.started() && typeof stream._onBeforeFirstWrite === "function") {
        stream._onBeforeFirstWrite((c) => post.write(toBuffer(c)));
      }
      post.write(toBuffer(chunk));
      callback();
    },
    final(callback) {
      finish();
      callback();
    },
  });
  const write = stream.write.bind(stream);
  stream.write = (chunk, encoding, callback) => {
    const plain = typeof chunk === "string" || Buffer.isBuffer(chunk) || chunk?.constructor === Uint8Array;
    return write(plain ? chunk : JSON.stringify(chunk), encoding, callback);
  };
  stream.setContentType = (value) => {
    if (post.started()) throw new InvalidStreamingOperation("Cannot set content-type, too late.");
    contentType = value;
  };
  const fail = (err) => {
    logError("Invoke Error", err);
    const error = toRapidResponse(err);
    finish({
      [ERROR_TYPE_HEADER]: error.errorType,
      [ERROR_BODY_TRAILER]: Buffer.from(JSON.stringify(error)).toString("base64"),
    });
  };
  return { stream, fail, done: post.done };
}

// The invoke loop. The class is called Runtime and calls `this.handler(...)`, so a handler's
// stack frame reads "at Runtime.handler (...)", as it does in Lambda.

class Runtime {
  constructor(client, handler, errorCallbacks) {
    this.client = client;
    this.handler = handler;
    this.errorCallbacks = errorCallbacks;
  }

  scheduleIteration() {
    setImmediate(() => {
      const once = this.handler[HANDLER_STREAMING] === "response"
        ? this.handleOnceStreaming()
        : this.handleOnceNonStreaming();
      once.then(
        () => {},
        (err) => {
          console.log(`Unexpected Top Level Error: ${err.toString()}`);
          this.errorCallbacks.uncaughtException(err);
        },
      );
    });
  }

  async handleOnceNonStreaming() {
    const { bodyJson, headers } = await this.client.next();
    const id = headers["lambda-runtime-aws-request-id"];
    globalThis[REQUEST_ID_SYMBOL] = id;
    globalThis[TENANT_ID_SYMBOL] = headers["lambda-runtime-aws-tenant-id"];
    const [callback, context, markCompleted] = buildCallbackContext(
      this.client,
      id,
      this.scheduleIteration.bind(this),
    );
    try {
      this.errorCallbacks.uncaughtException = (error) =>
        this.client.postInvocationError(error, id, () => process.exit(129), true);
      this.errorCallbacks.unhandledRejection = (error) =>
        this.client.postInvocationError(error, id, () => process.exit(128), true);
      // A handler that never calls back answers null once the event loop is empty.
      beforeExit.set(() => {
        markCompleted();
        this.client.postInvocationResponse(null, id, () => this.scheduleIteration());
      });
      const result = this.handler(JSON.parse(bodyJson), attachEnvironmentData(context, headers), callback);
      if (result && typeof result.then === "function") {
        result.then(context.succeed, context.fail).catch(context.fail);
      }
    } catch (err) {
      callback(err);
    }
  }

  async handleOnceStreaming() {
    const { bodyJson, headers } = await this.client.next();
    const id = headers["lambda-runtime-aws-request-id"];
    globalThis[REQUEST_ID_SYMBOL] = id;
    globalThis[TENANT_ID_SYMBOL] = headers["lambda-runtime-aws-tenant-id"];
    let waitForEmptyEventLoop = true;
    const context = {
      get callbackWaitsForEmptyEventLoop() {
        return waitForEmptyEventLoop;
      },
      set callbackWaitsForEmptyEventLoop(value) {
        waitForEmptyEventLoop = value;
      },
    };
    const { stream, fail, done } = createResponseStream(this.client, id);
    const scheduleNext = () => {
      beforeExit.reset();
      if (!waitForEmptyEventLoop) this.scheduleIteration();
      else beforeExit.set(() => setImmediate(() => this.scheduleIteration()));
    };
    this.errorCallbacks.uncaughtException = (error) => {
      fail(error);
      done.finally(() => process.exit(129));
    };
    this.errorCallbacks.unhandledRejection = (error) => {
      fail(error);
      done.finally(() => process.exit(128));
    };
    beforeExit.set(() => this.scheduleIteration());
    try {
      const result = this.handler(JSON.parse(bodyJson), stream, attachEnvironmentData(context, headers));
      if (!result || typeof result.then !== "function") {
        fail("Streaming does not support non-async handlers.");
      } else {
        if ((await result) !== undefined) console.warn("Streaming handlers ignore return values.");
        // As aws-lambda-ric: the Runtime API's answer comes first, so a stream the handler
        // never ends waits here until the function times out, as on Lambda.
        await done;
        if (!stream.writableFinished) fail("Response stream is not finished.");
      }
    } catch (err) {
      fail(err);
    }
    await done.catch(fatal);
    scheduleNext();
  }
}

// The Runtime API token, from a pipe the workbench passes (its fd number in
// _WORKBENCH_TOKEN_FD): not the environment or argv, which other processes of this user can
// read in /proc. The pipe holds one line and is closed after reading.
function readToken() {
  const fd = process.env[TOKEN_FD_VARIABLE] || "";
  delete process.env[TOKEN_FD_VARIABLE];
  if (!/^\d+$/.test(fd)) return undefined;
  const buffer = Buffer.alloc(256);
  let length = 0;
  try {
    for (;;) {
      const read = fs.readSync(Number(fd), buffer, length, buffer.length - length, null);
      if (read === 0 || (length += read) >= buffer.length) break;
    }
    fs.closeSync(Number(fd));
  } catch (_err) {
    return undefined;
  }
  return buffer.toString("ascii", 0, length).trim() || undefined;
}

async function main() {
  const handlerString = process.argv[2] || process.env._HANDLER || "";
  const appRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
  patchConsole();
  const client = new RuntimeClient(process.env.AWS_LAMBDA_RUNTIME_API, readToken());
  const errorCallbacks = {
    uncaughtException: (error) => client.postInitError(error, () => process.exit(129)),
    unhandledRejection: (error) => client.postInitError(error, () => process.exit(128)),
  };
  process.on("uncaughtException", (error) => {
    logError("Uncaught Exception", error);
    errorCallbacks.uncaughtException(error);
  });
  process.on("unhandledRejection", (reason, promise) => {
    const error = new UnhandledPromiseRejection(reason, promise);
    logError("Unhandled Promise Rejection", error);
    errorCallbacks.unhandledRejection(error);
  });
  beforeExit.reset();
  process.on("beforeExit", beforeExit.invoke);
  let handler;
  try {
    handler = await loadHandler(appRoot, handlerString);
  } catch (error) {
    // As in aws-lambda-ric, where the failed load reaches the uncaughtException listener.
    process.emit("uncaughtException", error);
    return;
  }
  new Runtime(client, handler, errorCallbacks).scheduleIteration();
}

main();
