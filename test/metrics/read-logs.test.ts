import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readLogs } from '../../src/metrics/read-logs.js';
import type { MeasuredEntry } from '../../src/metrics/types.js';

const repo = path.resolve(import.meta.dirname, '../..');
const LOGS = path.join(repo, 'examples/orders-service/logs');
const TEXT = readFileSync(path.join(LOGS, 'text-report.log'), 'utf8');
const JSONL = readFileSync(path.join(LOGS, 'platform-report.jsonl'), 'utf8');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lm-logs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * The hand count, written independently of src/metrics: split the text export on its first two tabs, take REPORT
 * messages apart with a regex per field; JSON.parse the platform.report records. Nearest-rank percentiles.
 */
interface Raw {
  group: string;
  time: string;
  duration: number;
  billed: number;
  memory: number;
  used: number;
  init: number | null;
}

function handCount(): Map<string, Raw[]> {
  const out = new Map<string, Raw[]>();
  const push = (r: Raw): void => void out.set(r.group, [...(out.get(r.group) ?? []), r]);
  for (const line of TEXT.split('\n')) {
    const [group = '', time = '', ...rest] = line.split('\t');
    const message = rest.join('\t');
    if (!message.startsWith('REPORT ')) continue;
    const field = (name: string): number | null => {
      const m = new RegExp(`${name}: ([0-9.]+)`).exec(message);
      return m ? Number(m[1]) : null;
    };
    push({
      group,
      time,
      duration: field('\tDuration') ?? NaN,
      billed: field('Billed Duration') ?? NaN,
      memory: field('Memory Size') ?? NaN,
      used: field('Max Memory Used') ?? NaN,
      init: field('Init Duration'),
    });
  }
  for (const line of JSONL.split('\n')) {
    if (line.trim() === '') continue;
    const o = JSON.parse(line) as { logGroup: string; time: string; type?: string; record?: { metrics?: Record<string, number> } };
    if (o.type !== 'platform.report' || !o.record?.metrics) continue;
    const m = o.record.metrics;
    push({
      group: o.logGroup,
      time: o.time,
      duration: m['durationMs'] ?? NaN,
      billed: m['billedDurationMs'] ?? NaN,
      memory: m['memorySizeMB'] ?? NaN,
      used: m['maxMemoryUsedMB'] ?? NaN,
      init: m['initDurationMs'] ?? null,
    });
  }
  return out;
}

const rank = (sorted: number[], p: number): number => sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? NaN;
const r2 = (n: number): number => Math.round(n * 100) / 100;
const mean = (xs: number[]): number => r2(xs.reduce((a, b) => a + b, 0) / xs.length);
function dist(xs: number[]): { p50: number; p90: number; p99: number; avg: number; max: number } | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return { p50: rank(s, 50), p90: rank(s, 90), p99: rank(s, 99), avg: mean(xs), max: s[s.length - 1] ?? NaN };
}

function expected(records: Raw[]): Record<string, unknown> {
  const inits = records.map((r) => r.init).filter((x): x is number => x !== null);
  const times = records.map((r) => r.time).sort();
  return {
    status: 'ok',
    invocations: records.length,
    coldStarts: inits.length,
    initMs: dist(inits),
    durationMs: dist(records.map((r) => r.duration)),
    billedDurationMs: { avg: mean(records.map((r) => r.billed)), max: Math.max(...records.map((r) => r.billed)) },
    memorySizeMB: Math.max(...records.map((r) => r.memory)),
    maxMemoryUsedMB: Math.max(...records.map((r) => r.used)),
    window: { from: times[0], to: times[times.length - 1] },
    percentiles: 'exact',
  };
}

function byKey(entries: MeasuredEntry[]): Record<string, MeasuredEntry['figures']> {
  return Object.fromEntries(entries.map((e) => [e.key, e.figures]));
}

const pick = (f: MeasuredEntry['figures'] | undefined): Record<string, unknown> => ({
  status: f?.status,
  invocations: f?.invocations,
  coldStarts: f?.coldStarts,
  initMs: f?.initMs,
  durationMs: f?.durationMs,
  billedDurationMs: f?.billedDurationMs,
  memorySizeMB: f?.memorySizeMB,
  maxMemoryUsedMB: f?.maxMemoryUsedMB,
  window: f?.window,
  percentiles: f?.percentiles,
});

