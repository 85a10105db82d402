import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

describe('discover: build output mapped back to source through build configs', async () => {
  const result = await discoverFixture('discover-build');
  const handlerOf = (id: string) => result.functions.find((f) => f.id === id)?.handler;

  it('maps every function and says which config explains it', () => {
    expect(result.functions.map((f) => [f.id, f.handler.file, f.handler.mapping])).toEqual([
      ['esb/template.yaml#BFunction', 'esb/src/b.ts', 'mapped'],
      ['esb/template.yaml#GuessFunction', 'esb/src/a.ts', 'guessed'],
      ['multi/serverless.yml#create', 'multi/src/functions/create.ts', 'mapped'],
      ['multi/serverless.yml#remove', 'multi/src/functions/remove.ts', 'mapped'],
      ['objentry/template.yaml#OrdersFunction', 'objentry/src/orders.ts', 'mapped'],
      ['objentry/template.yaml#UsersFunction', 'objentry/src/users.ts', 'mapped'],
      ['single/template.yaml#SingleFunction', 'single/src/lambda.ts', 'mapped'],
      ['tsc/serverless.yml#get', 'tsc/source/handlers/get.ts', 'mapped'],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('webpack: a single string entry is the bundle `main` in output.path', () => {
    expect(handlerOf('single/template.yaml#SingleFunction')).toEqual({
      file: 'single/src/lambda.ts',
      export: 'handler',
      declared: 'main.handler',
      mapping: 'mapped',
      mappingNote: 'main.handler is build output of single/src/lambda.ts (single/webpack.config.js)',
    });
  });

  it('webpack: entries computed with glob.sync and a [name]/index.js filename', () => {
    expect(handlerOf('multi/serverless.yml#remove')?.mappingNote).toBe(
      '.bundle/remove/index.handler is build output of multi/src/functions/remove.ts (multi/webpack.config.ts)',
    );
  });

  it('webpack: an object entry whose value is an array takes the last module (the one that exports)', () => {
    expect(handlerOf('objentry/template.yaml#UsersFunction')?.file).toBe('objentry/src/users.ts');
  });

  it('tsc: outDir mirrors rootDir', () => {
    expect(handlerOf('tsc/serverless.yml#get')?.mappingNote).toBe(
      'compiled/handlers/get.handler is tsc output in tsc/compiled; source tsc/source/handlers/get.ts (tsc/tsconfig.json outDir -> rootDir)',
    );
  });

  it('esbuild CLI in an npm script names outputs below the common folder; no config at all is a guess', () => {
    expect(handlerOf('esb/template.yaml#BFunction')?.mappingNote).toBe('b.handler is build output of esb/src/b.ts (esb/package.json script "build")');
    expect(handlerOf('esb/template.yaml#GuessFunction')?.mappingNote).toBe('IaC points at build output esb/dist/a; mapped to esb/src/a.ts by name');
  });
});
