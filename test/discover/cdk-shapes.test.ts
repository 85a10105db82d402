import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { openSourceTree } from '../../src/source/tree.js';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/index.js';
import { discoverFixture } from './helpers.js';

describe('discover: CDK shapes from real apps', async () => {
  const result = await discoverFixture('discover-cdk-shapes');
  const byId = (id: string) => result.functions.find((f) => f.id === `infra/lib/shop-stack.ts#${id}`);

  it('lists Lambda constructs once: not cloudfront.Function, not the compiled shop-stack.js twin', () => {
    expect(result.functions.map((f) => f.id)).toEqual([
      'infra/lib/shop-stack.ts#Audit',
      'infra/lib/shop-stack.ts#Billing',
      'infra/lib/shop-stack.ts#DailyReport',
      'infra/lib/shop-stack.ts#Orders',
    ]);
    expect(result.iacFiles).toEqual(['infra/lib/shop-stack.ts']);
    expect(result.warnings).toEqual([]);
    expect(result.unreferenced).toEqual([]);
  });

  it('builds handler names from an imported JSON file, with Code.fromAsset(path.join(__dirname)) and new AssetCode(dir)', () => {
    expect(byId('Orders')?.handler).toEqual({ file: 'src/orders/index.js', export: 'handler', declared: 'orders/index.handler', mapping: 'exact' });
    expect(byId('DailyReport')?.handler).toEqual({ file: 'src/reports/daily.ts', export: 'run', declared: 'reports/daily.run', mapping: 'exact' });
  });

  it('reads layers (a local LayerVersion, an imported ARN, Lambda Insights) and NODE_OPTIONS, nothing else of the environment', () => {
    expect(byId('Orders')?.runtimeSettings).toEqual({
      layers: [
        { ref: 'CommonLayer', localDir: 'layers/common', line: 23 },
        { ref: 'arn:aws:lambda:ap-southeast-2:094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:12', line: 24 },
        { ref: 'LambdaInsightsExtension (insightsVersion)', line: 26 },
      ],
      nodeOptions: { flags: ['--enable-source-maps'], line: 28 },
    });
    expect(JSON.stringify(result)).not.toContain('sk_test');
    expect(byId('Audit')?.runtimeSettings?.layers).toEqual([
      { ref: 'arn:aws:lambda:${Stack.of(this).region}:094274105915:layer:AWSLambdaPowertoolsTypeScriptV2:3', line: 54 },
    ]);
  });

  it('NodejsFunction bundles with esbuild (bundling options shown, externalModules kept); lambda.Function ships its asset folder as files', () => {
    expect(byId('Billing')?.packaging).toEqual({
      form: 'bundled',
      tool: 'esbuild',
      basis: 'CDK NodejsFunction bundles with esbuild by default (bundling minify true, sourceMap true)',
      declaredIn: { file: 'infra/lib/shop-stack.ts', line: 43 },
      // bundling.externalModules, as written (it replaces CDK's default).
      externals: ['@aws-sdk/*', 'sharp'],
    });
    expect(byId('Orders')?.packaging).toEqual({
      form: 'unbundled',
      tool: null,
      basis: 'lambda.Function with an asset folder deploys the folder as files',
      declaredIn: { file: 'infra/lib/shop-stack.ts', line: 18 },
    });
  });

  it("takes the app's one literal region from bin/app.ts, the runtime's line, and CDK's defaults marked", () => {
    expect(byId('Orders')).toMatchObject({
      region: 'ap-southeast-2',
      runtime: 'nodejs16.x',
      runtimeDeclaredIn: { file: 'infra/lib/shop-stack.ts', line: 19 },
      memoryMB: 128,
      timeoutS: 3,
    });
    expect(byId('DailyReport')).toMatchObject({ timeoutS: 300, memoryMB: 128, defaulted: ['architecture', 'memoryMB'] });
    expect(byId('Billing')).toMatchObject({ runtime: null, memoryMB: 1024, defaulted: ['architecture', 'timeoutS'] });
  });
});

describe("discover: CDK NodejsFunction's default externalModules follow the runtime", () => {
  it("['aws-sdk'] before Node 18 (the runtime ships v2), ['@aws-sdk/*'] from Node 18 and when no runtime is set", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lm-cdk-ext-'));
    try {
      const files: Record<string, string> = {
        'cdk.json': '{ "app": "npx ts-node bin/app.ts" }\n',
        'src/a.ts': 'export const handler = async () => 1;\n',
        'lib/stack.ts': [
          "import { Stack } from 'aws-cdk-lib';",
          "import * as lambda from 'aws-cdk-lib/aws-lambda';",
          "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
          'export class S extends Stack {',
          '  constructor(scope: never, id: string) {',
          '    super(scope, id);',
          "    new NodejsFunction(this, 'Old', { entry: '../src/a.ts', runtime: lambda.Runtime.NODEJS_16_X });",
          "    new NodejsFunction(this, 'New', { entry: '../src/a.ts', runtime: lambda.Runtime.NODEJS_18_X });",
          "    new NodejsFunction(this, 'Latest', { entry: '../src/a.ts' });",
          '  }',
          '}',
          '',
        ].join('\n'),
      };
      for (const [rel, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        writeFileSync(path.join(root, rel), text);
      }
      const result = await discover({ tree: await openSourceTree(root) });
      const externals = (id: string) => result.functions.find((f) => f.id === `lib/stack.ts#${id}`)?.packaging?.externals;
      expect(externals('Old')).toEqual(['aws-sdk']);
      expect(externals('New')).toEqual(['@aws-sdk/*']);
      expect(externals('Latest')).toEqual(['@aws-sdk/*']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
