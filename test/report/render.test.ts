import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { FORMATS, isFormat, render, type Format } from '../../src/report/index.js';
import { golden } from '../helpers/golden.js';
import { sanitizeTerminalText } from '../../src/report/escape.js';
import { markdownProse } from '../../src/report/markdown-text.js';
import { emptyResult, HOSTILE_TEXT, hostileResult, NASTY_NAME, sampleResult } from './sample-result.js';

const ESC = '\u001B';

/** The detailed report at a width no line reaches: these tests read its content, not its wrapping. */
const WIDE_DETAIL = { detail: true, width: 10_000 } as const;

describe('render formats', () => {
  it('lists exactly the formats it renders', () => {
    expect(FORMATS).toEqual(['text', 'json', 'markdown', 'html', 'sarif', 'csv', 'pr-comment']);
    expect(isFormat('markdown')).toBe(true);
    expect(isFormat('pr-comment')).toBe(true);
    expect(isFormat('pdf')).toBe(false);
  });

  it('json is the result itself, two-space indented, newline-terminated, key order untouched', () => {
    const out = render(sampleResult, 'json');
    expect(out).toBe(`${JSON.stringify(sampleResult, null, 2)}\n`);
    expect(JSON.parse(out)).toEqual(sampleResult);
    // The result's own function order (not rank order) is kept: json is data, not a report.
    // (summary.cost.top names functions too, so look only inside the function list.)
    const list = out.indexOf('\n  "functions": [');
    expect(out.indexOf('"ListOrdersFunction"', list)).toBeLessThan(out.indexOf('"createOrder"', list));
  });

  it.each([
    ['text', 'report-sample.txt'],
    ['markdown', 'report-sample.md'],
  ] as const)('%s matches %s', (format: Format, file) => {
    expect(render(sampleResult, format)).toBe(golden(file, render(sampleResult, format)));
  });

  it.each([
    ['text', 'report-empty.txt'],
    ['markdown', 'report-empty.md'],
  ] as const)('%s with 0 functions matches %s', (format: Format, file) => {
    expect(render(emptyResult, format)).toBe(golden(file, render(emptyResult, format)));
  });

  it('is deterministic across calls (templates are cached, no state leaks between renders)', () => {
    const first = render(sampleResult, 'markdown');
    render(emptyResult, 'markdown');
    render(sampleResult, 'text', { color: true });
    expect(render(sampleResult, 'markdown')).toBe(first);
  });
});

