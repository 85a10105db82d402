import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { walkFiles } from '../../src/source/walk.js';

/** A tree with links and .gitignore files, built at run time (links do not travel well in fixtures). */
function makeTree(): { root: string; outside: string } {
  const base = mkdtempSync(path.join(os.tmpdir(), 'lm-walk-'));
  const root = path.join(base, 'service');
  const outside = path.join(base, 'outside');
  const write = (rel: string, text = ''): void => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  mkdirSync(outside, { recursive: true });
  writeFileSync(path.join(outside, 'secret.ts'), 'export const x = 1;');
  write('.gitignore', 'generated/\n*.log\n!keep.log\n');
  write('src/a.ts');
  write('src/debug.log');
  write('src/keep.log');
  write('generated/serverless.yml', 'service: x');
  write('packages/p/.gitignore', 'local-only.ts\n');
  write('packages/p/local-only.ts');
  write('packages/p/index.ts');
  write('node_modules/dep/index.js');
  write('layers/shared/nodejs/util.ts');
  symlinkSync('..', path.join(root, 'src', 'loop'));
  symlinkSync(outside, path.join(root, 'ext'));
  symlinkSync(path.join(root, 'layers', 'shared'), path.join(root, 'shared-link'));
  symlinkSync(path.join(root, 'src', 'a.ts'), path.join(root, 'a-link.ts'));
  symlinkSync(path.join(root, 'missing.ts'), path.join(root, 'dangling.ts'));
  return { root, outside: base };
}

describe('walkFiles', () => {
  const { root, outside } = makeTree();
  afterAll(() => rmSync(outside, { recursive: true, force: true }));

  it('honours nested .gitignore files, ends link loops, and follows no link out of the root', async () => {
    expect(await walkFiles(root)).toEqual([
      '.gitignore',
      'a-link.ts',
      'layers/shared/nodejs/util.ts',
      'packages/p/.gitignore',
      'packages/p/index.ts',
      'src/a.ts',
      'src/keep.log',
    ]);
  });

  it('reads ignored files with gitignore: false', async () => {
    const files = await walkFiles(root, { gitignore: false });
    expect(files).toContain('generated/serverless.yml');
    expect(files).toContain('packages/p/local-only.ts');
    expect(files).toContain('src/debug.log');
    expect(files.some((f) => f.startsWith('ext/') || f.includes('node_modules'))).toBe(false);
  });
});
