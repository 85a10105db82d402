import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySourceTree, openSourceTree, scan, type ScanProgress } from '../../src/index.js';

// The cached re-scan keeps per-handler results (src/graph/handler-memo.ts): each test compares a cached re-scan with
// a scan of the same tree that uses no cache at all, and counts the handlers the memo gave back.
const SERVICE: Record<string, string> = {
  'serverless.yml': [
    'service: s',
    'provider:',
    '  name: aws',
    '  runtime: nodejs20.x',
    'functions:',
    '  a:',
    '    handler: src/a.handler',
    '  b:',
    '    handler: src/b.handler',
    '  c:',
    '    handler: src/c.handler',
    '',
  ].join('\n'),
  'package.json': JSON.stringify({ name: 's', dependencies: { mongoose: '^8.0.0' } }),
  'src/a.ts': "import mongoose from 'mongoose';\nimport { save } from './lib/db';\nexport const handler = async () => save(mongoose.version);\n",
  'src/b.ts': "import { save } from './lib/db';\nexport const handler = async (e: { id: string }) => save(e.id);\n",
  // c reaches lazy.ts only through a lazy import inside the handler: its result depends on it all the same.
  'src/c.ts': "export const handler = async () => {\n  const { run } = await import('./lazy');\n  return run();\n};\n",
  'src/lazy.ts': 'export async function run() {\n  return 1;\n}\n',
  'src/lib/db.ts':
    "import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';\nconst ddb = new DynamoDBClient({});\nexport async function save(id: string) {\n  return ddb.send(new PutItemCommand({ TableName: 't', Item: { id: { S: id } } }));\n}\n",
};

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

async function run(files: Record<string, string>, cache?: string): Promise<{ json: string; reused: number | null }> {
  let reused: number | null = null;
  const onProgress = (e: ScanProgress): void => {
    if (e.phase === 'reuse') reused = e.done;
  };
  const result = await scan({ root: '/memory/service', tree: new MemorySourceTree(files), cost: false, onProgress, ...(cache ? { cache } : {}) });
  return { json: JSON.stringify(result), reused };
}

function cacheDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'lm-reuse-'));
  dirs.push(d);
  return d;
}

describe('cached re-scan: per-handler results', () => {
  it('reuses every handler of an unchanged tree, with a result byte-identical to an uncached scan', async () => {
    const cache = cacheDir();
    const first = await run(SERVICE, cache);
    expect(first.reused).toBe(0);
    const second = await run(SERVICE, cache);
    expect(second.reused).toBe(3);
    expect(second.json).toBe((await run(SERVICE)).json);
  });

  it('recomputes only the handlers whose import graph holds the changed file', async () => {
    const cache = cacheDir();
    await run(SERVICE, cache);
    // db.ts is in a's and b's graphs: c keeps its result.
    const edited = { ...SERVICE, 'src/lib/db.ts': `${SERVICE['src/lib/db.ts']}export const extra = 1;\n` };
    const again = await run(edited, cache);
    expect(again.reused).toBe(1);
    expect(again.json).toBe((await run(edited)).json);
  });

  it('a file reached only by a lazy import counts as part of that handler', async () => {
    const cache = cacheDir();
    await run(SERVICE, cache);
    const edited = {
      ...SERVICE,
      'src/lazy.ts':
        "import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';\nconst s3 = new S3Client({});\nexport async function run() {\n  return s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));\n}\n",
    };
    const again = await run(edited, cache);
    expect(again.reused).toBe(2);
    expect(again.json).toBe((await run(edited)).json);
  });

  it('reuses nothing when the world outside the sources changed (a manifest) or a file was added', async () => {
    const cache = cacheDir();
    await run(SERVICE, cache);
    const manifest = { ...SERVICE, 'package.json': JSON.stringify({ name: 's', type: 'module', dependencies: { mongoose: '^8.0.0' } }) };
    const m = await run(manifest, cache);
    expect(m.reused).toBe(0);
    expect(m.json).toBe((await run(manifest)).json);
    await run(SERVICE, cache);
    const added = { ...SERVICE, 'src/lib/db.js': 'module.exports = {};\n' };
    const a = await run(added, cache);
    expect(a.reused).toBe(0);
    expect(a.json).toBe((await run(added)).json);
  });

  it('a corrupt memo is an empty one', async () => {
    const cache = cacheDir();
    await run(SERVICE, cache);
    const { readdirSync, writeFileSync } = await import('node:fs');
    for (const name of readdirSync(path.join(cache, 'results-v1'))) writeFileSync(path.join(cache, 'results-v1', name), '{"magic":');
    const again = await run(SERVICE, cache);
    expect(again.reused).toBe(0);
    expect(again.json).toBe((await run(SERVICE)).json);
  });

  it("a reused handler keeps its files' suppression comments: the same findings suppressed, the same notes", async () => {
    const cache = cacheDir();
    const suppressed = {
      ...SERVICE,
      'src/lib/db.ts': `// lambda-migrate-disable-next-line heavy-init-import -- the client is needed on every request\n${SERVICE['src/lib/db.ts']}// lambda-migrate-disable-next-line no-such-rule\nexport const x = 1;\n`,
    };
    await run(suppressed, cache);
    // c.ts is in c's graph only: a and b come from the memo, their findings in db.ts suppressed as before.
    const edited = { ...suppressed, 'src/c.ts': `${SERVICE['src/c.ts']}export const more = 2;\n` };
    const again = await run(edited, cache);
    expect(again.reused).toBe(2);
    const fresh = await run(edited);
    expect(again.json).toBe(fresh.json);
    const result = JSON.parse(fresh.json) as { suppressed: { inline: number }; warnings: string[]; functions: { findings: { file: string }[] }[] };
    expect(result.suppressed.inline).toBe(1);
    expect(result.functions.flatMap((f) => f.findings.map((x) => x.file))).not.toContain('src/lib/db.ts');
    expect(result.warnings.filter((w) => w.includes('no-such-rule'))).toHaveLength(1);
  });

  it('on disk, files whose version (inode, size, times) is unchanged are not read again; an edited one is', async () => {
    const cache = cacheDir();
    const root = cacheDir();
    const old = new Date(Date.now() - 3_600_000);
    const write = (rel: string, text: string, when: Date): void => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
      utimesSync(path.join(root, rel), when, when);
    };
    for (const [rel, text] of Object.entries(SERVICE)) write(rel, text, old);
    // A file changed in the last 2 s has no version (the file clock is coarse): wait until these are past that.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const scanDisk = async (withCache: boolean) => {
      const tree = await openSourceTree(root, withCache ? { cache } : {});
      const result = await scan({ root, tree, cost: false, ...(withCache ? { cache } : {}) });
      return { json: JSON.stringify({ ...result, root: null }), reads: tree.readCount };
    };
    await scanDisk(true);
    // Same size, other text, other (still old) times: only the times can tell it changed.
    write('src/lazy.ts', SERVICE['src/lazy.ts']!.replace('return 1', 'return 2'), new Date(old.getTime() - 60_000));
    const again = await scanDisk(true);
    expect(again.json).toBe((await scanDisk(false)).json);
    expect(again.reads.get('src/lazy.ts')).toBe(1);
    expect(again.reads.has('src/b.ts')).toBe(false);
  });
});
