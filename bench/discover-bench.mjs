#!/usr/bin/env node
// Discovery throughput: a generated tree of N IaC templates of mixed kinds (Serverless, SAM,
// Terraform, CDK, Architect, SST), each declaring a few functions with their handler files.
// Times walkFiles + discover (no import graphs), in a fresh child process per run; prints medians.
//
//   node bench/discover-bench.mjs [--templates 500] [--functions 5] [--runs 5] [--dist dist] [--dir <path>] [--json]
//
// Needs a build (`npm run build`, or `--dist` pointing at another tsc output of this repo).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    templates: { type: 'string', default: '500' },
    functions: { type: 'string', default: '5' },
    runs: { type: 'string', default: '5' },
    dist: { type: 'string', default: 'dist' },
    dir: { type: 'string' },
    json: { type: 'boolean', default: false },
    child: { type: 'string' },
  },
});

if (args.child !== undefined) {
  // Child: one timed discovery over the tree, result on stdout as JSON.
  const dist = path.resolve(REPO, args.dist);
  const { readFileSync } = await import('node:fs');
  const t0 = performance.now();
  const { walkFiles } = await import(pathToFileURL(path.join(dist, 'src/source/walk.js')).href);
  const { discover } = await import(pathToFileURL(path.join(dist, 'src/discover/index.js')).href);
  const tLoad = performance.now();
  const root = args.child;
  const files = await walkFiles(root);
  const tWalk = performance.now();
  const result = discover({ root, files, readFile: (rel) => readFileSync(path.join(root, rel), 'utf8') });
  const tDone = performance.now();
  process.stdout.write(
    JSON.stringify({
      loadMs: tLoad - t0,
      walkMs: tWalk - tLoad,
      discoverMs: tDone - tWalk,
      files: files.length,
      functions: result.functions.length,
      iacFiles: result.iacFiles.length,
      unresolved: result.functions.filter((f) => f.handler.mapping === 'unresolved').length,
      rssMB: process.memoryUsage().rss / 1024 / 1024,
    }),
  );
  process.exit(0);
}

const templates = Number(args.templates);
const perTemplate = Number(args.functions);
const runs = Number(args.runs);
const KINDS = ['serverless', 'sam', 'terraform', 'cdk', 'architect', 'sst'];

function generate(root) {
  rmSync(root, { recursive: true, force: true });
  const write = (rel, text) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  const handler = (name) => `import { helper } from '../lib/helper';\n\nexport const handler = async (event: unknown) => helper('${name}', event);\n`;
  for (let t = 0; t < templates; t++) {
    const kind = KINDS[t % KINDS.length];
    const dir = `services/${kind}-${t}`;
    write(`${dir}/src/lib/helper.ts`, 'export const helper = (n: string, e: unknown) => ({ n, e });\n');
    const names = Array.from({ length: perTemplate }, (_, i) => `fn${i}`);
    for (const n of names) {
      if (kind === 'architect') write(`${dir}/src/http/get-${n}/index.mjs`, 'export const handler = async () => ({ statusCode: 200 });\n');
      else write(`${dir}/src/handlers/${n}.ts`, handler(n));
    }
    if (kind === 'serverless') {
      write(
        `${dir}/serverless.yml`,
        `service: s${t}\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  stage: \${opt:stage, 'dev'}\ncustom:\n  dir: src/handlers\nfunctions:\n${names.map((n) => `  ${n}:\n    handler: \${self:custom.dir}/${n}.handler\n    memorySize: 512\n`).join('')}`,
      );
    } else if (kind === 'sam') {
      write(
        `${dir}/template.yaml`,
        `AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nParameters:\n  Dir:\n    Type: String\n    Default: handlers\nGlobals:\n  Function:\n    Runtime: nodejs20.x\n    CodeUri: src/\nResources:\n${names.map((n) => `  ${n}Function:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: !Sub '\${Dir}/${n}.handler'\n      Events:\n        Api:\n          Type: Api\n          Properties: { Path: /${n}, Method: get }\n`).join('')}`,
      );
    } else if (kind === 'terraform') {
      write(`${dir}/infra/variables.tf`, 'variable "runtime" {\n  default = "nodejs20.x"\n}\n');
      write(
        `${dir}/infra/main.tf`,
        `data "archive_file" "code" {\n  type        = "zip"\n  source_dir  = "\${path.module}/../src"\n  output_path = "\${path.module}/code.zip"\n}\n\n${names.map((n) => `resource "aws_lambda_function" "${n}" {\n  function_name = "t${t}-${n}"\n  filename      = data.archive_file.code.output_path\n  handler       = "handlers/${n}.handler"\n  runtime       = var.runtime\n}\n`).join('\n')}`,
      );
    } else if (kind === 'cdk') {
      write(`${dir}/cdk.json`, '{ "app": "npx ts-node bin/app.ts" }\n');
      write(
        `${dir}/lib/stack.ts`,
        `import * as path from 'path';\nimport { Stack } from 'aws-cdk-lib';\nimport { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\nimport { Runtime } from 'aws-cdk-lib/aws-lambda';\n\nconst shared = { runtime: Runtime.NODEJS_20_X, memorySize: 512 };\n\nexport class S${t} extends Stack {\n  constructor(scope: any, id: string) {\n    super(scope, id);\n${names.map((n) => `    new NodejsFunction(this, '${n}', { ...shared, entry: path.join(__dirname, '../src/handlers/${n}.ts') });\n`).join('')}  }\n}\n`,
      );
    } else if (kind === 'architect') {
      write(`${dir}/app.arc`, `@app\na${t}\n\n@aws\nruntime nodejs20.x\n\n@http\n${names.map((n) => `get /${n}\n`).join('')}`);
    } else {
      write(
        `${dir}/sst.config.ts`,
        `export default $config({\n  async run() {\n    const api = new sst.aws.ApiGatewayV2('Api');\n${names.map((n) => `    api.route('GET /${n}', 'src/handlers/${n}.handler');\n`).join('')}  },\n});\n`,
      );
    }
  }
}

const dir = args.dir ?? path.join(os.tmpdir(), `lm-discover-bench-${templates}x${perTemplate}`);
if (!existsSync(path.resolve(REPO, args.dist, 'src/discover/index.js'))) {
  process.stderr.write(`no build at ${args.dist}: run npm run build first (or pass --dist)\n`);
  process.exit(2);
}
process.stderr.write(`generating ${templates} templates x ${perTemplate} functions in ${dir}\n`);
generate(dir);

const samples = [];
for (let i = 0; i < runs; i++) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir, '--dist', args.dist], { encoding: 'utf8' });
  if (child.status !== 0) {
    process.stderr.write(child.stderr);
    process.exit(2);
  }
  samples.push(JSON.parse(child.stdout));
  process.stderr.write(`run ${i + 1}/${runs}\n`);
}
const median = (key) => {
  const v = samples.map((s) => s[key]).sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
};
const summary = {
  node: process.version,
  cpus: os.cpus().length,
  templates,
  functionsPerTemplate: perTemplate,
  files: samples[0].files,
  functions: samples[0].functions,
  iacFiles: samples[0].iacFiles,
  unresolved: samples[0].unresolved,
  runs,
  medianWalkMs: Math.round(median('walkMs')),
  medianDiscoverMs: Math.round(median('discoverMs')),
  medianTotalMs: Math.round(median('walkMs') + median('discoverMs')),
  medianModuleLoadMs: Math.round(median('loadMs')),
  medianRssMB: Math.round(median('rssMB')),
};
if (args.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
else {
  for (const [k, v] of Object.entries(summary)) process.stdout.write(`${k.padEnd(22)} ${v}\n`);
}
