import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, renderHelp, type CliIo } from '../../src/cli/main.js';

interface Captured {
  io: CliIo;
  out: () => string;
  err: () => string;
}

function capture(cwd = process.cwd(), tty = false): Captured {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (s: string) => (out += s), isTTY: tty },
      stderr: { write: (s: string) => (err += s), isTTY: tty },
      cwd,
      env: {},
    },
    out: () => out,
    err: () => err,
  };
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lm-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function service(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    rmSync(abs, { force: true });
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  return dir;
}

const heavy = {
  'handler.js': `const AWS = require('aws-sdk');
const s3 = new AWS.S3();
exports.handler = async () => s3.listBuckets().promise();
`,
};

describe('lambda-migrate CLI', () => {
  it('--help lists the commands and exits 0', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    expect(c.out()).toContain('lambda-migrate scan [path]');
    expect(c.out()).toContain('lambda-migrate rules');
    expect(c.err()).toBe('');
  });

  it('the build ships the top-level --help exactly as yargs renders it (the fast path prints that file)', async () => {
    const prebuilt = path.join(import.meta.dirname, '../../dist/src/cli/help.txt');
    expect(existsSync(prebuilt), 'dist/ is missing or stale: run npm run build').toBe(true);
    expect(readFileSync(prebuilt, 'utf8')).toBe(await renderHelp());
  });

  it('--version prints the package version', async () => {
    const c = capture();
    expect(await main(['--version'], c.io)).toBe(0);
    const pkg = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(c.out().trim()).toBe(pkg.version);
  });

  it('a missing path exits 2 with a one-line message and a hint', async () => {
    const c = capture(tmp);
    expect(await main(['scan', 'no-such-dir'], c.io)).toBe(2);
    expect(c.err()).toBe(
      'lambda-migrate: path not found: no-such-dir\nhint: pass the directory of a Lambda service, e.g. lambda-migrate scan ./service\n',
    );
    expect(c.out()).toBe('');
  });

  it('bad arguments exit 2', async () => {
    const c = capture(tmp);
    expect(await main(['scan', '.', '--format', 'pdf'], c.io)).toBe(2);
    expect(c.err()).toContain('Invalid values');
    const d = capture(tmp);
    expect(await main(['frobnicate'], d.io)).toBe(2);
  });

  it('a service with no handlers exits 0 and says so', async () => {
    const dir = service('empty', { 'README.md': '# nothing here\n' });
    const c = capture(dir);
    expect(await main(['scan', '.'], c.io)).toBe(0);
    expect(c.out()).toContain('0 handlers found');
  });

  it('--format json prints the versioned result to stdout only', async () => {
    const dir = service('heavy', heavy);
    const c = capture(dir);
    expect(await main(['scan', '.', '--format', 'json'], c.io)).toBe(0);
    const result = JSON.parse(c.out()) as {
      schemaVersion: number;
      root: string;
      functions: { name: string; init: { packages: { name: string }[] } }[];
    };
    expect(result.schemaVersion).toBe(1);
    expect(result.root).toBe('.');
    expect(result.functions.map((f) => f.name)).toEqual(['handler']);
    expect(result.functions[0]?.init.packages.map((p) => p.name)).toEqual(['aws-sdk']);
    expect(c.err()).toBe('');
  });

  it('--out writes the report to a file and notes it on stderr', async () => {
    const dir = service('heavy-out', heavy);
    const c = capture(dir);
    expect(await main(['scan', '.', '-f', 'markdown', '-o', 'report.md'], c.io)).toBe(0);
    expect(c.out()).toBe('');
    expect(c.err()).toBe('wrote report.md (markdown, 1 handlers)\n');
    expect(readFileSync(path.join(dir, 'report.md'), 'utf8')).toContain('aws-sdk-v2-whole');
  });

  it('--fail-on warn exits 1 when a warning is found and says which gate', async () => {
    const dir = service('heavy-gate', heavy);
    const c = capture(dir);
    expect(await main(['scan', '.', '--fail-on', 'warn', '-q', '-f', 'json'], c.io)).toBe(1);
    const d = capture(dir);
    expect(await main(['scan', '.', '--fail-on', 'warn', '-f', 'json'], d.io)).toBe(1);
    expect(d.err()).toMatch(/^fail-on warn: \d+ finding\(s\) at or above it\n$/);
    const e = capture(dir);
    expect(await main(['scan', '.', '--fail-on', 'error', '-f', 'json'], e.io)).toBe(0);
  });

  it('rule options and disabled rules reach the rules; unknown ones exit 2', async () => {
    const dir = service('heavy-opts', heavy);
    const c = capture(dir);
    expect(
      await main(['scan', '.', '-f', 'json', '--disable-rule', 'aws-sdk-v2-whole', '--rule-option', 'heavy-init-import.thresholdMs=100000'], c.io),
    ).toBe(0);
    const result = JSON.parse(c.out()) as { functions: { findings: unknown[] }[]; rules: { id: string }[] };
    expect(result.functions[0]?.findings).toEqual([]);
    expect(result.rules.map((r) => r.id)).not.toContain('aws-sdk-v2-whole');

    const d = capture(dir);
    expect(await main(['scan', '.', '--disable-rule', 'no-such-rule'], d.io)).toBe(2);
    expect(d.err()).toContain("lambda-migrate: unknown rule 'no-such-rule'\nhint: known rules: ");

    const e = capture(dir);
    expect(await main(['scan', '.', '--rule-option', 'thresholdMs=5'], e.io)).toBe(2);
    expect(e.err()).toContain("bad --rule-option 'thresholdMs=5'");
  });

  it('rules lists every rule', async () => {
    const c = capture();
    expect(await main(['rules'], c.io)).toBe(0);
    const ids = c
      .out()
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/)[0]);
    expect(ids).toEqual([
      'await-in-loop',
      'aws-sdk-v2-client',
      'aws-sdk-v2-whole',
      'client-in-handler',
      'deprecated-runtime',
      'duplicate-package-copies',
      'heavy-init-import',
      'module-scope-io',
      'rare-path-import',
      'runtime-addition',
      'serverless-http-monolith',
      'sync-fs-in-handler',
    ]);
  });
});
