import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

describe('discover: CDK apps in Python, read as text', async () => {
  const result = await discoverFixture('discover-cdk-python');
  const byId = (id: string) => result.functions.find((f) => f.id === `stacks/shop_stack.py#${id}`);

  it('finds _lambda.Function and lambda_nodejs.NodejsFunction; a Python runtime is listed, not analysed; cloudfront.Function is no Lambda', () => {
    expect(result.iacFiles).toEqual(['stacks/shop_stack.py']);
    expect(result.functions.map((f) => f.id)).toEqual(['stacks/shop_stack.py#OrdersHandler', 'stacks/shop_stack.py#Thumbnails']);
    expect(result.notAnalysed).toEqual([
      {
        id: 'stacks/shop_stack.py#Resize',
        name: 'Resize',
        declaredIn: { file: 'stacks/shop_stack.py', line: 44 },
        reason: 'runtime',
        detail: 'python3.12',
      },
    ]);
  });

  it('maps Code.from_asset(os.path.join(os.path.dirname(__file__), ...)) + handler, with every keyword argument', () => {
    expect(byId('OrdersHandler')).toEqual({
      id: 'stacks/shop_stack.py#OrdersHandler',
      name: 'OrdersHandler',
      provider: 'cdk',
      deployedNames: [],
      runtime: 'nodejs18.x',
      architecture: 'x86_64',
      memoryMB: 512,
      timeoutS: 15,
      defaulted: ['architecture'],
      region: 'us-west-2',
      runtimeDeclaredIn: { file: 'stacks/shop_stack.py', line: 25 },
      runtimeSettings: {
        layers: [{ ref: 'SharedLayer', localDir: 'layers/shared', line: 30 }],
        nodeOptions: { flags: ['--enable-source-maps'], line: 33 },
      },
      packaging: {
        form: 'unbundled',
        tool: null,
        basis: 'lambda.Function with an asset folder deploys the folder as files',
        declaredIn: { file: 'stacks/shop_stack.py', line: 23 },
      },
      declaredIn: { file: 'stacks/shop_stack.py', line: 23 },
      handler: { file: 'lambda/orders/app.js', export: 'handler', declared: 'app.handler', mapping: 'exact' },
    });
  });

  it('maps a NodejsFunction entry relative to the cdk.json folder, bundled by esbuild', () => {
    expect(byId('Thumbnails')).toMatchObject({
      runtime: 'nodejs20.x',
      architecture: 'arm64',
      memoryMB: 128,
      timeoutS: 3,
      defaulted: ['memoryMB', 'timeoutS'],
      declaredIn: { file: 'stacks/shop_stack.py', line: 37 },
      handler: { file: 'lambda/thumbs/index.ts', export: 'handler', mapping: 'exact' },
      packaging: { form: 'bundled', tool: 'esbuild' },
    });
  });
});
