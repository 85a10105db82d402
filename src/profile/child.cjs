'use strict';
/**
 * Runs in the child process `lambda-migrate profile` starts for one handler, before anything of the service loads:
 * argv = [handlerFile, exportName]. It
 * 1. replaces every network entry point (net, tls, dns, http, https, http2, dgram, fetch, WebSocket) and every fs
 *    write, child_process and worker entry point with one that records the attempt and throws: the handler's module
 *    may run at load whatever it likes, none of it leaves the process (Node's permission model, when the parent
 *    enables it, backs the fs, child_process and worker guards at the C++ level);
 * 2. wraps Module._load to time every CommonJS module the handler loads, inclusive and exclusive of its children;
 * 3. loads the handler (require, or import() for ES modules) and checks the export;
 * 4. writes one JSON report to fd 3 (a pipe the parent reads), never to stdout, which the handler may use.
 * Plain CommonJS with no dependencies: it must run as is on every Node version the tool supports.
 */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const REPORT_FD = 3;
const [handlerFile, exportName] = process.argv.slice(2);
const blocked = [];
const modules = [];
const now = () => Number(process.hrtime.bigint()) / 1e6;

function deny(kind, what) {
  return function denied() {
    blocked.push({ kind, what });
    const err = new Error(`lambda-migrate profile: ${kind} is blocked while a handler is profiled (${what})`);
    err.code = 'ERR_LAMBDA_MIGRATE_BLOCKED';
    throw err;
  };
}

function denyAll(target, names, kind, prefix) {
  for (const name of names) {
    if (typeof target[name] === 'function') target[name] = deny(kind, `${prefix}.${name}`);
  }
}

function guardNetwork() {
  const net = require('node:net');
  const dns = require('node:dns');
  denyAll(net, ['connect', 'createConnection', 'createServer'], 'network', 'net');
  net.Socket.prototype.connect = deny('network', 'net.Socket#connect');
  net.Server.prototype.listen = deny('network', 'net.Server#listen');
  denyAll(require('node:tls'), ['connect', 'createServer'], 'network', 'tls');
  const lookups = [
    'lookup',
    'lookupService',
    'resolve',
    'resolve4',
    'resolve6',
    'resolveAny',
    'resolveCname',
    'resolveMx',
    'resolveNs',
    'resolveSrv',
    'resolveTxt',
    'reverse',
  ];
  denyAll(dns, lookups, 'network', 'dns');
  denyAll(dns.promises, lookups, 'network', 'dns.promises');
  for (const mod of ['http', 'https']) denyAll(require(`node:${mod}`), ['request', 'get', 'createServer'], 'network', mod);
  denyAll(require('node:http2'), ['connect', 'createServer', 'createSecureServer'], 'network', 'http2');
  denyAll(require('node:dgram'), ['createSocket'], 'network', 'dgram');
  for (const name of ['fetch', 'WebSocket', 'EventSource']) {
    if (typeof globalThis[name] === 'function') globalThis[name] = deny('network', name);
  }
}

const FS_WRITES = [
  'writeFile',
  'writeFileSync',
  'appendFile',
  'appendFileSync',
  'createWriteStream',
  'mkdir',
  'mkdirSync',
  'mkdtemp',
  'mkdtempSync',
  'rm',
  'rmSync',
  'rmdir',
  'rmdirSync',
  'unlink',
  'unlinkSync',
  'rename',
  'renameSync',
  'copyFile',
  'copyFileSync',
  'cp',
  'cpSync',
  'symlink',
  'symlinkSync',
  'link',
  'linkSync',
  'truncate',
  'truncateSync',
  'chmod',
  'chmodSync',
  'chown',
  'chownSync',
  'utimes',
  'utimesSync',
];

