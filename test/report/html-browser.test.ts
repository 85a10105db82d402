import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { render } from '../../src/report/index.js';
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
      throw new Error(`${CHROMIUM} not found: install chromium (apt-get install chromium) or set LAMBDA_MIGRATE_SKIP_BROWSER=1 to skip the browser test`);
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
    expect(await page.locator('svg.cost-chart').count()).toBe(1);
    expect(await page.locator('svg.cost-chart rect.bar').count()).toBe(1 + scenarios.length);
    expect(await page.locator('svg.cost-chart rect.bar.now').count()).toBe(1);

    const withPackages = result.functions.filter((fn) => (fn.init?.packages.length ?? 0) > 0);
    expect(withPackages.length).toBe(8);
    expect(await page.locator('svg.init-chart').count()).toBe(withPackages.length);
    const packageCount = withPackages.reduce((n, fn) => n + (fn.init?.packages.length ?? 0), 0);
    expect(await page.locator('svg.init-chart rect.bar').count()).toBe(packageCount);
    // The charts are laid out, not just present: the widest cost bar is drawn at its full width.
    const box = await page.locator('svg.cost-chart rect.bar.now').boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(100);
  });

  it('lays out each function\'s month by part and its port verdicts, colored by verdict', async () => {
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
    const byInit = [...result.functions]
      .sort((a, b) => (a.init?.estInitMs ?? 0) - (b.init?.estInitMs ?? 0) || a.rank - b.rank)
      .map((fn) => fn.name);
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
    expect(await hostile.locator('details').count()).toBe(await hostile.locator('details > summary', { hasText: 'Factors and risks' }).count());
    // The names are there, as text a reader sees.
    expect(await hostile.getByText('<script>alert(1)</script>').count()).toBeGreaterThan(0);
    expect(await hostile.locator('table.functions tbody tr').count()).toBe(sampleResult.functions.length);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await hostile.close();
  });

  it('saves a screenshot for a person to look at', async () => {
    await page.locator('table.functions thead th', { hasText: 'Rank' }).locator('button').click();
    const file = path.join(OUTPUT, 'html-report.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(existsSync(file)).toBe(true);
  });
});
