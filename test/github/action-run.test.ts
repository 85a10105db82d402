/**
 * The action's script (scripts/action/run.sh, the one file action.yml runs) run as a GitHub runner would run it:
 * bash, the action's own checkout built (dist/), $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY files, and the pull request
 * comment posted to the loopback fake of the GitHub API over real HTTP.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { REPO, runCli } from '../helpers/cli.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';

const SCRIPT = path.join(REPO, 'scripts/action/run.sh');
const OUTPUTS = path.join(REPO, 'scripts/action/outputs.mjs');
const TOKEN = 'ghs_actionTestToken0123456789abcdefABCDEF';
const work = mkdtempSync(path.join(os.tmpdir(), 'lm-action-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command asynchronously: the fake GitHub server answers from this same process. */
function exec(cmd: string, args: string[], env: Record<string, string>, cwd = work): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? work, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** $GITHUB_OUTPUT's `name=value` lines as a map (the last write of a name wins, as on GitHub). */
function outputsOf(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

describe('scripts/action/outputs.mjs', () => {
  it('writes exact dollar decimals and the crossed gates from the report stderr', async () => {
    const result = {
      functions: [{}, {}],
      summary: { estInitMs: 272.84, cost: { functionsPriced: 2, monthlyMicroUsd: 41_250_000, planSavingMicroUsd: 14_000 } },
      diff: { totals: { estInitMsAdded: 116.04, monthlyMicroUsdAdded: -14_000, findingsNew: 3 } },
    };
    writeFileSync(path.join(work, 'o.json'), JSON.stringify(result));
    writeFileSync(
      path.join(work, 'o.log'),
      'wrote x\nfail-on warn: 3 new finding(s) at or above it\nfail-on init-ms=100: estimated init grew by 116 ms\n',
    );
    const r = await exec('node', [OUTPUTS, 'o.json', 'o.log'], {});
    expect(r.stdout).toBe(
      [
        'functions=2',
        'est-init-ms=272.8',
        'monthly-usd=41.25',
        'plan-saves-usd=0.014',
        'init-ms-delta=116',
        'monthly-usd-delta=-0.014',
        'findings-new=3',
        'gates-crossed=warn,init-ms=100',
        '',
      ].join('\n'),
    );
    // No cost model and no base: empty, so `if: steps.lm.outputs.monthly-usd != ''` can tell.
    writeFileSync(path.join(work, 'p.json'), JSON.stringify({ functions: [], summary: { estInitMs: 0 } }));
    const bare = await exec('node', [OUTPUTS, 'p.json'], {});
    expect(bare.stdout).toContain('monthly-usd=\n');
    expect(bare.stdout).toContain('init-ms-delta=\n');
    expect(bare.stdout).toContain('gates-crossed=\n');
  });
});

describe('scripts/action/run.sh against the fake GitHub API', () => {
  let fake: FakeGitHub;
  let base: ScanResult;

  beforeAll(async () => {
    if (!existsSync(path.join(REPO, 'dist/src/cli/main.js'))) throw new Error('dist/ is missing: run npm run build');
    // head: the example as it is; base: the same service before orders-api.js started loading joi (~26 ms bundled).
    cpSync(path.join(REPO, 'examples/orders-service'), path.join(work, 'head'), { recursive: true });
    cpSync(path.join(REPO, 'examples/orders-service'), path.join(work, 'base'), { recursive: true });
    const api = path.join(work, 'base/src/handlers/orders-api.js');
    writeFileSync(api, readFileSync(api, 'utf8').replace("const Joi = require('joi');\n", ''));
    const scanned = await runCli(['scan', 'base', '--logs', 'base/logs', '-f', 'json', '-o', 'base.json'], { cwd: work });
    expect(scanned.code).toBe(0);
    base = JSON.parse(readFileSync(path.join(work, 'base.json'), 'utf8')) as ScanResult;
    writeFileSync(path.join(work, 'event.json'), JSON.stringify({ number: 12, pull_request: { number: 12 } }));
    fake = await startFakeGitHub({ token: TOKEN, owner: 'acme', repo: 'orders', pr: 12, login: null });
  });

  afterAll(async () => {
    await fake.close();
  });

  const runnerEnv = (extra: Record<string, string>): Record<string, string> => ({
    LM_ACTION_PATH: REPO,
    GITHUB_OUTPUT: path.join(work, 'github-output'),
    GITHUB_STEP_SUMMARY: path.join(work, 'step-summary.md'),
    RUNNER_TEMP: work,
    GITHUB_API_URL: fake.url,
    GITHUB_REPOSITORY: 'acme/orders',
    GITHUB_EVENT_PATH: path.join(work, 'event.json'),
    ...extra,
  });

  it('scans, diffs, posts the comment, writes the headline outputs, then fails the step on the gate', async () => {
    writeFileSync(path.join(work, 'github-output'), '');
    const r = await exec(
      'bash',
      [SCRIPT],
      runnerEnv({
        LM_PATH: 'head',
        LM_LOGS: 'head/logs',
        LM_BASE: 'base.json',
        LM_RESULT: 'result.json',
        LM_CACHE: 'fact-cache',
        LM_FORMAT: 'pr-comment',
        LM_FAIL_ON: 'init-ms=20',
        LM_COMMENT: 'true',
        LM_GITHUB_TOKEN: TOKEN,
      }),
    );
    // 1: a gate crossed, after everything else was done.
    expect(r.stderr).toMatch(/^fail-on init-ms=20: /m);
    expect(r.code).toBe(1);
    const head = JSON.parse(readFileSync(path.join(work, 'result.json'), 'utf8')) as ScanResult;
    const totals = head.diff?.totals;
    expect(totals?.estInitMsAdded ?? 0).toBeGreaterThan(20);
    // The cache input reached the scan: the fact cache folder was created and filled.
    expect(readdirSync(path.join(work, 'fact-cache'), { recursive: true }).length).toBeGreaterThan(0);

    const out = outputsOf(path.join(work, 'github-output'));
    expect(out['result']).toBe('result.json');
    expect(out['report']).toBe('lambda-migrate-report.md');
    expect(out['functions']).toBe(String(head.functions.length));
    expect(out['gates-crossed']).toBe('init-ms=20');
    expect(Number(out['init-ms-delta'])).toBeCloseTo(totals?.estInitMsAdded ?? NaN, 1);
    // The head minus the base, as the two results give them: the output is the diff, not either side.
    expect(Number(out['init-ms-delta'])).toBeCloseTo(head.summary.estInitMs - base.summary.estInitMs, 0);
    expect(Number(out['monthly-usd'])).toBe((head.summary.cost?.monthlyMicroUsd ?? NaN) / 1e6);
    expect(out['findings-new']).toBe(String(totals?.findingsNew));

    // The comment: created once by the Actions bot identity, with the marker, through real HTTP.
    expect(fake.comments.length).toBe(1);
    expect(fake.comments[0]?.user).toBe('github-actions[bot]');
    expect(fake.comments[0]?.body.startsWith('<!-- lambda-migrate:pr-comment -->')).toBe(true);
    expect(fake.requests.every((q) => q.authorization.endsWith(TOKEN))).toBe(true);
    // The report went to the job summary; the token went nowhere but the Authorization header.
    expect(readFileSync(path.join(work, 'step-summary.md'), 'utf8')).toBe(readFileSync(path.join(work, 'lambda-migrate-report.md'), 'utf8'));
    expect(r.stdout + r.stderr + readFileSync(path.join(work, 'github-output'), 'utf8')).not.toContain(TOKEN);
  });

  it('the comment job (scan: false) updates the same comment and passes when no gate is crossed', async () => {
    writeFileSync(path.join(work, 'github-output'), '');
    const r = await exec(
      'bash',
      [SCRIPT],
      runnerEnv({ LM_SCAN: 'false', LM_RESULT: 'result.json', LM_FORMAT: 'markdown', LM_COMMENT: 'true', LM_GITHUB_TOKEN: TOKEN }),
    );
    expect([r.code, r.stderr.match(/^fail-on/m)]).toEqual([0, null]);
    expect(fake.comments.length).toBe(1);
    expect(fake.requests.filter((q) => q.method === 'PATCH').length).toBe(1);
    expect(outputsOf(path.join(work, 'github-output'))['gates-crossed']).toBe('');
  });

  it('refuses a version that is not exact before installing anything (never "latest")', async () => {
    for (const version of ['latest', '^0.1.0', '0.1']) {
      const r = await exec('bash', [SCRIPT], runnerEnv({ LM_VERSION: version, LM_PATH: 'head' }));
      expect(r.code).toBe(2);
      expect(r.stdout).toContain(`::error::lambda-migrate: version must be an exact version such as 0.1.0, not '${version}'`);
    }
    expect(existsSync(path.join(work, 'lambda-migrate-latest'))).toBe(false);
  });
});
