import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

describe('discover: fallback when no IaC declares a function', async () => {
  const result = await discoverFixture('discover-fallback');

  it('takes every non-test source exporting handler, in each ESM and CommonJS form, with its line', () => {
    expect(result.functions.map((f) => [f.id, f.name, f.declaredIn.line])).toEqual([
      ['src/c.mjs#handler', 'c', 1],
      ['src/d/index.cjs#handler', 'd', 5],
      ['src/e.js#handler', 'e', 1],
      ['src/f.ts#handler', 'f', 3],
      ['src/handlers/a.ts#handler', 'a', 3],
      ['src/handlers/b.js#handler', 'b', 3],
    ]);
    expect(result.iacFiles).toEqual([]);
    expect(result.warnings).toEqual(['no IaC declares a Lambda function; handlers were guessed from files that export `handler`']);
  });

  it('knows nothing about deployment', () => {
    expect(result.functions[4]).toEqual({
      id: 'src/handlers/a.ts#handler',
      name: 'a',
      provider: 'fallback',
      deployedNames: [],
      runtime: null,
      architecture: null,
      memoryMB: null,
      timeoutS: null,
      declaredIn: { file: 'src/handlers/a.ts', line: 3 },
      handler: { file: 'src/handlers/a.ts', export: 'handler', declared: 'src/handlers/a.handler', mapping: 'exact' },
    });
  });

  it('does not run when IaC declares functions', async () => {
    const sam = await discoverFixture('discover-sam');
    expect(sam.functions.some((f) => f.provider === 'fallback')).toBe(false);
  });
});
