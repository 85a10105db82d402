import { describe, expect, it } from 'vitest';
import { MemorySourceTree } from '../../src/source/tree.js';
import { evaluateAlt, evaluateHcl, known, UNKNOWN } from '../../src/discover/hcl-eval.js';
import { HclParseError, parseHcl } from '../../src/discover/hcl.js';
import { discoverFixture } from './helpers.js';

describe("HCL reader (HashiCorp's parser, positions located in the text)", () => {
  it('reads blocks, labels, attributes, interpolation, heredocs and comments, each at its line', () => {
    const root = parseHcl(
      [
        '# comment',
        'resource "aws_lambda_function" "a" {',
        '  handler = "${var.dir}/x.handler" // trailing',
        '  tags = { Name = "a", "team" = "x" }',
        '  policy = <<-EOT',
        '    {"Version": "2012-10-17"}',
        '  EOT',
        '  count = var.enabled ? 1 : 0',
        '  escaped = "$${not.a.var}"',
        '}',
      ].join('\n'),
    );
    const [block] = root.blocks;
    expect(block?.type).toBe('resource');
    expect(block?.labels).toEqual(['aws_lambda_function', 'a']);
    expect(block?.line).toBe(2);
    expect([...(block?.attributes.values() ?? [])].map((a) => [a.name, a.line])).toEqual([
      ['handler', 3],
      ['tags', 4],
      ['policy', 5],
      ['count', 8],
      ['escaped', 9],
    ]);
    const scope = { ref: (p: readonly string[]) => (p.join('.') === 'var.dir' ? known('src') : UNKNOWN) };
    const get = (k: string) => {
      const a = block?.attributes.get(k);
      return a === undefined ? 'missing' : evaluateHcl(a.expr, scope);
    };
    expect(get('handler')).toBe('src/x.handler');
    expect(get('tags')).toEqual({ Name: 'a', team: 'x' });
    expect(get('policy')).toBe('{"Version": "2012-10-17"}\n');
    expect(get('count')).toBeUndefined();
    expect(evaluateAlt(block?.attributes.get('count')?.expr ?? { kind: 'raw', text: '' }, scope)).toEqual({ values: [1, 0], exact: false });
    expect(get('escaped')).toBe('${not.a.var}');
  });

  it("reports invalid HCL with HCL's own message and line", () => {
    expect(() => parseHcl('resource "x" "y" {\n  a = 1\n')).toThrow(HclParseError);
    expect(() => parseHcl('a = "open\n')).toThrow(/^line 1: Invalid multi-line string; Quoted strings may not be split over multiple lines/);
    expect(() => parseHcl('a = 1\nb = = 2\n')).toThrow(/^line 2: Invalid expression/);
  });
});

