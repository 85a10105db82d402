import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fastHclJson, fastTemplateExpr } from '../../src/discover/hcl-fast.js';
import { HclParseError, wasmHclJson, wasmTemplateExpr } from '../../src/discover/hcl.js';
import { generatePatterns } from '../../bench/generate-patterns.mjs';
import { fixtures } from './helpers.js';

/** hcl2json's answer, or the error it gives. */
function wasm(text: string): { ok: true; json: string } | { ok: false; error: string } {
  try {
    return { ok: true, json: JSON.stringify(wasmHclJson(text, 'main.tf')) };
  } catch (error) {
    if (error instanceof HclParseError) return { ok: false, error: error.message };
    throw error;
  }
}

/**
 * The one property that matters: whenever the JavaScript reader answers, HashiCorp's parser accepts the text and
 * gives the same JSON, key order included (JSON.stringify compares it). Returns whether the fast reader answered.
 */
function agrees(text: string): boolean {
  const fast = fastHclJson(text);
  if (fast === null) return false;
  const reference = wasm(text);
  expect(reference, text).toEqual({ ok: true, json: JSON.stringify(fast) });
  return true;
}

function filesUnder(dir: string, match: RegExp, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, match, out);
    else if (match.test(e.name)) out.push(p);
  }
  return out.sort();
}

const fromTests = JSON.parse(readFileSync(path.join(fixtures, 'hcl-fast/from-tests.json'), 'utf8')) as { files: string[]; templates: string[] };
const fixtureFiles = [
  ...filesUnder(fixtures, /\.(tf|tfvars)$|^terragrunt\.hcl$/),
  ...filesUnder(path.resolve(fixtures, '../../examples'), /\.tf$/),
].map((f) => readFileSync(f, 'utf8'));
const generatedDir = mkdtempSync(path.join(os.tmpdir(), 'lm-hcl-fast-'));
generatePatterns(path.join(generatedDir, 'tree'), { services: 120, seed: 3 });
const generatedFiles = filesUnder(path.join(generatedDir, 'tree'), /\.(tf|tfvars)$/).map((f) => readFileSync(f, 'utf8'));
afterAll(() => rmSync(generatedDir, { recursive: true, force: true }));

