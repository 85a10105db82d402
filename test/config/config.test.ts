import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fromData, loadConfig } from '../../src/config/config.js';
import { InputError } from '../../src/errors.js';
import { scanFiles } from '../helpers/rule-tester.js';
import { MemorySourceTree as MemorySourceTreeSync } from '../../src/source/tree.js';

const dirs: string[] = [];
const tree = (files: Record<string, string>): string => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lm-config-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err instanceof Error ? err.message : String(err);
  }
  throw new Error('expected an InputError');
};

describe('config file: discovery and parsing', () => {
  it('reads .lambda-migrate.yaml from the root: rules off, severities, options, allow-lists, heavy packages', () => {
    const root = tree({
      '.lambda-migrate.yaml': `rules:
  await-in-loop: off
  aws-sdk-v2-whole: error
  heavy-init-import:
    severity: info
    options:
      thresholdMs: 50
heavyPackages:
  - name: '@acme/sdk'
    requireMs: 120
    source: measured on our CI
    date: '2026-11-01'
allow:
  packages: [moment]
  files: ['src/generated/**']
ioTangle:
  tangledFrom: 0.6
`,
    });
    const c = loadConfig({ rootAbs: root, cwd: root });
    expect(c).toMatchObject({
      file: '.lambda-migrate.yaml',
      disabled: ['await-in-loop'],
      severity: { 'aws-sdk-v2-whole': 'error', 'heavy-init-import': 'info' },
      options: { 'heavy-init-import': { thresholdMs: 50 } },
      allowPackages: ['moment'],
      allowFiles: ['src/generated/**'],
      ioTangle: { mixedFrom: 0.2, tangledFrom: 0.6 },
      baseline: null,
    });
    expect(c.heavyPackages).toEqual([
      { name: '@acme/sdk', version: '', requireMs: 120, importMs: 120, sizeBytes: null, source: 'measured on our CI', date: '2026-11-01' },
    ]);
  });

  it('never loads JavaScript config: a .lambda-migrate.js is noted and ignored, --config x.js is refused', () => {
    const root = tree({ '.lambda-migrate.js': 'throw new Error("executed!")\n' });
    expect(loadConfig({ rootAbs: root, cwd: root }).notes).toEqual([
      ".lambda-migrate.js ignored: lambda-migrate never loads JavaScript config (it would run the repository's code); use .lambda-migrate.json or .yaml",
    ]);
    expect(messageOf(() => loadConfig({ rootAbs: root, cwd: root, explicit: '.lambda-migrate.js' }))).toBe(
      ".lambda-migrate.js: unsupported config format '.js'",
    );
  });

  it('refuses two config files in one root, and a missing --config', () => {
    const root = tree({ '.lambda-migrate.json': '{}', '.lambda-migrate.yml': '' });
    expect(messageOf(() => loadConfig({ rootAbs: root, cwd: root }))).toBe(
      'more than one config file in the scanned root: .lambda-migrate.json, .lambda-migrate.yml',
    );
    expect(messageOf(() => loadConfig({ rootAbs: root, cwd: root, explicit: 'nope.json' }))).toBe('config file not found: nope.json');
  });

  it('reports YAML and JSON syntax errors with the place', () => {
    const root = tree({ 'a.yaml': 'rules:\n  x: [1\n', 'b.json': '{"rules": }' });
    expect(messageOf(() => loadConfig({ rootAbs: root, cwd: root, explicit: 'a.yaml' }))).toMatch(/^a\.yaml:3:1 invalid YAML: /);
    expect(messageOf(() => loadConfig({ rootAbs: root, cwd: root, explicit: 'b.json' }))).toMatch(/^b\.json: invalid JSON: /);
  });
});