describe('discover: Terraform', async () => {
  const result = await discoverFixture('discover-terraform');
  const byId = (id: string) => result.functions.find((f) => f.id === id);

  it('lists aws_lambda_function resources, lambda module blocks and local module instances', () => {
    expect(result.functions.map((f) => f.id)).toEqual([
      'infra/tf/main.tf#aws_lambda_function.create_order',
      'infra/tf/main.tf#aws_lambda_function.dynamic',
      'infra/tf/main.tf#aws_lambda_function.notify',
      'infra/tf/main.tf#module.report',
      'infra/tf/modules/fn/main.tf#module.archiver.aws_lambda_function.this',
    ]);
    expect(result.notAnalysed).toEqual([
      {
        id: 'infra/tf/main.tf#aws_lambda_function.resize',
        name: 'resize',
        declaredIn: { file: 'infra/tf/main.tf', line: 48 },
        reason: 'runtime',
        detail: 'python3.12',
      },
    ]);
    expect(result.skipped).toEqual([]);
  });

  it('follows archive_file source_dir through locals, variables with defaults and path.module', () => {
    expect(byId('infra/tf/main.tf#aws_lambda_function.create_order')).toEqual({
      id: 'infra/tf/main.tf#aws_lambda_function.create_order',
      name: 'create_order',
      provider: 'terraform',
      deployedNames: ['orders-create-order'],
      runtime: 'nodejs20.x',
      architecture: 'arm64',
      memoryMB: 512,
      timeoutS: 10,
      declaredIn: { file: 'infra/tf/main.tf', line: 16 },
      handler: { file: 'services/orders/src/handlers/create.ts', export: 'handler', declared: 'handlers/create.handler', mapping: 'exact' },
      packaging: {
        form: 'unbundled',
        tool: null,
        basis: 'archive_file orders packs services/orders/src as is',
        declaredIn: { file: 'infra/tf/main.tf', line: 10 },
      },
    });
  });

  it('maps an archive of ncc output back to the ncc input, with Terraform defaults for memory and timeout', () => {
    const fn = byId('infra/tf/main.tf#aws_lambda_function.notify');
    expect(fn?.handler).toEqual({
      file: 'services/notify/src/lambda.ts',
      export: 'handler',
      declared: 'index.handler',
      mapping: 'mapped',
      mappingNote: 'index.handler is build output of services/notify/src/lambda.ts (services/notify/package.json script "build")',
    });
    expect([fn?.memoryMB, fn?.timeoutS]).toEqual([128, 3]);
  });

  it('reads terraform-aws-modules/lambda source_path and a variable for memory', () => {
    const fn = byId('infra/tf/main.tf#module.report');
    expect(fn?.handler).toEqual({ file: 'services/reports/lambda/report.js', export: 'main', declared: 'report.main', mapping: 'exact' });
    expect([fn?.name, fn?.runtime, fn?.memoryMB, fn?.deployedNames]).toEqual(['report', 'nodejs18.x', 1024, ['orders-report']]);
  });

  it('evaluates a local module with the inputs of its call over its variable defaults', () => {
    const fn = byId('infra/tf/modules/fn/main.tf#module.archiver.aws_lambda_function.this');
    expect([fn?.name, fn?.deployedNames, fn?.memoryMB]).toEqual(['archiver', ['archiver'], 256]);
    expect(fn?.handler).toEqual({
      file: 'services/orders/src/handlers/archive.ts',
      export: 'handler',
      declared: 'handlers/archive.handler',
      mapping: 'exact',
    });
  });

  it('reads ephemeral_storage { size } and aws_lambda_provisioned_concurrency_config; the module inputs of the same', () => {
    expect(byId('infra/tf/main.tf#aws_lambda_function.dynamic')).toMatchObject({ ephemeralStorageMB: 10240, provisionedConcurrency: 3 });
    expect(byId('infra/tf/main.tf#module.report')).toMatchObject({ ephemeralStorageMB: 2048, provisionedConcurrency: 2 });
    expect(byId('infra/tf/main.tf#aws_lambda_function.notify')?.provisionedConcurrency).toBeUndefined();
  });

  it('keeps a computed handler unresolved, with the export it still names', () => {
    expect(byId('infra/tf/main.tf#aws_lambda_function.dynamic')?.handler).toEqual({
      file: null,
      export: 'handler',
      declared: '"${lookup(var.handlers, "x")}.handler"',
      mapping: 'unresolved',
      mappingNote: 'handler "${lookup(var.handlers, "x")}.handler" is not static',
      reason: 'not_static',
    });
  });
});

describe('discover: a Terraform file that does not parse', () => {
  it('is skipped with its line, and the other modules still count', async () => {
    const { discover } = await import('../../src/discover/index.js');
    const texts: Record<string, string> = {
      'bad/main.tf': 'resource "aws_lambda_function" "x" {\n  handler = "index.handler"\n',
      'good/main.tf':
        'resource "aws_lambda_function" "ok" {\n  filename = "${path.module}/src.zip"\n  handler  = "a.handler"\n  runtime  = "nodejs20.x"\n}\n',
      'good/src/a.ts': 'export const handler = async () => 1;\n',
    };
    const result = discover({ tree: new MemorySourceTree(texts, '/nonexistent') });
    expect(result.skipped).toEqual([
      {
        file: 'bad/main.tf',
        reason: 'parse_error',
        detail:
          'line 1: Unclosed configuration block; There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.',
      },
    ]);
    expect(result.functions.map((f) => [f.id, f.handler.file, f.handler.mapping])).toEqual([
      ['good/main.tf#aws_lambda_function.ok', 'good/src/a.ts', 'guessed'],
    ]);
  });
});

