import { describe, expect, it } from 'vitest';
import { explainBuildOutput, mapArchive, registerBuildScript } from '../../src/discover/build-map.js';
import type { DiscoverContext } from '../../src/discover/types.js';

function context(texts: Record<string, string>): DiscoverContext {
  const files = Object.keys(texts);
  return {
    files,
    fileSet: new Set(files),
    read: (rel) => texts[rel],
    readIf: (rel, gates) => {
      const text = texts[rel];
      return text !== undefined && gates.every((g) => g.test(text)) ? text : undefined;
    },
    listPruned: () => [],
    options: {},
    sink: { functions: [], iacFiles: [], skipped: [], warnings: [], notAnalysed: [] },
  };
}

const pkg = (scripts: Record<string, string>) => JSON.stringify({ name: 'x', scripts });

describe('build map: zip steps in npm scripts and shell commands', () => {
  it('reads each zip form for the folder at the archive root', () => {
    const ctx = context({
      'a/package.json': pkg({ package: 'cd dist && zip -r ../a.zip .' }),
      'b/package.json': pkg({ package: 'zip -r -q b.zip dist node_modules -x "*.map"' }),
      'c/package.json': pkg({ package: 'zip -j ../out/c.zip build/c.js' }),
      'd/package.json': pkg({ package: 'bestzip d.zip dist/*' }),
      'e/package.json': pkg({ package: 'zip -rq /tmp/e.zip .' }),
    });
    expect(mapArchive(ctx, 'a/a.zip')).toEqual({ zip: 'a/a.zip', dir: 'a/dist', via: 'a/package.json script "package"' });
    expect(mapArchive(ctx, 'b/b.zip')?.dir).toBe('b');
    expect(mapArchive(ctx, 'out/c.zip')?.dir).toBe('c/build');
    expect(mapArchive(ctx, 'd/d.zip')?.dir).toBe('d');
    // An archive written outside the tree maps nothing.
    expect(mapArchive(ctx, 'e/e.zip')).toBeNull();
  });

  it('a registered shell script adds its bundler outputs and archives, with its tool', () => {
    const ctx = context({ 'svc/src/main.ts': 'export const handler = 1;\n' });
    expect(explainBuildOutput(ctx, 'svc/build/main')).toBeNull();
    registerBuildScript(ctx, 'npm ci\nnpx ncc build src/main.ts -o build\ncd build && zip -r ../svc.zip .', 'svc', 'infra/main.tf local-exec');
    expect(explainBuildOutput(ctx, 'svc/build/index')).toEqual({ source: 'svc/src/main.ts', via: 'infra/main.tf local-exec', tool: 'ncc' });
    expect(mapArchive(ctx, 'svc/svc.zip')).toEqual({ zip: 'svc/svc.zip', dir: 'svc/build', via: 'infra/main.tf local-exec' });
  });
});
