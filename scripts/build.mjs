// Clean build: dist/ from scratch (no stale modules), tsc, then the CommonJS shim tsc does not emit.
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
for (const file of ['typescript.cjs', 'typescript.d.cts']) copyFileSync(`src/compiler/${file}`, `dist/src/compiler/${file}`);
// The child script `lambda-migrate profile` runs handlers in: plain CommonJS, shipped as is.
copyFileSync('src/profile/child.cjs', 'dist/src/profile/child.cjs');

// Which build this is (src/assets.ts buildId): a digest of the compiled code and the shipped data, the key a result
// cache (scan --cache) is tied to, so it never outlives a code change made between two releases.
{
  const { createHash } = await import('node:crypto');
  const { readFileSync, readdirSync } = await import('node:fs');
  const hash = createHash('sha256');
  for (const dir of ['dist', 'rules', 'reports']) {
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }).sort((a, b) =>
      (a.parentPath ?? a.path) + a.name < (b.parentPath ?? b.path) + b.name ? -1 : 1,
    )) {
      if (!entry.isFile()) continue;
      const file = `${entry.parentPath ?? entry.path}/${entry.name}`;
      hash.update(file).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  writeFileSync('dist/build-id.txt', hash.digest('hex').slice(0, 32) + '\n');
}

// The top-level --help, rendered by yargs now so `lambda-migrate --help` need not load it.
const { renderHelp } = await import(new URL('../dist/src/cli/main.js', import.meta.url).href);
writeFileSync('dist/src/cli/help.txt', await renderHelp());
