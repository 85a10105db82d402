import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import type { FunctionResult } from '../../src/model/result.js';

export const REPO = path.resolve(import.meta.dirname, '../..');

/** rustfmt from PATH or ~/.cargo/bin; null when neither has it. */
export function findRustfmt(): string | null {
  for (const candidate of ['rustfmt', path.join(homedir(), '.cargo', 'bin', 'rustfmt')]) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'pipe' });
      return candidate;
    } catch {
      // not there: try the next
    }
  }
  return null;
}

/**
 * `rustfmt --check --edition 2021` over the .rs files of a scaffold, written to a scratch crate (main.rs pulls in
 * core.rs with `#[path = "core.rs"] mod logic`). Returns rustfmt's complaint, or '' when every file is formatted as rustfmt would.
 */
export function rustfmtCheck(rustfmt: string, files: ReadonlyMap<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'h8-rustfmt-'));
  try {
    const rs: string[] = [];
    for (const [rel, content] of files) {
      if (!rel.endsWith('.rs')) continue;
      const target = path.join(dir, rel);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, content);
      rs.push(target);
    }
    try {
      execFileSync(rustfmt, ['--check', '--edition', '2021', ...rs], { stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });
      return '';
    } catch (err) {
      const text = (key: string): string => {
        const v: unknown = typeof err === 'object' && err !== null ? Reflect.get(err, key) : undefined;
        return Buffer.isBuffer(v) ? v.toString() : '';
      };
      return `${text('stdout')}${text('stderr')}` || 'rustfmt failed';
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A FunctionResult with only what the scaffold reads set; the rest empty. */
export function fakeFunction(over: Partial<FunctionResult> = {}): FunctionResult {
  return {
    id: 'serverless.yml#fn',
    name: 'fn',
    provider: 'serverless',
    deployedNames: ['svc-dev-fn'],
    runtime: 'nodejs20.x',
    architecture: 'x86_64',
    memoryMB: 512,
    timeoutS: 10,
    declaredIn: { file: 'serverless.yml', line: 3 },
    handler: { file: 'src/fn.ts', export: 'handler', line: 5, declared: 'src/fn.handler', mapping: 'exact' },
    init: null,
    findings: [],
    ioTangle: null,
    portability: null,
    effort: null,
    metrics: null,
    cost: null,
    plan: null,
    rank: 1,
    ...over,
  };
}
