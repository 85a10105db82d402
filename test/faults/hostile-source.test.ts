/**
 * Hostile and pathological source at the per-file parse boundary: a generated file nested deeper than the parser's
 * stack, a minified one-line bundle, and a seeded mutation run over a valid service. One bad file goes to `skipped`
 * with its reason; the rest of the service is analysed; nothing ends the scan.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guardParse, isStackOverflow, minifiedReason } from '../../src/util/input-guard.js';
import { scan } from '../../src/index.js';
import { REPO } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lm-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const EXAMPLE = path.join(REPO, 'examples/orders-service');

/** A copy of the example service whose health handler imports (and uses) `lib/generated.ts`, written as given. */
function serviceWith(name: string, generated: string): string {
  const dir = path.join(tmp, name);
  cpSync(EXAMPLE, dir, { recursive: true });
  const health = path.join(dir, 'src/handlers/health.ts');
  writeFileSync(health, `import { table } from '../lib/generated';\n${readFileSync(health, 'utf8')}\nconsole.log(table);\n`);
  writeFileSync(path.join(dir, 'src/lib/generated.ts'), generated);
  return dir;
}

/** Parser tables and emscripten output nest like this: thousands of levels of one expression. */
function deeplyNested(levels: number): string {
  return `// generated\nexport const table = ${'[1, '.repeat(levels)}0${']'.repeat(levels)};\nexport const f = ${'('.repeat(levels)}1${')'.repeat(levels)};\n`;
}

describe('one pathological file is skipped, the rest analysed', () => {
  it('a generated source nested 5,000 levels deep goes to skipped as too_deep; every function is still analysed', async () => {
    const plain = await scan({ root: EXAMPLE });
    const result = await scan({ root: serviceWith('deep', deeplyNested(5000)) });
    expect(result.skipped).toEqual([
      { file: 'src/lib/generated.ts', reason: 'too_deep', detail: 'nested too deeply to parse (generated code?): the parser ran out of stack' },
    ]);
    expect(result.complete).toBe(false);
    expect(result.functions.map((f) => f.id)).toEqual(plain.functions.map((f) => f.id));
    // The handler that imports it is analysed as before: same findings; the skipped module is simply not in its closure.
    const health = result.functions.find((f) => f.handler.file === 'src/handlers/health.ts');
    const before = plain.functions.find((f) => f.handler.file === 'src/handlers/health.ts');
    expect(health?.init?.files).toEqual([...(before?.init?.files ?? []), 'src/lib/generated.ts'].sort());
    expect(health?.findings.map((x) => x.ruleId)).toEqual(before?.findings.map((x) => x.ruleId));
    for (const f of result.functions.filter((x) => x !== health)) {
      expect(f.findings, f.id).toEqual(plain.functions.find((p) => p.id === f.id)?.findings);
    }
  });

  it('the handler file itself nested too deep: skipped, its function listed, the other functions analysed', async () => {
    const dir = path.join(tmp, 'deep-handler');
    cpSync(EXAMPLE, dir, { recursive: true });
    writeFileSync(path.join(dir, 'src/handlers/health.ts'), `export const handler = async () => ${'('.repeat(4000)}1${')'.repeat(4000)};\n`);
    const result = await scan({ root: dir });
    expect(result.skipped.map((s) => [s.file, s.reason])).toEqual([['src/handlers/health.ts', 'too_deep']]);
    expect(result.functions.filter((f) => f.init !== null).length).toBeGreaterThanOrEqual(result.functions.length - 1);
  });

  it('a 500 KB one-line minified bundle is skipped as minified, with its size and shape as the reason', async () => {
    // esbuild --minify output: one line of short statements, ~500 KB.
    const unit = 'var a=function(b){return b&&b.c?b.d:void 0};';
    const bundle = `"use strict";${unit.repeat(Math.ceil(500_000 / unit.length))}export const table=[1];\n`;
    const result = await scan({ root: serviceWith('minified', bundle) });
    expect(result.skipped).toEqual([
      {
        file: 'src/lib/generated.ts',
        reason: 'minified',
        detail: `minified bundle: ${Math.round(bundle.length / 1024)} KB in 2 lines (longest ${bundle.length - 1} characters); not parsed as a source (scan the sources it was built from)`,
      },
    ]);
    expect(result.functions.every((f) => f.init !== null)).toBe(true);
  });

  it('minifiedReason: small files, and big files of ordinary lines, are sources', () => {
    expect(minifiedReason('x'.repeat(60_000))).toBeNull();
    expect(minifiedReason('const a = 1; // a line of code\n'.repeat(10_000))).toBeNull();
    // One huge line (a data blob) in an otherwise ordinary file is still not hand-written.
    expect(minifiedReason(`${'const a = 1;\n'.repeat(100)}export const blob = "${'x'.repeat(120_000)}";\n`)).toMatch(
      /^minified bundle: 118 KB in 102 lines \(longest 120023 characters\)/,
    );
  });

  it('guardParse: a stack overflow is too_deep, another parser failure a parse_error naming only its class', () => {
    const recurse = (n: number): number => (n === 0 ? 0 : 1 + recurse(n - 1));
    const deep = guardParse(() => recurse(10_000_000));
    expect(deep).toEqual({ ok: false, reason: 'too_deep', detail: 'nested too deeply to parse (generated code?): the parser ran out of stack' });
    const broken = guardParse(() => {
      throw new TypeError('secret=hunter2 in the message');
    });
    expect(broken).toEqual({ ok: false, reason: 'parse_error', detail: 'the parser failed on this file (TypeError)' });
    expect(guardParse(() => 42)).toEqual({ ok: true, value: 42 });
    expect(isStackOverflow(new RangeError('Invalid array length'))).toBe(false);
  });
});

