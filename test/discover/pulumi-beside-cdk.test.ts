import { describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/index.js';
import { MemorySourceTree } from '../../src/source/tree.js';

/**
 * A patterns repository: a Pulumi project and a CDK project side by side (aws-samples/serverless-patterns holds
 * hundreds). The Pulumi fallback analyses handler files no Pulumi declaration names, but only its own: a file in the
 * CDK project's folder that only re-exports into the CDK entry is that project's module, not a Pulumi function.
 */
const tree = new MemorySourceTree({
  'alb-lambda-pulumi-ts/Pulumi.yaml': 'name: alb-lambda\nruntime: nodejs\n',
  'alb-lambda-pulumi-ts/index.ts': [
    "import * as aws from '@pulumi/aws';",
    "import * as pulumi from '@pulumi/pulumi';",
    "export const fn = new aws.lambda.Function('fn', {",
    "  code: new pulumi.asset.FileArchive('./app'),",
    "  handler: 'main.handler',",
    "  runtime: 'nodejs20.x',",
    "  role: 'arn:aws:iam::123456789012:role/r',",
    '});',
    '',
  ].join('\n'),
  'alb-lambda-pulumi-ts/app/main.js': 'exports.handler = async () => ({ statusCode: 200 });\n',
  'alb-lambda-pulumi-ts/extra/worker.ts': 'export const handler = async () => undefined;\n',
  'apigw-lambda-cdk/cdk.json': '{ "app": "npx ts-node bin/app.ts" }\n',
  'apigw-lambda-cdk/bin/app.ts': "import { App } from 'aws-cdk-lib';\nimport { ApiStack } from '../lib/stack';\n\nnew ApiStack(new App(), 'Api');\n",
  'apigw-lambda-cdk/lib/stack.ts': [
    "import { Stack } from 'aws-cdk-lib';",
    "import * as lambda from 'aws-cdk-lib/aws-lambda';",
    "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
    "import type { Construct } from 'constructs';",
    'export class ApiStack extends Stack {',
    '  constructor(scope: Construct, id: string) {',
    '    super(scope, id);',
    "    new NodejsFunction(this, 'Api', { entry: 'lambda/index.ts', handler: 'ApiLambda', runtime: lambda.Runtime.NODEJS_20_X });",
    '  }',
    '}',
    '',
  ].join('\n'),
  'apigw-lambda-cdk/lambda/index.ts': "export { handler as ApiLambda } from './api';\n",
  'apigw-lambda-cdk/lambda/api.ts': 'export const handler = async () => ({ statusCode: 200 });\n',
});

describe('discover: a Pulumi project beside a CDK project', async () => {
  const result = await discover({ tree });

  it("promotes only the Pulumi project's unreferenced handler file, and leaves the CDK module listed as unreferenced", () => {
    expect(result.functions.map((f) => [f.id, f.provider, f.handler.file])).toEqual([
      ['alb-lambda-pulumi-ts/extra/worker.ts#handler', 'fallback', 'alb-lambda-pulumi-ts/extra/worker.ts'],
      ['alb-lambda-pulumi-ts/index.ts#fn', 'pulumi', 'alb-lambda-pulumi-ts/app/main.js'],
      ['apigw-lambda-cdk/lib/stack.ts#Api', 'cdk', 'apigw-lambda-cdk/lambda/index.ts'],
    ]);
    expect(result.unreferenced.map((u) => u.file)).toEqual(['apigw-lambda-cdk/lambda/api.ts']);
    expect(result.warnings.filter((w) => w.startsWith('pulumi:'))).toEqual([
      'pulumi: 1 file(s) export `handler` but no Pulumi declaration read here names them; analysed as guessed functions (provider fallback)',
    ]);
  });
});

describe('discover: build output that maps back by name onto the CDK stack itself', async () => {
  // aws-samples/serverless-patterns apigw-lambda-cdk: the stack is src/api/index.ts, the asset src/api/dist (built by a
  // script from api/lambda/index.ts), the handler `index.ApiLambda`; by name, dist/index -> src/api/index.ts.
  const result = await discover({
    tree: new MemorySourceTree({
      'cdk.json': '{ "app": "npx ts-node src/index.ts" }\n',
      'src/index.ts': "import { App } from 'aws-cdk-lib';\nimport { Api } from './api';\n\nnew Api(new App(), 'Api');\n",
      'src/api/index.ts': [
        "import * as path from 'path';",
        "import { Stack } from 'aws-cdk-lib';",
        "import * as lambda from 'aws-cdk-lib/aws-lambda';",
        "import type { Construct } from 'constructs';",
        'export class Api extends Stack {',
        '  constructor(scope: Construct, id: string) {',
        '    super(scope, id);',
        "    new lambda.Function(this, 'handler', {",
        "      code: new lambda.AssetCode(path.resolve(__dirname, 'dist')),",
        "      handler: 'index.ApiLambda',",
        '      runtime: lambda.Runtime.NODEJS_20_X,',
        '    });',
        '  }',
        '}',
        '',
      ].join('\n'),
      'src/api/lambda/index.ts': "export { handler as ApiLambda } from './api';\n",
      'src/api/lambda/api.ts': 'export const handler = async () => ({ statusCode: 200 });\n',
    }),
  });

  it('is unresolved with a note, not an init closure of the CDK code', () => {
    const fn = result.functions.find((f) => f.id === 'src/api/index.ts#handler');
    expect(fn?.handler).toEqual({
      file: null,
      export: 'ApiLambda',
      declared: 'index.ApiLambda',
      mapping: 'unresolved',
      reason: 'handler_not_found',
      mappingNote:
        'index.ApiLambda names build output whose only same-named source is src/api/index.ts, the IaC program that declares it; the source it is built from was not found',
    });
  });
});
