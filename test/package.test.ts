/**
 * What the package promises a user who installs it: the Node versions it runs on (and its dependencies accept), a
 * licence, every file a report cites shipped in the tarball, and rule docs that quote the catalog's own figures.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { afterAll, describe, expect, it } from 'vitest';
import { render } from '../src/report/index.js';
import { exampleResult } from './report/example-result.js';
import { REPO } from './helpers/cli.js';

const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  license: string;
  engines: { node: string };
  files: string[];
  repository: { url: string };
  dependencies: Record<string, string>;
  overrides?: unknown;
};

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lm-package-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function node(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('node', args, { cwd: REPO }, (err, stdout) =>
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 2, out: stdout }),
    );
  });
}

/** Whether npm ships `file` (repository-relative, posix) under package.json `files`. */
function shipped(file: string): boolean {
  return pkg.files.some((entry) => (/[*?{]/.test(entry) ? picomatch(entry)(file) : file === entry || file.startsWith(`${entry}/`)));
}

describe('Node versions', () => {
  it('engines names Node 20, 22 and 24 (the versions AWS Lambda runs), and the README says so', () => {
    expect(pkg.engines.node).toBe('^20.19.0 || ^22.12.0 || >=24.0.0');
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    expect(readme).toContain('Node.js 20 (20.19 or later), 22 (22.12 or later) or 24');
  });

  it("no overrides: they shape only this repository's install, never a user's; the octokit chain is pinned instead", () => {
    expect(pkg.overrides).toBeUndefined();
    // request 10.0.15 and later need content-type 3, which needs Node 22: core and graphql are pinned to versions
    // whose ranges accept 10.0.14, which is pinned too, so a user's install resolves the same tree.
    expect([pkg.dependencies['@octokit/core'], pkg.dependencies['@octokit/graphql'], pkg.dependencies['@octokit/request']]).toEqual([
      '7.0.7',
      '9.0.4',
      '10.0.14',
    ]);
  });

  it('every installed runtime dependency accepts 20, 22 and 24 (scripts/check-engines.mjs)', async () => {
    const r = await node(['scripts/check-engines.mjs']);
    expect(r.out).toMatch(/runtime packages checked against node 20\.19\.0, 22\.12\.0, 24\.0\.0: all accept\n$/);
    expect(r.code).toBe(0);
  });

  it('the check fails, naming the package, on a tree with a dependency that needs Node 22', async () => {
    const dir = path.join(tmp, 'tree');
    mkdirSync(path.join(dir, 'node_modules', 'content-type'), { recursive: true });
    mkdirSync(path.join(dir, 'node_modules', 'old-enough'), { recursive: true });
    writeFileSync(
      path.join(dir, 'node_modules', 'content-type', 'package.json'),
      JSON.stringify({ name: 'content-type', version: '3.0.0', engines: { node: '>=22' } }),
    );
    writeFileSync(
      path.join(dir, 'node_modules', 'old-enough', 'package.json'),
      JSON.stringify({ name: 'old-enough', version: '1.0.0', engines: { node: '>=14' } }),
    );
    writeFileSync(
      path.join(dir, 'node_modules', '.package-lock.json'),
      JSON.stringify({ packages: { 'node_modules/content-type': { version: '3.0.0' }, 'node_modules/old-enough': { version: '1.0.0' } } }),
    );
    const r = await node(['scripts/check-engines.mjs', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      "content-type@3.0.0 (node_modules/content-type) needs node '>=22': refuses 20.19.0\n2 runtime packages checked against node 20.19.0, 22.12.0, 24.0.0: 1 refuse\n",
    );
  });
});

describe('licence and shipped files', () => {
  it('has the Apache-2.0 LICENSE package.json names (npm ships LICENSE by itself)', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const license = readFileSync(path.join(REPO, 'LICENSE'), 'utf8');
    expect(license).toContain('Apache License');
    expect(license).toContain('Version 2.0, January 2004');
    expect(license).toContain('END OF TERMS AND CONDITIONS');
  });

  /** Every `source` string in the catalog, at any depth. */
  function sources(value: unknown): string[] {
    if (Array.isArray(value)) return value.flatMap(sources);
    if (typeof value !== 'object' || value === null) return [];
    return Object.entries(value).flatMap(([key, v]) => (key === 'source' && typeof v === 'string' ? [v] : sources(v)));
  }

  const topLevel = new Set(readdirSync(REPO));

  /**
   * The files of this repository a source text names: a path with a directory and an extension that starts at one of
   * the repository's top-level entries or climbs out with `../` (never allowed). URLs and files of other repositories
   * (`remotion-dev/remotion packages/lambda-client/src/price-per-1s.ts`) are left out.
   */
  function citedFiles(text: string): string[] {
    return [...text.replace(/https?:\/\/\S+/g, '').matchAll(/(?:^|[\s('"])((?:\.{1,2}\/)*[\w@.-]+(?:\/[\w@.-]+)+\.(?:md|json|mjs|js|ts))\b/g)]
      .map((m) => m[1] ?? '')
      .filter((file) => file.startsWith('.') || topLevel.has(file.split('/')[0] ?? ''));
  }

  const catalogDir = path.join(REPO, 'rules', 'catalog');
  const catalogSources = readdirSync(catalogDir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => sources(JSON.parse(readFileSync(path.join(catalogDir, f), 'utf8'))));

  it('every file a catalog source cites is in the repository and in the package, never outside it', () => {
    const cited = [...new Set(catalogSources.flatMap(citedFiles))].sort();
    expect(cited).toContain('rules/catalog/SOURCES.md');
    for (const file of cited) {
      expect(file.startsWith('.'), file).toBe(false);
      expect(existsSync(path.join(REPO, file)), file).toBe(true);
      expect(shipped(file), `${file} is not in package.json files`).toBe(true);
    }
    // The sections the sources name exist in the record.
    const record = readFileSync(path.join(catalogDir, 'SOURCES.md'), 'utf8');
    for (const m of catalogSources.join('\n').matchAll(/SOURCES\.md ["']([^"']+)["']/g)) expect(record).toContain(`## ${m[1]}`);
  });

  it("the footnotes of the example's reports cite only shipped files", async () => {
    const result = await exampleResult();
    const md = render(result, 'markdown');
    const footnotes = md.slice(md.indexOf('## Sources'));
    expect(footnotes.length).toBeGreaterThan(20);
    expect(footnotes).not.toContain('DESIGN.md');
    for (const file of citedFiles(footnotes)) expect(shipped(file) && existsSync(path.join(REPO, file)), file).toBe(true);
    expect(shipped('rules/heavy-init-import.md') && shipped('reports/html/report.css') && shipped('schema/scan-result.schema.json')).toBe(true);
  });
});

describe('rule docs quote the catalog', () => {
  // The docs quote the CPU figures: the estimate prices with them (the wall figures of a shared machine are inflated).
  interface Entry {
    name: string;
    requireCpuMs: number | null;
    importCpuMs: number | null;
    sizeBytes: number | null;
  }
  const catalog = JSON.parse(readFileSync(path.join(REPO, 'rules/catalog/packages.json'), 'utf8')) as { packages: Entry[] };
  const byName = new Map(catalog.packages.map((p) => [p.name, p]));
  const docs = readdirSync(path.join(REPO, 'rules')).filter((f) => f.endsWith('.md'));
  const round = (n: number | null): string => (n === null ? 'unmeasured' : String(Math.round(n)));

  /**
   * The figures a doc quotes for a catalog package, in the forms the docs use: `` `pkg` N ms `` (require),
   * `` `pkg` N ms by import against M ms by require ``, and `` `pkg` installs N MB `` (with its dependencies).
   */
  function quotes(doc: string): { what: string; quoted: string; catalog: string }[] {
    const out: { what: string; quoted: string; catalog: string }[] = [];
    const text = doc.replace(/\s+/g, ' ');
    for (const m of text.matchAll(/`([^`\s]+)` (?:alone |costs )?(\d+(?:\.\d+)?) ms(?: by import against (\d+(?:\.\d+)?) ms by require)?/g)) {
      const entry = byName.get(m[1] ?? '');
      if (entry === undefined) continue;
      if (m[3] === undefined) out.push({ what: `${m[1]} require`, quoted: m[2] ?? '', catalog: round(entry.requireCpuMs) });
      else {
        out.push({ what: `${m[1]} import`, quoted: m[2] ?? '', catalog: round(entry.importCpuMs) });
        out.push({ what: `${m[1]} require`, quoted: m[3], catalog: round(entry.requireCpuMs) });
      }
    }
    for (const m of text.matchAll(/`([^`\s]+)` installs (\d+) MB/g)) {
      const entry = byName.get(m[1] ?? '');
      if (entry !== undefined)
        out.push({ what: `${m[1]} size`, quoted: m[2] ?? '', catalog: round(entry.sizeBytes === null ? null : entry.sizeBytes / 1e6) });
    }
    return out;
  }

  it("every figure a rule doc gives for a catalog package is the catalog's (rounded): re-measure, then fix the docs", () => {
    const all = docs.flatMap((f) => quotes(readFileSync(path.join(REPO, 'rules', f), 'utf8')).map((q) => ({ doc: f, ...q })));
    expect(all.filter((q) => q.quoted !== q.catalog)).toEqual([]);
    // Not vacuous: the docs that cite load costs quote them in a form this test reads.
    const perDoc = (f: string): number => all.filter((q) => q.doc === f).length;
    expect(perDoc('heavy-init-import.md')).toBeGreaterThanOrEqual(10);
    expect(perDoc('aws-sdk-v2-whole.md')).toBe(2);
    expect(perDoc('serverless-http-monolith.md')).toBe(1);
  });

  it('says aws-sdk costs more than each v3 client it names, as the catalog has it', () => {
    const doc = readFileSync(path.join(REPO, 'rules/aws-sdk-v2-whole.md'), 'utf8').replace(/\s+/g, ' ');
    const claim = /more than each of the v3 clients that replace it for the common services \(([^)]*)\)/.exec(doc);
    expect(claim).not.toBeNull();
    const named = [...(claim?.[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
    expect(named.length).toBeGreaterThanOrEqual(2);
    const v2 = byName.get('aws-sdk')?.requireCpuMs ?? null;
    expect(v2).not.toBeNull();
    for (const name of named) {
      const ms = byName.get(name)?.requireCpuMs ?? null;
      expect(ms, `${name} is not measured in the catalog`).not.toBeNull();
      expect(ms ?? Infinity, `${name} costs at least as much as aws-sdk`).toBeLessThan(v2 ?? 0);
    }
  });

  it('finds a drifted figure (the check above can fail)', () => {
    const drifted = quotes('for example `express` 46 ms, `lodash` 35 ms by import against 10 ms by require');
    expect(drifted.filter((q) => q.quoted !== q.catalog).map((q) => q.what)).toEqual(['express require', 'lodash import', 'lodash require']);
  });
});