describe("discover: Terraform wrapper modules (the shape of Datadog's lambda module)", () => {
  it('follows a zip path passed into a module back to the archive_file that writes it; a handler in /opt is a layer wrapper', async () => {
    const { discover } = await import('../../src/discover/index.js');
    const texts: Record<string, string> = {
      'wrapper/main.tf': [
        'locals {',
        '  runtime_base = regex("[a-z]+", var.runtime)',
        '  handler      = var.wrap ? "/opt/nodejs/node_modules/datadog-lambda-js/handler.handler" : var.handler',
        '}',
        'resource "aws_lambda_function" "this" {',
        '  function_name = var.function_name',
        '  filename      = var.filename',
        '  handler       = local.handler',
        '  runtime       = var.runtime',
        '  memory_size   = var.memory_size',
        '  image_uri     = var.image_uri',
        '  tags          = { base = local.runtime_base }',
        '}',
      ].join('\n'),
      'wrapper/variables.tf':
        ['filename', 'function_name', 'handler', 'runtime', 'memory_size', 'image_uri']
          .map((v) => `variable "${v}" {\n  default = null\n}\n`)
          .join('') + 'variable "wrap" {\n  default = false\n}\n',
      'examples/node/main.tf': [
        'data "archive_file" "code" {',
        '  type        = "zip"',
        '  source_dir  = "${path.module}/src/"',
        '  output_path = "${path.module}/build/code.zip"',
        '}',
        'module "plain" {',
        '  source        = "../../wrapper"',
        '  function_name = "plain"',
        '  filename      = "${path.module}/build/code.zip"',
        '  handler       = "index.handler"',
        '  runtime       = "nodejs22.x"',
        '}',
        'module "wrapped" {',
        '  source        = "../../wrapper"',
        '  function_name = "wrapped"',
        '  filename      = "${path.module}/build/code.zip"',
        '  handler       = "index.handler"',
        '  runtime       = "nodejs22.x"',
        '  memory_size   = 256',
        '  wrap          = true',
        '}',
      ].join('\n'),
      'examples/node/src/index.js': 'exports.handler = async () => 1;\n',
    };
    const result = discover({ tree: new MemorySourceTree(texts, '/nonexistent') });
    expect(result.notAnalysed).toEqual([]);
    expect(result.functions.map((f) => [f.id, f.memoryMB, f.handler])).toEqual([
      [
        'wrapper/main.tf#module.plain.aws_lambda_function.this',
        128,
        { file: 'examples/node/src/index.js', export: 'handler', declared: 'index.handler', mapping: 'exact' },
      ],
      [
        'wrapper/main.tf#module.wrapped.aws_lambda_function.this',
        256,
        {
          file: null,
          export: 'handler',
          declared: '/opt/nodejs/node_modules/datadog-lambda-js/handler.handler',
          mapping: 'unresolved',
          reason: 'outside_root',
          mappingNote:
            "handler /opt/nodejs/node_modules/datadog-lambda-js/handler.handler is in a layer (/opt): a wrapper that loads the function's own handler at run time",
        },
      ],
    ]);
    expect(result.functions[0]?.packaging).toEqual({
      form: 'unbundled',
      tool: null,
      basis: 'archive_file code packs examples/node/src as is',
      declaredIn: { file: 'examples/node/main.tf', line: 1 },
    });
  });
});

describe('discover: a module repository read from its examples', () => {
  it("parses a called folder even when it declares no function itself (the lambda module's package.tf), and reads the call as that module", async () => {
    const { discover } = await import('../../src/discover/index.js');
    const texts: Record<string, string> = {
      'package.tf': 'data "external" "archive_prepare" {\n  program = ["python3", "${path.module}/package.py", "prepare"]\n}\n',
      'network.tf': 'resource "aws_vpc" "this" {\n  cidr_block = "10.0.0.0/16"\n}\n',
      'examples/simple/main.tf':
        'module "fn" {\n  source        = "../../"\n  function_name = "simple"\n  handler       = "index.handler"\n  runtime       = "nodejs20.x"\n  source_path   = "${path.module}/../fixtures/app"\n}\n',
      'examples/fixtures/app/index.js': 'exports.handler = async () => 1;\n',
      'other/buckets.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n  broken = \n}\n',
    };
    const result = discover({ tree: new MemorySourceTree(texts, '/nonexistent') });
    expect(result.functions.map((f) => [f.id, f.handler.file, f.handler.mapping])).toEqual([
      ['examples/simple/main.tf#module.fn', 'examples/fixtures/app/index.js', 'exact'],
    ]);
    // A folder with no function and no module call is not parsed: its invalid file is not reported.
    expect(result.skipped).toEqual([]);
  });
});
