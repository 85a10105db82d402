import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { stripHtmlUnsafeChars } from '../../src/report/escape.js';
import { usd } from '../../src/report/cost-view.js';
import { formatMs, plural } from '../../src/report/format.js';
import { BAR_UNITS, buildHtmlView, htmlAssets } from '../../src/report/html-view.js';
import { render } from '../../src/report/index.js';
import { golden } from '../helpers/golden.js';
import { exampleResult } from './example-result.js';
import { emptyResult, HOSTILE_TEXT, hostileResult, NASTY_NAME, sampleResult } from './sample-result.js';

const example = await exampleResult();
const html = render(example, 'html');

const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/** Every start tag in the page, by name: what a browser would build elements from. */
/**
 * The page's tags, without the `tspan` lines of chart labels: a longer name wraps into more of them, which is layout
 * (checked by the wrap test), not an injected element.
 */
function tagNames(page: string): string[] {
  return Array.from(page.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g), (m) => (m[1] ?? '').toLowerCase()).filter((t) => t !== 'tspan');
}

/** What handlebars' `{{ }}` makes of a text. */
const esc = (text: string): string => Handlebars.escapeExpression(text);

function count(page: string, needle: string): number {
  return page.split(needle).length - 1;
}

function between(page: string, open: string, close: string): string {
  const start = page.indexOf(open);
  const end = page.indexOf(close, start);
  if (start < 0 || end < 0) throw new Error(`no ${open}...${close}`);
  return page.slice(start + open.length, end);
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

describe('html report of the example', () => {
  it('matches the golden page, and renders the same twice', () => {
    expect(html).toBe(golden('examples-orders-service.html', html));
    expect(render(example, 'html')).toBe(html);
  });

  it('declares a CSP that allows no network, before any style or script, naming the inline ones by hash', () => {
    const csp = between(html, '<meta http-equiv="Content-Security-Policy" content="', '">');
    const directives = csp.split(';').map((d) => d.trim());
    expect(directives).toContain("default-src 'none'");
    expect(directives).toContain("base-uri 'none'");
    expect(directives).toContain("form-action 'none'");
    // Only hashes: no 'unsafe-inline', no scheme or host source anywhere.
    expect(csp).not.toMatch(/unsafe|https?:|data:|\*/);
    expect(html.indexOf('http-equiv="Content-Security-Policy"')).toBeLessThan(html.indexOf('<style>'));
    expect(count(html, '<style>')).toBe(1);
    expect(count(html, '<script')).toBe(1);
    expect(directives).toContain(`style-src ${sha256(between(html, '<style>', '</style>'))}`);
    expect(directives).toContain(`script-src ${sha256(between(html, '<script>', '</script>'))}`);
  });

  it('references nothing outside the page: no src, no external href, no url() or @import in CSS', () => {
    expect(html).not.toMatch(/\s(?:src|srcset|action|formaction|poster|data|xlink:href|background)=/i);
    const hrefs = Array.from(html.matchAll(/\shref="([^"]*)"/g), (m) => m[1]);
    expect(hrefs.length).toBe(example.functions.length);
    expect(hrefs.every((href) => /^#fn-\d+$/.test(href ?? ''))).toBe(true);
    const style = between(html, '<style>', '</style>');
    expect(style).not.toMatch(/url\(|@import|@font-face/i);
    expect(
      tagNames(html).filter((tag) => ['img', 'iframe', 'link', 'object', 'embed', 'image', 'use', 'foreignobject', 'form', 'base'].includes(tag)),
    ).toEqual([]);
  });

  it('summarises the service: functions, est. init, the month now and each scenario saving', () => {
    const cost = example.summary.cost;
    expect(cost?.functionsPriced).toBe(9);
    const view = buildHtmlView(example, htmlAssets());
    if (cost === undefined) throw new Error('example has no cost');
    // Figures follow the price and catalog data; the cards' order, labels and signs are what is checked.
    expect(view.cards.map((c) => `${c.label}: ${c.value}`)).toEqual([
      'Functions: 9',
      `Est. init, all functions: ${formatMs(example.summary.estInitMs)} ms`,
      `Monthly cost now: ${usd(cost.monthlyMicroUsd)}`,
      `Every plan applied: -${usd(cost.planSavingMicroUsd)}`,
      ...cost.scenarios.map((s) => `${s.label}: -${usd(s.savingMicroUsd)}`),
    ]);
    expect(cost.scenarios.map((s) => s.id)).toEqual(['in-node-fixes', 'arm64', 'right-size', 'llrt', 'rust']);
    expect(cost.scenarios.every((s) => s.savingMicroUsd > 0)).toBe(true);
    expect(view.cards.slice(3).every((c) => c.good)).toBe(true);
  });

  it('shows a scenario that costs more as an increase, not a double minus', () => {
    const cost = example.summary.cost;
    if (cost === undefined) throw new Error('example has no cost');
    const worse: ScanResult = {
      ...example,
      summary: {
        ...example.summary,
        cost: { ...cost, scenarios: cost.scenarios.map((s) => (s.id === 'llrt' ? { ...s, savingMicroUsd: -3000 } : s)) },
      },
    };
    const view = buildHtmlView(worse, htmlAssets());
    expect(view.cards.find((c) => c.label.startsWith('LLRT'))).toMatchObject({ value: '+$0.0030', good: false });
    const llrt = view.costChart?.bars.find((b) => b.label.startsWith('LLRT'));
    expect(llrt?.value).toBe(`costs $0.0030 more · ${usd(cost.monthlyMicroUsd + 3000)}/month (4 functions)`);
    // Drawn as the month now plus the increase in red, past the end of the now bar; the scale grows to fit it.
    expect(llrt?.segments.map((x) => x.kind)).toEqual(['after', 'more']);
    expect(view.costChart?.bars.at(-1)).toBe(llrt);
  });

  it('draws the cost chart as savings: each scenario is the month after it plus its saving in green, biggest saving first', () => {
    const cost = example.summary.cost;
    if (cost === undefined) throw new Error('example has no cost');
    const chart = buildHtmlView(example, htmlAssets()).costChart;
    const bySaving = [...cost.scenarios].sort((a, b) => b.savingMicroUsd - a.savingMicroUsd);
    expect(chart?.bars.map((b) => b.label)).toEqual(['Now', ...bySaving.map((s) => s.label)]);
    expect(chart?.bars.map((b) => b.segments.map((x) => x.kind).join('+'))).toEqual(['now', ...bySaving.map(() => 'after+saving')]);
    const full = chart?.bars[0]?.segments[0]?.width ?? 0;
    expect([full, chart?.units]).toEqual([BAR_UNITS, BAR_UNITS]);
    const px = (micro: number): number => Math.round((micro / cost.monthlyMicroUsd) * full * 10) / 10;
    // The green part is the saving to scale, and it starts where the month after ends.
    expect(chart?.bars.slice(1).map((b) => b.segments[1]?.width)).toEqual(bySaving.map((s) => px(s.savingMicroUsd)));
    expect(chart?.bars.slice(1).map((b) => b.segments[0]?.width)).toEqual(bySaving.map((s) => px(cost.monthlyMicroUsd - s.savingMicroUsd)));
    for (const b of chart?.bars.slice(1) ?? []) {
      expect(b.segments[0]?.x).toBe(0);
      expect(b.segments[1]?.x).toBeCloseTo(b.segments[0]?.width ?? NaN, 5);
      // Together they are the month now, up to the 0.1 rounding of each part.
      expect(Math.abs((b.segments[0]?.width ?? 0) + (b.segments[1]?.width ?? 0) - full)).toBeLessThanOrEqual(0.1);
    }
    expect(chart?.bars[1]?.value).toBe(
      `saves ${usd(bySaving[0]?.savingMicroUsd ?? 0)} · ${usd(cost.monthlyMicroUsd - (bySaving[0]?.savingMicroUsd ?? 0))}/month after (${bySaving[0]?.functions} functions)`,
    );
    expect(chart?.legend.map((l) => l.kind)).toEqual(['now', 'after', 'saving']);
    expect(count(html, '<figure class="chart cost-chart"')).toBe(1);
  });

  it('keeps a long label whole, as text that wraps (nothing cut with an ellipsis)', () => {
    const view = buildHtmlView(example, htmlAssets());
    const labels = [...(view.costChart?.bars ?? []), ...view.functions.flatMap((fn) => fn.chart?.bars ?? [])].map((b) => b.label);
    const long = labels.filter((l) => l.length > 40);
    expect(long.length).toBeGreaterThan(0);
    for (const l of long) {
      expect(l).not.toContain('…');
      expect(html).toContain(`<div class="bar-label">${esc(l)}</div>`);
    }
  });

  it("shows effort for every function with an estimate: the plan's points, else the port estimate's (not 0)", () => {
    const effortCol = buildHtmlView(example, htmlAssets()).columns.findIndex((c) => c.label === 'Effort (pts)');
    const noPlan: ScanResult = {
      ...example,
      functions: example.functions.map((fn) => (fn.plan === null ? fn : { ...fn, plan: { ...fn.plan, steps: [], effortPoints: 0 } })),
    };
    const view = buildHtmlView(noPlan, htmlAssets());
    const ranked = [...noPlan.functions].sort((a, b) => a.rank - b.rank);
    expect(view.rows.map((r) => r.cells[effortCol]?.text)).toEqual(ranked.map((fn) => `${Math.round((fn.effort?.points ?? NaN) * 10) / 10} (port)`));
    expect(view.rows.every((r) => Number(r.cells[effortCol]?.sort) > 0)).toBe(true);
    // With steps the plan's own points show, unmarked.
    const planned = buildHtmlView(example, htmlAssets());
    const withSteps = [...example.functions]
      .sort((a, b) => a.rank - b.rank)
      .map((fn) => ((fn.plan?.steps.length ?? 0) > 0 ? String(fn.plan?.effortPoints) : null));
    planned.rows.forEach((r, i) => {
      if (withSteps[i] !== null) expect(r.cells[effortCol]?.text).toBe(withSteps[i]);
    });
  });

  it('draws one init chart per function with packages, one bar per package, on one scale', () => {
    const view = buildHtmlView(example, htmlAssets());
    const withPackages = example.functions.filter((fn) => (fn.init?.packages.length ?? 0) > 0);
    expect(count(html, '<figure class="chart init-chart"')).toBe(withPackages.length);
    const bars = view.functions.flatMap((fn) => fn.chart?.bars ?? []);
    expect(bars.length).toBe(withPackages.reduce((n, fn) => n + (fn.init?.packages.length ?? 0), 0));
    // The most expensive package of the whole service gets the full width; the rest are measured against it.
    expect(Math.max(...bars.map((b) => b.segments[0]?.width ?? 0))).toBe(BAR_UNITS);
    const health = view.functions.find((fn) => fn.name === 'health');
    expect(health?.chart).toBeNull();
    expect(health?.chartNote).toBe('No packages load at init.');
  });

  it('lists one table row per function in rank order, with numeric sort keys', () => {
    const body = between(html, '<table class="functions" data-sortable>', '</table>');
    const rows = Array.from(body.matchAll(/<tr data-rank="(\d+)">/g), (m) => Number(m[1]));
    expect(rows).toEqual(example.functions.map((fn) => fn.rank).sort((a, b) => a - b));
    const view = buildHtmlView(example, htmlAssets());
    for (const row of view.rows) {
      expect(row.cells.length).toBe(view.columns.length);
      for (const cell of row.cells.filter((c) => c.numeric && c.sort !== '')) expect(Number.isFinite(Number(cell.sort))).toBe(true);
    }
  });

  it('shows the plan of each function: steps, crates, target; its blockers once, in the port table', () => {
    const api = example.functions.find((fn) => fn.name === 'ordersApi');
    const steps = api?.plan?.steps ?? [];
    expect(steps.length).toBeGreaterThan(0);
    const section = between(html, `<h2>${api?.rank}. ordersApi</h2>`, '</section>');
    for (const step of steps) expect(section).toContain(esc(step.action));
    expect(section).toContain(esc('Rust crates: aws-sdk -> aws-config + aws-sdk-*'));
    // The port table lists the blockers with their sites; the plan does not repeat their names.
    expect(between(section, '<table class="port">', '</table>')).toContain('<tr><td>LLRT</td><td class="verdict verdict-blocked">blocked</td>');
    expect(section).not.toContain('LLRT blocked by');
    expect(section).toMatch(/<li>Target: Rust: /);
  });
});

describe('html report of other results', () => {
  it('renders an empty scan with the hint and no table or charts', () => {
    const page = render(emptyResult, 'html');
    expect(page).toContain('lambda-migrate looks for handlers declared in serverless.yml');
    expect(page).not.toContain('<table');
    expect(page).not.toContain('<svg');
  });

  it('says when cost needs metrics instead of drawing a chart of zeros', () => {
    const noUsage: ScanResult = {
      ...emptyResult,
      summary: {
        ...emptyResult.summary,
        cost: {
          region: 'us-east-1',
          currency: 'USD',
          pricesSource: 'test',
          pricesDate: '2026-11-27',
          basis: 'none',
          monthlyMicroUsd: 0,
          freeTierMicroUsd: null,
          monthlyAfterFreeTierMicroUsd: 0,
          functionsPriced: 0,
          functionsNeedingMetrics: 3,
          scenarios: [],
          planSavingMicroUsd: 0,
          top: [],
          notes: [],
        },
      },
    };
    const page = render(noUsage, 'html');
    expect(page).toContain('<div class="value">needs metrics</div>');
    expect(page).toContain('3 functions need metrics');
    expect(page).not.toContain('cost-chart');
  });

  it('renders the hand-built sample (unmapped handler, access denied, guessed mapping) without bidi or control characters', () => {
    const page = render(sampleResult, 'html');
    expect(NASTY_NAME).toContain('\u202E');
    expect(page).toContain(esc('notify`ops`|@channeltxt.exe'));
    expect(page).toContain('init not analysed: the handler is not mapped to a source file');
    expect(page).toContain('access denied');
    expect(page).not.toMatch(BIDI);
    expect(page).not.toMatch(CONTROLS);
  });
});

describe('html report with hostile names from the scanned code', () => {
  it('stripHtmlUnsafeChars drops bidi and control characters, keeps tabs and newlines (CRLF and CR become LF)', () => {
    expect(stripHtmlUnsafeChars('a\u202Eb\u2066c\u200Fd\r\ne\rf\u0007g\u001B[31mh\ti\u0085j')).toBe('abcd\ne\nfg[31mh\tij');
  });

  const page = render(hostileResult(), 'html');
  // The same result with harmless text where the hostile text goes: any extra tag would come from the names.
  const baseline = render(hostileResult('plain'), 'html');

  it('adds no element: the same tags as the benign page, one script, one style', () => {
    expect(HOSTILE_TEXT).toContain('<script>');
    expect(tagNames(page).sort()).toEqual(tagNames(baseline).sort());
    expect(count(page, '<script')).toBe(1);
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<details><script>');
    expect(page).not.toContain('<!-- lambda-migrate:pr-comment -->');
    expect(page).not.toContain('<!--');
  });

  it('shows the text escaped, with the bidi override, controls and CR dropped', () => {
    expect(page).toContain('&lt;details&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;!-- lambda-migrate:pr-comment --&gt;');
    expect(page).toContain('@team &#x60;x&#x60; | ');
    expect(page).not.toMatch(BIDI);
    expect(page).not.toMatch(CONTROLS);
    expect(page).not.toContain('\r');
  });

  it('keeps attribute values closed: a quote in a name cannot add an event handler', () => {
    const attr = render(hostileResult('" onmouseover="alert(1)" x=\'y'), 'html');
    expect(attr).not.toMatch(/\sonmouseover=/);
    expect(attr).toContain('&quot; onmouseover&#x3D;&quot;alert(1)&quot; x&#x3D;&#x27;y');
    expect(tagNames(attr).sort()).toEqual(tagNames(baseline).sort());
  });
});

describe('html report: the month by part', () => {
  const page = render(sampleResult, 'html');
  const createOrder = sampleResult.functions.find((fn) => fn.name === 'createOrder');

  it("tabulates createOrder's month: requests, invoke, INIT, ephemeral storage (2048 MB), provisioned concurrency (1 unit), total", () => {
    const cost = createOrder?.cost;
    const m = cost?.monthly;
    if (cost == null || m == null || cost.usage === null || cost.current === null) throw new Error('sample createOrder has no month');
    const view = buildHtmlView(sampleResult, htmlAssets()).functions.find((fn) => fn.name === 'createOrder');
    expect(view?.cost?.components).toEqual([
      { label: 'Requests', amount: usd(m.requestsMicroUsd), detail: plural(cost.usage.invocationsPerMonth, 'invocation') },
      { label: 'Invoke', amount: usd(m.invokeMicroUsd), detail: `${formatMs(cost.current.durationMs)} ms x 1024 MB` },
      { label: 'INIT', amount: usd(m.initMicroUsd), detail: `${formatMs(cost.current.initMs)} ms x 1024 MB` },
      { label: 'Ephemeral storage', amount: usd(m.ephemeralMicroUsd ?? null), detail: '2048 MB' },
      { label: 'Provisioned concurrency', amount: usd(m.provisionedMicroUsd ?? null), detail: '1 unit' },
      { label: 'Total', amount: usd(m.totalMicroUsd), detail: 'per month' },
    ]);
    const section = between(page, '<h2>1. createOrder</h2>', '</section>');
    const parts = between(section, '<table class="cost-parts">', '</table>');
    expect(parts).toContain('<th data-type="number">Ephemeral storage</th><th data-type="number">Provisioned concurrency</th>');
    expect(parts).toContain(`<td class="num">${usd(m.ephemeralMicroUsd ?? null)}<br><span class="muted">2048 MB</span></td>`);
    expect(parts).toContain(`<td class="num">${usd(m.provisionedMicroUsd ?? null)}<br><span class="muted">1 unit</span></td>`);
  });

  it('says "not priced" for a part the region has no rate for, and lists neither part for a function without them', () => {
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
    const parts = buildHtmlView(unpriced, htmlAssets()).functions[0]?.cost?.components ?? [];
    expect(parts.filter((p) => p.amount === 'not priced').map((p) => p.label)).toEqual(['Ephemeral storage', 'Provisioned concurrency']);
    for (const fn of buildHtmlView(example, htmlAssets()).functions) {
      expect(fn.cost?.components.map((p) => p.label)).toEqual(['Requests', 'Invoke', 'INIT', 'Total']);
    }
  });
});

describe('html report: the port to Rust or LLRT and its effort', () => {
  it('shows, per function, both verdicts with every blocker and risk at its file:line, and the effort with its inputs', () => {
    const withPort = example.functions.filter((fn) => fn.portability != null && fn.effort != null);
    expect(withPort).toHaveLength(example.functions.length);
    for (const fn of withPort) {
      const section = between(html, `<h2>${fn.rank}. ${esc(fn.name)}</h2>`, '</section>');
      const table = between(section, '<table class="port">', '</table>');
      for (const [target, t] of [
        ['Rust', fn.portability?.rust],
        ['LLRT', fn.portability?.llrt],
      ] as const) {
        const row = between(table, `<tr><td>${target}</td>`, '</tr>');
        expect(row).toContain(`<td class="verdict verdict-${t?.verdict}">${t?.verdict}</td>`);
        for (const issue of t?.blockers ?? [])
          expect(row).toContain(
            `<div><code>${esc(issue.name)}</code> at <code>${issue.file}:${issue.line}</code> <span class="muted">${esc(issue.note)}</span></div>`,
          );
        for (const issue of t?.risks ?? [])
          expect(row).toContain(`<div>risk: <code>${esc(issue.name)}</code> at <code>${issue.file}:${issue.line}</code>`);
      }
      const e = fn.effort;
      expect(section).toContain(
        `>Effort ${e?.size}: ${Math.round((e?.points ?? 0) * 10) / 10} points from ${plural(e?.inputs.ownLines ?? 0, 'own line')} in ${plural(e?.inputs.ownFiles ?? 0, 'file')}, ${plural(e?.inputs.packages ?? 0, 'package')}`,
      );
    }
    // The example has something in the way of each verdict a reader must see.
    const api = between(html, `<h2>${example.functions.find((fn) => fn.name === 'ordersApi')?.rank}. ordersApi</h2>`, '</section>');
    expect(api).toContain('<div><code>express</code> at <code>src/handlers/orders-api.js:4</code>');
    expect(example.functions.some((fn) => fn.portability?.rust.verdict === 'risky')).toBe(true);
  });

  it('gives the functions table a Rust / LLRT column', () => {
    const view = buildHtmlView(example, htmlAssets());
    const index = view.columns.findIndex((c) => c.label === 'Rust / LLRT');
    expect(index).toBeGreaterThan(0);
    expect(view.rows.map((r) => r.cells[index]?.text)).toEqual(
      [...example.functions].sort((a, b) => a.rank - b.rank).map((fn) => `${fn.portability?.rust.verdict} / ${fn.portability?.llrt.verdict}`),
    );
  });
});

describe('html report: what the scan listed without analysing', () => {
  it('lists functions not analysed and unreferenced handlers when there are any', () => {
    const page = render(sampleResult, 'html');
    expect(between(page, '<section id="not-analysed">', '</section>')).toContain(
      '<tr><td>resize</td><td><code>serverless.yml:61</code></td><td>other runtime</td><td>python3.12</td></tr>',
    );
    expect(between(page, '<section id="unreferenced">', '</section>')).toContain('<li><code>src/handlers/old-export.ts#handler:7</code></li>');
    expect(example.unreferenced).toEqual([]);
    expect(example.notAnalysed).toEqual([]);
    expect(html).not.toContain('id="not-analysed"');
    expect(html).not.toContain('id="unreferenced"');
  });

  it('escapes hostile names there, in the port table and in the service badge', () => {
    const page = render(hostileResult(), 'html');
    const shown = (text: string): string => esc(stripHtmlUnsafeChars(text));
    expect(between(page, '<section id="not-analysed">', '</section>')).toContain(`<td>${shown(`resize${HOSTILE_TEXT}`)}</td>`);
    expect(between(page, '<section id="unreferenced">', '</section>')).toContain(shown(`src/${HOSTILE_TEXT}/old.ts#handler${HOSTILE_TEXT}:7`));
    expect(page).toContain(`<code>${shown(`node:crypto${HOSTILE_TEXT}`)}</code>`);
    expect(page).toContain(`<span class="service">${shown(`orders-service${HOSTILE_TEXT}`)}</span>`);
  });
});
