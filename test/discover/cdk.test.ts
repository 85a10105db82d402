import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

describe('discover: CDK (read from source, never synthesised)', async () => {
  const result = await discoverFixture('discover-cdk');
  const byId = (id: string) => result.functions.find((f) => f.id === `infra/lib/orders-stack.ts#${id}`);

  it('lists the constructs of the stack file only (not the app entry, not test stacks)', () => {
    expect(result.iacFiles).toEqual(['infra/lib/orders-stack.ts']);
    expect(result.functions.map((f) => f.name)).toEqual(['CreateOrder', 'Default', 'Dynamic', 'GetOrder', 'Legacy', 'Templated']);
    expect(result.warnings).toEqual(['infra/lib/orders-stack.ts#Inline: inline code (Code.fromInline) cannot be analysed; not listed']);
    expect(result.skipped).toEqual([]);
  });

  it('reads a NodejsFunction with path.join(__dirname) entry and every literal prop', () => {
    expect(byId('CreateOrder')).toEqual({
      id: 'infra/lib/orders-stack.ts#CreateOrder',
      name: 'CreateOrder',
      provider: 'cdk',
      deployedNames: ['orders-create'],
      runtime: 'nodejs20.x',
      architecture: 'arm64',
      memoryMB: 512,
      timeoutS: 10,
      declaredIn: { file: 'infra/lib/orders-stack.ts', line: 21 },
      handler: { file: 'src/create.ts', export: 'main', declared: "path.join(__dirname, '../../src/create.ts')", mapping: 'exact' },
    });
  });

  it('resolves a relative string entry against the cdk.json directory and applies a spread of shared props', () => {
    expect(byId('GetOrder')).toEqual({
      id: 'infra/lib/orders-stack.ts#GetOrder',
      name: 'GetOrder',
      provider: 'cdk',
      deployedNames: [],
      runtime: 'nodejs22.x',
      architecture: 'x86_64',
      memoryMB: 256,
      timeoutS: null,
      declaredIn: { file: 'infra/lib/orders-stack.ts', line: 31 },
      handler: { file: 'src/get.ts', export: 'handler', declared: '../src/get.ts', mapping: 'exact' },
    });
  });

  it('uses the default entry <stack>.<id>.ts and default export handler', () => {
    expect(byId('Default')?.handler).toEqual({
      file: 'infra/lib/orders-stack.Default.ts',
      export: 'handler',
      declared: 'infra/lib/orders-stack.Default.ts',
      mapping: 'exact',
    });
    expect(byId('Default')?.declaredIn.line).toBe(37);
  });

  it('reads a template-literal entry and Duration.minutes', () => {
    expect(byId('Templated')?.handler.file).toBe('infra/handlers/templated.ts');
    expect(byId('Templated')?.timeoutS).toBe(120);
  });

  it('leaves a non-literal entry unresolved with the reason', () => {
    expect(byId('Dynamic')?.handler).toEqual({
      file: null,
      export: 'handler',
      declared: 'props.entry',
      mapping: 'unresolved',
      mappingNote: 'entry props.entry is not a static path',
      reason: 'not_static',
    });
  });

  it('maps lambda.Function with Code.fromAsset(dir) and handler index.handler', () => {
    expect(byId('Legacy')?.handler).toEqual({ file: 'lambda/index.js', export: 'handler', declared: 'index.handler', mapping: 'exact' });
    expect(byId('Legacy')?.runtime).toBe('nodejs18.x');
    expect(byId('Legacy')?.declaredIn.line).toBe(46);
  });

  it('reads ephemeralStorageSize (Size.mebibytes / Size.gibibytes) and currentVersionOptions.provisionedConcurrentExecutions', () => {
    expect(byId('Dynamic')?.ephemeralStorageMB).toBe(3072);
    expect(byId('Legacy')).toMatchObject({ ephemeralStorageMB: 2048, provisionedConcurrency: 4 });
    expect(byId('CreateOrder')?.ephemeralStorageMB).toBeUndefined();
  });
});
