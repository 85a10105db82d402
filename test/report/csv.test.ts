import { describe, expect, it } from 'vitest';
import { CsvRecords } from '../../src/metrics/csv.js';
import type { FunctionResult, ScanResult } from '../../src/model/result.js';
import { CSV_COLUMNS, csvUsd } from '../../src/report/csv.js';
import { csvTextCell } from '../../src/report/escape.js';
import { findGitRoot } from '../../src/source/git-root.js';
import { render } from '../../src/report/index.js';
import { REPO, runCli } from '../helpers/cli.js';
import { golden } from '../helpers/golden.js';
import { exampleResult } from './example-result.js';
import { hostileResult, sampleResult } from './sample-result.js';

const example = await exampleResult();
const csv = render(example, 'csv');

/** RFC 4180 as a spreadsheet reads it, through the project's own reader (quoted fields may span lines). */
function parseCsv(text: string): string[][] {
  const reader = new CsvRecords();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const rows: string[][] = [];
  for (const line of lines) {
    const fields = reader.push(line);
    if (fields !== null) rows.push(fields);
  }
  return rows;
}

function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((cells) => Object.fromEntries((header ?? []).map((name, i) => [name, cells[i] ?? '(missing)'])));
}

function fn(name: string): FunctionResult {
  const found = example.functions.find((f) => f.name === name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found;
}

describe('csv of the example', () => {
  it('matches the golden file', () => {
    expect(csv).toBe(golden('examples-orders-service.csv', csv));
  });

  it('has a header and one row per function in rank order, every row as wide as the header', () => {
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.length).toBe(1 + example.functions.length);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    expect(records(csv).map((r) => r['rank'])).toEqual(example.functions.map((f) => String(f.rank)).sort((a, b) => Number(a) - Number(b)));
  });

  it('writes the figures as plain numbers a spreadsheet can sum', () => {
    const api = records(csv).find((r) => r['name'] === 'ordersApi');
    const f = fn('ordersApi');
    expect(api).toMatchObject({
      id: 'serverless.yml#ordersApi',
      service_root: 'examples/orders-service',
      runtime: 'nodejs20.x',
      architecture: 'x86_64',
      memory_mb: '1024',
      est_init_ms: String(f.init?.estInitMs),
      measured_init_p50_ms: String(f.metrics?.initMs?.p50),
      measured_init_p90_ms: String(f.metrics?.initMs?.p90),
      measured_init_p99_ms: String(f.metrics?.initMs?.p99),
      cold_starts: String(f.metrics?.coldStarts),
      invocations: String(f.metrics?.invocations),
      monthly_now_usd: csvUsd(f.plan?.monthlyNowMicroUsd ?? null),
      plan_saving_usd: csvUsd(f.plan?.savingMicroUsd ?? null),
      effort_points: String(f.plan?.effortPoints),
      findings_error: '0',
      findings_warn: String(f.findings.filter((x) => x.severity === 'warn').length),
      findings_info: String(f.findings.filter((x) => x.severity === 'info').length),
      io_tangle_verdict: f.ioTangle?.verdict,
    });
    for (const r of records(csv)) {
      for (const column of CSV_COLUMNS.filter((c) => c.endsWith('_usd') || c.endsWith('_ms') || c === 'rank')) {
        const cell = r[column] ?? '';
        expect(cell === '' || /^-?\d+(\.\d+)?$/.test(cell), `${column}=${cell}`).toBe(true);
      }
    }
    // The USD columns add up to the service's month, to the micro-dollar per function.
    const sum = records(csv).reduce((n, r) => n + Math.round(Number(r['monthly_now_usd']) * 1e6), 0);
    expect(sum).toBe(example.functions.reduce((n, f) => n + (f.plan?.monthlyNowMicroUsd ?? 0), 0));
  });

  it('leaves a scenario empty when it is blocked or does not apply, never 0', () => {
    const api = fn('ordersApi');
    expect(api.cost?.scenarios.find((s) => s.id === 'llrt')?.status).toBe('blocked');
    expect(records(csv).find((r) => r['name'] === 'ordersApi')?.['saving_llrt_usd']).toBe('');
    const rust = api.cost?.scenarios.find((s) => s.id === 'rust');
    expect(records(csv).find((r) => r['name'] === 'ordersApi')?.['saving_rust_usd']).toBe(csvUsd(rust?.savingMicroUsd ?? null));
  });
});

describe('csvUsd', () => {
  it.each([
    [0, '0.00'],
    [44_057, '0.044057'],
    [1_500_000, '1.50'],
    [34, '0.000034'],
    [-12_300, '-0.0123'],
    [1_234_567_890, '1234.56789'],
    [null, ''],
  ])('%s micro-USD is %s', (micro, text) => {
    expect(csvUsd(micro)).toBe(text);
  });
});