describe('text report', () => {
  it('orders sections by rank, not by the order of result.functions', () => {
    const out = render(sampleResult, 'text', WIDE_DETAIL);
    const starts = ['#1 createOrder', '#2 ListOrdersFunction', '#3 notify'].map((title) => out.indexOf(`\n${title}`));
    expect(starts.every((index) => index > 0)).toBe(true);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
  });

  it('emits no escape sequences without color, even when the scanned text contains one', () => {
    expect(sampleResult.warnings[0]).toContain(`${ESC}[31m`);
    expect(render(sampleResult, 'text', WIDE_DETAIL)).not.toContain(ESC);
  });

  it('colors severities only when asked, without breaking column alignment', () => {
    const plain = render(sampleResult, 'text', WIDE_DETAIL).split('\n');
    const colored = render(sampleResult, 'text', { ...WIDE_DETAIL, color: true }).split('\n');
    // Severity cells are painted after padding, so every column after them starts where it does without color.
    const paint = (code: number, severity: string): string => `${ESC}[${code}m${severity}${ESC}[39m`;
    const upToLocation = (line: string): string => line.slice(0, line.indexOf('src/'));
    expect(colored.filter((line) => line.includes(ESC)).map(upToLocation)).toEqual([
      `   ${paint(31, 'error')}  ${'aws-sdk-v2'.padEnd(19)}`,
      `   ${paint(33, 'warn')}   ${'heavy-init-import'.padEnd(19)}`,
      `   ${paint(33, 'warn')}   ${'barrel-import'.padEnd(19)}`,
      `   ${paint(33, 'warn')}   ${'top-level-await'.padEnd(19)}`,
      `   ${paint(36, 'info')}   ${'dynamic-require'.padEnd(19)}`,
      `   ${paint(33, 'warn')}  sdk-client-in-handler  `,
    ]);
    // eslint-disable-next-line no-control-regex -- stripping our own SGR codes must give back the plain report
    expect(colored.map((line) => line.replace(/\u001B\[\d+m/g, ''))).toEqual(plain);
  });

  it('drops bidi controls from untrusted names', () => {
    const out = render(sampleResult, 'text', WIDE_DETAIL);
    expect(NASTY_NAME).toContain('\u202E');
    expect(out).toContain('#3 notify`ops`|@channeltxt.exe  (serverless.yml:30)  nodejs22.x ? ? MB');
    expect(out).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });

  it('says why a function has no init closure instead of showing an empty package list', () => {
    const [base] = sampleResult.functions;
    if (base === undefined) {
      throw new Error('sample has no functions');
    }
    const unmapped: ScanResult = {
      ...emptyResult,
      complete: false,
      summary: { ...emptyResult.summary, functions: 1 },
      functions: [
        {
          ...base,
          rank: 1,
          handler: { file: null, export: 'main', line: null, declared: 'dist/a.main', mapping: 'unresolved' },
          init: null,
          findings: [],
          ioTangle: null,
          profile: undefined,
        },
      ],
    };
    expect(render(unmapped, 'text', WIDE_DETAIL)).toBe(
      [
        'lambda-migrate 0.1.0 · root . · 1 handler found · 0 files, 0 lines parsed · 0 skipped',
        '',
        '#1 ListOrdersFunction  (template.yaml:48)  nodejs20.x arm64 512 MB',
        '   handler dist/a.main  (unresolved)',
        '   init not analysed: the handler is not mapped to a source file',
        '',
        '   no findings',
        '',
        '1 handler · est. init 0 ms total · findings: 0 error, 0 warn, 0 info · incomplete result: 1 handler not analysed',
        '',
      ].join('\n'),
    );
  });
});

describe('markdown report', () => {
  it('keeps every table row at its column count, whatever the names contain', () => {
    const lines = render(sampleResult, 'markdown').split('\n');
    const tables: string[][] = [];
    for (const line of lines) {
      if (!line.startsWith('|')) {
        continue;
      }
      const previous = lines[lines.indexOf(line) - 1];
      if (previous === undefined || !previous.startsWith('|') || tables.length === 0) {
        tables.push([]);
      }
      tables[tables.length - 1]?.push(line);
    }
    // GFM splits cells on pipes that are not backslash-escaped.
    const cells = (row: string): number => row.split(/(?<!\\)\|/).length - 2;
    expect(tables.length).toBeGreaterThanOrEqual(5);
    for (const table of tables) {
      const width = cells(table[0] ?? '');
      expect(table.map(cells)).toEqual(table.map(() => width));
    }
  });

  it('contains no HTML entities, raw HTML tags, bidi controls, escapes or live mentions', () => {
    const out = render(sampleResult, 'markdown');
    expect(out).not.toMatch(/&(?:amp|lt|gt|quot|#x27|#x60|#x3D);/);
    // The only HTML is the template's own folding: `<details>` lines alone, summaries of fixed words.
    for (const line of out.split('\n').filter((l) => l.includes('<details>') || l.includes('<summary>'))) {
      expect(line).toMatch(/^(?:<details>|<summary>[A-Za-z ()0-9]+<\/summary>)$/);
    }
    expect(out).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(out).not.toContain(ESC);
    // GitHub links `@x` (a mention) and `a@b.c` (a mailto) outside code spans only: those tokens are code, and no
    // invisible joiner is left inside a name.
    const outsideCode = out.replace(/(?<![`\\])(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
    expect(out).toContain('`@org/team`');
    expect(outsideCode).not.toContain('@');
    expect(out).not.toContain('\u200D');
    expect(out).toContain('## 3. notify\\`ops\\`\\|`@channel`txt.exe');
  });

  it('uses triple-stash in templates only around the escaping helpers', () => {
    const dir = fileURLToPath(new URL('../../reports/markdown/', import.meta.url));
    for (const file of ['report.hbs', 'function.hbs']) {
      const source = readFileSync(`${dir}${file}`, 'utf8');
      const triples = source.match(/\{\{\{[^}]*\}\}\}/g) ?? [];
      expect(triples.length).toBeGreaterThan(0);
      for (const triple of triples) {
        expect(triple).toMatch(/^\{\{\{(md|code|cellCode) [\w.@]+\}\}\}$/);
      }
    }
  });
});

describe('port verdicts, effort, and what the scan listed without analysing (text and markdown)', () => {
  const text = render(sampleResult, 'text', WIDE_DETAIL);
  const markdown = render(sampleResult, 'markdown');
  const effort =
    'port effort M: 8.6 points from 420 own lines in 6 files, 4 packages (0 without a Rust equivalent), tangle score 0.72, 1 dynamic feature, 0 other blockers';

  it('text: the Rust and LLRT verdicts with each obstacle at file:line, and the effort with its inputs', () => {
    expect(text).toContain(
      [
        '   I/O tangle: tangled (score 0.72, 5 I/O calls)',
        '   port to Rust: blocked by require(`./plugins/${name}`) (src/lib/plugins.ts:7)',
        '   port to LLRT: risky with node:crypto (src/handlers/create.ts:2)',
        `   ${effort}`,
      ].join('\n'),
    );
    // Only createOrder has a portability analysis in the sample; the others show no port lines.
    expect(text.match(/port to Rust:/g)).toHaveLength(1);
  });

  it('names blockers once: in the port lines, not again under the plan', () => {
    expect(text).not.toContain('Rust blocked by');
    const createOrder = sampleResult.functions.find((fn) => fn.name === 'createOrder');
    if (createOrder === undefined) throw new Error('no createOrder');
    const older: ScanResult = { ...sampleResult, functions: [{ ...createOrder, portability: undefined }] };
    expect(render(older, 'text', WIDE_DETAIL)).toContain('     Rust blocked by require(`./plugins/${name}`)\n');
  });

  it('text: says a target blocked with risks too, and lists every site', () => {
    const createOrder = sampleResult.functions.find((fn) => fn.name === 'createOrder');
    const p = createOrder?.portability;
    if (createOrder === undefined || p == null) throw new Error('no createOrder portability');
    const site = { kind: 'llrt-unsupported' as const, column: 1, note: 'n' };
    const both: ScanResult = {
      ...sampleResult,
      functions: [
        {
          ...createOrder,
          portability: {
            ...p,
            llrt: {
              verdict: 'blocked',
              blockers: [
                { ...site, name: 'aws-sdk', file: 'src/lib/db.ts', line: 1 },
                { ...site, name: 'express', file: 'src/a.js', line: 4 },
              ],
              risks: p.llrt.risks,
            },
          },
        },
      ],
    };
    expect(render(both, 'text', WIDE_DETAIL)).toContain(
      '   port to LLRT: blocked by aws-sdk (src/lib/db.ts:1), express (src/a.js:4), risky with node:crypto (src/handlers/create.ts:2)\n',
    );
  });

  it('markdown: the same, as bullets under the function', () => {
    expect(markdown).toContain(
      [
        '- Port to Rust: blocked by require(\\`./plugins/${name}\\`) (src/lib/plugins.ts:7)',
        '- Port to LLRT: risky with node:crypto (src/handlers/create.ts:2)',
        `- P${effort.slice(1)}`,
      ].join('\n'),
    );
  });

  it('lists functions not analysed and unreferenced handlers in a short section, only when there are any', () => {
    expect(text).toContain(
      [
        'not analysed (1): declared, but not Node.js ZIP code with a source',
        '  resize  serverless.yml:61  other runtime  python3.12',
        '',
        'unreferenced handlers (1): exported, but no IaC declaration references them',
        '  src/handlers/old-export.ts#handler:7',
      ].join('\n'),
    );
    expect(markdown).toContain('## Not analysed');
    expect(markdown).toContain('| resize | `serverless.yml:61` | other runtime | python3.12 |');
    expect(markdown).toContain('## Unreferenced handlers');
    expect(markdown).toContain('- `src/handlers/old-export.ts#handler:7`');
    const none: ScanResult = { ...sampleResult, unreferenced: [], notAnalysed: [] };
    expect(render(none, 'text', WIDE_DETAIL)).not.toMatch(/not analysed \(|unreferenced handlers/);
    expect(render(none, 'markdown')).not.toMatch(/## Not analysed|## Unreferenced handlers/);
  });

  it('keeps hostile names inert there: one line in text, escaped in markdown, tables whole', () => {
    const hostile = hostileResult();
    const out = render(hostile, 'text', WIDE_DETAIL);
    expect(out).not.toMatch(/[\u202A-\u202E\u2066-\u2069\r]/);
    expect(out).toContain(
      `  resize${sanitizeTerminalText(HOSTILE_TEXT)}  ${sanitizeTerminalText(HOSTILE_TEXT)}.yml:61  other runtime  python3.12${sanitizeTerminalText(HOSTILE_TEXT)}\n`,
    );
    expect(out).toContain(
      `   port to LLRT: risky with node:crypto${sanitizeTerminalText(HOSTILE_TEXT)} (src/${sanitizeTerminalText(HOSTILE_TEXT)}.ts:2)\n`,
    );
    const md = render(hostile, 'markdown');
    expect(md).toContain(`| ${markdownProse(`resize${HOSTILE_TEXT}`)} | ${markdownProse(`${HOSTILE_TEXT}.yml:61`)} |`);
    // A value holding `<!--` (the PR comment's marker) is escaped prose, not a code span that would show it raw.
    expect(md).toContain(`- ${markdownProse(`src/${HOSTILE_TEXT}/old.ts#handler${HOSTILE_TEXT}:7`)}\n`);
    expect(md).toContain(`## 4. ${markdownProse(`archiveOrders${HOSTILE_TEXT}`)} (${markdownProse(`orders-service${HOSTILE_TEXT}`)})\n`);
    // Outside a code span `<details>` would be markup: only the template's own lines have it.
    for (const line of md.split('\n').filter((l) => l.includes('<details>'))) expect(line).toBe('<details>');
    const section = md.slice(md.indexOf('## Not analysed'), md.indexOf('## Unreferenced handlers'));
    const table = section.split('\n').filter((line) => line.startsWith('| '));
    const cells = (row: string): number => row.split(/(?<!\\)\|/).length - 2;
    expect(table.slice(0, 3).map(cells)).toEqual([4, 4, 4]);
  });
});
