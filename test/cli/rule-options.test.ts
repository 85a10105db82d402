import { spawnSync } from 'node:child_process';
import { writeService } from '../helpers/cli.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.js';

/**
 * Rule options from `--rule-option` and from the config file go through the one check the engine runs on its rules'
 * option schemas: a bad one exits 2 with one line naming the rule, the option, the value and what is allowed, and a
 * hint with what the option does; never a stack trace.
 */

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lm-rule-options-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const service = (name: string, files: Record<string, string>): string => writeService(tmp, name, files);

const HANDLER = { 'handler.js': "const express = require('express');\nexports.handler = async () => express;\n" };

async function run(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd, env: {} };
  const code = await main(argv, io);
  return { code, out, err };
}

const THRESHOLD_HINT =
  'hint: heavy-init-import.thresholdMs: Report a package when its estimated load cost in ms is at or above this value (a number >= 0, default 20)\n';

describe('--rule-option values are checked against the rule’s options schema', () => {
  const dir = service('flags', HANDLER);
  const cases: [string, string, string][] = [
    [
      'text for a number',
      'heavy-init-import.thresholdMs=abc',
      `lambda-migrate: --rule-option heavy-init-import.thresholdMs: expected a number >= 0, got "abc"\n${THRESHOLD_HINT}`,
    ],
    [
      'a number out of range',
      'heavy-init-import.thresholdMs=-5',
      `lambda-migrate: --rule-option heavy-init-import.thresholdMs: expected a number >= 0, got -5\n${THRESHOLD_HINT}`,
    ],
    [
      'a fraction for an integer option',
      'serverless-http-monolith.minRoutes=1.5',
      'lambda-migrate: --rule-option serverless-http-monolith.minRoutes: expected an integer >= 1, got 1.5\n' +
        'hint: serverless-http-monolith.minRoutes: Report apps with at least this many routes (an integer >= 1, default 2)\n',
    ],
    [
      'a day that is not a date',
      'deprecated-runtime.asOf=tomorrow',
      "lambda-migrate: --rule-option deprecated-runtime.asOf: expected '' or 'today' or a date (YYYY-MM-DD), got \"tomorrow\"\n" +
        "hint: deprecated-runtime.asOf: The day to compare the schedule with: '' is the day the schedule was last checked, 'today' the day of the scan ('' or 'today' or a date (YYYY-MM-DD), default \"\")\n",
    ],
    [
      'a regular expression that does not compile',
      'rare-path-import.rareRoutes=(admin',
      'lambda-migrate: --rule-option rare-path-import.rareRoutes: expected a regular expression, got "(admin" (Invalid regular expression: /(admin/i: Unterminated group)\n' +
        'hint: rare-path-import.rareRoutes: The route paths that count as rarely used, matched case-insensitively (a regular expression, default "(^|/)(admin|internal|debug|ops|backoffice|maintenance|migrate|migrations|reports?)(/|$)")\n',
    ],
    [
      'an unknown option',
      'heavy-init-import.treshold=5',
      'lambda-migrate: --rule-option heavy-init-import.treshold: unknown option, expected one of: thresholdMs, ignorePackages\n' +
        'hint: lambda-migrate rules heavy-init-import describes the rule and its options\n',
    ],
    [
      'an option of a rule that has none',
      'await-in-loop.max=3',
      'lambda-migrate: --rule-option await-in-loop.max: unknown option, expected none (this rule has no options)\n' +
        'hint: lambda-migrate rules await-in-loop describes the rule and its options\n',
    ],
    [
      'an unknown rule',
      'heavy-init-imports.thresholdMs=5',
      "lambda-migrate: --rule-option heavy-init-imports.thresholdMs: unknown rule 'heavy-init-imports'\n" +
        'hint: known rules: await-in-loop, aws-sdk-v2-client, aws-sdk-v2-whole, client-in-handler, deprecated-runtime, duplicate-package-copies, heavy-init-import, module-scope-io, rare-path-import, runtime-addition, serverless-http-monolith, sync-fs-in-handler (lambda-migrate rules)\n',
    ],
  ];
  for (const [name, flag, stderr] of cases) {
    it(`${name}: exit 2, one message and a hint`, async () => {
      const r = await run(['scan', '.', '-f', 'json', '--rule-option', flag], dir);
      expect(r.code).toBe(2);
      expect(r.err).toBe(stderr);
      expect(r.out).toBe('');
    });
  }

  it('reads a valid value as the type the option declares, and the flag wins over the config file', async () => {
    const root = service('override', {
      ...HANDLER,
      '.lambda-migrate.json': JSON.stringify({ rules: { 'heavy-init-import': { options: { thresholdMs: 100000 } } } }),
    });
    const quiet = await run(['scan', '.', '-f', 'json'], root);
    expect(quiet.code).toBe(0);
    const before = JSON.parse(quiet.out) as { functions: { findings: { ruleId: string }[] }[] };
    expect(before.functions[0]?.findings.filter((f) => f.ruleId === 'heavy-init-import')).toEqual([]);
    const loud = await run(['scan', '.', '-f', 'json', '--rule-option', 'heavy-init-import.thresholdMs=5'], root);
    expect(loud.code).toBe(0);
    const after = JSON.parse(loud.out) as { functions: { findings: { ruleId: string; line: number; column: number }[] }[] };
    expect(after.functions[0]?.findings.filter((f) => f.ruleId === 'heavy-init-import').map((f) => [f.line, f.column])).toEqual([[1, 17]]);
  });
});

