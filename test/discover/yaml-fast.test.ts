import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseYamlWithLibrary } from '../../src/discover/cfn-yaml.js';
import { fastYaml } from '../../src/discover/yaml-fast.js';
import { generatePatterns } from '../../bench/generate-patterns.mjs';
import { fixtures } from './helpers.js';

/** Every key path of the data, objects only (what lineOf can be asked). */
function keyPaths(data: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return out;
  for (const [k, v] of Object.entries(data)) {
    const p = [...prefix, k];
    out.push(p);
    keyPaths(v, p, out);
  }
  return out;
}

/**
 * Whenever the JavaScript reader answers, the library reads the text strictly (no lenient retry) and gives the
 * same data, key order included, and the same line for every key path. Returns whether the fast reader answered.
 */
function agrees(text: string): boolean {
  const fast = fastYaml(text);
  if (fast === null) return false;
  let reference: ReturnType<typeof parseYamlWithLibrary>;
  try {
    reference = parseYamlWithLibrary(text);
  } catch (error) {
    expect.fail(`the library rejects what the fast reader accepted: ${String(error)}\n${text}`);
  }
  expect(reference.lenient, text).toBeUndefined();
  expect(JSON.stringify(fast.data), text).toBe(JSON.stringify(reference.data));
  for (const p of [[], ...keyPaths(reference.data), ['Missing'], ['Resources', 'Missing']]) {
    expect(fast.lineOf(p), `${p.join('.')} in\n${text}`).toBe(reference.lineOf(p));
  }
  return true;
}

function filesUnder(dir: string, match: RegExp, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') filesUnder(p, match, out);
    else if (e.isFile() && match.test(e.name)) out.push(p);
  }
  return out.sort();
}

const fromTests = (JSON.parse(readFileSync(path.join(fixtures, 'yaml-fast/from-tests.json'), 'utf8')) as { texts: string[] }).texts;
const fixtureFiles = [...filesUnder(fixtures, /\.ya?ml$/), ...filesUnder(path.resolve(fixtures, '../../examples'), /\.ya?ml$/)].map((f) =>
  readFileSync(f, 'utf8'),
);
const generatedDir = mkdtempSync(path.join(os.tmpdir(), 'lm-yaml-fast-'));
generatePatterns(path.join(generatedDir, 'tree'), { services: 120, seed: 5 });
const generatedFiles = filesUnder(path.join(generatedDir, 'tree'), /^(template\.yaml|serverless\.yml)$/).map((f) => readFileSync(f, 'utf8'));
afterAll(() => rmSync(generatedDir, { recursive: true, force: true }));

