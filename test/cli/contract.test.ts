import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { writeService } from '../helpers/cli.js';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isCi } from '../../src/cli/env.js';
import { main, type CliIo } from '../../src/cli/main.js';

/**
 * The contract a CI user scripts against, like ESLint's: exit 0 finished, 1 a gate crossed, 2 no trustworthy result;
 * an unknown flag is refused before any work; `--quiet` never hides why a run failed; `CI=false` is not CI.
 */
interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(argv: string[], cwd: string, opts: { tty?: boolean; env?: Record<string, string> } = {}): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (out += s), isTTY: opts.tty === true },
    stderr: { write: (s: string) => (err += s), isTTY: opts.tty === true },
    cwd,
    env: opts.env ?? {},
  };
  const code = await main(argv, io);
  return { code, out, err };
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lm-contract-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const service = (name: string, files: Record<string, string>): string => writeService(tmp, name, files);

const HEAVY = {
  'handler.js': "const AWS = require('aws-sdk');\nconst s3 = new AWS.S3();\nexports.handler = async () => s3.listBuckets().promise();\n",
};
const CLEAN = { 'handler.js': 'exports.handler = async () => ({ statusCode: 200 });\n' };

describe('unknown flags are refused before any work, by every command', () => {
  // Each command with arguments that would otherwise do its work and write `out/`; a result file exists for the
  // commands that read one, so nothing but the flag stands in the way.
  const dir = service('unknown-flag', HEAVY);
  writeFileSync(path.join(dir, 'result.json'), '{}');
  const commands: [string, string[]][] = [
    ['scan', ['scan', '.', '-f', 'json', '-o', 'out/report.json']],
    ['scan --baseline-write', ['scan', '.', '--baseline-write', 'out/baseline.json']],
    ['report', ['report', 'result.json', '-o', 'out/report.txt']],
    ['diff', ['diff', 'result.json', 'result.json', '-o', 'out/diff.txt']],
    ['metrics', ['metrics', '--logs', '.', '-o', 'out/metrics.json']],
    ['rules', ['rules']],
    ['merge', ['merge', 'result.json', '-o', 'out/merged.txt']],
    ['comment', ['comment', '--github', 'result.json', '--dry-run']],
    ['scaffold', ['scaffold', 'handler', '.', '-o', 'out/crate']],
  ];
  mkdirSync(path.join(dir, 'out'), { recursive: true });

  for (const [name, argv] of commands) {
    for (const bad of ['--bogus-flag', '--bogus-option=3', '-Z']) {
      it(`${name} ${bad}: exit 2, the flag named, nothing on stdout, nothing written`, async () => {
        const r = await run([...argv, bad], dir, { env: { GITHUB_TOKEN: 'x', GITHUB_REPOSITORY: 'o/r' } });
        expect(r.code).toBe(2);
        expect(r.out).toBe('');
        expect(r.err).toMatch(/^lambda-migrate: Unknown arguments?: .*(bogus-flag|bogus-option|Z)/);
        expect(r.err).toContain("Run 'lambda-migrate --help' for usage.");
        expect(r.err).not.toContain('internal error');
        expect(readdirSync(path.join(dir, 'out'))).toEqual([]);
      });
    }
  }
});

describe('the usage error', () => {
  it('names an unknown flag once, as typed (not also as its camel-case alias)', async () => {
    const r = await run(['scan', '.', '--bogus-flag', '--no-such-thing'], service('twins', CLEAN));
    expect(r.code).toBe(2);
    expect(r.err).toBe("lambda-migrate: Unknown arguments: bogus-flag, such-thing\nRun 'lambda-migrate --help' for usage.\n");
    const one = await run(['rules', '--bogus-flag'], tmp);
    expect(one.err.split('\n')[0]).toBe('lambda-migrate: Unknown argument: bogus-flag');
  });
});

describe('exit codes, as the README documents them', () => {
  it('0: finished, with findings below the gate and with no handlers at all', async () => {
    expect((await run(['scan', '.', '-f', 'json'], service('exit0', CLEAN))).code).toBe(0);
    expect((await run(['scan', '.', '--fail-on', 'error', '-f', 'json'], service('exit0-heavy', HEAVY))).code).toBe(0);
    expect((await run(['scan', '.'], service('exit0-empty', { 'README.md': '# none\n' }))).code).toBe(0);
  });

  it('1: a --fail-on gate crossed, on scan and on report of the saved result', async () => {
    const dir = service('exit1', HEAVY);
    expect((await run(['scan', '.', '--fail-on', 'warn', '-f', 'json', '-o', 'r.json'], dir)).code).toBe(1);
    // The report was written before the gate failed the run.
    expect(existsSync(path.join(dir, 'r.json'))).toBe(true);
    expect((await run(['report', 'r.json', '--fail-on', 'warn', '-o', 'r.txt'], dir)).code).toBe(1);
    expect((await run(['report', 'r.json', '--fail-on', 'none', '-o', 'r.txt'], dir)).code).toBe(0);
  });

  it('2: bad arguments, a missing path, a file that is not a result, a malformed gate', async () => {
    const dir = service('exit2', CLEAN);
    writeFileSync(path.join(dir, 'not-a-result.json'), '{"hello": 1}');
    for (const argv of [
      ['scan', '.', '--format', 'pdf'],
      ['frobnicate'],
      [],
      ['scan', 'no-such-dir'],
      ['report', 'not-a-result.json'],
      ['report', 'missing.json'],
      ['scan', '.', '--fail-on', 'init-ms=lots'],
      ['scan', '.', '--fail-on', 'init-ms=100'],
    ]) {
      const r = await run(argv, dir);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out, argv.join(' ')).toBe('');
      expect(r.err, argv.join(' ')).toMatch(/^lambda-migrate: /);
    }
  });
});

describe('--quiet', () => {
  it('drops the notes but never the reason a gate failed', async () => {
    const dir = service('quiet-gate', HEAVY);
    const r = await run(['scan', '.', '--fail-on', 'warn', '-q', '-f', 'json', '-o', 'r.json'], dir);
    expect(r.code).toBe(1);
    // No "wrote r.json" note, but the gate line is there.
    expect(r.err).toMatch(/^fail-on warn: \d+ finding\(s\) at or above it\n$/);
    const report = await run(['report', 'r.json', '-q', '--fail-on', 'warn', '-o', 'r.md', '-f', 'markdown'], dir);
    expect(report.code).toBe(1);
    expect(report.err).toMatch(/^fail-on warn: /);
  });
});

describe('CI detection', () => {
  it('CI=false, CI=0 and an empty CI are not CI; any other value is', () => {
    expect(isCi({})).toBe(false);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({ CI: 'FALSE' })).toBe(false);
    expect(isCi({ CI: '0' })).toBe(false);
    expect(isCi({ CI: '' })).toBe(false);
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: 'woodpecker' })).toBe(true);
  });

  it('progress shows on a terminal with CI=false and not with CI=true', async () => {
    const dir = service('ci-progress', HEAVY);
    const local = await run(['scan', '.', '-f', 'json'], dir, { tty: true, env: { CI: 'false' } });
    expect(local.code).toBe(0);
    expect(local.err).toContain('\r\x1b[2K');
    const ci = await run(['scan', '.', '-f', 'json'], dir, { tty: true, env: { CI: 'true' } });
    expect(ci.code).toBe(0);
    expect(ci.err).toBe('');
  });
});