function guardFs() {
  denyAll(fs, FS_WRITES, 'fs-write', 'fs');
  denyAll(fs.promises, FS_WRITES, 'fs-write', 'fs.promises');
  // open() for writing is a write too; opening to read stays allowed (the handler reads its own files).
  for (const name of ['open', 'openSync']) {
    const original = fs[name];
    fs[name] = function open(file, flags, ...rest) {
      if (typeof flags === 'string' && /[wa+]/.test(flags)) return deny('fs-write', `fs.${name}(${String(file)}, '${flags}')`)();
      if (typeof flags === 'number' && (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT)) !== 0) {
        return deny('fs-write', `fs.${name}(${String(file)})`)();
      }
      return original.call(fs, file, flags, ...rest);
    };
  }
  denyAll(
    require('node:child_process'),
    ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'],
    'child-process',
    'child_process',
  );
  const threads = require('node:worker_threads');
  if (typeof threads.Worker === 'function') threads.Worker = deny('worker', 'worker_threads.Worker');
}

/** Times CommonJS loads: `self` is the module's own time, its children's loads subtracted. */
function timeRequires() {
  const originalLoad = Module._load;
  const stack = [];
  Module._load = function load(request, parent, isMain) {
    let filename = null;
    try {
      filename = Module._resolveFilename(request, parent, isMain);
    } catch {
      // Let the real loader throw its own error.
    }
    const cached = filename !== null && Module._cache[filename] !== undefined;
    if (filename === null || cached) return originalLoad.apply(this, arguments);
    const frame = { children: 0 };
    stack.push(frame);
    const start = now();
    try {
      return originalLoad.apply(this, arguments);
    } finally {
      const total = now() - start;
      stack.pop();
      const top = stack[stack.length - 1];
      if (top) top.children += total;
      modules.push({ file: filename, totalMs: total, selfMs: Math.max(0, total - frame.children), builtin: !path.isAbsolute(filename) });
    }
  };
}

function writeReport(report) {
  try {
    fs.writeSync(REPORT_FD, JSON.stringify(report));
  } catch {
    // No report pipe (run by hand): nothing to write to.
  }
}

async function run() {
  const started = now();
  let status = 'ok';
  let detail = null;
  let moduleFormat = 'cjs';
  try {
    let exported;
    if (/\.mjs$/.test(handlerFile) || isEsmScope(handlerFile)) {
      moduleFormat = 'esm';
      exported = await import(pathToFileURL(handlerFile).href);
    } else {
      exported = require(handlerFile);
    }
    const fn = exported == null ? undefined : exportName === 'default' ? (exported.default ?? exported) : exported[exportName];
    if (typeof fn !== 'function' && !(fn && typeof fn.then === 'function')) {
      status = 'failed';
      detail = `the module loaded but does not export a function '${exportName}'`;
    }
  } catch (err) {
    status = 'failed';
    const message = err && typeof err.message === 'string' ? err.message : String(err);
    detail = `loading threw ${err && err.code ? `${err.code}: ` : ''}${message.split('\n')[0].slice(0, 300)}`;
  }
  const totalMs = now() - started;
  // Give promises the module started at load a turn, so an attempt made after an await is recorded too.
  await new Promise((resolve) => setTimeout(resolve, 20));
  if (status === 'ok' && blocked.length > 0) {
    status = 'failed';
    detail = `the module tried to reach outside the sandbox at load: ${blocked[0].what}`;
  } else if (status === 'ok' && lateErrors.length > 0) {
    status = 'failed';
    detail = `code the module started at load threw: ${lateErrors[0]}`;
  }
  writeReport({ status, detail, totalMs, moduleFormat, modules, blocked, node: process.version });
  process.exit(0);
}

function isEsmScope(file) {
  if (/\.cjs$/.test(file)) return false;
  let dir = path.dirname(file);
  for (;;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      return pkg.type === 'module';
    } catch {
      const up = path.dirname(dir);
      if (up === dir) return false;
      dir = up;
    }
  }
}

const lateErrors = [];
process.on('uncaughtException', (err) => {
  // A callback the module scheduled at load threw (often a blocked call): report the first one.
  lateErrors.push(
    String(err && err.message)
      .split('\n')[0]
      .slice(0, 300),
  );
});
process.on('unhandledRejection', () => {
  // A rejected promise at load (often a blocked call awaited at module scope) is already in `blocked`.
});

guardNetwork();
guardFs();
timeRequires();
run();
