import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionProfile, ScanResult } from '../../src/model/result.js';
import { groupOf, packageOf, summarise } from '../../src/profile/profile.js';
import { childEnv, permissionFlag } from '../../src/profile/run.js';
import { runCli } from '../helpers/cli.js';

/**
 * `lambda-migrate profile` over a small service whose handlers misbehave at load: one writes a file, one opens a
 * socket to a loopback server this test runs, one calls fetch, one never finishes. None may reach the network or
 * write, and the profile must say which failed and why.
 */
let dir: string;
let server: net.Server;
let port = 0;
let connections = 0;

function write(rel: string, text: string): void {
  const abs = path.join(dir, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, text);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lm-profile-'));
  server = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;

  write('node_modules/dep/package.json', '{ "name": "dep", "version": "1.2.3", "main": "lib/index.js" }\n');
  write('node_modules/dep/lib/index.js', "const part = require('./part');\nmodule.exports = { total: part.values.reduce((a, b) => a + b, 0) };\n");
  write('node_modules/dep/lib/part.js', 'module.exports = { values: Array.from({ length: 5000 }, (_, i) => i) };\n');
  write('src/lib/util.js', "const path = require('node:path');\nexports.name = path.basename(__filename);\n");
  write(
    'src/ok.js',
    "const dep = require('dep');\nconst util = require('./lib/util');\nexports.handler = async () => ({ total: dep.total, name: util.name });\n",
  );
  write('src/writes.js', `require('node:fs').writeFileSync(${JSON.stringify(path.join(dir, 'PWNED'))}, 'x');\nexports.handler = async () => 1;\n`);
  write(
    'src/socket.js',
    `const net = require('node:net');\nconst s = net.connect(${port}, '127.0.0.1');\ns.on('error', () => {});\nexports.handler = async () => 1;\n`,
  );
  write('src/fetches.js', `fetch('http://127.0.0.1:${port}/config').catch(() => {});\nexports.handler = async () => 1;\n`);
  write('src/spins.js', 'const until = Date.now() + 30000;\nwhile (Date.now() < until) {}\nexports.handler = async () => 1;\n');
  write('src/raw.js', "const { TCP } = process.binding('tcp_wrap');\nexports.handler = async () => new TCP(0);\n");
  write('src/esm.mjs', "import { basename } from 'node:path';\nexport const handler = async () => basename('/a/b');\n");
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function profiles(result: ScanResult): Map<string, FunctionProfile> {
  const out = new Map<string, FunctionProfile>();
  for (const fn of result.functions) if (fn.profile && fn.handler.file) out.set(fn.handler.file, fn.profile);
  return out;
}

describe('lambda-migrate profile', () => {
  it('loads each handler in a sandbox: measures the good one, blocks writes and sockets, kills the one that never ends', async () => {
    const run = await runCli(['profile', dir, '-f', 'json', '--timeout', '1500'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.err).toContain('lambda-migrate profile EXECUTES the top-level code of 7 handler module(s)');
    const result: ScanResult = JSON.parse(run.out);
    const byFile = profiles(result);
    expect([...byFile.keys()].sort()).toEqual([
      'src/esm.mjs',
      'src/fetches.js',
      'src/ok.js',
      'src/raw.js',
      'src/socket.js',
      'src/spins.js',
      'src/writes.js',
    ]);

    const ok = byFile.get('src/ok.js');
    expect(ok?.status).toBe('ok');
    expect(ok?.loaded).toBe('src/ok.js');
    expect(ok?.measuredInitMs).toBeGreaterThan(0);
    // src/ok.js and src/lib/util.js are own code; dep's two files are the package; node:path is core.
    expect(ok?.groups.own.modules).toBe(2);
    expect(ok?.groups.packages.modules).toBe(2);
    expect(ok?.groups.core.modules).toBe(1);
    expect(ok?.packages.map((p) => [p.name, p.group, p.modules])).toEqual([['dep', 'packages', 2]]);
    expect(ok?.slowest.map((s) => s.file).sort()).toEqual([
      'node:path',
      'node_modules/dep/lib/index.js',
      'node_modules/dep/lib/part.js',
      'src/lib/util.js',
      'src/ok.js',
    ]);

    const writes = byFile.get('src/writes.js');
    expect(writes?.status).toBe('failed');
    expect(writes?.detail).toContain('fs-write is blocked');
    expect(writes?.blocked).toEqual([{ kind: 'fs-write', what: 'fs.writeFileSync' }]);
    expect(existsSync(path.join(dir, 'PWNED'))).toBe(false);

    const socket = byFile.get('src/socket.js');
    expect(socket?.status).toBe('failed');
    expect(socket?.blocked).toEqual([{ kind: 'network', what: 'net.connect' }]);
    const fetches = byFile.get('src/fetches.js');
    expect(fetches?.status).toBe('failed');
    expect(fetches?.blocked).toEqual([{ kind: 'network', what: 'fetch' }]);
    expect(connections).toBe(0);

    // Past the JavaScript guards, Node's permission model still stands: the raw bindings are denied.
    if (permissionFlag() !== null) {
      expect(byFile.get('src/raw.js')?.status).toBe('failed');
      expect(byFile.get('src/raw.js')?.detail).toBe('loading threw ERR_ACCESS_DENIED: process.binding');
    }

    const spins = byFile.get('src/spins.js');
    expect(spins?.status).toBe('timeout');
    expect(spins?.detail).toBe('loading did not finish within 1500 ms: killed');

    const esm = byFile.get('src/esm.mjs');
    expect(esm?.status).toBe('ok');
    expect(esm?.detail).toContain('an ES module');
    expect(ok?.sandbox).toContain('scrubbed environment');
    if (permissionFlag() !== null) expect(ok?.sandbox).toContain(`Node permission model (${permissionFlag() ?? ''}`);
  }, 20_000);

  it('prints the measured init beside the estimate in the text report, and scan stays static', async () => {
    // The summary's ranked table has the profiled figure beside the estimate, or why there is none.
    const summary = await runCli(['profile', dir, '--timeout', '1500'], { cwd: dir });
    const header = summary.out.split('\n').find((l) => l.includes('est. init'));
    expect(header).toMatch(/est\. init +profiled init/);
    expect(summary.out).toMatch(/\bok +\d+ ms +[\d.]+ ms\b/);
    expect(summary.out).toMatch(/\bsocket +0 ms +failed\b/);
    expect(summary.out).toMatch(/\bspins +0 ms +timeout\b/);
    const run = await runCli(['profile', dir, '--timeout', '1500', '--detail'], { cwd: dir });
    expect(run.out).toMatch(/profiled init \d+ ms \(estimate \d+ ms\) · loaded src\/ok\.js on v\d+/);
    // --detail wraps at 100 columns: compare with the wrapping folded back.
    const flat = run.out.replace(/\n\s+/g, ' ');
    expect(flat).toContain(
      'profile failed: loading threw ERR_LAMBDA_MIGRATE_BLOCKED: lambda-migrate profile: network is blocked while a handler is profiled (net.connect) · blocked: net.connect',
    );
    expect(flat).toContain('profile timeout: loading did not finish within 1500 ms: killed');
    const scanned = await runCli(['scan', dir, '-f', 'json'], { cwd: dir });
    const result: ScanResult = JSON.parse(scanned.out);
    expect(result.functions.some((f) => f.profile !== undefined)).toBe(false);
  }, 20_000);

  it('rejects a time limit it cannot honour', async () => {
    const run = await runCli(['profile', dir, '--timeout', '5'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.err).toContain("bad --timeout '5'");
  });
});

describe('profile grouping', () => {
  const root = path.join(path.sep, 'svc');
  const layer = path.join(root, 'layers', 'common');
  it('names the innermost package and tells layers, packages, own code and core apart', () => {
    expect(packageOf(path.join(root, 'node_modules', '@aws-sdk', 'client-s3', 'dist-cjs', 'index.js'))).toBe('@aws-sdk/client-s3');
    expect(packageOf(path.join(root, 'node_modules', 'axios', 'node_modules', 'form-data', 'lib', 'f.js'))).toBe('form-data');
    expect(packageOf(path.join(root, 'src', 'a.js'))).toBeNull();
    const m = (file: string, builtin = false) => ({ file, totalMs: 1, selfMs: 1, builtin });
    expect(groupOf(m('fs', true), [layer])).toBe('core');
    expect(groupOf(m(path.join(layer, 'nodejs', 'node_modules', 'shared', 'index.js')), [layer])).toBe('layers');
    expect(groupOf(m(path.join(root, 'node_modules', 'pg', 'lib', 'index.js')), [layer])).toBe('packages');
    expect(groupOf(m(path.join(root, 'src', 'h.js')), [layer])).toBe('own');
  });

  it('sums self times per group and per package (hand-computed)', () => {
    const modules = [
      { file: path.join(root, 'src', 'h.js'), totalMs: 30.04, selfMs: 2.04, builtin: false },
      { file: path.join(root, 'node_modules', 'pg', 'lib', 'index.js'), totalMs: 20, selfMs: 12.5, builtin: false },
      { file: path.join(root, 'node_modules', 'pg', 'lib', 'client.js'), totalMs: 7.5, selfMs: 7.5, builtin: false },
      { file: path.join(layer, 'nodejs', 'node_modules', 'shared', 'index.js'), totalMs: 6, selfMs: 6, builtin: false },
      { file: 'net', totalMs: 0.02, selfMs: 0.02, builtin: true },
    ];
    const p = summarise(
      { status: 'ok', detail: null, totalMs: 31.26, moduleFormat: 'cjs', modules, blocked: [], node: 'v20.20.2' },
      { rootAbs: root, layers: [layer], loaded: 'src/h.js', estInitMs: 40, sandbox: 's' },
    );
    expect(p.measuredInitMs).toBe(31.3);
    expect(p.groups).toEqual({
      own: { ms: 2, modules: 1 },
      packages: { ms: 20, modules: 2 },
      layers: { ms: 6, modules: 1 },
      core: { ms: 0, modules: 1 },
    });
    expect(p.packages).toEqual([
      { name: 'pg', group: 'packages', ms: 20, modules: 2 },
      { name: 'shared', group: 'layers', ms: 6, modules: 1 },
    ]);
    expect(p.slowest[0]).toEqual({ file: 'node_modules/pg/lib/index.js', group: 'packages', selfMs: 12.5 });
    expect(p.slowest[4]).toEqual({ file: 'node:net', group: 'core', selfMs: 0 });
  });

  it('gives the child nothing of the parent environment: no credentials, no NODE_OPTIONS', () => {
    const env = childEnv({
      rootAbs: root,
      file: 'x',
      exportName: 'handler',
      timeoutMs: 1000,
      layerNodePaths: [],
      lambdaEnv: { functionName: 'f', memoryMB: 256, runtime: 'nodejs22.x' },
    });
    expect(Object.keys(env).sort()).toEqual([
      'AWS_DEFAULT_REGION',
      'AWS_EXECUTION_ENV',
      'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
      'AWS_LAMBDA_FUNCTION_NAME',
      'AWS_LAMBDA_FUNCTION_VERSION',
      'AWS_REGION',
      'LAMBDA_TASK_ROOT',
      'LANG',
      'TZ',
    ]);
    expect(env['AWS_EXECUTION_ENV']).toBe('AWS_Lambda_nodejs22.x');
  });
});
