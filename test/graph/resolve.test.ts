import { describe, expect, it } from 'vitest';
import { architectFolders, ModuleResolver, type ResolverOptions } from '../../src/graph/resolve.js';

/** A resolver over an in-memory tree: file -> text (only manifests and tsconfigs are read). */
function resolverOf(tree: Record<string, string>, options?: ResolverOptions): ModuleResolver {
  return new ModuleResolver(
    Object.keys(tree),
    (rel) => {
      const text = tree[rel];
      if (text === undefined) throw new Error(`ENOENT ${rel}`);
      return text;
    },
    options,
  );
}

describe('tsconfig paths for every prefix', () => {
  const tree = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        baseUrl: '.',
        paths: {
          '/opt/common/*': ['layers/common/src/*'],
          '/opt/nodejs/*': ['layers/shared/nodejs/*'],
          '@app/*': ['src/*'],
          '~utils': ['src/utils/index.ts'],
        },
      },
    }),
    'layers/common/src/logger.ts': '',
    'layers/shared/nodejs/db.ts': '',
    'src/orders/get.ts': '',
    'src/utils/index.ts': '',
  };
  const r = resolverOf(tree);

  it('maps a rooted /opt/common/* prefix to the layer folder', () => {
    expect(r.resolve('src/orders/get.ts', '/opt/common/logger')).toEqual({ kind: 'file', file: 'layers/common/src/logger.ts' });
  });
  it('maps /opt/nodejs/* through paths before the layer search', () => {
    expect(r.resolve('src/orders/get.ts', '/opt/nodejs/db')).toEqual({ kind: 'file', file: 'layers/shared/nodejs/db.ts' });
  });
  it('maps scoped and exact aliases', () => {
    expect(r.resolve('src/orders/get.ts', '@app/utils')).toEqual({ kind: 'file', file: 'src/utils/index.ts' });
    expect(r.resolve('src/orders/get.ts', '~utils')).toEqual({ kind: 'file', file: 'src/utils/index.ts' });
  });
  it('leaves an unmapped rooted path unresolved rather than guessing', () => {
    expect(r.resolve('src/orders/get.ts', '/opt/other/x')).toEqual({ kind: 'not_found' });
  });
});

describe('Lambda layer folders', () => {
  const tree = {
    // A SAM layer built with BuildMethod nodejs20.x: the folder's content lands in /opt/nodejs.
    'layers/common/package.json': JSON.stringify({ name: 'common-layer' }),
    'layers/common/response.js': '',
    // A prebuilt layer laid out as the zip is: <name>/nodejs/...
    'layers/util/nodejs/format.js': '',
    'layers/util/nodejs/format-old.js': '',
    'other/nodejs/format.js': '',
    'functions/orders/app.js': '',
  };

  it('resolves /opt/nodejs/x in the layer folders the functions declare (localDir), both layouts', () => {
    const r = resolverOf(tree, { layerDirs: ['layers/common', 'layers/util/'] });
    expect(r.resolve('functions/orders/app.js', '/opt/nodejs/response')).toEqual({ kind: 'file', file: 'layers/common/response.js' });
    expect(r.resolve('functions/orders/app.js', '/opt/nodejs/format.js')).toEqual({ kind: 'file', file: 'layers/util/nodejs/format.js' });
  });
  it('without declared layers, falls back to nodejs folders nearest the importer', () => {
    const r = resolverOf(tree);
    expect(r.resolve('other/handler.js', '/opt/nodejs/format')).toEqual({ kind: 'file', file: 'other/nodejs/format.js' });
    expect(r.resolve('layers/x.js', '/opt/nodejs/format')).toEqual({ kind: 'file', file: 'layers/util/nodejs/format.js' });
  });
  it('treats /opt/nodejs/node_modules/pkg as the package', () => {
    const r = resolverOf(tree);
    expect(r.resolve('functions/orders/app.js', '/opt/nodejs/node_modules/lodash/get')).toEqual({ kind: 'package', name: 'lodash', subpath: 'get' });
  });
});