const CASES: string[] = [
  '',
  '# only a comment\n',
  'a: 1\n',
  'a: 1',
  '---\na: 1\n',
  '--- # c\na: 1\n',
  '---\na: 1\n---\nb: 2\n',
  'a: 1\n...\n',
  '%YAML 1.2\n---\na: 1\n',
  'a: b\nc: d\n',
  'a:\n  b: 1\n  c: 2\n',
  'a:\n  b:\n    c: x\n',
  'a:\n- 1\n- 2\n',
  'a:\n  - 1\n  - 2\n',
  'a:\n  - b: 1\n    c: 2\n  - d: 3\n',
  'a:\n  - - 1\n    - 2\n',
  'a:\n  -\n    b: 1\n',
  'a:\n  -\n  - 2\n',
  'a:\n',
  'a:\nb: 1\n',
  'a: ~\nb: null\nc: Null\nd: NULL\n',
  'a: true\nb: False\nc: TRUE\nd: yes\ne: no\nf: on\n',
  'a: 1\nb: -2\nc: 1.5\nd: 0\ne: 007\nf: +1\ng: 1e3\nh: 0x1F\ni: 0o17\nj: .5\nk: .inf\nl: .nan\nm: 1_000\nn: 1.\n',
  'a: 2010-09-09\n',
  "a: '2010-09-09'\n",
  "a: \"x\"\nb: 'y'\nc: \"it's\"\nd: 'it''s'\n",
  'a: "x\\ny\\t\\"\\\\ \\/"\n',
  'a: "\\u0041"\n',
  'a: "\\x41"\n',
  'a: "unterminated\n',
  "a: 'two\n  lines'\n",
  'a: two\n  lines\n',
  'a: b # comment\n',
  'a: b#c\n',
  'a: "b # c"\n',
  "a: 'b # c' # d\n",
  'a: b: c\n',
  'a: b:\n',
  'a: http://x.y/z\n',
  'a: s3:ObjectCreated:*\n',
  'a: rate(5 minutes)\n',
  'a: /items/{id}\n',
  'a: x, y\n',
  'a: [x, y]\n',
  'a: [x, [y, z], {k: v}]\n',
  'a: []\nb: {}\n',
  'a: [x, ]\n',
  'a: [x,\n  y]\n',
  'a: {k: v, l: 1}\n',
  'a: { k: v }\n',
  'a: {"k": v}\n',
  'a: [arn:aws:lambda:us-east-1:1:layer:x:1]\n',
  'a: [a b, c]\n',
  'a: [1, 1.5, true, null, ~]\n',
  'a: &x 1\nb: *x\n',
  '<<: {a: 1}\n',
  '? a\n: b\n',
  'a: !!str 1\n',
  'a: !Unknown x\n',
  'a: @x\n',
  'a: `x`\n',
  'a: %x\n',
  'a: -\n',
  'a: - x\n',
  'a: :x\n',
  'a: |\n  line1\n  line2\n',
  'a: |-\n  line1\n  line2\n',
  'a: |+\n  x\n\n',
  'a: >\n  folded\n  text\n',
  'a: >-\n  folded\n  text\n',
  'a: |\n  x\n\n  y\n',
  'a: >\n  x\n\n  y\n',
  'a: |\n  x\n    y\n',
  'a: >\n  x\n    y\n',
  'a: |\n\n  x\n',
  'a: |2\n  x\n',
  'a: | # c\n  x\n',
  'a: |\n  # not a comment\n  x\n',
  'a: |\n  x\n# comment\nb: 1\n',
  'a: |\nb: 1\n',
  'a: |\n  x \n',
  'a: |\n  x\n\nb: 1\n',
  'a: !Ref X\n',
  'a: !Ref "X"\n',
  "a: !Sub '${AWS::StackName}-x'\n",
  'a: !GetAtt R.Arn\n',
  'a: !GetAtt [R, Arn]\n',
  'a: !GetAtt R\n',
  'a: !Ref 123\n',
  'a: !If [C, 1, !Ref AWS::NoValue]\n',
  'a: !Join ["", [a, !Ref B]]\n',
  'a: !Sub |\n  x ${Y}\n',
  'a: !Join\n  - ","\n  - - a\n    - b\n',
  'a: !Sub\n  - "x ${Y}"\n  - Y: !Ref Z\n',
  'a: !Transform { Name: "AWS::Include", Parameters: { Location: s3://b/k } }\n',
  'a: !Ref\n',
  'a: !Not !Equals [a, b]\n',
  'a: !Equals [!Ref S, prod]\n',
  'a: !Select [0, !GetAZs ""]\n',
  'a: !Cidr [10.0.0.0/16, 6, 5]\n',
  'a: !GetAtt\n  - R\n  - Arn\n',
  '- a\n- b\n',
  'a\n',
  'a: 1\n  b: 2\n',
  'a:\n    b: 1\n  c: 2\n',
  'a: 1\na: 2\n',
  '"a": 1\n',
  "'Fn::Transform': x\n",
  'Fn::If: [a, b, c]\n',
  '200: ok\n',
  '1.5: x\n',
  'true: x\n',
  'a b: c\n',
  'a:b\n',
  '-a: 1\n',
  'a.b/c-d_e: 1\n',
  '__proto__: 1\n',
  'a:  spaced\n',
  'a:\t1\n',
  'a: 1\r\n',
  '\ufeffa: 1\n',
  'a: é\n',
  '# é\na: 1\n',
  [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Transform: AWS::Serverless-2016-10-31',
    'Description: >',
    '  Orders service (uksb-1tthgi812)',
    '',
    'Parameters:',
    '  Stage:',
    '    Type: String',
    '    Default: dev',
    '    AllowedValues: [dev, prod]',
    '',
    'Conditions:',
    '  IsProd: !Equals [!Ref Stage, prod]',
    '',
    'Globals:',
    '  Function:',
    '    Runtime: nodejs20.x',
    '    Timeout: 10',
    '    Architectures:',
    '      - arm64',
    '',
    'Resources:',
    '  # the table',
    '  Table:',
    '    Type: AWS::DynamoDB::Table',
    '    Properties:',
    '      BillingMode: PAY_PER_REQUEST',
    '      KeySchema:',
    '        - AttributeName: pk',
    '          KeyType: HASH',
    '  CreateFunction:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      CodeUri: src/',
    '      Handler: create.handler',
    '      MemorySize: !If [IsProd, 1024, 256]',
    '      Environment:',
    '        Variables:',
    '          TABLE: !Ref Table',
    '          STAGE: !Sub "${Stage}"',
    '      Policies:',
    '        - DynamoDBCrudPolicy:',
    '            TableName: !Ref Table',
    '      Events:',
    '        Api:',
    '          Type: Api',
    '          Properties: { Path: /orders, Method: post }',
    '    Metadata:',
    '      BuildMethod: esbuild',
    '      BuildProperties:',
    '        EntryPoints:',
    '          - create.ts',
    '',
    'Outputs:',
    '  Api:',
    '    Value: !Sub "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/"',
    '',
  ].join('\n'),
];

