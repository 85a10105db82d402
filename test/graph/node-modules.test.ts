import { statSync } from 'node:fs';
import { DiskSourceTree } from '../../src/source/tree.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NodeModulesWalker, resolveExportsMap, scanModule } from '../../src/graph/node-modules.js';
import type { Catalog } from '../../src/graph/packages.js';
import { scan } from '../../src/index.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/installed-service/', import.meta.url));
const NM = path.join(FIXTURE, 'node_modules');
const size = (rel: string): number => statSync(path.join(NM, rel)).size;

describe('the static import graph of installed packages', () => {
  const walker = new NodeModulesWalker(DiskSourceTree.at('/'));

  it('CJS main: own files and the nested dependency copy at init; the lazy require only in the bundle view', () => {
    const w = walker.walk('alpha', '', FIXTURE, 'require');
    expect(w).not.toBeNull();
    // lib/index.js (255 B) + lib/util.js (15 B) + alpha's own delta 1.0.0 (27 B); lib/lazy.js (20 B) is in a function.
    expect(w?.modules).toBe(3);
    expect(w?.bytes).toBe(255 + 15 + 27);
    expect(w?.bytes).toBe(size('alpha/lib/index.js') + size('alpha/lib/util.js') + size('alpha/node_modules/delta/index.js'));
    expect(w?.allModules).toBe(4);
    expect(w?.allBytes).toBe(255 + 15 + 27 + 20);
    expect(w?.unresolved).toEqual(['not-installed-optional']);
    expect(w?.packages.map((p) => [p.name, p.version, p.modules, p.bytes, path.relative(NM, p.dir)])).toEqual([
      ['alpha', '1.2.0', 2, 270, 'alpha'],
      ['delta', '1.0.0', 1, 27, path.join('alpha', 'node_modules', 'delta')],
    ]);
  });

  it('exports conditions: require takes ./cjs (with its JSON), import takes ./esm; both reach the hoisted delta 2.0.0', () => {
    const req = walker.walk('beta', '', FIXTURE, 'require');
    expect(req?.modules).toBe(3);
    expect(req?.bytes).toBe(108 + 27 + 11);
    expect(req?.packages.map((p) => `${p.name}@${p.version}`)).toEqual(['beta@3.0.0', 'delta@2.0.0']);
    const imp = walker.walk('beta', '', FIXTURE, 'import');
    expect(imp?.modules).toBe(2);
    expect(imp?.bytes).toBe(55 + 27);
  });

  it('an ESM-only package (type module, exports string): static imports at init, import() only in the bundle view', () => {
    const w = walker.walk('gamma', '', FIXTURE, 'import');
    expect([w?.modules, w?.bytes, w?.allModules, w?.allBytes]).toEqual([2, 113 + 20, 3, 113 + 20 + 20]);
  });

  it('a package that is not installed, or a subpath its exports map does not list, is null', () => {
    expect(walker.walk('nope', '', FIXTURE, 'require')).toBeNull();
    expect(walker.walk('beta', 'cjs/index.js', FIXTURE, 'require')).toBeNull();
  });

  it('scans module-scope requires, UMD factories and IIFEs as init; function bodies as lazy', () => {
    const s = scanModule(
      'x.js',
      `(function (root, factory) { module.exports = factory(require('a')); })(this, function (a) { return require('b'); });
(() => { require('c'); })();
function later() { return require('d'); }
if (process.env.X) require('e');
import('f');
`,
    );
    expect(s.init.map((e) => e.specifier)).toEqual(['a', 'b', 'c', 'e']);
    expect(s.lazy.map((e) => e.specifier)).toEqual(['d', 'f']);
  });

  it('resolves exports maps: nested conditions, patterns, the longest prefix', () => {
    const map = {
      '.': { node: { import: './n.mjs', require: './n.cjs' }, default: './d.js' },
      './features/*': './src/features/*.js',
      './features/x/*': './x/*.js',
    };
    expect(resolveExportsMap(map, '.', ['node', 'require'])).toBe('./n.cjs');
    expect(resolveExportsMap(map, '.', ['import'])).toBe('./d.js');
    expect(resolveExportsMap(map, './features/a', ['node', 'require'])).toBe('./src/features/a.js');
    expect(resolveExportsMap(map, './features/x/y', ['node', 'require'])).toBe('./x/y.js');
    expect(resolveExportsMap(map, './other', ['node', 'require'])).toBeNull();
  });
});

describe('installed packages priced by the calibrated model', () => {
  // perModuleMs 2 and perKBMs 10: alpha is 2*3 + 10*297/1024 = 8.9 ms; beta via require 2*3 + 10*146/1024 = 7.4 ms.
  const catalog: Catalog = {
    measuredAt: '2026-12-02',
    baselineMs: 40,
    packages: [],
    families: [],
    model: {
      fittedAt: '2026-12-02',
      source: 'test',
      importLoaderMs: 0,
      require: { perModuleMs: 2, perKBMs: 10 },
      import: { perModuleMs: 3, perKBMs: 10 },
      bundled: { perModuleMs: 1, perKBMs: 5 },
    },
  };

  it('prices each package from what its walk loads; two different copies of delta share nothing', async () => {
    const result = await scan({ root: FIXTURE, catalog, gitignore: false });
    const main = result.functions.find((f) => f.name === 'main');
    expect(main?.init?.form).toBe('unbundled');
    // Serverless discovery fills packaging: no bundler plugin, so the service folder ships as files.
    expect(main?.init?.formBasis).toBe('unbundled: no bundler plugin: Serverless packages the service folder as files');
    expect(main?.init?.packages.map((p) => [p.name, p.estInitMs, p.version, p.versionSource, p.source])).toEqual([
      ['alpha', 8.9, '1.2.0', 'installed', 'installed'],
      ['beta', 7.4, '3.0.0', 'installed', 'installed'],
    ]);
    expect(main?.init?.packages[0]?.basis).toBe(
      'installed 1.2.0: 3 modules, 0 KB loaded at init (static walk of node_modules), load model fitted 2026-12-02',
    );
    expect(main?.init?.estInitMs).toBe(16.3);
    expect(main?.init?.unpriced).toEqual([]);
    // The ESM handler imports beta (esm/index.mjs + delta 2.0.0: 2 modules, 82 B) and gamma (2 modules, 133 B):
    // beta 3*2 + 10*82/1024 = 6.8; gamma 3*2 + 10*133/1024 = 7.3.
    const esm = result.functions.find((f) => f.name === 'esm');
    expect(esm?.init?.packages.map((p) => [p.name, p.estInitMs])).toEqual([
      ['gamma', 7.3],
      ['beta', 6.8],
    ]);
  });
});
