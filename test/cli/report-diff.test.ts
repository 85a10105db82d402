import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { render } from '../../src/report/index.js';
import { GATE_HINT } from '../../src/report/gates.js';
import { PR_COMMENT_MARKER } from '../../src/report/marker.js';
import { runCli } from '../helpers/cli.js';
import { finding, fn, pkg, result } from '../helpers/results.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'h7b-report-diff-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const VERSION = (JSON.parse(readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;
const SAVE_HINT = 'hint: save one with: lambda-migrate scan ./service -f json -o result.json\n';

const svc = path.join(tmp, 'svc');
const write = (rel: string, text: string): void => {
  mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
  writeFileSync(path.join(tmp, rel), text);
};
const readJson = (rel: string): ScanResult => JSON.parse(readFileSync(path.join(tmp, rel), 'utf8')) as ScanResult;

const BASE_HANDLER = `const AWS = require('aws-sdk');
const s3 = new AWS.S3();
exports.handler = async () => s3.listBuckets().promise();
`;
// The change under review: axios joins the init path, and the existing lines move down one.
const HEAD_HANDLER = `const axios = require('axios');
const AWS = require('aws-sdk');
const s3 = new AWS.S3();
exports.handler = async () => (await axios.get('https://example.com')).data ?? s3.listBuckets().promise();
`;

beforeAll(async () => {
  write('svc/handler.js', BASE_HANDLER);
  expect((await runCli(['scan', '.', '-f', 'json', '-q', '-o', '../base.json'], { cwd: svc })).code).toBe(0);
  write('svc/handler.js', HEAD_HANDLER);
  expect((await runCli(['scan', '.', '-f', 'json', '-q', '-o', '../head.json'], { cwd: svc })).code).toBe(0);

  // Gates get exact figures from hand-built results: est. init 200 -> 380 ms (+180, +90%), $40 -> $52 (+$12, +30%).
  write('g-base.json', JSON.stringify(result([fn('create', [pkg('aws-sdk', 200)], [], 40_000_000)])));
  write(
    'g-head.json',
    JSON.stringify(
      result([
        fn(
          'create',
          [pkg('aws-sdk', 200), pkg('axios', 180)],
          [finding('heavy-init-import', 'src/h.ts', 1, 'axios at init', 'fp-axios')],
          52_000_000,
        ),
      ]),
    ),
  );
  write('not-a-result.json', JSON.stringify({ name: 'some-package', version: '1.0.0' }));
  write('newer.json', JSON.stringify({ ...readJson('base.json'), schemaVersion: 2 }));
  const broken: Partial<ScanResult> = readJson('base.json');
  delete broken.functions;
  write('broken.json', JSON.stringify(broken));
});

describe('lambda-migrate report RESULT.json', () => {
  it('re-renders a saved result exactly as the renderer does, in any format', async () => {
    const saved = readJson('base.json');
    for (const format of ['markdown', 'text', 'json'] as const) {
      const run = await runCli(['report', 'base.json', '-f', format], { cwd: tmp });
      expect([run.code, run.err]).toEqual([0, '']);
      expect(run.out).toBe(render(saved, format));
    }
    const comment = await runCli(['report', 'base.json', '-f', 'pr-comment'], { cwd: tmp });
    expect(comment.out.split('\n').slice(0, 2)).toEqual([
      PR_COMMENT_MARKER,
      '### Current state: 1 function, 216 ms of estimated init, cost needs metrics',
    ]);
  });

  it('writes to --out and says so on stderr', async () => {
    const run = await runCli(['report', 'base.json', '-f', 'markdown', '-o', 'report.md'], { cwd: tmp });
    expect(run).toEqual({ code: 0, out: '', err: 'wrote report.md (markdown, 1 handlers)\n' });
    expect(readFileSync(path.join(tmp, 'report.md'), 'utf8')).toBe(render(readJson('base.json'), 'markdown'));
  });

  it.each([
    ['missing.json', `lambda-migrate: result file not found: missing.json\n${SAVE_HINT}`],
    [
      'not-a-result.json',
      `lambda-migrate: not-a-result.json is not a lambda-migrate result (it has no schemaVersion and tool.name "lambda-migrate")\n${SAVE_HINT}`,
    ],
    [
      'newer.json',
      `lambda-migrate: newer.json was written by a newer lambda-migrate (result schema 2; this version ${VERSION} reads schema 1)\nhint: upgrade lambda-migrate, or re-render it with the version that wrote it\n`,
    ],
    ['broken.json', `lambda-migrate: broken.json is not a valid lambda-migrate result (/ must have required property 'functions')\n${SAVE_HINT}`],
  ])('%s is refused with exit 2 and one line with a hint', async (file, err) => {
    expect(await runCli(['report', file], { cwd: tmp })).toEqual({ code: 2, out: '', err });
  });
});

describe('lambda-migrate diff BASE.json HEAD.json', () => {
  it('-f json prints the head with the diff attached: axios added with its estimate, the new finding, the moved one not', async () => {
    const run = await runCli(['diff', 'base.json', 'head.json', '-f', 'json'], { cwd: tmp });
    expect([run.code, run.err]).toEqual([0, '']);
    const out = JSON.parse(run.out) as ScanResult;
    const head = readJson('head.json');
    expect(out.functions).toEqual(head.functions);
    const [changed] = out.diff?.functions ?? [];
    const axios = head.functions[0]?.init?.packages.find((p) => p.name === 'axios');
    expect(changed?.packagesAdded).toEqual([{ name: 'axios', estInitMs: axios?.estInitMs }]);
    expect(changed?.packagesRemoved).toEqual([]);
    expect(changed?.findingsNew.map((f) => f.ruleId)).toEqual(['heavy-init-import']);
    // aws-sdk-v2-whole moved from line 1 to line 2: the fingerprint matches, so it is neither new nor fixed.
    expect(changed?.findingsFixed).toEqual([]);
    expect(out.diff?.totals.estInitMsAdded).toBe(axios?.estInitMs);
  });

  it('-f pr-comment and -f text lead with the headline', async () => {
    const comment = await runCli(['diff', 'base.json', 'head.json', '-f', 'pr-comment'], { cwd: tmp });
    expect(comment.code).toBe(0);
    expect(comment.out.split('\n')[1]).toMatch(/^### This change adds \d+ ms of estimated init to 1 function$/);
    const text = await runCli(['diff', 'base.json', 'head.json'], { cwd: tmp });
    expect(text.out).toMatch(/\nchanges since base\nThis change adds \d+ ms of estimated init to 1 function\n/);
  });

  it('only text, markdown, json and pr-comment are offered', async () => {
    const run = await runCli(['diff', 'base.json', 'head.json', '-f', 'csv'], { cwd: tmp });
    expect(run.code).toBe(2);
    expect(run.err).toContain('Invalid values');
  });
});

describe('scan --baseline with a saved result', () => {
  it("attaches the diff and hides the base's findings, counting them as baseline-suppressed", async () => {
    const base = readJson('base.json');
    const run = await runCli(['scan', '.', '-f', 'json', '--baseline', '../base.json'], { cwd: svc });
    expect([run.code, run.err]).toEqual([0, '']);
    const out = JSON.parse(run.out) as ScanResult;
    expect(out.diff?.functions.map((d) => d.packagesAdded.map((p) => p.name))).toEqual([['axios']]);
    expect(out.functions[0]?.findings.map((f) => f.ruleId)).toEqual(['heavy-init-import']);
    expect(out.summary.findings).toEqual({ error: 0, warn: 1, info: 0 });
    expect(out.suppressed?.baseline).toBe(base.functions[0]?.findings.length);
  });

  it('a severity gate then counts only the new findings', async () => {
    const warn = await runCli(['scan', '.', '-f', 'json', '--baseline', '../base.json', '--fail-on', 'warn'], { cwd: svc });
    expect([warn.code, warn.err]).toEqual([1, 'fail-on warn: 1 new finding(s) at or above it\n']);
    const error = await runCli(['scan', '.', '-f', 'json', '--baseline', '../base.json', '--fail-on', 'error'], { cwd: svc });
    expect([error.code, error.err]).toEqual([0, '']);
  });

  it('a diff gate reads the attached diff', async () => {
    const head = readJson('head.json');
    const added = Math.round(head.functions[0]?.init?.packages.find((p) => p.name === 'axios')?.estInitMs ?? NaN);
    const run = await runCli(['scan', '.', '-f', 'json', '--baseline', '../base.json', '--fail-on', 'init-ms=5'], { cwd: svc });
    expect([run.code, run.err]).toEqual([1, `fail-on init-ms=5: estimated init grew by ${added} ms, ${added - 5} ms over the limit of 5 ms\n`]);
  });

  it("a findings baseline file keeps today's behaviour", async () => {
    expect((await runCli(['scan', '.', '-q', '--baseline-write', '../findings-baseline.json'], { cwd: svc })).code).toBe(0);
    const run = await runCli(['scan', '.', '-f', 'json', '--baseline', '../findings-baseline.json'], { cwd: svc });
    const out = JSON.parse(run.out) as ScanResult;
    expect(out.diff).toBeUndefined();
    expect(out.functions[0]?.findings).toEqual([]);
  });
});

describe('--fail-on gates', () => {
  it.each([
    ['init-ms=100', 1, 'fail-on init-ms=100: estimated init grew by 180 ms, 80 ms over the limit of 100 ms\n'],
    ['init-ms=180', 0, ''],
    ['monthly-usd=5', 1, 'fail-on monthly-usd=5: monthly cost grew by $12.00, $7.00 over the limit of $5.00\n'],
    ['monthly-usd=12', 0, ''],
    ['init-pct=50', 1, 'fail-on init-pct=50: estimated init grew by 90.0%, 40.0 points over the limit of 50.0%\n'],
    ['init-pct=90', 0, ''],
    ['cost-pct=25', 1, 'fail-on cost-pct=25: monthly cost grew by 30.0%, 5.0 points over the limit of 25.0%\n'],
    ['cost-pct=30', 0, ''],
    ['warn', 1, 'fail-on warn: 1 new finding(s) at or above it\n'],
    ['error', 0, ''],
    ['none', 0, ''],
  ])('diff --fail-on %s exits %i', async (spec, code, err) => {
    const run = await runCli(['diff', 'g-base.json', 'g-head.json', '-f', 'json', '--fail-on', spec], { cwd: tmp });
    expect([run.code, run.err]).toEqual([code, err]);
    expect(run.out).not.toBe(''); // the report is written whether or not a gate is crossed
  });

  it('several gates: each crossed one gets its line, in the order given; --quiet keeps them too (it never hides why)', async () => {
    const args = ['diff', 'g-base.json', 'g-head.json', '-f', 'json', '--fail-on', 'init-ms=500', '--fail-on', 'cost-pct=10,init-pct=10'];
    const run = await runCli(args, { cwd: tmp });
    expect([run.code, run.err]).toEqual([
      1,
      'fail-on cost-pct=10: monthly cost grew by 30.0%, 20.0 points over the limit of 10.0%\nfail-on init-pct=10: estimated init grew by 90.0%, 80.0 points over the limit of 10.0%\n',
    ]);
    const quiet = await runCli([...args, '-q'], { cwd: tmp });
    expect([quiet.code, quiet.err]).toEqual([1, run.err]);
  });

  it('report applies the gates to a saved diff', async () => {
    expect((await runCli(['diff', 'g-base.json', 'g-head.json', '-f', 'json', '-o', 'g-diff.json'], { cwd: tmp })).code).toBe(0);
    const run = await runCli(['report', 'g-diff.json', '-f', 'markdown', '--fail-on', 'monthly-usd=10'], { cwd: tmp });
    expect([run.code, run.err]).toEqual([1, 'fail-on monthly-usd=10: monthly cost grew by $12.00, $2.00 over the limit of $10.00\n']);
    expect(run.out).toContain('## Changes since base');
  });

  it.each([
    ['fast', `lambda-migrate: bad --fail-on 'fast'\nhint: ${GATE_HINT}\n`],
    ['init-ms=abc', `lambda-migrate: bad --fail-on 'init-ms=abc': the limit must be a number >= 0\nhint: ${GATE_HINT}\n`],
    ['cost-pct=-1', `lambda-migrate: bad --fail-on 'cost-pct=-1': the limit must be a number >= 0\nhint: ${GATE_HINT}\n`],
  ])('a bad gate spec %s exits 2 with a hint', async (spec, err) => {
    expect(await runCli(['diff', 'g-base.json', 'g-head.json', '--fail-on', spec], { cwd: tmp })).toEqual({ code: 2, out: '', err });
  });

  it('a diff gate without a base is an error (exit 2) before any work, on report and on scan', async () => {
    const hint =
      'hint: compare with a base result: lambda-migrate diff base.json head.json --fail-on ..., or scan --baseline base.json (a result saved with -f json)\n';
    expect(await runCli(['report', 'g-head.json', '--fail-on', 'init-pct=5'], { cwd: tmp })).toEqual({
      code: 2,
      out: '',
      err: `lambda-migrate: --fail-on init-pct=5 needs a base result to compare with, and there is none\n${hint}`,
    });
    expect(await runCli(['scan', '.', '--fail-on', 'warn', '--fail-on', 'monthly-usd=1'], { cwd: svc })).toEqual({
      code: 2,
      out: '',
      err: `lambda-migrate: --fail-on monthly-usd=1 needs a base result to compare with, and there is none\n${hint}`,
    });
  });

  it('a cost gate when neither result has cost figures is an error, not a pass', async () => {
    const run = await runCli(['diff', 'base.json', 'head.json', '--fail-on', 'monthly-usd=1'], { cwd: tmp });
    expect([run.code, run.err]).toEqual([
      2,
      'lambda-migrate: --fail-on monthly-usd=1: neither result has cost figures to compare\nhint: give both scans usage: --logs, --aws or --metrics, or --invocations with --cold-start-rate\n',
    ]);
  });

  it('scan keeps the old severity gate and its message', async () => {
    const run = await runCli(['scan', '.', '-f', 'json', '--fail-on', 'warn'], { cwd: svc });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^fail-on warn: \d+ finding\(s\) at or above it\n$/);
  });
});

describe('diff of a head scanned without usage against a measured base (the PR case)', () => {
  it('prices the added init with the base cold starts, and the money gates fail on it (exit 1)', async () => {
    // Base: 1024 MB x86_64, 100,000 cold starts a month, $2.00 a month. Head: axios (+116 ms) joins, no usage.
    const measured = fn('create', [pkg('aws-sdk', 200)], [], 2_000_000);
    const base = result([
      {
        ...measured,
        memoryMB: 1024,
        architecture: 'x86_64',
        cost: {
          status: 'measured',
          detail: null,
          region: 'us-east-1',
          usage: { invocationsPerMonth: 1_000_000, coldStartsPerMonth: 100_000, windowDays: 14, scaleToMonth: 2.173, initBilled: true },
          current: { runtime: 'nodejs20.x', architecture: 'x86_64', memoryMB: 1024, initMs: 400, durationMs: 120, maxMemoryMB: 180 },
          monthly: { requestsMicroUsd: 200_000, invokeMicroUsd: 1_000_000, initMicroUsd: 800_000, totalMicroUsd: 2_000_000 },
          scenarios: [],
          factors: [],
        },
      },
    ]);
    const head = result([{ ...fn('create', [pkg('aws-sdk', 200), pkg('axios', 116)], [], null), memoryMB: 1024, architecture: 'x86_64' }]);
    write('p-base.json', JSON.stringify(base));
    write('p-head.json', JSON.stringify(head));
    // 100,000 x 1 GB x 0.116 s x $0.0000166667 = $0.19333372: over $0.10, and 9.7% of $2.00 is over 5%.
    const run = await runCli(['diff', 'p-base.json', 'p-head.json', '-f', 'pr-comment', '--fail-on', 'monthly-usd=0.10', '--fail-on', 'cost-pct=5'], {
      cwd: tmp,
    });
    expect(run.code).toBe(1);
    expect(run.out).toContain('### This change adds 116 ms of estimated init and \\~$0.19/month to 1 function');
    expect(run.out).toContain("Monthly cost $2.00 → $2.19 (+$0.19, +9.7%; added init priced with the base's cold starts)");
    expect(run.err).toBe(
      'fail-on monthly-usd=0.10: monthly cost grew by $0.19, $0.093 over the limit of $0.10\nfail-on cost-pct=5: monthly cost grew by 9.7%, 4.7 points over the limit of 5.0%\n',
    );
  });
});

describe('report RESULT.json: -v and --function', () => {
  it('-v is the detailed text report, --function one function, an unknown name exit 2 with the names', async () => {
    const saved = readJson('base.json');
    const detail = await runCli(['report', 'base.json', '-v'], { cwd: tmp });
    expect(detail.out).toBe(render(saved, 'text', { detail: true }));
    const one = await runCli(['report', 'base.json', '--function', saved.functions[0]?.name ?? ''], { cwd: tmp });
    expect(one.code).toBe(0);
    expect(one.out).toBe(render(saved, 'text', { function: saved.functions[0]?.name ?? '' }));
    const unknown = await runCli(['report', 'base.json', '--function', 'nope'], { cwd: tmp });
    expect([unknown.code, unknown.out]).toEqual([2, '']);
    expect(unknown.err).toBe(
      `lambda-migrate: no function named 'nope' in this result\nhint: the functions are: ${saved.functions.map((f) => f.name).join(', ')}\n`,
    );
    const md = await runCli(['report', 'base.json', '-f', 'markdown', '-v'], { cwd: tmp });
    expect(md.code).toBe(2);
    expect(md.err).toContain('--detail applies to the text report, not -f markdown');
  });
});
