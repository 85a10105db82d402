import { describe, expect, it } from 'vitest';
import { MemorySourceTree } from '../../src/source/tree.js';
import { mapHandlerStem, mapSourceFile, splitHandler } from '../../src/discover/handler-map.js';
import { discover } from '../../src/discover/index.js';

describe('handler mapping', () => {
  const files = new Set(['src/a.ts', 'src/b/index.mjs', 'packages/x/src/h.ts', 'lib/only.js', 'src/w.ts']);

  it('splits at the first dot of the last segment, as the Node runtime does', () => {
    expect(splitHandler('src/v1.2/create.handler')).toEqual({ stem: 'src/v1.2/create', exportName: 'handler' });
    expect(splitHandler('app.handlers.create')).toEqual({ stem: 'app', exportName: 'handlers.create' });
    expect(splitHandler('noexport')).toEqual({ stem: 'noexport', exportName: '' });
  });

  it('finds stem + extension and <stem>/index', () => {
    expect(mapHandlerStem(files, 'src/a', 'src/a.handler')).toEqual({ file: 'src/a.ts', mapping: 'exact' });
    expect(mapHandlerStem(files, 'src/b', 'src/b.handler')).toEqual({ file: 'src/b/index.mjs', mapping: 'exact' });
  });

  it('maps build dirs to a src/ twin inside a package', () => {
    expect(mapHandlerStem(files, 'packages/x/.build/h', 'h')).toEqual({
      file: 'packages/x/src/h.ts',
      mapping: 'guessed',
      mappingNote: 'IaC points at build output packages/x/.build/h; mapped to packages/x/src/h.ts by name',
    });
    expect(mapHandlerStem(files, '.webpack/service/src/w', 'w')?.file).toBe('src/w.ts');
  });

  it('treats lib/ as a source folder unless only a src/ twin explains it', () => {
    expect(mapHandlerStem(files, 'lib/only', 'lib/only.handler')).toEqual({ file: 'lib/only.js', mapping: 'exact' });
    expect(mapHandlerStem(files, 'lib/a', 'lib/a.handler')).toEqual({
      file: 'src/a.ts',
      mapping: 'guessed',
      mappingNote: 'IaC points at build output lib/a; mapped to src/a.ts by name',
    });
  });

  it('reports what it could not find, and paths outside the root', () => {
    expect(mapHandlerStem(files, 'src/nope', 'src/nope.handler')).toEqual({
      file: null,
      mapping: 'unresolved',
      mappingNote: 'no source file for src/nope.handler',
    });
    expect(mapSourceFile(files, '../elsewhere/x.ts', 'entry')).toEqual({
      file: null,
      mapping: 'unresolved',
      mappingNote: 'entry points outside the scanned root (../elsewhere/x.ts)',
      reason: 'outside_root',
    });
  });
});

describe('discover: read failures', () => {
  it('records an unreadable IaC file as read_error and continues', () => {
    // A tree whose one file cannot be read, as a permissions error on disk would be.
    class Unreadable extends MemorySourceTree {
      protected override load(rel: string): string {
        if (rel === 'a/serverless.yml') throw new Error('EACCES: permission denied');
        return super.load(rel);
      }
    }
    const tree = new Unreadable(
      {
        'a/serverless.yml': '',
        'b/serverless.yml': 'service: b\nfunctions:\n  one:\n    handler: h.handler\n',
        'b/h.ts': 'export const handler = () => 1;',
      },
      '/virtual',
    );
    const result = discover({ tree });
    expect(result.skipped).toEqual([{ file: 'a/serverless.yml', reason: 'read_error', detail: 'EACCES: permission denied' }]);
    expect(result.functions.map((f) => [f.id, f.handler.file, f.deployedNames[0], f.declaredIn.line])).toEqual([
      ['b/serverless.yml#one', 'b/h.ts', 'b-dev-one', 3],
    ]);
  });
});
