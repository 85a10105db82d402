import { describe, expect, it } from 'vitest';
import { MemorySourceTree } from '../../src/source/tree.js';
import { discover } from '../../src/discover/index.js';

const ROOTS = 6;
const SERVICES = 4;
const JOBS = ['a', 'b', 'c'];

/**
 * A generated Terraform monorepo: ROOTS environment roots, each with its own archive_file function and a
 * terraform-aws-modules/lambda for_each over two workers, all calling the same SERVICES local modules with
 * for_each over JOBS (so each module instance is reached from every root), and one root with a count = 2
 * module. The function count follows from the shape, so any lost or doubled instance shows.
 */
function generate(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let s = 0; s < SERVICES; s++) {
    for (const job of JOBS) files[`services/svc${s}/src/${job}.ts`] = `export const handler = async () => '${s}-${job}';\n`;
    files[`infra/modules/svc${s}/main.tf`] = [
      'variable "job" {',
      '  type = string',
      '}',
      'variable "env" {',
      '  type = string',
      '}',
      'data "archive_file" "this" {',
      '  type        = "zip"',
      `  source_dir  = "\${path.module}/../../../services/svc${s}/src"`,
      '  output_path = "${path.module}/build/${var.job}.zip"',
      '}',
      'resource "aws_lambda_function" "this" {',
      `  function_name = "svc${s}-\${var.job}-\${var.env}"`,
      '  filename      = data.archive_file.this.output_path',
      '  handler       = "${var.job}.handler"',
      '  runtime       = "nodejs20.x"',
      '}',
      '',
    ].join('\n');
  }
  files['infra/modules/pair/main.tf'] = [
    'variable "index" {}',
    'resource "aws_lambda_function" "this" {',
    '  function_name = "pair-${var.index}"',
    '  filename      = "${path.module}/../../../services/pair/pair.zip"',
    '  handler       = "index.handler"',
    '  runtime       = "nodejs20.x"',
    '}',
    '',
  ].join('\n');
  files['services/pair/pair/index.ts'] = 'export const handler = async () => 1;\n';
  for (let r = 0; r < ROOTS; r++) {
    const lines = [
      'provider "aws" {',
      '  region = "eu-west-1"',
      '}',
      'locals {',
      '  workers = { fast = "fast.handler", slow = "slow.handler" }',
      '}',
      'data "archive_file" "own" {',
      '  type        = "zip"',
      `  source_dir  = "\${path.module}/../../../services/env${r}"`,
      '  output_path = "${path.module}/own.zip"',
      '}',
      'resource "aws_lambda_function" "own" {',
      `  function_name = "own-${r}"`,
      '  filename      = data.archive_file.own.output_path',
      '  handler       = "own.handler"',
      '  runtime       = "nodejs20.x"',
      '}',
      'module "worker" {',
      '  source        = "terraform-aws-modules/lambda/aws"',
      '  for_each      = local.workers',
      `  function_name = "worker-\${each.key}-${r}"`,
      '  handler       = each.value',
      '  runtime       = "nodejs20.x"',
      `  source_path   = "\${path.module}/../../../services/env${r}/workers"`,
      '}',
    ];
    for (let s = 0; s < SERVICES; s++) {
      lines.push(
        `module "svc${s}" {`,
        `  source   = "../../modules/svc${s}"`,
        `  for_each = toset([${JOBS.map((j) => `"${j}"`).join(', ')}])`,
        '  job      = each.key',
        `  env      = "env${r}"`,
        '}',
      );
    }
    if (r === 0) lines.push('module "pair" {', '  source = "../../modules/pair"', '  count  = 2', '  index  = count.index', '}');
    files[`infra/live/env${r}/main.tf`] = `${lines.join('\n')}\n`;
    files[`services/env${r}/own.ts`] = 'export const handler = async () => 1;\n';
    for (const w of ['fast', 'slow']) files[`services/env${r}/workers/${w}.ts`] = 'export const handler = async () => 1;\n';
  }
  return files;
}

describe('discover: a generated Terraform monorepo', () => {
  const files = generate();
  const result = discover({ tree: new MemorySourceTree(files, '/nonexistent') });

  it('finds every instance once, each mapped to its source', () => {
    const expected =
      ROOTS /* own */ + 2 * ROOTS /* worker for_each */ + SERVICES * JOBS.length /* module instances, shared by all roots */ + 2; /* pair count */
    expect(result.functions).toHaveLength(expected);
    expect(result.functions.filter((f) => f.handler.mapping === 'exact')).toHaveLength(expected - 2);
    expect(result.functions.filter((f) => f.handler.mapping === 'guessed').map((f) => f.id)).toEqual([
      'infra/modules/pair/main.tf#module.pair[0].aws_lambda_function.this',
      'infra/modules/pair/main.tf#module.pair[1].aws_lambda_function.this',
    ]);
    expect(result.skipped).toEqual([]);
    expect(new Set(result.functions.map((f) => f.id)).size).toBe(expected);
  });

  it("a module instance reached from every root carries every root's deployed name", () => {
    const fn = result.functions.find((f) => f.id === 'infra/modules/svc2/main.tf#module.svc2["b"].aws_lambda_function.this');
    expect(fn?.handler.file).toBe('services/svc2/src/b.ts');
    expect(fn?.deployedNames).toEqual(Array.from({ length: ROOTS }, (_, r) => `svc2-b-env${r}`));
    expect(result.functions.find((f) => f.id === 'infra/live/env3/main.tf#module.worker["slow"]')?.handler.file).toBe(
      'services/env3/workers/slow.ts',
    );
  });
});
