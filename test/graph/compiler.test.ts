import { describe, expect, it } from 'vitest';
import { firstParseError, isTypeScriptKind, parseDiagnosticsOf, parseSource, scriptKindFor } from '../../src/compiler/parse.js';
import ts from '../../src/compiler/typescript.cjs';

describe('scriptKindFor', () => {
  it('picks the kind by extension', () => {
    expect(scriptKindFor('a/b.ts')).toBe(ts.ScriptKind.TS);
    expect(scriptKindFor('a/b.mts')).toBe(ts.ScriptKind.TS);
    expect(scriptKindFor('a/b.cts')).toBe(ts.ScriptKind.TS);
    expect(scriptKindFor('a/b.d.ts')).toBe(ts.ScriptKind.TS);
    expect(scriptKindFor('a/b.tsx')).toBe(ts.ScriptKind.TSX);
    expect(scriptKindFor('a/b.jsx')).toBe(ts.ScriptKind.JSX);
    expect(scriptKindFor('a/b.js')).toBe(ts.ScriptKind.JS);
    expect(scriptKindFor('a/b.mjs')).toBe(ts.ScriptKind.JS);
    expect(scriptKindFor('a/b.cjs')).toBe(ts.ScriptKind.JS);
  });

  it('gives other names the fallback: JavaScript unless told (IaC readers ask for TypeScript)', () => {
    expect(scriptKindFor('bin/cli')).toBe(ts.ScriptKind.JS);
    expect(scriptKindFor('bin/cli', ts.ScriptKind.TS)).toBe(ts.ScriptKind.TS);
    expect(scriptKindFor('b.js', ts.ScriptKind.TS)).toBe(ts.ScriptKind.JS);
  });

  it('knows which kinds are TypeScript', () => {
    expect([ts.ScriptKind.TS, ts.ScriptKind.TSX, ts.ScriptKind.JS, ts.ScriptKind.JSX].map(isTypeScriptKind)).toEqual([true, true, false, false]);
  });
});

describe('parseSource', () => {
  it('parses JSX in .tsx, .jsx and .js files, and reads `<div />` in a .ts file as a (broken) type assertion', () => {
    const text = 'const a = <div />;\n';
    for (const file of ['a.tsx', 'a.jsx', 'a.js']) expect(firstParseError(parseSource(file, text)), file).toBeNull();
    expect(parseDiagnosticsOf(parseSource('a.ts', text)).length).toBeGreaterThan(0);
    expect(firstParseError(parseSource('a.ts', text, { kind: ts.ScriptKind.TSX }))).toBeNull();
  });

  it('sets parent pointers only when asked', () => {
    const plain = parseSource('a.ts', 'f(1);\n');
    const withParents = parseSource('a.ts', 'f(1);\n', { parents: true });
    expect(plain.statements[0]?.parent).toBeUndefined();
    expect(withParents.statements[0]?.parent).toBe(withParents);
  });

  it('does not parse JSDoc', () => {
    const text = '/** @type {string} */\nconst x = 1;\n';
    const withJsDoc = ts.createSourceFile('a.js', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
    expect(Reflect.get(withJsDoc.statements[0] ?? {}, 'jsDoc')).toBeDefined();
    expect(Reflect.get(parseSource('a.js', text).statements[0] ?? {}, 'jsDoc')).toBeUndefined();
  });

  it('reports the first syntax error at its 1-based line and column', () => {
    const sf = parseSource('a.ts', 'const a = 1;\nconst b = ;\n');
    expect(firstParseError(sf)).toEqual({ line: 2, column: 11, message: 'Expression expected.' });
  });
});