describe('fastYaml against the yaml library with CloudFormation tags', () => {
  it('gives the same data and key lines for every shape it reads, and leaves the rest to the library', () => {
    let read = 0;
    for (const text of CASES) if (agrees(text)) read++;
    for (const plain of ['a: 1\n', 'a:\n  - b: 1\n', 'a: !Ref X\n', 'a: |\n  x\n', 'a: [x, !GetAtt R.Arn]\n', CASES[CASES.length - 1] ?? '']) {
      expect(fastYaml(plain), plain).not.toBeNull();
    }
    for (const doubtful of [
      'a: &x 1\nb: *x\n',
      'a: two\n  lines\n',
      'a: 1\na: 2\n',
      'a: b: c\n',
      "a: 'two\n  lines'\n",
      'a: [x,\n  y]\n',
      '---\na: 1\n---\nb: 2\n',
    ]) {
      expect(fastYaml(doubtful), doubtful).toBeNull();
    }
    expect(read).toBeGreaterThan(70);
  });

  it('agrees on the fixtures, the examples and the YAML the other tests parse', () => {
    const all = [...fixtureFiles, ...fromTests];
    const read = all.filter((text) => agrees(text)).length;
    expect(all.length).toBeGreaterThan(40);
    expect(read).toBeGreaterThan(all.length / 2);
  });

  it('reads every SAM template and serverless.yml of a generated patterns tree, with the same result', () => {
    expect(generatedFiles.length).toBeGreaterThan(50);
    for (const text of generatedFiles) expect(agrees(text), text).toBe(true);
  });

  it('never accepts a mutated file the library rejects or reads leniently, and agrees on the mutants it accepts', () => {
    let seed = 20261203;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const alphabet = ':-#"\'[]{},!|>&*?\n  abZ0129._/';
    const bases = [...CASES.filter((c) => c.length > 10), ...fixtureFiles, ...fromTests, ...generatedFiles.slice(0, 30)];
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
                : base.slice(0, at) + base.slice(at, at + 10) + base.slice(at);
        tried++;
        if (agrees(mutant)) accepted++;
      }
    }
    expect(tried).toBeGreaterThan(500);
    expect(accepted).toBeGreaterThan(tried / 10);
  });
});