describe('config file: validation messages name the key path and what was expected', () => {
  const cases: [string, unknown, string][] = [
    ['an unknown top-level key', { rulez: {} }, 'cfg: rulez: unknown key, expected one of: rules, heavyPackages, allow, ioTangle, baseline'],
    ['a bad severity', { rules: { 'await-in-loop': 'warning' } }, 'cfg: rules.await-in-loop: expected one of: off, info, warn, error, got "warning"'],
    [
      'a bad nested severity',
      { rules: { 'await-in-loop': { severity: 'loud' } } },
      'cfg: rules.await-in-loop.severity: expected one of: off, info, warn, error, got "loud"',
    ],
    [
      'an unknown key in a rule',
      { rules: { 'await-in-loop': { level: 'warn' } } },
      'cfg: rules.await-in-loop.level: unknown key, expected one of: severity, options',
    ],
    [
      'an option of the wrong type',
      { rules: { 'heavy-init-import': { options: { thresholdMs: [1] } } } },
      'cfg: rules.heavy-init-import.options.thresholdMs: expected number or string or boolean, got an array',
    ],
    ['a heavy package without its cost', { heavyPackages: [{ name: 'x' }] }, "cfg: heavyPackages[0]: missing required key 'requireMs'"],
    ['a negative cost', { heavyPackages: [{ name: 'x', requireMs: -1 }] }, 'cfg: heavyPackages[0].requireMs: expected a number >= 0, got -1'],
    ['allow.files not a list', { allow: { files: 'src/**' } }, 'cfg: allow.files: expected array, got "src/**"'],
    ['a threshold above 1', { ioTangle: { tangledFrom: 2 } }, 'cfg: ioTangle.tangledFrom: expected a number <= 1, got 2'],
    [
      'mixedFrom above tangledFrom',
      { ioTangle: { mixedFrom: 0.7, tangledFrom: 0.5 } },
      'cfg: ioTangle.mixedFrom: expected a number <= ioTangle.tangledFrom (0.5), got 0.7',
    ],
    ['not an object', ['rules'], 'cfg: (top level): expected object, got an array'],
  ];
  for (const [name, data, message] of cases) {
    it(name, () => {
      expect(messageOf(() => fromData(data, 'cfg'))).toBe(message);
    });
  }

  it('checks rule options against the options the rule declares, through scan()', async () => {
    await expect(
      scanFiles(
        {
          '.lambda-migrate.json': JSON.stringify({ rules: { 'heavy-init-import': { options: { treshold: 5 } } } }),
          'handler.ts': 'export const handler = async () => 1;\n',
        },
        ['heavy-init-import'],
      ),
    ).rejects.toThrow(
      /\.lambda-migrate\.json: rules\.heavy-init-import\.options\.treshold: unknown option, expected one of: thresholdMs, ignorePackages$/,
    );
    await expect(
      scanFiles(
        {
          '.lambda-migrate.json': JSON.stringify({ rules: { 'heavy-init-import': { options: { thresholdMs: 'high' } } } }),
          'handler.ts': 'export const handler = async () => 1;\n',
        },
        ['heavy-init-import'],
      ),
    ).rejects.toThrow(/\.lambda-migrate\.json: rules\.heavy-init-import\.options\.thresholdMs: expected a number >= 0, got "high"$/);
  });

  it('checks the rule ids it names against the shipped rules, through scan() (the config itself knows no rules)', async () => {
    expect(fromData({ rules: { 'no-such-rule': 'off' } }, 'cfg').ruleIds).toEqual(['no-such-rule']);
    await expect(
      scanFiles({
        '.lambda-migrate.json': JSON.stringify({ rules: { 'no-such-rule': 'off' } }),
        'handler.ts': 'export const handler = async () => 1;\n',
      }),
    ).rejects.toThrow(
      /\.lambda-migrate\.json: rules\.no-such-rule: unknown rule, expected one of: await-in-loop, aws-sdk-v2-client, aws-sdk-v2-whole, client-in-handler, deprecated-runtime, duplicate-package-copies, heavy-init-import, module-scope-io, rare-path-import, runtime-addition, serverless-http-monolith, sync-fs-in-handler$/,
    );
  });
});

