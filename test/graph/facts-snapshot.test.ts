import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/graph/facts.js';
import { golden } from '../helpers/golden.js';

/**
 * The fact pass's whole output, byte for byte, for every JavaScript/TypeScript file of the fixtures and examples
 * (test/fixtures/facts-corpus holds files written to reach each kind of fact: classes, routes, SDK v2 callbacks,
 * CRLF and U+2028 line breaks, TSX, a syntax error). The golden was taken from the single-function pass before it
 * was split into collectors: a change here is a change of the facts every rule and analysis reads.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

function sourcesUnder(rel: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
    const child = `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...sourcesUnder(child));
    else if (e.isFile() && SOURCE.test(e.name)) out.push(child);
  }
  return out;
}

const files = [...sourcesUnder('test/fixtures'), ...sourcesUnder('examples')].sort();

describe('facts snapshot', () => {
  it('covers the corpus written for it and the fixtures', () => {
    expect(files).toContain('test/fixtures/facts-corpus/esm-service.ts');
    expect(files).toContain('test/fixtures/facts-corpus/crlf-handler.js');
    expect(files.length).toBeGreaterThan(200);
  });

  it('extracts the same facts as the committed snapshot, for every file', () => {
    const actual: Record<string, unknown> = {};
    for (const file of files) actual[file] = extractFacts(file, readFileSync(path.join(ROOT, file), 'utf8'));
    const text = JSON.stringify(actual, null, 1) + '\n';
    const expected = golden('facts/fixtures.json', text);
    // Per file first, so a difference names its file instead of one diff of a 1 MB string.
    const parsed = JSON.parse(expected) as Record<string, unknown>;
    expect(Object.keys(actual)).toEqual(Object.keys(parsed));
    for (const file of files) expect(JSON.stringify(actual[file]), file).toBe(JSON.stringify(parsed[file]));
    expect(text).toBe(expected);
  });
});