/** mulberry32: a tiny seeded PRNG, so a failing mutation is reproducible from its index. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function filesOf(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'logs' ? [] : filesOf(full, base);
    return [path.relative(base, full)];
  });
}

type Mutation = (text: string, rand: () => number) => string;
const at = (text: string, rand: () => number): number => Math.floor(rand() * Math.max(1, text.length));
const MUTATIONS: Record<string, Mutation> = {
  truncate: (t, r) => t.slice(0, at(t, r)),
  flipByte: (t, r) => {
    const i = at(t, r);
    return t.slice(0, i) + String.fromCharCode(t.charCodeAt(i) ^ (1 << Math.floor(r() * 7)) || 1) + t.slice(i + 1);
  },
  deleteBrace: (t, r) => {
    const braces = [...t.matchAll(/[{}()[\]]/g)].map((m) => m.index);
    const i = braces[Math.floor(r() * braces.length)];
    return i === undefined ? t : t.slice(0, i) + t.slice(i + 1);
  },
  duplicateSlice: (t, r) => {
    const i = at(t, r);
    return t.slice(0, i) + t.slice(i, i + 1 + Math.floor(r() * 80)) + t.slice(i);
  },
  insertJunk: (t, r) => {
    const junk = ['${', '`', '"', "'", '/*', '<', '@', '\u2028', '\0', '!Ref', '*alias', '&anchor', '<<: *x', '{{', '\\'];
    const i = at(t, r);
    return t.slice(0, i) + (junk[Math.floor(r() * junk.length)] ?? '') + t.slice(i);
  },
  deleteLine: (t, r) => {
    const lines = t.split('\n');
    lines.splice(Math.floor(r() * lines.length), 1);
    return lines.join('\n');
  },
};

describe('seeded mutations of a valid service never crash the scan', () => {
  it('200 mutations (truncations, byte flips, deleted braces, junk) of sources and IaC: every scan returns a result', async () => {
    const dir = path.join(tmp, 'mutant');
    cpSync(EXAMPLE, dir, { recursive: true });
    const targets = filesOf(dir)
      .filter((f) => /\.(ts|js|mjs|yml|json)$/.test(f))
      .sort();
    const originals = new Map(targets.map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
    const rand = prng(0x16);
    const names = Object.keys(MUTATIONS).sort();
    const failures: string[] = [];
    let skippedSome = 0;
    for (let i = 0; i < 200; i++) {
      const file = targets[Math.floor(rand() * targets.length)] ?? '';
      const name = names[Math.floor(rand() * names.length)] ?? 'truncate';
      const original = originals.get(file) ?? '';
      writeFileSync(path.join(dir, file), MUTATIONS[name]?.(original, rand) ?? original);
      try {
        const result = await scan({ root: dir, config: false, cost: false });
        if (result.skipped.length > 0) skippedSome++;
      } catch (err) {
        // A mutated package.json or tsconfig may be the user's error (InputError); anything else is a crash.
        if (!(err instanceof Error && err.name === 'InputError'))
          failures.push(`#${i} ${name} ${file}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
      }
      writeFileSync(path.join(dir, file), original);
    }
    expect(failures).toEqual([]);
    // The mutations did break files: a run where nothing was ever skipped would not have tested the boundary.
    expect(skippedSome).toBeGreaterThan(20);
  }, 120_000);
});
