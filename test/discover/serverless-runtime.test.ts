import { openSourceTree } from '../../src/source/tree.js';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/index.js';
import { discoverFixture, fixtures } from './helpers.js';

describe('discover: Serverless layers, NODE_OPTIONS, exec wrapper, packaging and defaults', async () => {
  const result = await discoverFixture('discover-serverless-runtime');
  const byId = (id: string) => result.functions.find((f) => f.id === id);

  it('reads provider layers and environment, and never another environment value', () => {
    expect(byId('api/serverless.yml#createUser')?.runtimeSettings).toEqual({
      layers: [{ ref: 'arn:aws:lambda:eu-west-1:464622532012:layer:Datadog-Node22-x:120', line: 8 }],
      nodeOptions: { flags: ['--enable-source-maps', '--max-old-space-size'], line: 11 },
      execWrapper: { value: '/opt/datadog_wrapper', line: 13 },
    });
    // The flag's value (512) and every other variable (DB_PASSWORD) stay out of the result.
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(JSON.stringify(result)).not.toContain('512');
  });

  it("a function's layers replace the provider's; a local layer maps to its folder; its NODE_OPTIONS wins", () => {
    expect(byId('api/serverless.yml#listUsers')?.runtimeSettings).toEqual({
      layers: [{ ref: 'CommonDashdepsLambdaLayer', localDir: 'api/layers/common', line: 24 }],
      nodeOptions: { flags: ['--require'], line: 27 },
      execWrapper: { value: '/opt/datadog_wrapper', line: 13 },
    });
  });

  it('v4 bundles TypeScript handlers with its built-in esbuild, and ties a committed metafile to the function it covers', () => {
    expect(byId('api/serverless.yml#createUser')?.packaging).toEqual({
      form: 'bundled',
      tool: 'esbuild',
      basis: 'Serverless v4 bundles TypeScript handlers with its built-in esbuild',
      declaredIn: { file: 'api/serverless.yml', line: 2 },
      statsFile: 'api/meta.json',
      // No build.esbuild.exclude: v4's documented default for nodejs18.x and newer (the provider says nodejs22.x).
      externals: ['@aws-sdk/*'],
    });
    // meta.json lists create.ts only: list.ts gets no stats file.
    expect(byId('api/serverless.yml#listUsers')?.packaging?.statsFile).toBeUndefined();
  });

  it('serverless-esbuild leaves out custom.esbuild.exclude and external (the orders-service example)', async () => {
    const root = path.resolve(fixtures, '../../examples/orders-service');
    const example = await discover({ tree: await openSourceTree(root) });
    const fn = example.functions.find((f) => f.packaging?.tool === 'esbuild');
    expect(fn?.packaging?.basis).toBe('serverless-esbuild plugin bundles each function with esbuild');
    // exclude: ['@aws-sdk/*'] then external: [pdfkit], as serverless.yml writes them.
    expect(fn?.packaging?.externals).toEqual(['@aws-sdk/*', 'pdfkit']);
  });

  it('build.esbuild: false ships files; serverless-webpack bundles with webpack and its stats file is found', () => {
    expect(byId('jobs/serverless.yml#nightly')?.packaging).toEqual({
      form: 'unbundled',
      tool: null,
      basis: 'build.esbuild is false: Serverless packages the service as files',
      declaredIn: { file: 'jobs/serverless.yml', line: 4 },
    });
    expect(byId('web/serverless.yml#render')?.packaging).toEqual({
      form: 'bundled',
      tool: 'webpack',
      basis: 'serverless-webpack plugin bundles each function with webpack',
      declaredIn: { file: 'web/serverless.yml', line: 2 },
      statsFile: 'web/stats.json',
    });
  });

  it('fills Serverless defaults (1024 MB, 6 s, x86_64) and marks them; region only when declared', () => {
    expect(byId('api/serverless.yml#createUser')).toMatchObject({
      memoryMB: 1024,
      timeoutS: 6,
      architecture: 'x86_64',
      defaulted: ['architecture', 'memoryMB', 'timeoutS'],
      region: 'eu-west-1',
    });
    const render = byId('web/serverless.yml#render');
    expect(render).toMatchObject({ memoryMB: 2048, timeoutS: 10, architecture: 'arm64', runtimeDeclaredIn: { file: 'web/serverless.yml', line: 7 } });
    expect(render?.defaulted).toBeUndefined();
    expect(render?.region).toBeUndefined();
    expect(byId('jobs/serverless.yml#nightly')?.runtimeDeclaredIn).toEqual({ file: 'jobs/serverless.yml', line: 7 });
    // `Timeout:` (CloudFormation's spelling) is not a Serverless key: ignored, as the framework ignores it, and said.
    expect(byId('jobs/serverless.yml#nightly')?.timeoutS).toBe(6);
    expect(result.warnings).toContain(
      'jobs/serverless.yml: provider.Timeout is not a Serverless setting (keys are case-sensitive: timeout); ignored, as the framework ignores it',
    );
  });
});

describe('the IaC region prices the scan when nothing was measured', () => {
  it('uses provider.region (eu-west-1) for the cost summary, and --price-region still wins', async () => {
    const { scan } = await import('../../src/index.js');
    const { fixtures } = await import('./helpers.js');
    const root = `${fixtures}/discover-serverless-runtime/api`;
    const fromIac = await scan({ root });
    expect(fromIac.summary.cost?.region).toBe('eu-west-1');
    const asked = await scan({ root, cost: { region: 'us-west-2' } });
    expect(asked.summary.cost?.region).toBe('us-west-2');
  });
});