describe('config file rule options go through the same check', () => {
  it('a value out of range: exit 2, naming the file and the key path', async () => {
    const root = service('config-range', {
      ...HANDLER,
      '.lambda-migrate.json': JSON.stringify({ rules: { 'runtime-addition': { options: { thresholdMs: -1 } } } }),
    });
    const r = await run(['scan', '.'], root);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'lambda-migrate: .lambda-migrate.json: rules.runtime-addition.options.thresholdMs: expected a number >= 0, got -1\n' +
        'hint: runtime-addition.thresholdMs: Additions estimated at this many ms or more are reported as warn, the rest as info (a number >= 0, default 50)\n',
    );
  });

  it('text for a number is refused in the file (its values have types), where the flag would read it', async () => {
    const root = service('config-text', {
      ...HANDLER,
      '.lambda-migrate.yaml': "rules:\n  heavy-init-import:\n    options:\n      thresholdMs: '50'\n",
    });
    const r = await run(['scan', '.'], root);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `lambda-migrate: .lambda-migrate.yaml: rules.heavy-init-import.options.thresholdMs: expected a number >= 0, got "50"\n${THRESHOLD_HINT}`,
    );
  });

  it('an unknown option of a rule the file turns off is still refused', async () => {
    const root = service('config-off', {
      ...HANDLER,
      '.lambda-migrate.json': JSON.stringify({ rules: { 'rare-path-import': { severity: 'off', options: { minRoute: 3 } } } }),
    });
    const r = await run(['scan', '.'], root);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'lambda-migrate: .lambda-migrate.json: rules.rare-path-import.options.minRoute: unknown option, expected one of: minRoutes, rareRoutes\n' +
        'hint: lambda-migrate rules rare-path-import describes the rule and its options\n',
    );
  });
});

describe('the built CLI', () => {
  it('exits 2 on a bad --rule-option, with the message and no stack trace', () => {
    const dir = service('bin', HANDLER);
    const bin = path.join(import.meta.dirname, '../../bin/lambda-migrate.js');
    const r = spawnSync(process.execPath, [bin, 'scan', dir, '--rule-option', 'heavy-init-import.thresholdMs=-5'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`lambda-migrate: --rule-option heavy-init-import.thresholdMs: expected a number >= 0, got -5\n${THRESHOLD_HINT}`);
  }, 60_000);
});