describe('readLogs on the bundled example logs', async () => {
  const result = await readLogs({ paths: ['examples/orders-service/logs'], cwd: repo });
  const figures = byKey(result.entries);
  const hand = handCount();

  it('reads the two log files (not the README or the generator) and finds every REPORT record', () => {
    expect(result.stats.files).toBe(2);
    expect(result.stats.reports).toBe(462 + 74);
    expect(result.warnings).toEqual([]);
    expect(Object.keys(figures).sort()).toEqual([...hand.keys()].sort());
    expect(Object.keys(figures)).toHaveLength(9);
  });

  it('gives, per log group, the figures a hand count of the lines gives', () => {
    for (const [group, records] of hand) expect(pick(figures[group]), group).toEqual(expected(records));
  });

  it('matches literal values checked by hand', () => {
    const health = figures['/aws/lambda/orders-dev-health'];
    // awk over text-report.log: 80 REPORT lines, 7 with Init Duration: 151.25 154.00 175.80 177.93 180.30 185.79 201.92
    expect(health?.invocations).toBe(80);
    expect(health?.coldStarts).toBe(7);
    expect(health?.initMs).toEqual({ p50: 177.93, p90: 201.92, p99: 201.92, avg: 175.28, max: 201.92 });
    expect(health?.memorySizeMB).toBe(128);
    // processOrders: 48 text REPORT lines (15 cold) + 43 JSON platform.report records (11 cold, one timeout of 30000 ms)
    const processOrders = figures['/aws/lambda/orders-dev-processOrders'];
    expect([processOrders?.invocations, processOrders?.coldStarts]).toEqual([91, 26]);
    expect(processOrders?.durationMs?.max).toBe(30000);
    // first REPORT line of the group in text-report.log, last platform.report record in platform-report.jsonl
    expect(processOrders?.window).toEqual({ from: '2026-11-18T06:34:31.774Z', to: '2026-11-23T22:50:42.606Z' });
    const invoice = figures['/aws/lambda/orders-dev-generateInvoice'];
    expect([invoice?.invocations, invoice?.coldStarts, invoice?.memorySizeMB]).toEqual([65, 28, 1536]);
    expect(invoice?.deployedName).toBe('orders-dev-generateInvoice');
    expect(invoice?.logGroups).toEqual(['/aws/lambda/orders-dev-generateInvoice']);
  });

  it('keeps no message text: the fake e-mail addresses and request ids of the logs appear nowhere', () => {
    const out = JSON.stringify(result);
    expect(TEXT).toContain('@example.com');
    expect(out).not.toContain('@example.');
    expect(out).not.toContain('RequestId');
    expect(out).not.toContain('9f9c1ad2-7f48-456d-b208-f7b6c3148fa7');
  });
});

/** The health function's text REPORT records, in other export shapes. */
const healthLines = TEXT.split('\n').filter((l) => l.startsWith('/aws/lambda/orders-dev-health\t'));
const healthEvents = healthLines.map((l) => {
  const [, time = '', ...rest] = l.split('\t');
  return { time, message: rest.join('\t') };
});
const healthExpected = expected(handCount().get('/aws/lambda/orders-dev-health') ?? []);

function write(name: string, content: string | Buffer): string {
  const file = path.join(tmp, name);
  writeFileSync(file, content);
  return file;
}

