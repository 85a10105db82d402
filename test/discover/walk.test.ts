import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

describe('walkFiles .gitignore matching by name', () => {
  it('gives what matching every path against every .gitignore (the way git does) gives', async () => {
    const ignore = (await import('ignore')).default;
    const base = mkdtempSync(path.join(os.tmpdir(), 'lm-walk-names-'));
    try {
      const write = (rel: string, text = ''): void => {
        mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
        writeFileSync(path.join(base, rel), text);
      };
      const byName = '*.js\n!jest.config.js\n*.d.ts\nnode_modules\n# comment\n\n__pycache__/\n.env*\n[ab].txt\n...\n';
      write('.gitignore', 'tmp/\n');
      for (const svc of ['s1', 's2', 'deep/s3']) {
        write(`${svc}/.gitignore`, byName);
        for (const f of [
          'a.js',
          'jest.config.js',
          'x.d.ts',
          'x.ts',
          'lib/a.js',
          'lib/jest.config.js',
          '__pycache__/m.pyc',
          'py/__pycache__',
          '.env.local',
          'a.txt',
          'c.txt',
          '...',
          'sub/...',
          'tmp/t.ts',
          'src/tmp/t.ts',
        ])
          write(`${svc}/${f}`);
      }
      // A .gitignore with a path rule is matched by path.
      write('s2/lib/.gitignore', '/only-here.ts\nnested/*.ts\n');
      for (const f of ['only-here.ts', 'x/only-here.ts', 'nested/n.ts', 'nested/deeper/n.ts']) write(`s2/lib/${f}`);

      const all = await walkFiles(base, { gitignore: false });
      const scopes = all
        .filter((f) => path.posix.basename(f) === '.gitignore')
        .map((f) => {
          const dir = path.posix.dirname(f);
          return { dir: dir === '.' ? '' : dir, ig: ignore().add(readFileSync(path.join(base, f), 'utf8')) };
        });
      const expected = all.filter((f) => {
        for (const { dir, ig } of scopes) {
          if (dir !== '' && !f.startsWith(`${dir}/`)) continue;
          if (ig.ignores(dir === '' ? f : f.slice(dir.length + 1))) return false;
        }
        return true;
      });
      expect(await walkFiles(base)).toEqual(expected);
      expect(expected).toContain('s1/jest.config.js');
      expect(expected).not.toContain('s1/sub/...');
      expect(expected).not.toContain('s2/lib/only-here.ts');
      expect(expected).toContain('s2/lib/x/only-here.ts');
      expect(expected).not.toContain('deep/s3/py/__pycache__/m.pyc');
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
