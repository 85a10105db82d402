// Clean build: dist/ from scratch (no stale modules), tsc, then the CommonJS shim tsc does not emit.
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
for (const file of ['typescript.cjs', 'typescript.d.cts']) copyFileSync(`src/graph/${file}`, `dist/src/graph/${file}`);
