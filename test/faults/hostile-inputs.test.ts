/**
 * Inputs another party controls, read by the CLI: result artifacts (a fork's workflow uploads them), baselines,
 * snapshots, function maps, config files, log exports. Each hostile shape is refused (or degraded) with one clear
 * line before anything uses it; nothing is polluted, nothing crashes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvRecords } from '../../src/metrics/csv.js';
import { figuresFromRow } from '../../src/metrics/insights-query.js';
import { readLogs } from '../../src/metrics/read-logs.js';
import { readUntrustedJson, untrustedProblem } from '../../src/util/untrusted-json.js';
import { runCli } from '../helpers/cli.js';
import { sampleResult } from '../report/sample-result.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lm-hostile-in-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function file(name: string, text: string | Buffer): string {
  const abs = path.join(tmp, name);
  writeFileSync(abs, text);
  return abs;
}

const valid = JSON.stringify(sampleResult);
/** The sample result with raw JSON text spliced in after its first `{` (JSON.stringify cannot write a __proto__ key). */
const spliced = (raw: string): string => `{${raw},${valid.slice(1)}`;

describe('hostile result artifacts are refused before use', () => {
  const proto = file('proto.json', spliced('"__proto__": {"polluted": "yes"}'));
  const ctor = file('ctor.json', valid.replace('"functions":[{', '"functions":[{"constructor":{"prototype":{"polluted":"yes"}},'));
  const deep = file('deep.json', spliced(`"extra": ${'['.repeat(20_000)}${']'.repeat(20_000)}`));

  it.each([
    ['report', [proto], `${proto} is refused: a key named "__proto__" at /`],
    ['report', [ctor], `${ctor} is refused: a key named "constructor" at /functions/0`],
    ['report', [deep], `${deep} is refused: nested deeper than 64 levels at /extra/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0…/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0`],
    ['diff', [proto, deep], `${proto} is refused: a key named "__proto__" at /`],
    [
      'merge',
      [deep, proto],
      `${deep} is refused: nested deeper than 64 levels at /extra/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0…/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0`,
    ],
  ])('%s %s: exit 2, one line naming the file and the reason', async (command, files, first) => {
    const run = await runCli([command, ...files]);
    expect(run.code).toBe(2);
    expect(run.err.split('\n')[0]).toBe(`lambda-migrate: ${first}`);
    expect(run.err).not.toContain('internal error');
    expect(Reflect.get(Object.prototype, 'polluted')).toBeUndefined();
  });

  it('comment --github on a hostile result refuses it before any request (no token needed to see it)', async () => {
    const run = await runCli(['comment', '--github', proto, '--repo', 'acme/orders', '--pr', '7', '--dry-run']);
    expect(run.code).toBe(2);
    expect(run.err.split('\n')[0]).toBe(`lambda-migrate: ${proto} is refused: a key named "__proto__" at /`);
  });

  it('scan --baseline with a hostile saved result, --metrics with a hostile snapshot, --function-map with __proto__', async () => {
    let run = await runCli(['scan', 'examples/orders-service', '--baseline', proto, '-q']);
    expect([run.code, run.err.split('\n')[0]]).toEqual([2, `lambda-migrate: ${proto} is refused: a key named "__proto__" at /`]);
    const snapshot = file(
      'snapshot.json',
      '{"kind":"lambda-migrate/metrics-snapshot","entries":[{"key":"x","metrics":{"__proto__":{"status":"ok"}}}]}',
    );
    run = await runCli(['scan', 'examples/orders-service', '--metrics', snapshot, '-q']);
    expect([run.code, run.err.split('\n')[0]]).toEqual([2, `lambda-migrate: ${snapshot} is refused: a key named "__proto__" at /entries/0/metrics`]);
    const map = file('map.json', '{"__proto__": "orders-dev-health"}');
    run = await runCli(['scan', 'examples/orders-service', '--logs', 'examples/orders-service/logs', '--function-map', map, '-q']);
    expect([run.code, run.err.split('\n')[0]]).toEqual([2, `lambda-migrate: ${map} is refused: a key named "__proto__" at /`]);
    const baseline = file('baseline.json', '{"version":1,"tool":"lambda-migrate","findings":[],"prototype":{}}');
    run = await runCli(['scan', 'examples/orders-service', '--baseline', baseline, '-q']);
    expect([run.code, run.err.split('\n')[0]]).toEqual([2, `lambda-migrate: ${baseline} is refused: a key named "prototype" at /`]);
  });

  it('a config file with a __proto__ key in rule options is refused, not merged into a prototype', async () => {
    const dir = path.join(tmp, 'cfg-proto');
    mkdirSync(dir);
    const cfg = file('cfg-proto/lm.json', '{"rules":{"init-heavy-import":{"severity":"warn","options":{"__proto__":{"polluted":"yes"}}}}}');
    const run = await runCli(['scan', 'examples/orders-service', '--config', cfg, '-q']);
    expect(run.code).toBe(2);
    expect(run.err.split('\n')[0]).toMatch(/ is refused: a key named "__proto__" at \/rules\/init-heavy-import\/options$/);
    expect(Reflect.get(Object.prototype, 'polluted')).toBeUndefined();
  });

  it('untrustedProblem walks without recursion, counts values, and passes a real result', () => {
    expect(untrustedProblem(sampleResult)).toBeNull();
    expect(untrustedProblem(JSON.parse(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`))).toMatch(/^nested deeper than 64 levels at /);
    expect(untrustedProblem({ a: [1, 2, 3, 4] }, { maxBytes: 1e9, maxDepth: 64, maxNodes: 3 })).toBe('more than 3 values');
    // "constructor" as a string value is fine: only keys are refused.
    expect(untrustedProblem({ name: 'constructor', list: ['__proto__'] })).toBeNull();
  });

  it('a device that never ends is read up to the limit, then refused; a pipe of a result still reads', async () => {
    await expect(readUntrustedJson('/dev/zero', tmp, 'hint', { maxBytes: 64 * 1024, maxDepth: 64, maxNodes: 100 })).rejects.toThrow(
      /^\/dev\/zero is refused: 0 MB, over the 0 MB this reads$/,
    );
    const run = await runCli(['comment', '--github', '--body', '/dev/zero', '--repo', 'acme/orders', '--pr', '7', '--dry-run']);
    expect([run.code, run.err.split('\n')[0]]).toEqual([2, 'lambda-migrate: --body: /dev/zero is not a file']);
  });

  it('an absurdly big file is refused before it is read', async () => {
    const big = file('big.json', `{"pad":"${'x'.repeat(5000)}"}`);
    await expect(readUntrustedJson(big, tmp, 'hint', { maxBytes: 1024 * 1024 * 0.001, maxDepth: 64, maxNodes: 100 })).rejects.toThrow(
      `${big} is refused: 0 MB, over the 0 MB this reads`,
    );
  });
});

describe('--config naming a directory', () => {
  it('is one line and exit 2, not an EISDIR stack', async () => {
    const dir = path.join(tmp, 'config-dir.json');
    mkdirSync(dir, { recursive: true });
    const run = await runCli(['scan', 'examples/orders-service', '--config', dir]);
    expect(run.code).toBe(2);
    expect(run.err).toBe(
      `lambda-migrate: ${dir}: is a directory, not a config file\nhint: pass the path of a .lambda-migrate.json, .yaml or .yml file\n`,
    );
  });
});

const report = (i: number, init = ''): string =>
  `2026-11-18T06:${String(10 + (i % 50)).padStart(2, '0')}:00.000Z\tREPORT RequestId: r-${i}\tDuration: ${10 + i}.00 ms\tBilled Duration: ${11 + i} ms\tMemory Size: 512 MB\tMax Memory Used: 70 MB\t${init}`;
const platformReport = (i: number): string =>
  JSON.stringify({
    time: `2026-11-18T07:00:0${i}.000Z`,
    type: 'platform.report',
    record: {
      requestId: `j-${i}`,
      metrics: { durationMs: 100 + i, billedDurationMs: 101 + i, memorySizeMB: 512, maxMemoryUsedMB: 71, initDurationMs: 300 },
    },
  });

describe('log exports: nothing silently dropped', () => {
  it('one file mixing text REPORT lines and JSON platform.report records keeps both', async () => {
    const lines = [
      'START RequestId: r-0',
      report(0, 'Init Duration: 250.00 ms\t'),
      platformReport(1),
      'INFO app line',
      report(2),
      platformReport(3),
      report(4),
    ];
    const r = await readLogs({ paths: [file('mixed.log', `${lines.join('\n')}\n`)], cwd: tmp });
    const figures = r.entries[0]?.figures;
    expect(r.stats.reports).toBe(5);
    // 3 text + 2 JSON invocations; cold starts: the text one with Init Duration and both JSON records.
    expect([figures?.invocations, figures?.coldStarts]).toEqual([5, 3]);
  });

  it('a gzip with trailing garbage keeps the records read before the error, with a warning', async () => {
    const text = `${Array.from({ length: 3000 }, (_, i) => report(i)).join('\n')}\n`;
    const gz = file('export.log.gz', Buffer.concat([gzipSync(text), Buffer.from('\n<html>502 Bad Gateway</html>\n'.repeat(3))]));
    const r = await readLogs({ paths: [gz], cwd: tmp });
    const kept = r.stats.reports;
    // At most the last 4 KB of text (zlib's output block) is lost: about 35 of these ~115-character lines.
    expect(kept).toBeGreaterThan(3000 - 40);
    expect(kept).toBeLessThanOrEqual(3000);
    expect(r.warnings).toContain(
      `export.log.gz: reading stopped at an error (Z_DATA_ERROR: corrupt, truncated, or trailing data after the gzip stream); the ${kept} REPORT record(s) read before it are kept (records in the last 4 KB before it may be missing)`,
    );
  });

  it('a device that never ends (/dev/zero) is refused, not read forever', async () => {
    await expect(readLogs({ paths: ['/dev/zero'], cwd: tmp })).rejects.toThrow('--logs: not a file or directory: /dev/zero');
  });

  it('a gzip cut short keeps what was decompressed', async () => {
    const text = `${Array.from({ length: 3000 }, (_, i) => report(i)).join('\n')}\n`;
    const whole = gzipSync(text);
    const r = await readLogs({ paths: [file('cut.log.gz', whole.subarray(0, Math.floor(whole.length / 2)))], cwd: tmp });
    expect(r.stats.reports).toBeGreaterThan(1000);
    expect(r.warnings.some((w) => w.startsWith('cut.log.gz: reading stopped at an error (Z_BUF_ERROR'))).toBe(true);
  });
});

describe('more inputs of another party', () => {
  it('CSV: a stray quote holds lines until the record limit, then the next records read again', () => {
    const csv = new CsvRecords(100);
    expect(csv.push('"a stray quote')).toBeNull();
    for (let i = 0; i < 20; i++) csv.push(`line ${i} of a message that never closes`);
    // Dropped past 100 characters; what follows is read as records again.
    expect(csv.push('x,y')).toEqual(['x', 'y']);
    expect(csv.push('"multi')).toBeNull();
    expect(csv.push('line",z')).toEqual(['multi\nline', 'z']);
  });

  it('Insights rows with negative figures: those figures are not trusted', () => {
    const ctx = {
      deployedName: 'f',
      logGroup: '/aws/lambda/f',
      region: 'eu-west-1',
      window: { from: 'a', to: 'b' },
      truncated: false,
      config: { runtime: null, architecture: null, memoryMB: 512, packageType: null, codeSizeBytes: null, logFormat: null },
    };
    const figures = figuresFromRow({ invocations: '-5', coldStarts: '-1', maxMemoryUsedMB: '-3', memorySizeMB: '1024' }, ctx);
    expect([figures.status, figures.invocations, figures.coldStarts, figures.maxMemoryUsedMB, figures.memorySizeMB]).toEqual([
      'no_invocations',
      0,
      0,
      null,
      1024,
    ]);
  });

  it('comment --body with a file far past what GitHub takes is refused before it is read whole', async () => {
    const body = file('huge.md', 'x'.repeat(300_000));
    const run = await runCli(['comment', '--github', '--body', body, '--repo', 'acme/orders', '--pr', '7', '--dry-run']);
    expect(run.code).toBe(2);
    expect(run.err.split('\n')[0]).toBe(`lambda-migrate: --body: ${body} is 293 KB; GitHub takes at most 65536 characters`);
  });
});
