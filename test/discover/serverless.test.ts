import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

describe('discover: Serverless Framework', async () => {
  const result = await discoverFixture('discover-serverless');
  const byId = (id: string) => result.functions.find((f) => f.id === id);

  it('reads every service in the tree, sorted', () => {
    expect(result.iacFiles).toEqual(['packages/billing/serverless.json', 'serverless.yml', 'ts-service/serverless.ts']);
    expect(result.functions.map((f) => f.id)).toEqual([
      'packages/billing/serverless.json#charge',
      'serverless.yml#createOrder',
      'serverless.yml#fromEnv',
      'serverless.yml#getOrder',
      'serverless.yml#legacy',
      'serverless.yml#listOrders',
      'ts-service/serverless.ts#bye',
      'ts-service/serverless.ts#hello',
    ]);
    expect(result.skipped).toEqual([]);
  });

  it('maps a handler with provider fallbacks and the default deployed name', () => {
    expect(byId('serverless.yml#createOrder')).toEqual({
      id: 'serverless.yml#createOrder',
      name: 'createOrder',
      provider: 'serverless',
      deployedNames: ['orders-dev-createOrder'],
      runtime: 'nodejs20.x',
      architecture: 'arm64',
      memoryMB: 512,
      timeoutS: 6,
      region: 'us-east-1',
      runtimeDeclaredIn: { file: 'serverless.yml', line: 11 },
      packaging: { form: 'unbundled', tool: null, basis: 'no bundler plugin: Serverless packages the service folder as files' },
      declaredIn: { file: 'serverless.yml', line: 19 },
      handler: { file: 'src/handlers/create.ts', export: 'handler', declared: 'src/handlers/create.handler', mapping: 'exact' },
    });
  });

  it('resolves self/sls variables in name and timeout, and per-function overrides', () => {
    const fn = byId('serverless.yml#listOrders');
    expect(fn?.deployedNames).toEqual(['orders-dev-list-all']);
    expect(fn?.timeoutS).toBe(20);
    expect(fn?.runtime).toBe('nodejs18.x');
    expect(fn?.architecture).toBe('x86_64');
    expect(fn?.memoryMB).toBe(1024);
    expect(fn?.declaredIn).toEqual({ file: 'serverless.yml', line: 24 });
  });

  it('reads ephemeralStorageSize and provisionedConcurrency per function', () => {
    expect(byId('serverless.yml#fromEnv')).toMatchObject({ ephemeralStorageMB: 10240, provisionedConcurrency: 3 });
    expect(byId('serverless.yml#createOrder')?.ephemeralStorageMB).toBeUndefined();
  });

  it('maps build output back to sources as a guess', () => {
    expect(byId('serverless.yml#getOrder')?.handler).toEqual({
      file: 'src/handlers/get.ts',
      export: 'main',
      declared: 'dist/handlers/get.main',
      mapping: 'guessed',
      mappingNote: 'IaC points at build output dist/handlers/get; mapped to src/handlers/get.ts by name',
    });
  });

  it('prefers .ts over a compiled .js twin and says so', () => {
    expect(byId('serverless.yml#legacy')?.handler.file).toBe('src/legacy.ts');
    expect(result.warnings).toContain(
      'serverless.yml#legacy: both src/legacy.ts and src/legacy.js exist for src/legacy.handler; using src/legacy.ts (a .js beside a .ts is usually compiled output)',
    );
  });

  it('leaves unknown variables as written, unresolved, with a warning', () => {
    expect(byId('serverless.yml#fromEnv')?.handler).toEqual({
      file: null,
      export: 'handler',
      declared: 'src/${env:HANDLER_DIR}/x.handler',
      mapping: 'unresolved',
      mappingNote: 'handler src/${env:HANDLER_DIR}/x.handler has a variable that cannot be resolved statically',
      reason: 'not_static',
    });
    expect(result.warnings).toContain(
      'serverless.yml#fromEnv: handler "src/${env:HANDLER_DIR}/x.handler" has a variable that cannot be resolved statically',
    );
    expect(result.warnings).toHaveLength(2);
  });

  it('resolves paths against the service directory in a monorepo (JSON config, quoted memory)', () => {
    expect(byId('packages/billing/serverless.json#charge')).toEqual({
      id: 'packages/billing/serverless.json#charge',
      name: 'charge',
      provider: 'serverless',
      deployedNames: ['billing-prod-charge'],
      runtime: 'nodejs22.x',
      // Not declared: Serverless's documented defaults, marked as such.
      architecture: 'x86_64',
      memoryMB: 256,
      timeoutS: 6,
      defaulted: ['architecture', 'timeoutS'],
      runtimeDeclaredIn: { file: 'packages/billing/serverless.json', line: 3 },
      packaging: { form: 'unbundled', tool: null, basis: 'no bundler plugin: Serverless packages the service folder as files' },
      declaredIn: { file: 'packages/billing/serverless.json', line: 5 },
      handler: { file: 'packages/billing/handler.js', export: 'charge', declared: 'handler.charge', mapping: 'exact' },
    });
  });

  it('reads serverless.ts without running it, following the template handlerPath(__dirname) import', () => {
    expect(byId('ts-service/serverless.ts#hello')).toEqual({
      id: 'ts-service/serverless.ts#hello',
      name: 'hello',
      provider: 'serverless',
      deployedNames: ['greeter-dev-hello'],
      runtime: 'nodejs20.x',
      architecture: 'x86_64',
      memoryMB: 256,
      timeoutS: 6,
      defaulted: ['architecture', 'timeoutS'],
      runtimeDeclaredIn: { file: 'ts-service/serverless.ts', line: 11 },
      // No custom.esbuild.exclude: serverless-esbuild's documented default, ['aws-sdk'].
      packaging: {
        form: 'bundled',
        tool: 'esbuild',
        basis: 'serverless-esbuild plugin bundles each function with esbuild',
        declaredIn: { file: 'ts-service/serverless.ts', line: 8 },
        externals: ['aws-sdk'],
      },
      declaredIn: { file: 'ts-service/serverless.ts', line: 15 },
      handler: { file: 'ts-service/src/functions/hello/handler.ts', export: 'main', declared: 'src/functions/hello/handler.main', mapping: 'exact' },
    });
    expect(byId('ts-service/serverless.ts#bye')?.handler.file).toBe('ts-service/src/functions/bye.ts');
    expect(byId('ts-service/serverless.ts#bye')?.timeoutS).toBe(3);
    expect(byId('ts-service/serverless.ts#bye')?.declaredIn.line).toBe(16);
  });
});
