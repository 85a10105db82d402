import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { walkWithMemo } from '../../src/source/walk-memo.js';
import { walkTree } from '../../src/source/walk.js';

// The walk memo (src/source/walk-memo.ts) replays a walk only when every folder it listed and every .gitignore it
// read has the same change token. A path changed in the last 2 s has no token, so each test waits that out once.
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let root: string;
let cache: string;
beforeEach(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'lm-walk-'));
  cache = mkdtempSync(path.join(os.tmpdir(), 'lm-walk-cache-'));
  const files: Record<string, string> = {
    'serverless.yml': 'service: s\n',
    '.gitignore': 'generated/\n',
    'src/a.ts': 'export {};\n',
    'src/lib/b.ts': 'export {};\n',
    'generated/c.ts': 'export {};\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  await wait(2100);
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

function memoFile(): string {
  const names = readdirSync(path.join(cache, 'walk-v1'));
  expect(names).toHaveLength(1);
  return path.join(cache, 'walk-v1', names[0]!);
}

describe('walk memo', () => {
  it('replays the kept walk while no folder or .gitignore changed', () => {
    const first = walkWithMemo(root, {}, cache);
    expect(first.files).toEqual(['.gitignore', 'serverless.yml', 'src/a.ts', 'src/lib/b.ts']);
    // Replay is the memo's file list, not a new walk: a list edited in the memo comes back as edited.
    const file = memoFile();
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { files: string[] };
    writeFileSync(file, JSON.stringify({ ...kept, files: [...kept.files, 'src/only-in-the-memo.ts'] }));
    const second = walkWithMemo(root, {}, cache);
    expect(second.files).toContain('src/only-in-the-memo.ts');
    expect([...second.listings]).toEqual([...first.listings]);
  });

  it('walks again when a file is added to a folder, or a .gitignore is rewritten', async () => {
    walkWithMemo(root, {}, cache);
    writeFileSync(path.join(root, 'src/lib/new.ts'), 'export {};\n');
    expect(walkWithMemo(root, {}, cache).files).toEqual(walkTree(root).files);
    expect(walkWithMemo(root, {}, cache).files).toContain('src/lib/new.ts');
    await wait(2100);
    walkWithMemo(root, {}, cache);
    // In place, same folder: only the .gitignore's own token shows it.
    writeFileSync(path.join(root, '.gitignore'), 'src/lib/\n');
    const again = walkWithMemo(root, {}, cache);
    expect(again.files).toEqual(['.gitignore', 'generated/c.ts', 'serverless.yml', 'src/a.ts']);
  });

  it('lists again only the folders that changed when a file is saved by rename (as git checkout writes it)', async () => {
    walkWithMemo(root, {}, cache);
    const file = memoFile();
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { files: string[] };
    // An entry only the memo has, in a folder that does not change: it survives a partial walk, not a full one.
    writeFileSync(file, JSON.stringify({ ...kept, files: [...kept.files, 'src/lib/only-in-the-memo.ts'] }));
    writeFileSync(path.join(root, 'src/a.ts.tmp'), 'export const a = 1;\n');
    renameSync(path.join(root, 'src/a.ts.tmp'), path.join(root, 'src/z.ts'));
    const partial = walkWithMemo(root, {}, cache);
    expect(partial.files).toEqual(['.gitignore', 'serverless.yml', 'src/a.ts', 'src/lib/b.ts', 'src/lib/only-in-the-memo.ts', 'src/z.ts']);
    expect(partial.listings.get('src')?.slice().sort()).toEqual(['a.ts', 'lib', 'z.ts']);
    // A new subfolder in a changed folder is a new subtree: the whole tree is walked, and the memo-only entry goes.
    mkdirSync(path.join(root, 'src/new'));
    writeFileSync(path.join(root, 'src/new/d.ts'), 'export {};\n');
    expect(walkWithMemo(root, {}, cache).files).toEqual(walkTree(root).files);
  });

  it('keeps no memo for a walk that followed a link', async () => {
    symlinkSync(path.join(root, 'src/lib'), path.join(root, 'linked'));
    await wait(2100);
    expect(walkWithMemo(root, {}, cache).files).toEqual(walkTree(root).files);
    expect(readdirSync(cache)).not.toContain('walk-v1');
  });

  it('keeps no memo for a walk that met a folder changed in the last seconds', () => {
    mkdirSync(path.join(root, 'src/fresh'));
    expect(walkWithMemo(root, {}, cache).files).toEqual(walkTree(root).files);
    expect(readdirSync(cache)).not.toContain('walk-v1');
  });

  it('a memo cut short is no memo: the walk runs and its list is the right one', () => {
    walkWithMemo(root, {}, cache);
    writeFileSync(memoFile(), '{"magic":"lambda-migrate/walk-memo","format":1,"dirs":[["",');
    expect(walkWithMemo(root, {}, cache).files).toEqual(walkTree(root).files);
  });
});
