import { describe, expect, it } from 'vitest';
import type { FunctionSpec } from '../../src/model/result.js';
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
      runtimeDeclaredIn: { file: 'infra/lib/orders-stack.ts', line: 24 },
      packaging: {
        form: 'bundled',
        tool: 'esbuild',
        basis: 'CDK NodejsFunction bundles with esbuild by default',
        declaredIn: { file: 'infra/lib/orders-stack.ts', line: 21 },
        externals: ['@aws-sdk/*'],
      },
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
      // CDK's default 3 s, marked as a default
      timeoutS: 3,
      defaulted: ['timeoutS'],
      runtimeDeclaredIn: { file: 'infra/lib/orders-stack.ts', line: 34 },
      packaging: {
        form: 'bundled',
        tool: 'esbuild',
        basis: 'CDK NodejsFunction bundles with esbuild by default',
        declaredIn: { file: 'infra/lib/orders-stack.ts', line: 31 },
        externals: ['@aws-sdk/*'],
      },
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

describe('discover: CDK props from a variable of the same file, read with its scopes', async () => {
  const result = await discoverFixture('discover-cdk-props');
  const fn = (id: string, line: number, sizes: [string | null, string | null, number | null, number | null], handler: object) => ({
    id: `infra/lib/props-stack.ts#${id}`,
    name: id,
    provider: 'cdk',
    deployedNames: [],
    runtime: sizes[0],
    architecture: sizes[1],
    memoryMB: sizes[2],
    timeoutS: sizes[3],
    declaredIn: { file: 'infra/lib/props-stack.ts', line },
    handler: { export: 'handler', mapping: 'exact', ...handler },
  });

  /** What the props declare: the packaging and runtime line are asserted elsewhere, and a CDK default is not a declaration. */
  const declaredOnly = (f: FunctionSpec): Omit<FunctionSpec, 'packaging' | 'runtimeDeclaredIn' | 'defaulted'> => {
    const { packaging: _packaging, runtimeDeclaredIn: _line, defaulted, ...rest } = f;
    for (const key of defaulted ?? []) rest[key] = null;
    return rest;
  };

  it('follows a props variable to its object literal and its spreads, each name in its own function, a parameter as unknown', () => {
    expect(result.iacFiles).toEqual(['infra/lib/props-stack.ts']);
    expect(result.warnings).toEqual([]);
    expect(result.functions.map(declaredOnly)).toEqual([
      // a wrapper construct passes its constructor argument through: unknown here, and said so
      fn('Handler', 50, [null, null, null, null], {
        file: null,
        declared: 'props',
        mapping: 'unresolved',
        reason: 'not_static',
        mappingNote: 'props props are a parameter of the enclosing function, not known statically',
      }),
      // `{ ...defaults }` is addJob's parameter: the module's `defaults` (128 MB) it shadows must not be read
      fn('Job', 42, [null, null, null, null], { file: 'src/job.ts', declared: '../src/job.ts' }),
      // `{ ...props, memorySize: 2048 }`: addMailer's `props`, itself spreading commonProps; the entry comes from the spread
      fn('Mailer', 37, ['nodejs20.x', 'arm64', 2048, 15], { file: 'src/mailer.ts', declared: '../src/mailer.ts' }),
      // `ordersProps` declared earlier in the constructor: commonProps under its own memorySize, the entry's source text kept
      fn('Orders', 18, ['nodejs20.x', null, 1024, 15], { file: 'src/orders.ts', declared: "path.join(__dirname, '../../src/orders.ts')" }),
      // lambda.Function props from a `satisfies` variable: Code.fromAsset dir + handler
      fn('Report', 24, ['nodejs18.x', null, null, null], { file: 'lambda/index.js', declared: 'index.handler' }),
      // addWorker's `props`, while addMailer declares a `props` too
      fn('Worker', 32, ['nodejs20.x', null, 512, 15], { file: 'src/worker.ts', declared: '../src/worker.ts' }),
    ]);
  });
});
