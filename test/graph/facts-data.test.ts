import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/compiler/parse.js';
import { FileContext } from '../../src/graph/facts/context.js';
import { lineIndexOf, lineStartsOf } from '../../src/graph/facts/lines.js';
import { extractFacts, FACTS_VERSION, reviveFacts, type FileFacts } from '../../src/graph/facts.js';
import type ts from '../../src/compiler/typescript.cjs';

const CORPUS = path.resolve(import.meta.dirname, '..', 'fixtures', 'facts-corpus');

function factsOf(file: string, text = readFileSync(path.join(CORPUS, file), 'utf8')): FileFacts {
  const outcome = extractFacts(file, text);
  if (!outcome.ok) throw new Error(`${file}: ${outcome.error.message}`);
  return outcome.facts;
}

/** Every value reachable from `value` that is not a primitive, an array or an object with a plain or null prototype. */
function nonPlain(value: unknown, where = '$', out: string[] = []): string[] {
  if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) return out;
  if (typeof value !== 'object') {
    out.push(`${where}: ${typeof value}`);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null)
    out.push(`${where}: ${String((proto as { constructor?: { name?: string } }).constructor?.name)}`);
  for (const [k, v] of Object.entries(value)) nonPlain(v, `${where}.${k}`, out);
  return out;
}

describe('FileFacts is plain data', () => {
  const files = ['esm-service.ts', 'cjs-express.js', 'component.tsx', 'crlf-handler.js', 'module.mts', 'legacy.cts'];

  it('holds no functions, class instances or compiler nodes', () => {
    for (const file of files) expect(nonPlain(factsOf(file)), file).toEqual([]);
  });

  it('survives v8.serialize and structuredClone, equal once revived (null-prototype records included)', () => {
    for (const file of files) {
      const facts = factsOf(file);
      const cloned = deserialize(serialize(facts)) as FileFacts;
      // A clone gives the name-keyed records Object.prototype: `'constructor' in bindings` would turn true.
      expect('constructor' in cloned.bindings).toBe(true);
      expect(cloned).not.toStrictEqual(facts);
      expect(reviveFacts(cloned)).toStrictEqual(facts);
      expect('constructor' in cloned.bindings).toBe(false);
      expect(reviveFacts(structuredClone(facts))).toStrictEqual(facts);
    }
  });

  it('survives JSON, as the fact cache writes it: no undefined values, no non-finite numbers', () => {
    for (const file of files) {
      const facts = factsOf(file);
      expect(reviveFacts(JSON.parse(JSON.stringify(facts)) as FileFacts), file).toStrictEqual(facts);
    }
  });

  it('revives the injected record too, and leaves facts without one alone', () => {
    const facts = factsOf('esm-service.ts');
    expect(facts.injected).toEqual({ useCase: ['DynamoDBClient', 'Options', 'Inner'] });
    const cloned = reviveFacts(structuredClone(facts));
    expect(Object.getPrototypeOf(cloned.injected)).toBeNull();
    const plain = factsOf('legacy.cts');
    expect(plain.injected).toBeUndefined();
    expect(reviveFacts(structuredClone(plain))).toStrictEqual(plain);
  });

  it('names a version for the cache key', () => {
    expect(FACTS_VERSION).toMatch(/^\d+$/);
  });
});

describe('line lookup of placed facts', () => {
  it('finds the same line as the binary search, whatever order the offsets come in', () => {
    const text = ['a', '', 'bbbb', 'cc', '', '', 'dddddd', 'e'].join('\n') + '\n';
    const starts = lineStartsOf(text) ?? [];
    const ctx = new FileContext(parseSource('x.js', text), starts);
    // Forward, backward, repeated, jumping, and the end of the text.
    const offsets = [0, 1, 2, 3, 3, 7, 8, 11, 6, 0, text.length, 12, 13, 14, 25, 5, 4, 2, 15, 16, 17, 18];
    for (const at of offsets) {
      const end = ctx.end({ end: at } as ts.Node);
      const line = lineIndexOf(starts, at);
      expect(end, `offset ${at}`).toEqual({ line: line + 1, column: at - (starts[line] ?? 0) + 1 });
    }
  });
});
