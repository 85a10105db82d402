import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { render } from '../../src/report/index.js';
import { mergeResults } from '../../src/report/merge.js';
import { usd } from '../../src/report/cost-view.js';
import { compareStrings } from '../../src/util/compare.js';
import { exampleResult, repo } from './example-result.js';
import { hostileResult, sampleResult } from './sample-result.js';

/**
 * The example's HTML report in a real browser: it must load nothing, log no error, draw its charts, and sort its table.
 * CI installs chromium (.ci/run); without it this fails, unless LAMBDA_MIGRATE_SKIP_BROWSER=1 says to skip on purpose.
 */
const CHROMIUM = '/usr/bin/chromium';
const SKIP = process.env['LAMBDA_MIGRATE_SKIP_BROWSER'] === '1';
const OUTPUT = path.join(repo, 'test-output');

describe.skipIf(SKIP)('html report in headless Chromium', () => {
  let browser: Browser | undefined;
  let page: Page;
  let result: ScanResult;
  const requests: string[] = [];
  const errors: string[] = [];
  /** The pages the test opens itself; any other request is the page's doing. */
  const pages = new Set<string>();

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} not found: install chromium (apt-get install chromium) or set LAMBDA_MIGRATE_SKIP_BROWSER=1 to skip the browser test`,
      );
    }
    result = await exampleResult();
    mkdirSync(OUTPUT, { recursive: true });
    const file = path.join(OUTPUT, 'examples-orders-service.html');
    writeFileSync(file, render(result, 'html'));
    const pageUrl = pathToFileURL(file).href;
    pages.add(pageUrl);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Anything the page asks for besides itself is a failure: recorded, and refused so nothing leaves the machine.
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (pages.has(url)) return route.continue();
      requests.push(url);
      return route.abort();
    });
    page = await context.newPage();
    page.on('request', (request) => {
      if (!pages.has(request.url())) requests.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    await page.goto(pageUrl, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads without errors and without a single request (CSP violations would be console errors)', async () => {
    await expect(page.title()).resolves.toBe('lambda-migrate report: examples/orders-service');
    // The sort script ran: it marks the table once it has wired the headers (so the CSP hash let it run).
    expect(await page.locator('table.functions[data-sort-ready="true"]').count()).toBe(1);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('draws the cost chart (now + one bar per scenario) and one init chart per function with packages', async () => {
    const scenarios = result.summary.cost?.scenarios ?? [];
    expect(scenarios.length).toBe(5);
    expect(await page.locator('figure.cost-chart').count()).toBe(1);
    // Now, then per scenario the month after it and its saving.
    expect(await page.locator('.cost-chart rect.bar').count()).toBe(1 + 2 * scenarios.length);
    expect(await page.locator('.cost-chart rect.bar.saving').count()).toBe(scenarios.length);
    expect(await page.locator('.cost-chart rect.bar.now').count()).toBe(1);

    const withPackages = result.functions.filter((fn) => (fn.init?.packages.length ?? 0) > 0);
    expect(withPackages.length).toBe(8);
    expect(await page.locator('figure.init-chart').count()).toBe(withPackages.length);
    // One bar per package with a known, non-zero estimate; an unknown one is a row with its label and "? ms" only.
    const packageCount = withPackages.reduce((n, fn) => n + (fn.init?.packages.filter((p) => (p.estInitMs ?? 0) > 0).length ?? 0), 0);
    expect(await page.locator('.init-chart rect.bar').count()).toBe(packageCount);
    expect(await page.locator('.init-chart .bar-row').count()).toBe(withPackages.reduce((n, fn) => n + (fn.init?.packages.length ?? 0), 0));
    // The charts are laid out, not just present: the widest cost bar is drawn at its full width.
    const box = await page.locator('.cost-chart rect.bar.now').boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(100);
  });

  it("lays out each function's month by part and its port verdicts, colored by verdict", async () => {
    const priced = result.functions.filter((fn) => fn.cost?.monthly != null);
    expect(priced.length).toBe(result.functions.length);
    expect(await page.locator('table.cost-parts').count()).toBe(priced.length);
    expect(await page.locator('table.port').count()).toBe(result.functions.filter((fn) => fn.portability != null).length);
    const blocked = page.locator('table.port td.verdict-blocked').first();
    expect(await blocked.textContent()).toBe('blocked');
    // The verdict color comes from the inline style sheet, so the CSP hash let it apply.
    expect(await page.evaluate("getComputedStyle(document.querySelector('table.port td.verdict-blocked')).color")).toBe('rgb(207, 34, 46)');
    expect((await page.locator('table.cost-parts').first().boundingBox())?.height ?? 0).toBeGreaterThan(20);
  });

  it('has one table row per function, in rank order', async () => {
    const names = await page.locator('table.functions tbody tr td:nth-child(2)').allTextContents();
    expect(names).toEqual([...result.functions].sort((a, b) => a.rank - b.rank).map((fn) => fn.name));
  });

  it('sorts by a column when its header is clicked, and reverses on a second click', async () => {
    const nameCells = page.locator('table.functions tbody tr td:nth-child(2)');
    const byName = result.functions.map((fn) => fn.name).sort(compareStrings);
    await page.locator('table.functions thead th', { hasText: 'Function' }).locator('button').click();
    expect(await nameCells.allTextContents()).toEqual(byName);
    await page.locator('table.functions thead th', { hasText: 'Function' }).locator('button').click();
    expect(await nameCells.allTextContents()).toEqual([...byName].reverse());

    // Numbers sort as numbers (not as text: '1,067' after '990'), ties by rank.
    const initHeader = page.locator('table.functions thead th', { hasText: 'Est. init (ms)' });
    await initHeader.locator('button').click();
    expect(await initHeader.getAttribute('aria-sort')).toBe('ascending');
    const byInit = [...result.functions].sort((a, b) => (a.init?.estInitMs ?? 0) - (b.init?.estInitMs ?? 0) || a.rank - b.rank).map((fn) => fn.name);
    expect(await nameCells.allTextContents()).toEqual(byInit);
    expect(byInit[0]).toBe('health');
  });

  it('shows hostile names as text: no dialog, no extra script or element, no error', async () => {
    const file = path.join(OUTPUT, 'hostile.html');
    writeFileSync(file, render(hostileResult(), 'html'));
    const hostile = await page.context().newPage();
    const dialogs: string[] = [];
    const problems: string[] = [];
    hostile.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    hostile.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    hostile.on('pageerror', (error) => problems.push(error.message));
    pages.add(pathToFileURL(file).href);
    hostile.on('request', (request) => {
      if (!pages.has(request.url())) problems.push(`request ${request.url()}`);
    });
    await hostile.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    expect(await hostile.locator('script').count()).toBe(1);
    // The only details are the page's own: factor notes, and the function folds of a merged result.
    expect(await hostile.locator('details').count()).toBe(
      (await hostile.locator('details > summary', { hasText: 'Factors and risks' }).count()) +
        (await hostile.locator('details.function-fold').count()),
    );
    // The names are there, as text a reader sees.
    expect(await hostile.getByText('<script>alert(1)</script>').count()).toBeGreaterThan(0);
    expect(await hostile.locator('table.functions tbody tr').count()).toBe(sampleResult.functions.length);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await hostile.close();
  });

  /** Opens a page of ours in a fresh context (its own viewport, colour scheme or media); errors and requests recorded. */
  async function open(file: string, options: BrowserContextOptions): Promise<{ view: Page; problems: string[] }> {
    if (browser === undefined) throw new Error('no browser');
    const url = pathToFileURL(file).href;
    pages.add(url);
    const context = await browser.newContext(options);
    const problems: string[] = [];
    await context.route('**/*', async (route) =>
      pages.has(route.request().url()) ? route.continue() : (problems.push(route.request().url()), route.abort()),
    );
    const view = await context.newPage();
    view.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    view.on('pageerror', (e) => problems.push(e.message));
    await view.goto(url, { waitUntil: 'load' });
    return { view, problems };
  }

  /** A computed style of the first element matching `selector` (the page's own getComputedStyle). */
  const style = (view: Page, selector: string, property: string): Promise<string> =>
    view.evaluate<string>(
      `(() => { const el = document.querySelector(${JSON.stringify(selector)}); return el === null ? 'missing' : getComputedStyle(el).getPropertyValue(${JSON.stringify(property)}); })()`,
    );

  interface LabelBox {
    text: string;
    tooltip: string;
    clipped: boolean;
    labelRight: number;
    barLeft: number;
  }

  /** Every chart label as laid out: its text, the row's tooltip, whether it overflows its box, and where it ends. */
  const labelBoxes = (view: Page): Promise<LabelBox[]> =>
    view.evaluate<LabelBox[]>(`Array.from(document.querySelectorAll('.bar-row')).map((row) => {
      const label = row.querySelector('.bar-label');
      const bar = row.querySelector('svg.bar-track');
      return {
        text: label.textContent,
        tooltip: row.getAttribute('title'),
        clipped: label.scrollWidth > label.clientWidth + 1 || label.scrollHeight > label.clientHeight + 1,
        labelRight: label.getBoundingClientRect().right,
        barLeft: bar.getBoundingClientRect().left,
      };
    })`);

  it('keeps every chart label whole, wrapped in its own column left of the bars', async () => {
    const labels = await labelBoxes(page);
    expect(labels.length).toBeGreaterThan(20);
    for (const l of labels) {
      expect(l.clipped, l.text).toBe(false);
      expect(l.labelRight, l.text).toBeLessThanOrEqual(l.barLeft);
      // The tooltip starts with the whole label: nothing was cut off with an ellipsis.
      expect(l.tooltip.startsWith(l.text), l.text).toBe(true);
      expect(l.text).not.toContain('…');
    }
    // The longest scenario label needs two lines and gets them.
    const heights = await page.evaluate<number[]>(
      `Array.from(document.querySelectorAll('.cost-chart .bar-label')).map((l) => l.getBoundingClientRect().height)`,
    );
    expect(Math.max(...heights)).toBeGreaterThan(Math.min(...heights) * 1.5);
  });

  it('draws each scenario as the month after it plus a green saving that ends where the month is now', async () => {
    const rows = await page.evaluate<{ cls: string; right: number }[][]>(
      `Array.from(document.querySelectorAll('.cost-chart .bar-row')).map((row) => Array.from(row.querySelectorAll('rect.bar')).map((r) => ({ cls: r.getAttribute('class'), right: r.getBoundingClientRect().right })))`,
    );
    const now = rows[0]?.[0]?.right ?? NaN;
    expect(rows[0]?.map((r) => r.cls)).toEqual(['bar now']);
    expect(rows.length).toBe(6);
    for (const row of rows.slice(1)) {
      expect(row.map((r) => r.cls)).toEqual(['bar after', 'bar saving']);
      expect(Math.abs((row[1]?.right ?? 0) - now)).toBeLessThan(1);
    }
    expect(await style(page, '.cost-chart rect.bar.saving', 'fill')).toBe('rgb(26, 127, 55)');
    expect(await page.locator('ul.legend li').allTextContents()).toEqual(['the month now', 'the month after the scenario', 'what it saves']);
  });

  it('follows a dark colour scheme: dark background, light text, colours that stay readable', async () => {
    const { view, problems } = await open(path.join(OUTPUT, 'examples-orders-service.html'), {
      viewport: { width: 1280, height: 900 },
      colorScheme: 'dark',
    });
    expect(await style(view, 'body', 'background-color')).toBe('rgb(13, 17, 23)');
    expect(await style(view, 'body', 'color')).toBe('rgb(230, 237, 243)');
    expect(await style(view, '.card', 'background-color')).toBe('rgb(21, 27, 35)');
    expect(await style(view, 'table.port td.verdict-blocked', 'color')).toBe('rgb(248, 81, 73)');
    expect(await style(view, '.bar-label', 'color')).toBe('rgb(230, 237, 243)');
    expect(await style(view, '.cost-chart rect.bar.saving', 'fill')).toBe('rgb(63, 185, 80)');
    expect(await style(view, 'a', 'color')).toBe('rgb(68, 147, 248)');
    await view.screenshot({ path: path.join(OUTPUT, 'html-report-dark.png'), fullPage: true });
    expect(problems).toEqual([]);
    await view.context().close();
  });

  it('prints every table whole: no scroll box, all columns inside the page, rows never split, folds opened', async () => {
    // A4 at 96 dpi less the 12 mm margins is about 703 px wide.
    const { view, problems } = await open(path.join(OUTPUT, 'examples-orders-service.html'), { viewport: { width: 703, height: 1000 } });
    await view.emulateMedia({ media: 'print' });
    expect(await style(view, '.table-wrap', 'overflow-x')).toBe('visible');
    expect(await style(view, 'table.functions', 'break-inside')).toBe('avoid');
    expect(await style(view, 'table.functions tbody tr', 'break-inside')).toBe('avoid');
    expect(await style(view, 'body', 'background-color')).toBe('rgb(255, 255, 255)');
    const fit = await view.evaluate<{ table: number; page: number; scroll: number; width: number }>(`({
      table: document.querySelector('table.functions').getBoundingClientRect().right,
      page: document.querySelector('main').getBoundingClientRect().right,
      scroll: document.documentElement.scrollWidth,
      width: window.innerWidth,
    })`);
    expect(fit.table).toBeLessThanOrEqual(fit.page + 0.5);
    // The charts keep room for their values on paper: no value column squeezed to a letter a line.
    const values = await view.evaluate<number[]>(`Array.from(document.querySelectorAll('.bar-value')).map((v) => v.getBoundingClientRect().width)`);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(140);
    expect(fit.scroll).toBeLessThanOrEqual(fit.width);
    // Dark mode never reaches paper.
    await view.emulateMedia({ media: 'print', colorScheme: 'dark' });
    expect(await style(view, 'body', 'color')).toBe('rgb(0, 0, 0)');
    await view.emulateMedia({ media: 'print', colorScheme: 'light' });
    await view.screenshot({ path: path.join(OUTPUT, 'html-report-print.png'), fullPage: true });
    await view.pdf({
      path: path.join(OUTPUT, 'html-report.pdf'),
      format: 'A4',
      margin: { top: '12mm', bottom: '12mm', left: '12mm', right: '12mm' },
    });
    expect(problems).toEqual([]);
    await view.context().close();
  });

  it("is usable at a phone's width: no sideways page, readable text, wide parts scroll in their own box", async () => {
    const { view, problems } = await open(path.join(OUTPUT, 'examples-orders-service.html'), {
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
    });
    const layout = await view.evaluate<{
      page: number;
      width: number;
      tableScrolls: boolean;
      wrapRight: number;
      barWidth: number;
      chartRight: number;
    }>(`(() => {
      const wrap = document.querySelector('.table-wrap');
      const chart = document.querySelector('figure.cost-chart');
      return {
        page: document.documentElement.scrollWidth,
        width: window.innerWidth,
        tableScrolls: wrap.scrollWidth > wrap.clientWidth,
        wrapRight: wrap.getBoundingClientRect().right,
        barWidth: chart.querySelector('svg.bar-track').getBoundingClientRect().width,
        chartRight: chart.getBoundingClientRect().right,
      };
    })()`);
    // The layout viewport stays the phone's: nothing made the browser zoom the page out to fit it.
    expect(layout.width).toBe(375);
    expect(layout.page).toBeLessThanOrEqual(layout.width);
    expect(layout.wrapRight).toBeLessThanOrEqual(layout.width);
    expect(layout.tableScrolls).toBe(true);
    // The chart fits the screen: each bar spans the width (its label above it, its value below), nothing scrolls.
    expect(layout.chartRight).toBeLessThanOrEqual(layout.width);
    expect(layout.barWidth).toBeGreaterThan(layout.width * 0.8);
    expect(await style(view, '.bar-row', 'display')).toBe('grid');
    for (const l of await labelBoxes(view)) expect(l.clipped, l.text).toBe(false);
    expect(await style(view, 'body', 'font-size')).toBe('14px');
    expect(await style(view, 'main', 'padding-left')).toBe('12px');
    await view.screenshot({ path: path.join(OUTPUT, 'html-report-phone.png'), fullPage: true });
    expect(problems).toEqual([]);
    await view.context().close();
  });

  it('a merged review: per-service totals, folded function sections that a link or printing opens', async () => {
    const merged = mergeResults(
      [
        { file: 'orders.json', name: 'orders', result },
        { file: 'billing.json', name: 'billing', result: sampleResult },
      ],
      result.tool.version,
    );
    const file = path.join(OUTPUT, 'merged.html');
    writeFileSync(file, render(merged, 'html'));
    const { view, problems } = await open(file, { viewport: { width: 1280, height: 900 } });
    const services = await view.evaluate<string[][]>(
      `Array.from(document.querySelectorAll('table.services tbody tr')).map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent))`,
    );
    const sum = (service: string, pick: (fn: (typeof merged.functions)[number]) => number): number =>
      merged.functions.filter((fn) => fn.service === service).reduce((n, fn) => n + pick(fn), 0);
    expect(services.map((r) => r[0]).sort()).toEqual([...new Set(merged.functions.map((fn) => fn.service))].sort());
    expect(services.map((r) => r[0])).toContain('orders');
    const orders = services.find((r) => r[0] === 'orders');
    expect(orders?.[1]).toBe(String(result.functions.length));
    expect(orders?.[3]).toBe(String(sum('orders', (fn) => fn.findings.length)));
    // The service's month is its functions' months: what its own scan said, up to each function's rounding to 1 micro-USD.
    const month = sum('orders', (fn) => fn.plan?.monthlyNowMicroUsd ?? 0);
    expect(Math.abs(month - (result.summary.cost?.monthlyMicroUsd ?? NaN))).toBeLessThanOrEqual(result.functions.length);
    expect(orders?.[4]).toBe(usd(month));
    const folds = view.locator('details.function-fold');
    expect(await folds.count()).toBe(merged.functions.length);
    expect(await view.locator('details.function-fold[open]').count()).toBe(0);
    // Folded, the page is a fraction of the full one's height.
    const height = await view.evaluate<number>('document.documentElement.scrollHeight');
    const fullHeight = await page.evaluate<number>('document.documentElement.scrollHeight');
    expect(height).toBeLessThan(fullHeight);
    await view.screenshot({ path: path.join(OUTPUT, 'html-merged.png'), fullPage: true });
    // A link in the functions table opens its function's fold.
    await view.locator('table.functions tbody tr').first().locator('a').click();
    expect(await view.locator('details.function-fold[open]').count()).toBe(1);
    await view.evaluate("window.dispatchEvent(new Event('beforeprint'))");
    expect(await view.locator('details.function-fold[open]').count()).toBe(merged.functions.length);
    await view.evaluate("window.dispatchEvent(new Event('afterprint'))");
    expect(await view.locator('details.function-fold[open]').count()).toBe(1);
    expect(problems).toEqual([]);
    await view.context().close();
  });

  it('saves a screenshot for a person to look at', async () => {
    await page.locator('table.functions thead th', { hasText: 'Rank' }).locator('button').click();
    const file = path.join(OUTPUT, 'html-report.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(existsSync(file)).toBe(true);
  });
});
