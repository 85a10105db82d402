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

// The top-level --help, rendered by yargs now so `lambda-migrate --help` need not load it.
const { renderHelp } = await import(new URL('../dist/src/cli/main.js', import.meta.url).href);
writeFileSync('dist/src/cli/help.txt', await renderHelp());
