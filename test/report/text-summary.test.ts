import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.js';
import { InputError } from '../../src/errors.js';
import { render } from '../../src/report/index.js';
import { clip, wrapLine } from '../../src/report/table.js';
import { DEFAULT_TEXT_WIDTH } from '../../src/report/text-view.js';
import { firstSentence, topFindings } from '../../src/report/top-findings.js';
import { scan } from '../../src/index.js';
import { golden } from '../helpers/golden.js';
import { runCli } from '../helpers/cli.js';
import { hostileResult, sampleResult } from './sample-result.js';

const repo = path.resolve(import.meta.dirname, '../..');
const orders = await scan({ root: 'examples/orders-service', cwd: repo });
const hostile = hostileResult();

const widest = (text: string): number => Math.max(...text.split('\n').map((line) => Array.from(line).length));

describe('the default text report is a summary', () => {
  it('matches the goldens: default, --detail and --function', () => {
    const summary = render(sampleResult, 'text');
    expect(summary).toBe(golden('report-sample.txt', summary));
    const detail = render(sampleResult, 'text', { detail: true });
    expect(detail).toBe(golden('report-sample.detail.txt', detail));
    const one = render(sampleResult, 'text', { function: 'createOrder' });
    expect(one).toBe(golden('report-sample.function.txt', one));
  });

  it('on the bundled example: one row per function, each finding once with the number of functions it hits', () => {
    const out = render(orders, 'text');
    // The whole aws-sdk v2 comes in through src/lib/db.ts in five handlers: one line, "5 functions".
    expect(out.match(/aws-sdk-v2-whole/g)).toHaveLength(1);
    expect(out).toMatch(/^ {2}warn {2}aws-sdk-v2-whole {4}src\/lib\/db\.ts:1 +~280 ms {2}5 functions$/m);
    for (const fn of orders.functions) expect(out).toMatch(new RegExp(`^ +${fn.rank} {2}${fn.name} `, 'm'));
    // Static-only: no money columns, and the cost line says what it needs.
    expect(out).toMatch(/^ {2}# {2}function +est\. init {2}findings$/m);
    expect(out).toContain('cost: 9 functions need metrics');
    // The per-function packages and cost factors are the detail's business.
    expect(out).not.toContain('package  ');
    expect(out.split('\n').length).toBeLessThan(50);
    const detail = render(orders, 'text', { detail: true });
    expect(detail.match(/aws-sdk-v2-whole/g)).toHaveLength(5);
  });

  it('ranks distinct findings by severity, then init cost, then reach', async () => {
    const top = topFindings(orders);
    expect(top[0]).toMatchObject({ severity: 'warn', ruleId: 'aws-sdk-v2-whole', file: 'src/lib/db.ts', estInitMs: 279.8 });
    expect(top[0]?.functions).toEqual(['ordersApi', 'createOrder', 'adminListOrders', 'adminPurgeOrders', 'getOrder']);
    const severities = top.map((f) => f.severity);
    expect(severities.indexOf('info')).toBeGreaterThan(severities.lastIndexOf('warn'));
    // 34 findings over 9 functions, 14 entries: the aws-sdk one is shared by five functions through src/lib/db.ts,
    // and the provider-wide deprecated runtime and NODE_OPTIONS source maps reach all nine.
    expect(orders.functions.reduce((n, fn) => n + fn.findings.length, 0)).toBe(34);
    expect(top).toHaveLength(14);
    expect(top.find((f) => f.ruleId === 'runtime-addition')).toMatchObject({ file: 'serverless.yml', line: 54, sites: 1 });
    expect(top.find((f) => f.ruleId === 'runtime-addition')?.functions).toHaveLength(9);
    // The same import in two handler files is one thing to fix the same way: uuid (5 ms bundled, on the catalog
    // measured here) is reported once the threshold is lowered below it.
    const low = await scan({ root: 'examples/orders-service', cwd: repo, rules: { options: { 'heavy-init-import': { thresholdMs: 1 } } } });
    const uuid = topFindings(low).find((f) => f.message.startsWith("'uuid'"));
    expect(uuid).toMatchObject({ file: 'src/handlers/orders-api.js', line: 7, sites: 2, functions: ['ordersApi', 'createOrder'] });
  });

  it('cuts a message to its first sentence', () => {
    expect(firstSentence("'joi' is loaded at init (catalog joi@18.3.2). Import it lazily.")).toBe("'joi' is loaded at init (catalog joi@18.3.2).");
    expect(firstSentence('one sentence, e.g. this one')).toBe('one sentence, e.g. this one');
    expect(firstSentence('uses DynamoDB.DocumentClient at init. Fix it.')).toBe('uses DynamoDB.DocumentClient at init.');
  });

  it.each([60, 72, 80, 100, 132])('no line is wider than %i columns, in any layout', (width) => {
    for (const result of [sampleResult, orders, hostile]) {
      expect(widest(render(result, 'text', { width }))).toBeLessThanOrEqual(width);
      expect(widest(render(result, 'text', { width, detail: true }))).toBeLessThanOrEqual(width);
    }
    expect(widest(render(orders, 'text', { width, function: 'ordersApi' }))).toBeLessThanOrEqual(width);
  });

  it('fits to 100 columns unless told otherwise, and never narrower than 60', () => {
    expect(DEFAULT_TEXT_WIDTH).toBe(100);
    expect(render(orders, 'text')).toBe(render(orders, 'text', { width: 100 }));
    expect(render(orders, 'text', { width: 20 })).toBe(render(orders, 'text', { width: 60 }));
    expect(widest(render(orders, 'text', { detail: true }))).toBe(100);
  });

  it('--function takes a name or an id; an unknown one is an input error that lists the names', () => {
    expect(render(orders, 'text', { function: 'serverless.yml#getOrder' })).toContain('\n#5 getOrder  (serverless.yml:99)');
    const one = render(orders, 'text', { function: 'getOrder' });
    expect(one.match(/^#\d+ /gm)).toEqual(['#5 ']);
    let error: unknown = null;
    try {
      render(orders, 'text', { function: 'nope' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({
      message: "no function named 'nope' in this result",
      hint: 'the functions are: ordersApi, createOrder, adminListOrders, adminPurgeOrders, getOrder, generateInvoice, paymentWebhook, processOrders, health',
    });
  });
});

describe('wrapping and clipping', () => {
  it('wraps between words with a hanging indent, keeps a separator at the end of its line, cuts what cannot break', () => {
    expect(wrapLine('  alpha beta gamma · delta epsilon', 20)).toEqual(['  alpha beta gamma ·', '    delta epsilon']);
    expect(wrapLine('x'.repeat(25), 10)).toEqual(['x'.repeat(10), `  ${'x'.repeat(8)}`, `  ${'x'.repeat(7)}`]);
    expect(wrapLine('short', 10)).toEqual(['short']);
    // Astral characters are one column each, as a terminal shows them; a pair is never split.
    expect(wrapLine('🌈'.repeat(12), 10)).toEqual(['🌈'.repeat(10), '  🌈🌈']);
    expect(clip('abcdefgh', 5)).toBe('abcd…');
    expect(clip('abc', 5)).toBe('abc');
  });
});

describe('the CLI: --detail (-v), --function, and the terminal width', () => {
  const ttyRun = async (argv: string[], columns: number): Promise<{ code: number; out: string }> => {
    let out = '';
    const io: CliIo = {
      stdout: { write: (s: string) => (out += s), isTTY: true, columns },
      stderr: { write: () => undefined, isTTY: false },
      cwd: repo,
      env: { NO_COLOR: '1' },
    };
    return { code: await main(argv, io), out };
  };

  it('takes the width from a terminal, 100 columns elsewhere', async () => {
    const tty = await ttyRun(['scan', 'examples/orders-service', '--detail'], 72);
    expect(tty.code).toBe(0);
    expect(widest(tty.out)).toBe(72);
    const piped = await runCli(['scan', 'examples/orders-service', '-v']);
    expect(piped.out).toBe(render(orders, 'text', { detail: true }));
    expect(widest(piped.out)).toBe(100);
  });

  it('scan --function NAME shows one function; FILE=NAME still attributes a log file', async () => {
    const one = await runCli(['scan', 'examples/orders-service', '--function', 'health']);
    expect([one.code, one.err]).toEqual([0, '']);
    expect(one.out.match(/^#\d+ .*/gm)).toEqual(['#9 health  (serverless.yml:161)  nodejs20.x x86_64 128 MB']);
    const unknown = await runCli(['scan', 'examples/orders-service', '--function', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toBe('');
    expect(unknown.err).toBe(
      "lambda-migrate: no function named 'nope' in this result\nhint: the functions are: ordersApi, createOrder, adminListOrders, adminPurgeOrders, getOrder, generateInvoice, paymentWebhook, processOrders, health\n",
    );
    const two = await runCli(['scan', 'examples/orders-service', '--function', 'health', '--function', 'getOrder']);
    expect(two.code).toBe(2);
    expect(two.err).toContain('--function NAME picks one function to show, got 2: health, getOrder');
  });

  it('--detail and --function belong to the text report: with another format they are refused', async () => {
    const run = await runCli(['scan', 'examples/orders-service', '-f', 'markdown', '--function', 'health']);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toContain('lambda-migrate: --function applies to the text report, not -f markdown');
  });

  it('`lambda-migrate -v` alone still prints the version', async () => {
    const run = await runCli(['-v']);
    expect(run.out).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('markdown prose: what GitHub would link is written as code', () => {
  it('names with an @, versions, emails and mentions become code spans; the rest is escaped', async () => {
    const { markdownProse } = await import('../../src/report/markdown-text.js');
    expect(markdownProse("'express' (catalog express@5.3.0 (2026-11-27))")).toBe("'express' (catalog `express@5.3.0` (2026-11-27))");
    expect(markdownProse('catalog @aws-sdk/client-sqs@3.1175.0.')).toBe('catalog `@aws-sdk/client-sqs@3.1175.0`.');
    expect(markdownProse('ask @org/team or ops@example.com')).toBe('ask `@org/team` or `ops@example.com`');
    expect(markdownProse('+@acme/flags (14 ms)')).toBe('+`@acme/flags` (14 ms)');
    expect(markdownProse('a lone @ and *stars*')).toBe('a lone @ and \\*stars\\*');
  });
});

describe("the README's sample output", () => {
  it('is exactly what the quickstart command prints', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
    const command = '$ node bin/lambda-migrate.js scan examples/orders-service --logs examples/orders-service/logs\n';
    const start = readme.indexOf(command) + command.length;
    expect(start).toBeGreaterThan(command.length);
    const sample = readme.slice(start, readme.indexOf('```', start));
    const run = await runCli(['scan', 'examples/orders-service', '--logs', 'examples/orders-service/logs']);
    expect(run.code).toBe(0);
    expect(sample).toBe(run.out);
  });
});
