import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FunctionResult, ScanResult } from '../../src/model/result.js';
import { withDiff } from '../../src/report/diff.js';
import { render } from '../../src/report/index.js';
import { PR_COMMENT_MARKER } from '../../src/report/marker.js';
import { fitsGithubComment, githubLength, PR_COMMENT_MAX_BYTES, PR_COMMENT_MAX_CHARS, PR_COMMENT_POINTER } from '../../src/report/pr-comment.js';
import { markdownCode } from '../../src/report/escape.js';
import { scan } from '../../src/index.js';
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

/**
 * A CommonMark code span: a backtick run (not backslash-escaped), then the first run of the same length that no
 * backtick touches.
 */
const CODE_SPAN = /(?<![`\\])(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g;

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

describe('pr-comment format', () => {
  it('matches the golden comment for the example against a base without moment and one finding', () => {
    const out = render(withDiff(exampleBase(), head), 'pr-comment');
    expect(out).toBe(golden('examples-orders-service.pr-comment.md', out));
    expect(out.split('\n')[0]).toBe(PR_COMMENT_MARKER);
    expect(out.split('\n')[1]).toMatch(/^### This change adds \d+ ms of estimated init and \\~\$[\d.]+\/month to 1 function$/);
    expect(out).toContain('| `createOrder` | 362 → 368 | +7 | +$0.015 | +1 / -0 |');
    expect(out).toContain('serverless-http-monolith');
    expect(lastLine(out)).toBe(PR_COMMENT_POINTER);
  });

  it('without a base says so and summarises the current state, short', () => {
    const out = render(head, 'pr-comment');
    expect(out.split('\n')[1]).toBe('### Current state: 9 functions, 1,878 ms of estimated init, $8.20/month now');
    expect(out).toContain('The plan saves $2.75/month (33%), to $5.46/month; the functions are in the order to act on them.');
    expect(out).toMatch(/^\| 1 \| `ordersApi` \| 369 \| \$1\.25 \| \$0\.57 \|$/m);
    // The findings are folded, each once: the shared aws-sdk one says how many functions it hits.
    expect(count(out, '<details>')).toBe(1);
    expect(out).toContain('<summary>Top findings: 14 distinct findings</summary>');
    expect(count(out, '`aws-sdk-v2-whole`')).toBe(1);
    expect(out).toContain('- **warn** `aws-sdk-v2-whole` at `src/lib/db.ts:1` in 5 functions: ');
    expect(count(out, PR_COMMENT_MARKER)).toBe(1);
    expect(out.split('\n').length).toBeLessThan(45);
  });

  it('writes package versions and scoped names as code: no mailto link, no mention, nothing invisible inside', () => {
    const out = render(head, 'pr-comment');
    expect(out).toContain('(catalog `express@5.3.0` bundled cpu (2026-12-02);');
    expect(out).toContain('(`@aws-sdk/client-dynamodb` with `@aws-sdk/lib-dynamodb`, `@aws-sdk/client-s3`, ...)');
    expect(out).not.toMatch(/[\u200B-\u200D\u2060\uFEFF]/);
    // Outside code spans no `@` is left for GitHub to link.
    expect(out.replace(CODE_SPAN, '')).not.toContain('@');
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
      // Only the template's own <details> blocks, balanced, with fixed words in their summaries; inside a code span
      // `<details>` is shown as written, so only what is outside code spans counts.
      const outsideCode = out.replace(CODE_SPAN, '');
      expect(count(out, '\n<details>\n')).toBe(count(out, '\n</details>\n'));
      for (const line of out.split('\n').filter((l) => l.includes('<details>') && l !== '<details>')) expect(line).toMatch(/`[^`]*<details>/);
      const summaries = out.split('\n').filter((line) => line.startsWith('<summary>'));
      expect(summaries.length).toBeGreaterThan(0);
      for (const line of summaries) expect(line).toMatch(/^<summary>[A-Za-z0-9 ,:]+<\/summary>$/);
      expect(outsideCode).not.toContain('<details><summary>x');
      expect(outsideCode).not.toContain('@team');
      expect(out).toContain('`@team`');
      expect(out).not.toContain('\u200D');
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
    expect(out).toContain(markdownCode('notify`ops`|@channeltxt.exe', { inTable: true }));
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
      functions: many.map((f) => ({
        ...f,
        init: f.init === null ? null : { ...f.init, packages: f.init.packages.slice(1), estInitMs: f.init.estInitMs - 100 },
      })),
    };

    it('with a diff: fits 65,536 characters as GitHub counts them, cut at whole sections, balanced, ending with the pointer', () => {
      const out = render(withDiff(bigBase, bigHead), 'pr-comment');
      expect(githubLength(out)).toBeLessThanOrEqual(PR_COMMENT_MAX_CHARS);
      expect(githubLength(out)).toBeGreaterThan(PR_COMMENT_MAX_CHARS * 0.9); // it keeps as much as fits, not a stub
      expect(Buffer.byteLength(out, 'utf8')).toBeLessThanOrEqual(PR_COMMENT_MAX_BYTES);
      // Each emoji is one character to GitHub and two UTF-16 units to JavaScript: the comment uses the real budget.
      expect(out.length).toBeGreaterThan(PR_COMMENT_MAX_CHARS);
      expect(out.split('\n')[0]).toBe(PR_COMMENT_MARKER);
      expect(count(out, '<details>')).toBe(count(out, '</details>'));
      expect(count(out, '```') % 2).toBe(0);
      expect(LONE_SURROGATE.test(out)).toBe(false);
      expect(out).toContain('This comment was cut to fit the limit of 65,536 characters');
      expect(out).toMatch(/…and [\d,]+ more functions \(see the full report\)\./);
      expect(lastLine(out)).toBe(PR_COMMENT_POINTER);
      // Whole rows only: every table line has as many cells as its header.
      const tableLines = out.split('\n').filter((line) => line.startsWith('|'));
      for (const line of tableLines) expect(line.endsWith(' |')).toBe(true);
    });

    it('without a base: the current state stays short, the rest counted', () => {
      const out = render(bigHead, 'pr-comment');
      expect(out.split('\n').filter((line) => /^\| \d+ \|/.test(line))).toHaveLength(10);
      expect(out).toContain('_…and 4,990 more functions (see the full report)._');
      expect(out).not.toContain('This comment was cut');
      expect(fitsGithubComment(out)).toBe(true);
      expect(lastLine(out)).toBe(PR_COMMENT_POINTER);
    });
  });
});

describe('GitHub counts a comment body in characters (code points), within 262,144 bytes', () => {
  it('an astral character is one character; a lone ASCII character past the limit is too many', () => {
    expect(githubLength('a🚀b')).toBe(3);
    expect('a🚀b'.length).toBe(4);
    // 65,536 rainbows: 65,536 characters and 262,144 UTF-8 bytes, both exactly at the limits GitHub enforces.
    const rainbows = '🌈'.repeat(65_536);
    expect(rainbows.length).toBe(131_072);
    expect(fitsGithubComment(rainbows)).toBe(true);
    expect(fitsGithubComment(`${rainbows}a`)).toBe(false);
    expect(fitsGithubComment('a'.repeat(65_536))).toBe(true);
    expect(fitsGithubComment('a'.repeat(65_537))).toBe(false);
    // Three-byte characters: 65,536 of them are 196,608 bytes, within both limits.
    expect(fitsGithubComment('日'.repeat(65_536))).toBe(true);
    // A lone surrogate counts as one character, as GitHub would store the replacement character.
    expect(githubLength('\uD83D')).toBe(1);
  });
});