describe('readLogs export formats', () => {
  it('aws logs filter-log-events JSON (pretty-printed, one document), attributed by --function', async () => {
    const doc = {
      events: healthEvents.map((e, i) => ({
        logStreamName: '2026/11/18/[$LATEST]abc',
        timestamp: Date.parse(e.time),
        message: `${e.message}\n`,
        ingestionTime: Date.parse(e.time) + 500,
        eventId: String(i),
      })),
      searchedLogStreams: [],
    };
    const file = write('events.json', JSON.stringify(doc, null, 4));
    const r = await readLogs({ paths: [file], cwd: tmp, attributions: [{ path: file, name: 'orders-dev-health' }] });
    expect(r.entries.map((e) => e.key)).toEqual(['orders-dev-health']);
    expect(pick(r.entries[0]?.figures)).toEqual(healthExpected);
    expect(r.warnings).toEqual([]);
  });

  it('the same filter-log-events output on one line (jq -c), with its log group named by --function', async () => {
    const doc = { events: healthEvents.map((e) => ({ logStreamName: 's', timestamp: Date.parse(e.time), message: e.message })) };
    const file = write('events-compact.json', JSON.stringify(doc));
    const r = await readLogs({ paths: [file], cwd: tmp, attributions: [{ path: tmp, name: '/aws/lambda/orders-dev-health' }] });
    expect(r.entries.map((e) => e.key)).toEqual(['/aws/lambda/orders-dev-health']);
    expect(pick(r.entries[0]?.figures)).toEqual(healthExpected);
  });

  it('Logs Insights CSV export (@timestamp,@message,@log), with a quoted multi-line application message', async () => {
    const rows = healthEvents.map(
      (e) => `${e.time.replace('T', ' ').replace('Z', '')},"${e.message.replaceAll('"', '""')}",123456789012:/aws/lambda/orders-dev-health`,
    );
    const csv = [
      '@timestamp,@message,@log',
      '2026-11-18 00:00:00.000,"ERROR boom\nat line 2, ""quoted""",123456789012:/aws/lambda/orders-dev-health',
      ...rows,
    ].join('\r\n');
    const r = await readLogs({ paths: [write('insights.csv', csv)], cwd: tmp });
    expect(r.entries.map((e) => e.key)).toEqual(['/aws/lambda/orders-dev-health']);
    expect(pick(r.entries[0]?.figures)).toEqual(healthExpected);
  });

  it('Logs Insights JSON export of discovered fields (memory in bytes), gzipped', async () => {
    const records = handCount().get('/aws/lambda/orders-dev-health') ?? [];
    const rows = records.map((r) => ({
      '@timestamp': r.time.replace('T', ' ').replace('Z', ''),
      '@log': '123456789012:/aws/lambda/orders-dev-health',
      '@duration': String(r.duration),
      '@billedDuration': String(r.billed),
      '@memorySize': String(r.memory * 1_000_000),
      '@maxMemoryUsed': String(r.used * 1_000_000),
      ...(r.init !== null ? { '@initDuration': String(r.init) } : {}),
    }));
    const file = write('insights.json.gz', gzipSync(JSON.stringify(rows)));
    const r = await readLogs({ paths: [file], cwd: tmp });
    expect(pick(r.entries[0]?.figures)).toEqual(healthExpected);
  });

  it('a plain export without a log group is attributed by its file name, and says so', async () => {
    const file = write('orders-dev-health.log', healthEvents.map((e) => `${e.message}`).join('\n'));
    const r = await readLogs({ paths: [file], cwd: tmp });
    expect(r.entries.map((e) => e.key)).toEqual(['orders-dev-health']);
    const f = r.entries[0]?.figures;
    expect([f?.invocations, f?.coldStarts, f?.initMs?.p50, f?.window]).toEqual([80, 7, 177.93, null]);
    expect(r.warnings).toEqual([
      "orders-dev-health.log: 80 REPORT record(s) without a log group, attributed to 'orders-dev-health' by the file name (set it with --function orders-dev-health.log=NAME)",
    ]);
  });

  it('a corrupt .gz is a warning, the other files still count', async () => {
    const bad = write('broken.log.gz', Buffer.concat([gzipSync(healthLines.join('\n')).subarray(0, 40), Buffer.from('garbage')]));
    const good = write('ok-text.log', healthLines.join('\n'));
    const r = await readLogs({ paths: [bad, good], cwd: tmp });
    expect(r.warnings.filter((w) => w.startsWith('broken.log.gz: reading stopped at an error (Z_'))).toHaveLength(1);
    expect(r.entries.find((e) => e.key === '/aws/lambda/orders-dev-health')?.figures.invocations).toBeGreaterThanOrEqual(80);
  });

  it("a missing path is the user's error", async () => {
    await expect(readLogs({ paths: ['nope/'], cwd: tmp })).rejects.toThrow('--logs: not found: nope/');
  });
});