describe('config file: effect on a scan', () => {
  const handler = `import _ from 'lodash';
import pg from 'pg';
import express from 'express';
export const handler = async () => [_, pg, express];
`;

  it('severity override, allow-listed package and a raised threshold change the findings', async () => {
    const before = await scanFiles({ 'handler.ts': handler }, ['heavy-init-import']);
    expect(before.functions[0]?.findings.map((f) => `${f.line}:${f.severity}`)).toEqual(['3:warn', '2:warn']);
    const after = await scanFiles(
      {
        'handler.ts': handler,
        '.lambda-migrate.json': JSON.stringify({ rules: { 'heavy-init-import': 'error' }, allow: { packages: ['pg'] } }),
      },
      ['heavy-init-import'],
    );
    // express (46 ms) stays and becomes an error; pg (28 ms) is allow-listed; lodash (10 ms) is under the threshold.
    expect(after.functions[0]?.findings.map((f) => `${f.line}:${f.severity}`)).toEqual(['3:error']);
  });

  it('heavyPackages adds a cost the catalog does not have', async () => {
    const r = await scanFiles(
      {
        'handler.ts': `import sdk from '@acme/sdk';\nexport const handler = async () => sdk;\n`,
        '.lambda-migrate.json': JSON.stringify({ heavyPackages: [{ name: '@acme/sdk', requireMs: 75, source: 'our bench', date: '2026-11-20' }] }),
      },
      ['heavy-init-import'],
    );
    expect(r.functions[0]?.init?.packages[0]).toMatchObject({ name: '@acme/sdk', source: 'catalog' });
    expect(r.functions[0]?.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([['heavy-init-import', 1, 1]]);
  });

  it('allow.files drops findings in generated code and counts them', async () => {
    const r = await scanFiles(
      {
        'handler.ts': `import { x } from './generated/client';\nexport const handler = async () => x;\n`,
        'generated/client.ts': `import express from 'express';\nexport const x = express;\n`,
        '.lambda-migrate.json': JSON.stringify({ allow: { files: ['generated/**'] } }),
      },
      ['heavy-init-import'],
    );
    expect(r.functions[0]?.findings).toEqual([]);
    expect(r.suppressed).toEqual({ inline: 0, baseline: 0, allowedFiles: 1, configFile: expect.stringMatching(/\.lambda-migrate\.json$/) });
  });
});

describe('config file in an in-memory service', () => {
  const service = {
    'serverless.yml': 'service: s\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  a:\n    handler: src/a.handler\n',
    'src/a.ts': "import mongoose from 'mongoose';\nexport const handler = async () => mongoose.version;\n",
  };

  it('is read through the SourceTree: its rules apply, and the made-up root is never looked up on disk', async () => {
    const { MemorySourceTree, scan } = await import('../../src/index.js');
    const plain = await scan({ root: '/memory/service', tree: new MemorySourceTree(service), cost: false });
    expect(plain.functions.flatMap((f) => f.findings).map((f) => f.ruleId)).toContain('heavy-init-import');
    const configured = new MemorySourceTree({ ...service, '.lambda-migrate.json': '{ "rules": { "heavy-init-import": "off" } }' });
    const result = await scan({ root: '/memory/service', tree: configured, cost: false });
    expect(result.functions.flatMap((f) => f.findings).map((f) => f.ruleId)).not.toContain('heavy-init-import');
    expect(configured.readCount.get('.lambda-migrate.json')).toBe(1);
  });

  it('says which JavaScript config it ignored, from the tree too', () => {
    const tree = new MemorySourceTreeSync({ '.lambda-migrate.js': 'module.exports = {}' });
    expect(loadConfig({ rootAbs: tree.root, tree, cwd: '/' }).notes).toEqual([
      ".lambda-migrate.js ignored: lambda-migrate never loads JavaScript config (it would run the repository's code); use .lambda-migrate.json or .yaml",
    ]);
  });
});