describe('csv injection', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1+1', "' =1+1"],
    ['\r=1+1', "' =1+1"],
    [' =1+1', "' =1+1"],
    ['createOrder', 'createOrder'],
    ['orders-dev-createOrder', 'orders-dev-createOrder'],
    ['a\r\nb\u202Ec', 'a bc'],
  ])('%j becomes %j', (input, output) => {
    expect(csvTextCell(input)).toBe(output);
  });

  it('guards every cell from the scanned code, and only those', () => {
    const evil = "=cmd|' /C calc'!A0";
    const base = sampleResult.functions.find((f) => f.name === 'createOrder');
    if (base === undefined) throw new Error('sample has no createOrder');
    const result: ScanResult = {
      ...sampleResult,
      root: '@root',
      functions: [{ ...base, id: `+${base.id}`, name: evil, runtime: '-nodejs20.x' }],
    };
    const [row] = records(render(result, 'csv'));
    expect(row).toMatchObject({ id: `'+${base.id}`, name: `'${evil}`, service_root: "'@root", runtime: "'-nodejs20.x" });
    // Negative savings are our numbers, not text: they stay numbers.
    expect(csvUsd(-5)).toBe('-0.000005');
  });

  it('keeps hostile names on one line in one cell', () => {
    const out = render(hostileResult(), 'csv');
    const rows = parseCsv(out);
    expect(rows.length).toBe(1 + sampleResult.functions.length);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    expect(out).not.toMatch(/[\r\u202A-\u202E\u2066-\u2069]/);
    const names = records(out).map((r) => r['name'] ?? '');
    expect(names.every((n) => n.includes('<script>alert(1)</script>') && !n.includes('\n'))).toBe(true);
  });
});

describe('the CLI', () => {
  it.each(['csv', 'sarif', 'html'] as const)('scan -f %s prints the same report as render()', async (format) => {
    const run = await runCli(['scan', 'examples/orders-service', '--logs', 'examples/orders-service/logs', '-f', format, '-q']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    // The CLI renders from where it runs (SARIF finds the repository root from there): so does this render.
    expect(run.out).toBe(render(example, format, { cwd: REPO, gitRootOf: findGitRoot }));
  });
});

describe('csv cost parts: ephemeral storage and provisioned concurrency', () => {
  const sample = records(render(sampleResult, 'csv'));
  const createOrder = sampleResult.functions.find((f) => f.name === 'createOrder');
  const monthly = createOrder?.cost?.monthly;

  it('gives createOrder its configured sizes and what they cost a month, as plain numbers', () => {
    if (monthly === undefined || monthly === null) throw new Error('sample createOrder has no month');
    expect(monthly.ephemeralMicroUsd).toBeGreaterThan(0);
    expect(monthly.provisionedMicroUsd).toBeGreaterThan(0);
    const row = sample.find((r) => r['name'] === 'createOrder');
    expect(row).toMatchObject({
      ephemeral_storage_mb: '2048',
      provisioned_concurrency: '1',
      ephemeral_storage_usd: csvUsd(monthly.ephemeralMicroUsd ?? null),
      provisioned_concurrency_usd: csvUsd(monthly.provisionedMicroUsd ?? null),
    });
    expect(row?.['ephemeral_storage_usd']).toMatch(/^0\.\d+$/);
    expect(row?.['provisioned_concurrency_usd']).toMatch(/^\d+\.\d{2,6}$/);
  });

  it('leaves the cells empty for functions that configure neither, and for a part the region does not price', () => {
    for (const row of [...sample.filter((r) => r['name'] !== 'createOrder'), ...records(csv)]) {
      expect([row['ephemeral_storage_mb'], row['provisioned_concurrency'], row['ephemeral_storage_usd'], row['provisioned_concurrency_usd']]).toEqual(
        ['', '', '', ''],
      );
    }
    if (createOrder?.cost?.monthly == null) throw new Error('sample createOrder has no month');
    const unpriced: ScanResult = {
      ...sampleResult,
      functions: [
        {
          ...createOrder,
          cost: { ...createOrder.cost, monthly: { ...createOrder.cost.monthly, ephemeralMicroUsd: null, provisionedMicroUsd: null } },
        },
      ],
    };
    expect(records(render(unpriced, 'csv'))[0]).toMatchObject({
      ephemeral_storage_mb: '2048',
      ephemeral_storage_usd: '',
      provisioned_concurrency: '1',
      provisioned_concurrency_usd: '',
    });
  });
});