/** Shapes written out one by one: each is either read exactly as hcl2json reads it, or left to it. */
const CASES: string[] = [
  '',
  '\n\n# only a comment\n',
  'a = 1',
  'a = 1\n\n\n',
  'a=1\n',
  'a =1\nb= 2\n',
  'a = 1 # c\n# more\n',
  'a = var.x // c\n',
  'a = (1)\n',
  'a = (var.x)\n',
  'a = "${1}"\n',
  'a = "${[1, 2]}"\n',
  'a = "${var.x}"\n',
  'a = "${ var.x }"\n',
  'a = "${\nvar.x}"\n',
  'a = "x${ var.x }y"\n',
  'a = "$${x}"\n',
  'a = "a$${x}b"\n',
  'a = "%%{x}"\n',
  'a = "%{if true}x%{endif}"\n',
  'a = "$$$"\n',
  'a = "$"\n',
  'a = "$$x"\n',
  'a = "a$"\n',
  'a = "%%x"\n',
  'a = "100%"\n',
  'a = "x${"y"}z"\n',
  'a = "${var.x ? 1 : 2}"\n',
  'a = "x${var.x ? 1 : 2}"\n',
  'a = "${-1}"\n',
  'a = "x${-1}"\n',
  'a = "x${-a}"\n',
  'a = "${(a)}"\n',
  'a = "${a}${b}"\n',
  'a = "${a}" \n',
  'a = "${foo("x", 1)}-y"\n',
  'a = -1\n',
  'a = - 1\n',
  'a = -0\n',
  'a = -1.5\n',
  'a = !true\n',
  'a = !x\n',
  'a = -var.x\n',
  'a = -(1)\n',
  'a = - - 1\n',
  'a = -"x"\n',
  'a = 1.50\n',
  'a = 007\n',
  'a = 1e3\n',
  'a = 0.1\n',
  'a = 10000000000000000000\n',
  'a = 1.\n',
  'a = 1-2\n',
  'a = 5 - 1\n',
  'a = ""\n',
  'a = [1, "x", var.y, [true]]\n',
  'a = [1,]\n',
  'a = [,]\n',
  'a = []\n',
  'a = [\n1,\n2\n]\n',
  'a = [\n  # c\n  1,\n]\n',
  'a = { b = 1, "c-d" = var.x }\n',
  'a = { b : 1 }\n',
  'a = { b = 1\n c = 2 }\n',
  'a = {\n b = 1,\n c = 2,\n}\n',
  'a = {}\n',
  'a = { , }\n',
  'a = { "b" = { c = [1] } }\n',
  'a = { 10 = 1, 9 = 2 }\n',
  'a = { "10" = 1, "9" = 2, b = 3, A = 4 }\n',
  'a = { true = 1 }\n',
  'a = { (var.k) = 1 }\n',
  'a = { var.k = 1 }\n',
  'a = { b = 1, b = 2 }\n',
  'a = { b = 1 c = 2 }\n',
  'a = { b = 1 +\n 2 }\n',
  'a = { # c\n b = 1\n}\n',
  'a = { b = [\n1] }\n',
  'a = { __proto__ = 1 }\n',
  'a = foo(1,\n  2)\n',
  'a = foo()\n',
  'a = foo(x...)\n',
  'a = foo(1,)\n',
  'a = foo(,)\n',
  'a = foo (1)\n',
  'a = provider::p::f(1)\n',
  'a = var.x[0].y\n',
  'a = var.x[*].y\n',
  'a = var.x.*.y\n',
  'a = var.x.0\n',
  'a = var.x [0]\n',
  'a = var.x[\n0]\n',
  'a = true.x\n',
  'a = "a"[0]\n',
  'a = [1][0]\n',
  'a = 1 +\n 2\n',
  'a = (1 +\n 2)\n',
  'a = 1 == 2 == 3\n',
  'a = x ? y : z ? w : v\n',
  'a = x ? y: z\n',
  'a = x ? y : z\n',
  'a = count.index+1\n',
  'a = var.x-1\n',
  'a = b-1\n',
  'a = 1 // 2\n',
  'a = 6 / 2\n',
  'a = [for x in y : x]\n',
  'a = { for k, v in y : k => v }\n',
  'a = <<EOT\nx\nEOT\n',
  'a = <<-EOT\n  x\n  EOT\n',
  'a = "x\ny"\n',
  'a = "\\n\\t\\"\\\\"\n',
  'a = "\\u0041"\n',
  'a = "\\q"\n',
  'a = "x" "y"\n',
  'a = 1 b = 2\n',
  'a = 1\na = 2\n',
  'a =\n',
  'a = "é"\n',
  '# é\na = 1\n',
  'a\t= 1\n',
  'a = 1\r\n',
  'a = 1 /* c */\n',
  '/* c */\na = 1\n',
  '_a = 1\n',
  'a-b = 1\n',
  'a = for\n',
  'a = null\nb = true\nc = false\n',
  'a = null.x\n',
  'x {}\n',
  'x{}\n',
  'x { a = 1 }\n',
  'x {a=1}\n',
  'x { a = 1, b = 2 }\n',
  'x { y {} }\n',
  'x { a = { b = 1 } }\n',
  'x {\n a = 1 }\n',
  'x {\n a = 1\n} y = 2\n',
  'x {\n}',
  'x {\n\n  # c\n  a = 1\n\n}\n',
  'x { # c\n  a = 1\n}\n',
  'x {\n  a = 1\n} # end\n',
  'x {}\nx {}\n',
  'x "l" {}\n',
  'x "l"{}\n',
  'x y z {}\n',
  'x "a""b" {}\n',
  'x "" {}\n',
  'x "${a}" {}\n',
  'x "a\\nb" {}\n',
  'x "a$b" {}\n',
  'a = 1\nx {}\n',
  'x {}\na = 1\nx "l" {}\n',
  'x "l" {}\nx "m" "n" {}\n',
  'x = [1]\nx {}\n',
  'x {\n  y "a" {\n    b = 1\n  }\n  y "a" {\n    b = 2\n  }\n}\n',
  'resource "a" "b" {\n  c = 1\n}\nresource "a" "b" {\n  c = 2\n}\n',
  'x {\n  a = 1\n',
  '}\n',
  'x {\n  a = 1\n}}\n',
  'a = {\n  b = 1\n',
  'locals {\n  fns = {\n    a = { handler = "a.handler", memory = 256 }\n    b = { handler = "b.handler" }\n  }\n}\n',
  'resource "aws_lambda_function" "f" {\n  for_each      = local.fns\n  function_name = "${var.prefix}-${each.key}"\n  handler       = each.value.handler\n  memory_size   = lookup(each.value, "memory", 128)\n}\n',
  'module "m" {\n  source = "./modules/x"\n  count  = var.enabled ? 1 : 0\n  tags   = merge(local.tags, { Name = "m" })\n}\n',
  // Heredocs: kept as written, `<<-` drops the smallest indentation; the newline after the marker ends the argument.
  'a = <<EOF\n{\n  "V": 1\n}\nEOF\n',
  'a = <<EOF\nx\n  EOF\n',
  'a = <<-EOF\n    x\n      y\n    EOF\n',
  'a = <<-EOF\n    x\n\n  y\n    EOF\n',
  'a = <<EOF\nx ${var.y} z\nEOF\n',
  'a = <<EOF\n$${x}\nEOF\n',
  'a = <<EOF\nEOF\n',
  'a = <<EOF\nx\nEOF',
  'a = <<EOF\na \\n b\nEOF\n',
  'x {\n  a = <<EOF\nx\nEOF\n}\n',
  'a = <<EOF\nx\nEOF # c\n',
  'a = [<<EOF\nx\nEOF\n]\n',
  'a = <<-EOF\n\tx\n\tEOF\n',
  'a = <<EOF\nx\n EOFX\nEOF\n',
  'a = <<EOF \nx\nEOF\n',
  'a = <<-EOF\n  ${var.a}\n    b\n  EOF\n',
  'a = <<EOF\n%{ for x in y }x%{ endfor }\nEOF\n',
  'a = <<EOF\n100%\nEOF\n',
  'a = <<-EOF\n    x\n  EOF\n',
  'a = <<-EOF\n    x\n   \n    y\n    EOF\n',
  'a = <<-EOF\nx\n  y\nEOF\n',
  'a = <<-EOF\n\n    EOF\n',
  'a = <<EOF\n${\nx}\nEOF\n',
  'a = <<EOF\nEOF\nb = 1\n',
  'a = <<A-B\nx\nA-B\n',
  'a = f(<<EOF\nx\nEOF\n)\n',
  'a = f(<<EOF\nx\nEOF\n, 1)\n',
  'a = { b = <<EOF\nx\nEOF\n}\n',
  'a = { b = <<EOF\nx\nEOF\n c = 1 }\n',
  'a = <<EOF\nx\nEOF\n + 1\n',
  'a = [<<EOF\nx\nEOF\n, 2]\n',
  'a = <<EOF\n$$\nEOF\n',
  'a = "x" == <<EOF\nx\nEOF\n',
  'a = -<<EOF\nx\nEOF\n',
  'a = [<<EOF\nx\nEOF\n ? 1 : 2]\n',
  'a = <<EOF\nsay "${upper(var.x)}" and ${var.y}!\nEOF\n',
  // for expressions: checked, then kept as source text.
  'a = [for x in y : x]\n',
  'a = [for x in y : x if x]\n',
  'a = [for i, x in y : x]\n',
  'a = { for k, v in y : k => v }\n',
  'a = { for k, v in y : k => v... }\n',
  'a = {\n  for k, v in y :\n  k => v\n  if v != null\n}\n',
  'a = [\n  for x in y :\n  x\n]\n',
  'a = [for x in y: x]\n',
  'a = {for k in y: k => 1}\n',
  'a = [for x in y : x ? 1 : 2]\n',
  'a = [ for x in y : x ]\n',
  'a = [for x in y : x, 1]\n',
  'a = {for k in y : k => 1, }\n',
  'a = [for x in f(y) : upper(x)]\n',
  'a = [for x in a ? b : c : x]\n',
  'a = [for in y : x]\n',
  'a = [for x y : x]\n',
  'a = { for k in y : k }\n',
  [
    'locals {',
    '  functions = {',
    '    ingest = { handler = "ingest.handler", memory = 512 }',
    '    report = { handler = "report.handler", memory = 256 }',
    '  }',
    '  tags = merge(var.tags, { Service = "orders" })',
    '  names = [for k, f in local.functions : "${var.prefix}-${k}"]',
    '}',
    '',
    '# Role the functions run as',
    'resource "aws_iam_role" "exec" {',
    '  name = "${var.prefix}-exec"',
    '',
    '  assume_role_policy = <<POLICY',
    '{',
    '  "Version": "2012-10-17",',
    '  "Statement": [{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }]',
    '}',
    'POLICY',
    '}',
    '',
    'resource "aws_iam_role_policy" "logs" {',
    '  role = aws_iam_role.exec.id',
    '  policy = jsonencode({',
    '    Version = "2012-10-17"',
    '    Statement = [{',
    '      Effect   = "Allow"',
    '      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]',
    '      Resource = "arn:aws:logs:*:*:*"',
    '    }]',
    '  })',
    '}',
    '',
    'resource "aws_lambda_function" "fn" {',
    '  for_each      = local.functions',
    '  function_name = "${var.prefix}-${each.key}"',
    '  handler       = each.value.handler',
    '  memory_size   = each.value.memory',
    '  runtime       = "nodejs20.x"',
    '  filename      = data.archive_file.code.output_path',
    '  role          = aws_iam_role.exec.arn',
    '  tags          = local.tags',
    '',
    '  environment {',
    '    variables = {',
    '      TABLE = aws_dynamodb_table.orders.name',
    '      NODE_OPTIONS = "--enable-source-maps"',
    '    }',
    '  }',
    '',
    '  dynamic "vpc_config" {',
    '    for_each = var.subnet_ids == null ? [] : [1]',
    '    content {',
    '      subnet_ids         = var.subnet_ids',
    '      security_group_ids = [aws_security_group.fn.id]',
    '    }',
    '  }',
    '}',
    '',
    'output "arns" {',
    '  value = { for k, f in aws_lambda_function.fn : k => f.arn }',
    '}',
    '',
  ].join('\n'),
];

