import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { openSourceTree } from '../../src/source/tree.js';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/index.js';

/**
 * A monorepo generated with every IaC kind, several services of each, N functions per service: discovery must
 * find every function exactly once, with its source file, and nothing else.
 */
const SERVICES = 3;
const root = mkdtempSync(path.join(os.tmpdir(), 'lm-all-iac-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}
const handlerTs = (name: string): string => `export const handler = async () => ({ ok: '${name}' });\n`;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Service `s` of every kind declares `s + 1` functions, so each kind contributes 1 + 2 + 3 = 6. */
for (const s of range(SERVICES)) {
  const fns = range(s + 1);
  // Serverless
  write(
    `sls/svc${s}/serverless.yml`,
    `service: sls${s}\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n${fns.map((f) => `  fn${f}:\n    handler: src/fn${f}.handler\n`).join('')}`,
  );
  for (const f of fns) write(`sls/svc${s}/src/fn${f}.ts`, handlerTs(`sls${s}-${f}`));
  // SAM
  write(
    `sam/svc${s}/template.yaml`,
    `AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n${fns.map((f) => `  Fn${f}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: fn${f}.handler\n      Runtime: nodejs20.x\n`).join('')}`,
  );
  for (const f of fns) write(`sam/svc${s}/src/fn${f}.ts`, handlerTs(`sam${s}-${f}`));
  // plain CloudFormation (JSON)
  const cfnResources = Object.fromEntries(
    fns.map((f) => [
      `Raw${f}`,
      {
        Type: 'AWS::Lambda::Function',
        Properties: { Handler: `fn${f}.handler`, Runtime: 'nodejs20.x', Code: 'lambda/', Role: 'arn:aws:iam::1:role/r' },
      },
    ]),
  );
  write(`cfn/svc${s}/stack.template.json`, JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: cfnResources }, null, 2));
  for (const f of fns) write(`cfn/svc${s}/lambda/fn${f}.js`, `exports.handler = async () => ${f};\n`);
  // CDK (TypeScript)
  write(`cdk/app${s}/cdk.json`, '{ "app": "npx ts-node bin/app.ts" }\n');
  write(
    `cdk/app${s}/lib/stack.ts`,
    `import { Stack } from 'aws-cdk-lib';\nimport { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\nexport class S extends Stack {\n  constructor(scope: any, id: string) {\n    super(scope, id);\n${fns.map((f) => `    new NodejsFunction(this, 'Fn${f}', { entry: 'src/fn${f}.ts' });\n`).join('')}  }\n}\n`,
  );
  for (const f of fns) write(`cdk/app${s}/src/fn${f}.ts`, handlerTs(`cdk${s}-${f}`));
  // CDK (Python)
  write(`cdkpy/app${s}/cdk.json`, '{ "app": "python3 app.py" }\n');
  write(
    `cdkpy/app${s}/stack.py`,
    `from aws_cdk import Stack, aws_lambda as _lambda\n\nclass S(Stack):\n    def __init__(self, scope, id):\n        super().__init__(scope, id)\n${fns.map((f) => `        _lambda.Function(self, "Fn${f}", runtime=_lambda.Runtime.NODEJS_20_X, code=_lambda.Code.from_asset("fns"), handler="fn${f}.handler")\n`).join('')}`,
  );
  for (const f of fns) write(`cdkpy/app${s}/fns/fn${f}.js`, `exports.handler = async () => ${f};\n`);
  // Terraform
  write(
    `tf/svc${s}/main.tf`,
    fns
      .map(
        (f) =>
          `resource "aws_lambda_function" "fn${f}" {\n  function_name = "tf${s}-fn${f}"\n  filename      = "build.zip"\n  handler       = "src/fn${f}.handler"\n  runtime       = "nodejs20.x"\n}\n`,
      )
      .join('\n'),
  );
  for (const f of fns) write(`tf/svc${s}/src/fn${f}.ts`, handlerTs(`tf${s}-${f}`));
  // SST v3
  write(
    `sst/app${s}/sst.config.ts`,
    `export default $config({\n  app() { return { name: 'app${s}', home: 'aws' }; },\n  async run() {\n${fns.map((f) => `    new sst.aws.Function('Fn${f}', { handler: 'src/fn${f}.handler' });\n`).join('')}  },\n});\n`,
  );
  for (const f of fns) write(`sst/app${s}/src/fn${f}.ts`, handlerTs(`sst${s}-${f}`));
  // Architect
  write(`arc/app${s}/app.arc`, `@app\narc${s}\n\n@events\n${fns.map((f) => `ev${f}\n`).join('')}`);
  for (const f of fns) write(`arc/app${s}/src/events/ev${f}/index.mjs`, `export const handler = async () => ${f};\n`);
  // Pulumi
  write(`pulumi/app${s}/Pulumi.yaml`, `name: app${s}\nruntime: nodejs\n`);
  write(
    `pulumi/app${s}/index.ts`,
    `import * as aws from '@pulumi/aws';\nimport * as pulumi from '@pulumi/pulumi';\n${fns.map((f) => `new aws.lambda.Function('fn${f}', { runtime: 'nodejs20.x', handler: 'fn${f}.handler', role: 'r', code: new pulumi.asset.FileArchive('./fns') });\n`).join('')}`,
  );
  for (const f of fns) write(`pulumi/app${s}/fns/fn${f}.ts`, handlerTs(`pulumi${s}-${f}`));
}

describe('discovery over a generated monorepo with every IaC kind', async () => {
  const result = discover({ tree: await openSourceTree(root) });
  const perKind = (prefix: string): number => result.functions.filter((f) => f.declaredIn.file.startsWith(prefix)).length;

  it('finds 6 functions per kind, 54 in all, each once and each with its source file', () => {
    const kinds = ['sls/', 'sam/', 'cfn/', 'cdk/', 'cdkpy/', 'tf/', 'sst/', 'arc/', 'pulumi/'];
    expect(Object.fromEntries(kinds.map((k) => [k, perKind(k)]))).toEqual(Object.fromEntries(kinds.map((k) => [k, 6])));
    expect(result.functions).toHaveLength(9 * 6);
    expect(new Set(result.functions.map((f) => f.handler.file)).size).toBe(9 * 6);
    expect(result.functions.filter((f) => f.handler.file === null)).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.unreferenced).toEqual([]);
  });

  it('labels each with its provider and the packaging its IaC implies', () => {
    const byProvider = new Map<string, number>();
    for (const f of result.functions) byProvider.set(f.provider, (byProvider.get(f.provider) ?? 0) + 1);
    expect(Object.fromEntries([...byProvider].sort())).toEqual({
      architect: 6,
      cdk: 12,
      cloudformation: 6,
      pulumi: 6,
      sam: 6,
      serverless: 6,
      sst: 6,
      terraform: 6,
    });
    const bundled = result.functions.filter((f) => f.packaging?.form === 'bundled').map((f) => f.declaredIn.file.split('/')[0]);
    // CDK NodejsFunction and SST bundle with esbuild, and so does Serverless for a TypeScript handler with no plugin (only
    // v4's built-in esbuild deploys that); the rest ship files (or, for raw CloudFormation/Terraform, cannot tell).
    expect([...new Set(bundled)].sort()).toEqual(['cdk', 'sls', 'sst']);
  });
});