describe('workspace exports (resolve.exports)', () => {
  const tree = {
    'packages/core/package.json': JSON.stringify({
      name: '@acme/core',
      exports: {
        '.': { import: { types: './dist/index.d.mts', default: './dist/index.mjs' }, require: './dist/index.cjs' },
        './log': [{ node: './src/log/node.ts' }, './src/log/index.ts'],
        './features/*': { types: './dist/features/*.d.ts', default: './dist/features/*.js' },
      },
    }),
    'packages/core/src/index.mts': '',
    'packages/core/src/log/node.ts': '',
    'packages/core/src/log/index.ts': '',
    'packages/core/src/features/cart.ts': '',
    'packages/legacy/package.json': JSON.stringify({ name: 'legacy-utils', main: 'lib/main.js' }),
    'packages/legacy/src/main.ts': '',
    'packages/pkgimports/package.json': JSON.stringify({
      name: 'svc',
      imports: { '#db': { node: './src/db/node.js', default: './src/db/edge.js' }, '#lib/*': './src/lib/*.js' },
    }),
    'packages/pkgimports/src/db/node.ts': '',
    'packages/pkgimports/src/lib/money.ts': '',
    'packages/pkgimports/src/handlers/pay.ts': '',
    'services/api/handler.ts': '',
  };
  const r = resolverOf(tree);

  it('resolves nested conditions to the source of the build output', () => {
    expect(r.resolve('services/api/handler.ts', '@acme/core')).toEqual({ kind: 'file', file: 'packages/core/src/index.mts' });
  });
  it('takes the first array fallback that exists', () => {
    expect(r.resolve('services/api/handler.ts', '@acme/core/log')).toEqual({ kind: 'file', file: 'packages/core/src/log/node.ts' });
  });
  it('expands * patterns under conditions', () => {
    expect(r.resolve('services/api/handler.ts', '@acme/core/features/cart')).toEqual({ kind: 'file', file: 'packages/core/src/features/cart.ts' });
  });
  it('maps a main in lib/ back to src/', () => {
    expect(r.resolve('services/api/handler.ts', 'legacy-utils')).toEqual({ kind: 'file', file: 'packages/legacy/src/main.ts' });
  });
  it('resolves #subpath imports from the nearest package.json', () => {
    expect(r.resolve('packages/pkgimports/src/handlers/pay.ts', '#db')).toEqual({ kind: 'file', file: 'packages/pkgimports/src/db/node.ts' });
    expect(r.resolve('packages/pkgimports/src/handlers/pay.ts', '#lib/money')).toEqual({
      kind: 'file',
      file: 'packages/pkgimports/src/lib/money.ts',
    });
  });
});

describe('Architect shared and views', () => {
  it('maps @architect/shared and @architect/views to src/shared and src/views', () => {
    const r = resolverOf({
      'app.arc': '@app\nshop\n\n@http\nget /\n',
      'src/http/get-index/index.js': '',
      'src/shared/db.js': '',
      'src/shared/index.js': '',
      'src/views/layout.js': '',
    });
    expect(r.resolve('src/http/get-index/index.js', '@architect/shared/db')).toEqual({ kind: 'file', file: 'src/shared/db.js' });
    expect(r.resolve('src/http/get-index/index.js', '@architect/shared')).toEqual({ kind: 'file', file: 'src/shared/index.js' });
    expect(r.resolve('src/http/get-index/index.js', '@architect/views/layout')).toEqual({ kind: 'file', file: 'src/views/layout.js' });
    // The runtime library is a real package.
    expect(r.resolve('src/http/get-index/index.js', '@architect/functions')).toEqual({ kind: 'package', name: '@architect/functions', subpath: '' });
  });
  it('follows the @shared src pragma of a nested app', () => {
    const r = resolverOf({
      'apps/shop/app.arc': '@app\nshop\n@shared\nsrc lib/common # copied everywhere\n',
      'apps/shop/lib/common/money.js': '',
      'apps/shop/src/http/get-cart/index.js': '',
    });
    expect(r.resolve('apps/shop/src/http/get-cart/index.js', '@architect/shared/money')).toEqual({
      kind: 'file',
      file: 'apps/shop/lib/common/money.js',
    });
  });
  it('reads the pragmas', () => {
    expect(architectFolders('@views\nsrc ./web/views\n@shared\nsrc lib\n')).toEqual({ views: 'web/views', shared: 'lib' });
  });
});