describe("fastHclJson against HashiCorp's parser (hcl2json in WASM)", () => {
  it('gives the same JSON for every shape it reads, and leaves the rest to HCL', () => {
    let read = 0;
    for (const text of CASES) if (agrees(text)) read++;
    // The shapes the fast path exists for are read by it, not left to the slow one.
    for (const plain of [
      'a = 1',
      'x { a = 1 }\n',
      'a = "${var.x}-y"\n',
      'a = [1, "x", var.y]\n',
      'a = { b = 1 }\n',
      'a = foo(1,\n  2)\n',
      'a = x ? y : z\n',
      'a = <<EOT\nx\nEOT\n',
      'a = [for x in y : x]\n',
    ]) {
      expect(fastHclJson(plain), plain).not.toBeNull();
    }
    for (const doubtful of [
      'a = 1\na = 2\n',
      'a = "\\q"\n',
      'x { a = 1, b = 2 }\n',
      'a = 1 b = 2\n',
      'a = <<EOT\n%{ if x }y%{ endif }\nEOT\n',
      'x "${a}" {}\n',
      'a = "x\ny"\n',
    ]) {
      expect(fastHclJson(doubtful), doubtful).toBeNull();
    }
    expect(read).toBeGreaterThan(80);
  });

  it('agrees on the fixtures, the examples and the HCL the other tests parse', () => {
    const all = [...fixtureFiles, ...fromTests.files];
    const read = all.filter((text) => agrees(text)).length;
    expect(all.length).toBeGreaterThan(35);
    expect(read).toBeGreaterThan(all.length / 2);
  });

  it('reads every file of a generated patterns tree (plain Terraform), with the same JSON', () => {
    expect(generatedFiles.length).toBeGreaterThan(60);
    for (const text of generatedFiles) expect(agrees(text), text).toBe(true);
  });

  it('never accepts a mutated file HCL rejects, and agrees on the mutants it accepts', () => {
    let seed = 20261202;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const alphabet = '{}[]()"=,.#$%\n -!?:*/\\<>~aZ09_\'`';
    const bases = [...CASES.filter((c) => c.length > 8), ...fixtureFiles, ...fromTests.files, ...generatedFiles.slice(0, 40)];
    let accepted = 0;
    let tried = 0;
    for (const base of bases) {
      for (let k = 0; k < 6; k++) {
        const at = rand(base.length + 1);
        const op = rand(4);
        const ch = alphabet[rand(alphabet.length)] ?? ' ';
        const mutant =
          op === 0
            ? base.slice(0, at) + base.slice(at + 1)
            : op === 1
              ? base.slice(0, at) + ch + base.slice(at)
              : op === 2
                ? base.slice(0, at) + ch + base.slice(at + 1)
                : base.slice(0, at) + base.slice(at, at + 12) + base.slice(at);
        tried++;
        if (agrees(mutant)) accepted++;
      }
    }
    // Enough mutants stay valid (a changed name, a changed literal) for the check to mean something.
    expect(tried).toBeGreaterThan(400);
    expect(accepted).toBeGreaterThan(tried / 10);
  });
});

