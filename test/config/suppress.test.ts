import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.js';
import { suppressionsIn } from '../../src/graph/facts.js';
import { scanFiles, TEST_CATALOG } from '../helpers/rule-tester.js';
import { scan } from '../../src/index.js';

describe('inline suppressions', () => {
  it('are found only on comment lines, with their rules and reason', () => {
    const text = [
      'const a = 1; // lambda-migrate-disable-next-line heavy-init-import -- not a comment line',
      '  // lambda-migrate-disable-next-line heavy-init-import, await-in-loop -- loaded once, measured at 3 ms',
      "const s = '// lambda-migrate-disable-next-line x';",
      '/* lambda-migrate-disable-next-line module-scope-io */',
      '// lambda-migrate-disable-next-line',
    ].join('\n');
    expect(suppressionsIn(text)).toEqual([
      { line: 2, rules: ['heavy-init-import', 'await-in-loop'], reason: 'loaded once, measured at 3 ms' },
      { line: 4, rules: ['module-scope-io'], reason: null },
      { line: 5, rules: [], reason: null },
    ]);
  });

  it('drop the finding on the next line for the named rule only, and note missing reasons', async () => {
    const r = await scanFiles(
      {
        'handler.ts': `// lambda-migrate-disable-next-line heavy-init-import -- the API needs it on every request
import express from 'express';
// lambda-migrate-disable-next-line await-in-loop
import pg from 'pg';
export const handler = async () => [express, pg];
`,
      },
      ['heavy-init-import'],
    );
    expect(r.functions[0]?.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([['heavy-init-import', 4, 1]]);
    expect(r.suppressed).toMatchObject({ inline: 1, baseline: 0 });
    expect(r.warnings.filter((w) => w.includes('lambda-migrate-disable'))).toEqual([
      "handler.ts:3: lambda-migrate-disable-next-line without a reason (add '-- why')",
    ]);
  });
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const service = (files: Record<string, string>): string => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lm-baseline-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
};
const cli = (cwd: string): { io: CliIo; out: () => string; err: () => string } => {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd, env: {} },
    out: () => out,
    err: () => err,
  };
};

describe('baseline', () => {
  const v1 = `import express from 'express';
import pg from 'pg';
export const handler = async () => [express, pg];
`;

  it('--baseline-write then --baseline: old findings stay hidden after lines move, new ones show', async () => {
    const root = service({ 'handler.ts': v1 });
    const first = cli(root);
    expect(await main(['scan', '.', '-f', 'json', '--quiet', '--baseline-write', 'baseline.json'], first.io)).toBe(0);
    const written = JSON.parse(readFileSync(path.join(root, 'baseline.json'), 'utf8')) as {
      findings: { ruleId: string; file: string; line: number; fingerprint: string }[];
    };
    expect(written.findings.filter((f) => f.ruleId === 'heavy-init-import').map((f) => [f.file, f.line])).toEqual([
      ['handler.ts', 1],
      ['handler.ts', 2],
    ]);
    expect(written.findings.every((f) => /^[0-9a-f]{16}$/.test(f.fingerprint))).toBe(true);

    // Three lines added above, and one new heavy import: only the new one is reported.
    writeFileSync(
      path.join(root, 'handler.ts'),
      `// Orders API\n// owner: team-a\n\nimport axios from 'axios';\n${v1.replace('[express, pg]', '[express, pg, axios]')}`,
    );
    const second = cli(root);
    expect(await main(['scan', '.', '-f', 'json', '--quiet', '--baseline', 'baseline.json'], second.io)).toBe(0);
    const result = JSON.parse(second.out()) as { functions: { findings: { ruleId: string; line: number }[] }[]; suppressed: { baseline: number } };
    expect(result.functions[0]?.findings.filter((f) => f.ruleId === 'heavy-init-import').map((f) => f.line)).toEqual([4]);
    expect(result.suppressed.baseline).toBe(written.findings.length);
  });

  it('two identical lines keep two fingerprints', async () => {
    const r = await scan({
      root: service({ 'handler.js': `const a = require('express');\nconst a2 = require('pg');\nexports.handler = async () => [a, a2];\n` }),
      catalog: TEST_CATALOG,
      rules: {
        disabled: ['aws-sdk-v2-whole', 'client-in-handler', 'await-in-loop', 'module-scope-io', 'sync-fs-in-handler', 'serverless-http-monolith'],
      },
    });
    const fps = r.functions[0]?.findings.map((f) => f.fingerprint) ?? [];
    expect(fps).toHaveLength(2);
    expect(new Set(fps).size).toBe(2);
  });

  it('a missing or malformed baseline is a user error (exit 2) with a hint', async () => {
    const root = service({ 'handler.ts': v1, 'bad.json': '{"version": 7}' });
    const missing = cli(root);
    expect(await main(['scan', '.', '--quiet', '--baseline', 'nope.json'], missing.io)).toBe(2);
    expect(missing.err()).toBe('lambda-migrate: baseline file not found: nope.json\nhint: write one first with --baseline-write FILE\n');
    const bad = cli(root);
    expect(await main(['scan', '.', '--quiet', '--baseline', 'bad.json'], bad.io)).toBe(2);
    expect(bad.err()).toBe(
      'lambda-migrate: bad.json: not a lambda-migrate baseline (expected version 1 and a findings array)\nhint: write one with --baseline-write FILE\n',
    );
  });
});

describe('CLI surface of the config', () => {
  it('rules <id> prints the rule doc; an unknown id exits 2', async () => {
    const ok = cli('.');
    expect(await main(['rules', 'sync-fs-in-handler'], ok.io)).toBe(0);
    expect(ok.out()).toBe(readFileSync('rules/sync-fs-in-handler.md', 'utf8'));
    const bad = cli('.');
    expect(await main(['rules', 'no-such-rule'], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/^lambda-migrate: unknown rule 'no-such-rule'\n/);
  });

  it('--config with an invalid file exits 2 and names the key path', async () => {
    const root = service({ 'handler.ts': 'export const handler = async () => 1;\n', 'lm.yaml': 'rules:\n  await-in-loop: maybe\n' });
    const run = cli(root);
    expect(await main(['scan', '.', '--quiet', '--config', 'lm.yaml'], run.io)).toBe(2);
    expect(run.err()).toBe(
      'lambda-migrate: lm.yaml: rules.await-in-loop: expected one of: off, info, warn, error, got "maybe"\nhint: see "Configuration" in the README for the keys and their values\n',
    );
  });
});
