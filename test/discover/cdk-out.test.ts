import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

describe('discover: cdk.out as a second source', async () => {
  const result = await discoverFixture('discover-cdk-out');

  it('lists a function declared in both the CDK source and cdk.out once, from the source, with the template filling gaps', () => {
    expect(result.functions.map((f) => f.id)).toEqual(['infra/cdk.out/OrdersStack.template.json#ImportedFn11223344', 'infra/lib/stack.ts#CreateFn']);
    expect(result.functions[1]).toEqual({
      id: 'infra/lib/stack.ts#CreateFn',
      name: 'CreateFn',
      provider: 'cdk',
      deployedNames: [],
      runtime: 'nodejs20.x',
      architecture: 'arm64',
      memoryMB: 1024,
      timeoutS: 30,
      packaging: {
        form: 'bundled',
        tool: 'esbuild',
        basis: 'CDK NodejsFunction bundles with esbuild by default',
        declaredIn: { file: 'infra/lib/stack.ts', line: 8 },
        externals: ['@aws-sdk/*'],
      },
      declaredIn: { file: 'infra/lib/stack.ts', line: 8 },
      handler: { file: 'src/create.ts', export: 'handler', declared: '../src/create.ts', mapping: 'exact' },
    });
  });

  it('keeps a function only the template knows, leaves out CDK plumbing, and counts inline code', () => {
    expect(result.functions[0]).toMatchObject({
      name: 'ImportedFn',
      deployedNames: ['orders-imported'],
      runtime: 'nodejs18.x',
      declaredIn: { file: 'infra/cdk.out/OrdersStack.template.json', line: 16 },
      handler: { file: null, mapping: 'unresolved', reason: 'handler_not_found' },
    });
    expect(result.notAnalysed.map((n) => [n.id, n.reason])).toEqual([['infra/cdk.out/OrdersStack.template.json#InlineFn99887766', 'inline_code']]);
    expect(result.functions.some((f) => f.id.includes('LogRetention'))).toBe(false);
  });
});