describe("fastTemplateExpr against HCL's expression parser", () => {
  const templates = [
    ...fromTests.templates,
    '${var.x}',
    '${ var.x }',
    '${path.module}/src',
    'a-${var.x}',
    '${var.x}-b',
    '${a.b}${c}',
    'x${a}y${b}z',
    '${var.my-var}',
    'plain',
    '${true}',
    '${null}',
    '${var.x[0]}',
    '${foo(1)}',
    '$${x}',
    '${a}}',
    'a$b',
    '100%',
    'a\\b${x}',
    '${var.x ? 1 : 2}',
    '${for}',
    '',
    '/aws/lambda/${aws_lambda_function.x.function_name}',
    '${data.archive_file.zip.output_path}',
  ];
  it('gives the expression HCL gives, for every template it reads', () => {
    let read = 0;
    for (const t of templates) {
      const fast = fastTemplateExpr(t);
      if (fast === null) continue;
      read++;
      expect(fast, t).toEqual(wasmTemplateExpr(t));
    }
    expect(read).toBeGreaterThan(templates.length / 2);
    expect(fastTemplateExpr('${path.module}/src')).toEqual({ kind: 'template', parts: [{ kind: 'ref', path: ['path', 'module'] }, '/src'] });
    expect(fastTemplateExpr('${var.runtime}')).toEqual({ kind: 'ref', path: ['var', 'runtime'] });
    for (const doubtful of ['${var.x[0]}', '${foo(1)}', '$${x}', '100%', '${true}']) expect(fastTemplateExpr(doubtful), doubtful).toBeNull();
  });

  it("agrees on every template string of the generated tree's HCL", () => {
    const strings = new Set<string>();
    const collect = (v: unknown): void => {
      if (typeof v === 'string' && v.includes('${')) strings.add(v);
      else if (Array.isArray(v)) v.forEach(collect);
      else if (typeof v === 'object' && v !== null) Object.values(v).forEach(collect);
    };
    for (const text of generatedFiles) collect(wasmHclJson(text, 'main.tf'));
    let read = 0;
    for (const t of strings) {
      const fast = fastTemplateExpr(t);
      if (fast === null) continue;
      read++;
      expect(fast, t).toEqual(wasmTemplateExpr(t));
    }
    expect(read).toBeGreaterThan(strings.size / 2);
  });
});
