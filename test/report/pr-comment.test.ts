import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FunctionResult, ScanResult } from '../../src/model/result.js';
import { withDiff } from '../../src/report/diff.js';
import { render } from '../../src/report/index.js';
import { PR_COMMENT_MARKER } from '../../src/report/marker.js';
import { PR_COMMENT_MAX_CHARS, PR_COMMENT_POINTER } from '../../src/report/pr-comment.js';
import { scan } from '../../src/scan.js';
import { golden } from '../helpers/golden.js';
import { sampleResult } from './sample-result.js';

const repo = path.resolve(import.meta.dirname, '../..');

/** The example with assumed usage, so the comment has money in it. */
const head = await scan({ root: 'examples/orders-service', cwd: repo, cost: { invocations: 2_000_000, coldStartRate: 0.05 } });

function named(result: ScanResult, name: string): FunctionResult {
  const f = result.functions.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no function ${name}`);
  return f;
}

/**
 * The base: the same result before this "change" added moment to createOrder (its init and INIT cost lower by the
 * package's share) and before ordersApi had its serverless-http finding.
 */
function exampleBase(): ScanResult {
  const base = structuredClone(head);
  const create = named(base, 'createOrder');
  const moment = create.init?.packages.find((p) => p.name === 'moment');
  if (create.init === null || moment === undefined || moment.estInitMs === null) throw new Error('example changed: createOrder has no moment');
  const share = moment.estInitMs / create.init.estInitMs;
  create.init.packages = create.init.packages.filter((p) => p !== moment);
  create.init.estInitMs = Math.round((create.init.estInitMs - moment.estInitMs) * 10) / 10;
  const monthly = create.cost?.monthly;
  if (monthly == null) throw new Error('example changed: createOrder has no assumed monthly cost');
  const initDrop = Math.round(monthly.initMicroUsd * share);
  monthly.initMicroUsd -= initDrop;
  monthly.totalMicroUsd -= initDrop;
  const api = named(base, 'ordersApi');
  api.findings = api.findings.filter((f) => f.ruleId !== 'serverless-http-monolith');
  return base;
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

describe('pr-comment format', () => {
  it('matches the golden comment for the example against a base without moment and one finding', () => {
    const out = render(withDiff(exampleBase(), head), 'pr-comment');
    expect(out).toBe(golden('examples-orders-service.pr-comment.md', out));
    expect(out.split('\n')[0]).toBe(PR_COMMENT_MARKER);
    expect(out.split('\n')[1]).toMatch(/^### This change adds \d+ ms of estimated init and \\~\$[\d.]+\/month to 1 function$/);
    expect(out).toContain('| createOrder | changed |');
    expect(out).toContain('serverless-http-monolith');
    expect(lastLine(out)).toBe(PR_COMMENT_POINTER);
  });

  it('without a base says so and summarises the current state', () => {
    const out = render(head, 'pr-comment');
    expect(out.split('\n')[1]).toBe('### No base result was given, so this is the current state, not what this change adds');
    expect(out).toMatch(/^\| 1 \| \w+ \| /m);
    expect(count(out, '<details>')).toBe(1);
    expect(count(out, PR_COMMENT_MARKER)).toBe(1);
  });

  it('renders hostile names and messages inert: one marker, no raw <details>, no mention, no bidi, no line breaks', () => {
    const hostile = [
      '@team please look',
      'back`tick``s',
      'pipe|in|name',
      '<details><summary>x</summary>',
      PR_COMMENT_MARKER,
      'line\r\nbreak\rand\nmore',
      'evil\u202Etxt.exe',
    ];
    const template = named(head, 'createOrder');
    const added = hostile.map((name, i) => ({
      ...structuredClone(template),
      id: `serverless.yml#hostile${i}`,
      name,
      findings: template.findings.map((f) => ({ ...f, message: `${name} ${f.message}`, fingerprint: `${f.fingerprint ?? ''}${i}` })),
      init: template.init === null ? null : { ...template.init, packages: template.init.packages.map((p) => ({ ...p, name: `${p.name} ${name}` })) },
    }));
    const withHostile = { ...head, functions: [...head.functions, ...added] };
    for (const out of [render(withDiff(head, withHostile), 'pr-comment'), render(withHostile, 'pr-comment')]) {
      expect(count(out, PR_COMMENT_MARKER)).toBe(1);
      // The only <details> is the template's own (one block), whatever the names hold.
      expect(count(out, '<details>')).toBe(1);
      expect(count(out, '<summary>')).toBe(1);
      expect(out).not.toContain('@team');
      expect(out).toContain('@\u200Dteam');
      expect(out).not.toContain('\u202E');
      expect(out).not.toContain('\r');
      expect(out.split('\n').some((line) => line.startsWith('break') || line.startsWith('more'))).toBe(false);
      // Every table row still has the columns of its header: the pipes in names are escaped.
      const rows = out.split('\n').filter((line) => line.startsWith('| ') && line.includes('pipe'));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row).toContain('pipe\\|in\\|name');
    }
  });

  it('the hand-built sample (hostile names in the diff) keeps one marker and escapes its backticks and pipes', () => {
    const out = render(sampleResult, 'pr-comment');
    expect(count(out, PR_COMMENT_MARKER)).toBe(1);
    expect(out).toContain('notify\\`ops\\`\\|@\u200Dchannel');
    expect(out).not.toContain('\u202E');
  });

  describe('a 5,000-function result', () => {
    const EMOJI = '🚀🔥🧪'; // astral characters: two UTF-16 code units each, so a cut inside one would split a pair
    const template = named(head, 'createOrder');
    const many: FunctionResult[] = Array.from({ length: 5000 }, (_, i) => ({
      ...structuredClone(template),
      id: `serverless.yml#fn${i}`,
      name: `${EMOJI.repeat(8)}-fn-${i}-${EMOJI}`,
      rank: i + 1,
    }));
    const bigHead: ScanResult = { ...head, functions: many };
    // The base lacks every function's first package, so every function changed and has a details block.
    const bigBase: ScanResult = {
      ...head,
      functions: many.map((f) => ({ ...f, init: f.init === null ? null : { ...f.init, packages: f.init.packages.slice(1), estInitMs: f.init.estInitMs - 100 } })),
    };

    it.each([
      ['with a diff', () => withDiff(bigBase, bigHead)],
      ['without a base', () => bigHead],
    ] as const)('%s: fits 65,536 UTF-16 code units, cut at whole sections, balanced, ending with the pointer', (_label, make) => {
      const input = make();
      const started = performance.now();
      const out = render(input, 'pr-comment');
      const ms = performance.now() - started;
      console.log(`pr-comment ${_label}: ${out.length} code units, rendered in ${ms.toFixed(0)} ms`);
      expect(out.length).toBeLessThanOrEqual(PR_COMMENT_MAX_CHARS);
      expect(out.length).toBeGreaterThan(PR_COMMENT_MAX_CHARS * 0.9); // it keeps as much as fits, not a stub
      expect(out.split('\n')[0]).toBe(PR_COMMENT_MARKER);
      expect(count(out, '<details>')).toBe(count(out, '</details>'));
      expect(count(out, '```') % 2).toBe(0);
      expect(LONE_SURROGATE.test(out)).toBe(false);
      expect(out).toContain("This comment was cut to fit the limit of 65,536 characters");
      expect(out).toMatch(/…and [\d,]+ more functions \(see the full report\)\./);
      expect(lastLine(out)).toBe(PR_COMMENT_POINTER);
      // Whole rows only: every table line has as many cells as its header.
      const tableLines = out.split('\n').filter((line) => line.startsWith('|'));
      for (const line of tableLines) expect(line.endsWith(' |')).toBe(true);
    });
  });
});
