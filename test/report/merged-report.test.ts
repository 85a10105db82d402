import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { CsvRecords } from '../../src/metrics/csv.js';
import type { FunctionResult, ScanResult } from '../../src/model/result.js';
import { buildHtmlView, htmlAssets } from '../../src/report/html-view.js';
import { render } from '../../src/report/index.js';
import { mergeResults } from '../../src/report/merge.js';
import { scan } from '../../src/index.js';
import { repo } from './example-result.js';

/** The two bundled examples merged as test/report/merge.test.ts merges them: every function carries its service. */
const usage = { invocations: 2_000_000, coldStartRate: 0.05 };
const orders = await scan({ root: 'examples/orders-service', cwd: repo, cost: usage });
const sam = await scan({ root: 'examples/reports-sam', cwd: repo, cost: { ...usage, region: 'eu-west-1' } });
const merged = mergeResults(
  [
    { file: 'orders.json', name: null, result: structuredClone(orders) },
    { file: 'sam.json', name: null, result: structuredClone(sam) },
  ],
  '1.0.0',
);

const ranked = (result: ScanResult): FunctionResult[] => [...result.functions].sort((a, b) => a.rank - b.rank);
const esc = (text: string): string => Handlebars.escapeExpression(text);

function serviceOf(fn: FunctionResult): string {
  if (fn.service === undefined) throw new Error(`${fn.id} has no service`);
  return fn.service;
}

function csvRecords(text: string): Record<string, string>[] {
  const reader = new CsvRecords();
  const rows = text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => reader.push(line))
    .filter((row): row is string[] => row !== null);
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries((header ?? []).map((name, i) => [name, cells[i] ?? ''])));
}

describe('a merged result names the service of every function', () => {
  it('is a result of both services, each function with its service', () => {
    expect(new Set(merged.functions.map(serviceOf))).toEqual(new Set(['orders-service', 'reports-sam']));
  });

  it('text: each function heading carries its service', () => {
    const out = render(merged, 'text', { detail: true, width: 10_000 });
    for (const fn of ranked(merged)) {
      expect(out).toContain(`\n#${fn.rank} ${fn.name}  [${serviceOf(fn)}]  (${fn.declaredIn.file}:${fn.declaredIn.line})`);
    }
  });

  it('markdown: a Service column in the summary table, and the service in each heading', () => {
    const out = render(merged, 'markdown');
    expect(out).toContain('| # | Function | Service | Est. init (ms) |');
    for (const fn of ranked(merged)) {
      expect(out).toContain(
        `| ${fn.rank} | \`${fn.name}\` | ${serviceOf(fn)} | ${fn.init === null ? '?' : fn.init.estInitMs.toLocaleString('en-US', { maximumFractionDigits: 0 })} |`,
      );
      expect(out).toContain(`\n## ${fn.rank}. ${fn.name} (${serviceOf(fn)})\n`);
    }
  });

  it('html: a Service column right after Function, and the service beside each heading', () => {
    const view = buildHtmlView(merged, htmlAssets());
    expect(view.columns.map((c) => c.label).slice(0, 3)).toEqual(['Rank', 'Function', 'Service']);
    expect(view.rows.map((r) => r.cells[2]?.text)).toEqual(ranked(merged).map(serviceOf));
    for (const row of view.rows) expect(row.cells).toHaveLength(view.columns.length);
    const page = render(merged, 'html');
    for (const fn of ranked(merged)) {
      expect(page).toContain(`<h2>${fn.rank}. ${esc(fn.name)} <span class="service">${esc(serviceOf(fn))}</span></h2>`);
    }
  });

  it("csv: service_root is the function's service, not the merged root", () => {
    const rows = csvRecords(render(merged, 'csv'));
    expect(rows.map((r) => [r['name'], r['service_root']])).toEqual(ranked(merged).map((fn) => [fn.name, serviceOf(fn)]));
    expect(merged.root).toBe('orders-service + reports-sam');
  });
});

describe('a single-service result shows no service anywhere', () => {
  it('has no service column, bracket or badge, and csv keeps the scanned root', () => {
    expect(orders.functions.every((fn) => fn.service === undefined)).toBe(true);
    expect(render(orders, 'text', { detail: true })).not.toContain('[orders-service]');
    expect(render(orders, 'markdown')).toContain('| # | Function | Est. init (ms) |');
    expect(render(orders, 'markdown')).not.toContain('Service');
    const page = render(orders, 'html');
    expect(page).not.toContain('class="service"');
    expect(buildHtmlView(orders, htmlAssets()).columns.map((c) => c.label)).not.toContain('Service');
    expect(csvRecords(render(orders, 'csv')).every((r) => r['service_root'] === 'examples/orders-service')).toBe(true);
  });
});
