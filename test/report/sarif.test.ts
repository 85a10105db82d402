import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Log, Result, Run } from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { render } from '../../src/report/index.js';
import { buildSarif as buildSarifWith, FINGERPRINT_KEY, type SarifOptions } from '../../src/report/sarif.js';
import { findGitRoot } from '../../src/source/git-root.js';
import { golden } from '../helpers/golden.js';
import { exampleResult, repo } from './example-result.js';
import { hostileResult, HOSTILE_TEXT, sampleResult } from './sample-result.js';

/** As the CLI calls it: with the git-root finder (a reporter reads no files itself). */
const buildSarif = (result: ScanResult, options: SarifOptions = {}): Log => buildSarifWith(result, { gitRootOf: findGitRoot, ...options });

const example = await exampleResult();
const text = render(example, 'sarif');

/**
 * The official SARIF 2.1.0 schema, as shipped by @microsoft/jest-sarif. It is written for draft-04, which ajv 8 does
 * not load; the only draft-04 keyword it uses is the root `id` (now `$id`), so it is read as draft-07 with that one
 * rename. Every "id" below the root is a property name, not the keyword.
 */
const official: unknown = JSON.parse(readFileSync(path.join(repo, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
if (typeof official !== 'object' || official === null) throw new Error('unreadable SARIF schema');
const schema = Object.fromEntries(
  Object.entries(official).map(([key, value]): [string, unknown] =>
    key === 'id' ? ['$id', value] : key === '$schema' ? [key, 'http://json-schema.org/draft-07/schema#'] : [key, value],
  ),
);
// strict: false: the schema has keywords ajv's strict mode rejects (e.g. "default" next to "$ref"); formats such as
// uri and date-time are not checked (ajv-formats is not a dependency); unicodeRegExp: false because one of its
// patterns (the language tag, /^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$/) is not valid with the `u` flag.
const validate: ValidateFunction = new Ajv({ strict: false, validateFormats: false, unicodeRegExp: false, allErrors: true }).compile(schema);

function errors(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

function onlyRun(log: Log): Run {
  const [run] = log.runs;
  if (run === undefined || log.runs.length !== 1) throw new Error('expected one run');
  return run;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

function uriOf(r: Result): string | undefined {
  return r.locations?.[0]?.physicalLocation?.artifactLocation?.uri;
}

const log = buildSarif(example);
const run = onlyRun(log);
const rules = run.tool.driver.rules ?? [];
const results = run.results ?? [];

describe('sarif of the example', () => {
  it('matches the golden file and is the same JSON as buildSarif', () => {
    expect(text).toBe(golden('examples-orders-service.sarif', text));
    expect(JSON.parse(text)).toEqual(log);
  });

  it('is valid against the official SARIF 2.1.0 schema', () => {
    expect(errors(JSON.parse(text))).toEqual([]);
  });

  it('fails the schema when broken, so the check above can fail', () => {
    const broken = JSON.parse(text);
    broken.version = '2.0.0';
    broken.runs[0].results[0].level = 'warn';
    delete broken.runs[0].tool.driver.name;
    const found = errors(broken);
    expect(found).toContain('/version must be equal to one of the allowed values');
    expect(found).toContain("/runs/0/tool/driver must have required property 'name'");
    expect(found).toContain('/runs/0/results/0/level must be equal to one of the allowed values');
  });

  it('has one rule per rule of the run, with its shipped doc as help and the mapped level', () => {
    expect(rules.map((r) => r.id)).toEqual(example.rules.map((r) => r.id).sort());
    const levels = { error: 'error', warn: 'warning', info: 'note' } as const;
    for (const rule of example.rules) {
      const d = rules.find((r) => r.id === rule.id);
      const doc = readFileSync(path.join(repo, 'rules', `${rule.id}.md`), 'utf8');
      expect(d?.shortDescription?.text).toBe(rule.description);
      expect(d?.help?.markdown).toBe(doc);
      expect(d?.help?.text).toBe(doc);
      expect(doc).toContain(d?.fullDescription?.text?.slice(0, 40) ?? '(none)');
      expect(d?.defaultConfiguration?.level).toBe(levels[rule.severity]);
      // The repository's copy of the doc the package ships (package.json `repository`, main branch).
      expect(d?.helpUri).toBe(`https://github.com/lambda-migrate/lambda-migrate/blob/main/rules/${rule.id}.md`);
      expect(d?.helpUri?.endsWith(`/${rule.docs}`)).toBe(true);
      expect(d?.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    }
  });

  it('has one result per distinct finding location, naming the functions it affects', () => {
    const findings = example.functions.flatMap((fn) => fn.findings.map((f) => ({ fn: fn.name, f })));
    const distinct = new Set(findings.map(({ f }) => `${f.ruleId} ${f.file}:${f.line}:${f.column}`));
    // 16 about the code (with the catalog measured on this machine, generateInvoice's lib-dynamodb, left external by
    // serverless-esbuild, costs 21 ms after what client-dynamodb loaded, over the 20 ms threshold; uuid, lodash and
    // serverless-http stay under it),
    // plus two provider-wide settings once per function, one alert each: the deprecated runtime (serverless.yml:29)
    // and NODE_OPTIONS --enable-source-maps (serverless.yml:54).
    expect(findings.length).toBe(34);
    expect(results.length).toBe(distinct.size);
    expect(results.length).toBe(14);
    for (const ruleId of ['deprecated-runtime', 'runtime-addition']) {
      const provider = results.filter((r) => r.ruleId === ruleId);
      expect(
        provider.map((r) => r.properties?.['functions']).map((fns) => (Array.isArray(fns) ? fns.length : 0)),
        ruleId,
      ).toEqual([9]);
    }
    // One alert per fingerprint: GitHub tracks alerts by it.
    const fingerprints = results.map((r) => `${r.ruleId} ${r.partialFingerprints?.[FINGERPRINT_KEY]}`);
    expect(new Set(fingerprints).size).toBe(results.length);
    // The whole aws-sdk v2 in src/lib/db.ts is one alert for the five handlers that load it.
    const v2 = results.filter((r) => r.ruleId === 'aws-sdk-v2-whole');
    expect(v2.length).toBe(1);
    expect(v2[0]?.properties?.['functions']).toEqual(['adminListOrders', 'adminPurgeOrders', 'createOrder', 'getOrder', 'ordersApi']);
    expect(v2[0]?.message.text).toMatch(/\(handlers: adminListOrders, adminPurgeOrders, createOrder, getOrder, ordersApi\)$/);
    // The v3 client in src/lib/ddb.ts is loaded through two handlers; with the SDK core priced once (the S3 client
    // loads it first in generateInvoice) it stays under the heavy-init threshold, so no alert there.
    const ddb = results.filter((r) => uriOf(r) === 'examples/orders-service/src/lib/ddb.ts');
    expect(ddb.map((r) => r.properties?.['functions'])).toEqual([]);
  });

  it('points each result at its rule, file, line and column, with its fingerprint and est. init', () => {
    for (const r of results) {
      expect(rules[r.ruleIndex ?? -1]?.id).toBe(r.ruleId);
      const loc = r.locations?.[0]?.physicalLocation;
      expect(loc?.artifactLocation?.uriBaseId).toBe('%SRCROOT%');
      const match = example.functions
        .flatMap((fn) => fn.findings)
        .find(
          (f) =>
            `examples/orders-service/${f.file}` === uriOf(r) &&
            f.line === loc?.region?.startLine &&
            f.column === loc?.region?.startColumn &&
            f.ruleId === r.ruleId &&
            r.message.text?.startsWith(f.message) === true,
        );
      expect(match).toBeDefined();
      expect(r.level).toBe({ error: 'error', warn: 'warning', info: 'note' }[match?.severity ?? 'info']);
      expect(r.partialFingerprints?.[FINGERPRINT_KEY]).toBe(match?.fingerprint);
      expect(r.properties?.['estInitMs']).toBe(match?.estInitMs);
      expect(r.message.text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    }
    const express = results.find((r) => r.message.text?.startsWith("'express'"));
    expect([uriOf(express ?? { message: {} }), express?.locations?.[0]?.physicalLocation?.region]).toEqual([
      'examples/orders-service/src/handlers/orders-api.js',
      { startLine: 4, startColumn: 17 },
    ]);
  });

  it("carries the run's estimated init, total and per function, in run.properties", () => {
    expect(run.properties?.['estInitMs']).toBe(example.summary.estInitMs);
    const fns = run.properties?.['functions'];
    expect(Array.isArray(fns) ? fns.length : 0).toBe(9);
  });
});

describe('sarif of other results', () => {
  it('keeps uris relative to the scanned root when the root is absolute, and says where that root is', () => {
    const abs: ScanResult = { ...sampleResult, root: '/srv/repo/services/orders' };
    const r = onlyRun(buildSarif(abs));
    expect(r.originalUriBaseIds?.['%SRCROOT%']?.uri).toBe('file:///srv/repo/services/orders/');
    expect(r.results?.map(uriOf)).toContain('src/lib/db.ts');
    expect(errors(buildSarif(abs))).toEqual([]);
  });

  it('lists skipped files and warnings as tool notifications', () => {
    const notes = onlyRun(buildSarif(sampleResult)).invocations?.[0]?.toolExecutionNotifications ?? [];
    expect(notes.map((n) => n.level)).toEqual(['warning', 'note']);
    expect(notes[0]?.message.text).toBe("skipped src/legacy/broken.ts: parse_error: Unexpected token '*' near **_draft_** at 12:4");
  });

  it('stays valid with hostile names: uris percent-encoded, no bidi or control characters anywhere', () => {
    const hostile = render(hostileResult(), 'sarif');
    expect(HOSTILE_TEXT).toContain('\u202E');
    expect(errors(JSON.parse(hostile))).toEqual([]);
    // Every string, message or property, read back from the JSON: no bidi control, no control character but the
    // newlines of the rule docs (which come from this package).
    const texts = strings(JSON.parse(hostile));
    expect(texts.some((t) => t.includes('<script>alert(1)</script>'))).toBe(true);
    expect(texts.filter((t) => /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/.test(t))).toEqual([]);
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(texts.filter((t) => /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/.test(t))).toEqual([]);
    const uris = (onlyRun(JSON.parse(hostile)).results ?? []).map(uriOf);
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) expect(uri).toMatch(/^services\/[A-Za-z0-9%._~!$&'()*+,;=:@/-]+$/);
    expect(uris[0]).toContain('%3Cscript%3E');
  });
});

describe('sarif paths and categories in a repository', () => {
  // A repository with two services under services/, found by its .git directory (git itself never runs).
  const repoDir = mkdtempSync(path.join(os.tmpdir(), 'lm-sarif-repo-'));
  afterAll(() => rmSync(repoDir, { recursive: true, force: true }));
  mkdirSync(path.join(repoDir, '.git'));
  writeFileSync(path.join(repoDir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  for (const svc of ['orders', 'billing']) mkdirSync(path.join(repoDir, 'services', svc), { recursive: true });
  const orders = path.join(repoDir, 'services', 'orders');

  it("finds the git root from a directory or from a worktree's .git file, and none outside a repository", () => {
    expect(findGitRoot(orders)).toBe(repoDir);
    const worktree = mkdtempSync(path.join(os.tmpdir(), 'lm-sarif-wt-'));
    writeFileSync(path.join(worktree, '.git'), 'gitdir: /elsewhere/.git/worktrees/x\n');
    mkdirSync(path.join(worktree, 'svc'));
    expect(findGitRoot(path.join(worktree, 'svc'))).toBe(worktree);
    rmSync(worktree, { recursive: true, force: true });
  });

  it('puts uris under the repository root when the scan ran inside the service (root ".")', () => {
    const r = onlyRun(buildSarif({ ...sampleResult, root: '.' }, { cwd: orders }));
    expect(r.results?.map(uriOf)).toContain('services/orders/src/lib/db.ts');
    expect(r.results?.map(uriOf).every((u) => u?.startsWith('services/orders/') === true)).toBe(true);
    expect(r.originalUriBaseIds?.['%SRCROOT%']?.uri).toBeUndefined();
    expect(r.originalUriBaseIds?.['%SRCROOT%']?.description?.text).toBe('The root of the git repository the scanned service is in.');
    expect(r.automationDetails?.id).toBe('lambda-migrate/services/orders/');
    expect(errors(buildSarif({ ...sampleResult, root: '.' }, { cwd: orders }))).toEqual([]);
  });

  it('roots an absolute scanned root at the git root above it, and names that root as a file URL', () => {
    const r = onlyRun(buildSarif({ ...sampleResult, root: orders }));
    expect(r.results?.map(uriOf)).toContain('services/orders/src/lib/db.ts');
    expect(r.originalUriBaseIds?.['%SRCROOT%']?.uri).toBe(`file://${repoDir}/`);
  });

  it('reads no files itself: without a git-root finder the paths are relative to the scanned root', () => {
    const r = onlyRun(buildSarifWith({ ...sampleResult, root: orders }));
    expect(r.results?.map(uriOf)).toContain('src/lib/db.ts');
    expect(r.originalUriBaseIds?.['%SRCROOT%']?.uri).toBe(`file://${orders}/`);
  });

  it('gives two services of one repository different categories, so one upload does not replace the other', () => {
    const a = onlyRun(buildSarif({ ...sampleResult, root: 'services/orders' }, { cwd: repoDir }));
    const b = onlyRun(buildSarif({ ...sampleResult, root: '.' }, { cwd: path.join(repoDir, 'services', 'billing') }));
    expect(a.automationDetails?.id).toBe('lambda-migrate/services/orders/');
    expect(b.automationDetails?.id).toBe('lambda-migrate/services/billing/');
    // The scan of the repository root has its own category too.
    expect(onlyRun(buildSarif({ ...sampleResult, root: '.' }, { cwd: repoDir })).automationDetails?.id).toBe('lambda-migrate/root/');
  });

  it('through the CLI: report -f sarif run inside the service resolves against the repository', async () => {
    const { main } = await import('../../src/cli/main.js');
    writeFileSync(path.join(orders, 'result.json'), JSON.stringify({ ...sampleResult, root: '.' }));
    let err = '';
    const code = await main(['report', 'result.json', '-f', 'sarif', '-o', 'out.sarif'], {
      stdout: { write: () => true },
      stderr: { write: (t: string) => (err += t) },
      cwd: orders,
      env: {},
    });
    expect([code, err]).toEqual([0, `wrote out.sarif (sarif, ${sampleResult.functions.length} handlers)\n`]);
    const written = JSON.parse(readFileSync(path.join(orders, 'out.sarif'), 'utf8')) as Log;
    expect(onlyRun(written).results?.map(uriOf)).toContain('services/orders/src/lib/db.ts');
  });
});
