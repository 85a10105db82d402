/**
 * Loads one handler module in a child process and reads back what it measured. The only place lambda-migrate
 * executes a service's code, and only for `lambda-migrate profile`, which users run on purpose.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { allowedNodeEnvironmentFlags, execPath } from 'node:process';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';

/** The child script (plain CommonJS, shipped beside this module in src/ and dist/). */
export const CHILD_SCRIPT = fileURLToPath(new URL('./child.cjs', import.meta.url));

export interface RawModule {
  file: string;
  totalMs: number;
  selfMs: number;
  builtin: boolean;
}

/** What the child writes on fd 3. */
export interface RawProfile {
  status: 'ok' | 'failed';
  detail: string | null;
  totalMs: number;
  moduleFormat: 'cjs' | 'esm';
  modules: RawModule[];
  blocked: { kind: string; what: string }[];
  node: string;
}

export type RunOutcome = { kind: 'report'; report: RawProfile } | { kind: 'timeout' } | { kind: 'no-report'; detail: string };

export interface RunOptions {
  /** The service root: the only tree the child may read (with the child script). */
  rootAbs: string;
  /** Absolute path of the JavaScript module to load. */
  file: string;
  exportName: string;
  timeoutMs: number;
  /** Layer folders in the repository, mounted the way Lambda puts /opt/nodejs/node_modules on NODE_PATH. */
  layerNodePaths: string[];
  /** Region and memory the function declares, so code that reads them at load sees what Lambda would give it. */
  lambdaEnv: { functionName: string; memoryMB: number | null; runtime: string | null };
}

/**
 * Node's permission model restricts file reads to the service and the child script, and denies writes, child
 * processes and workers outright; the flag is `--permission` from Node 22.13/23.5 and `--experimental-permission`
 * on 20 and earlier 22 releases. Null when this Node has neither.
 */
export function permissionFlag(): string | null {
  if (allowedNodeEnvironmentFlags.has('--permission')) return '--permission';
  if (allowedNodeEnvironmentFlags.has('--experimental-permission')) return '--experimental-permission';
  return null;
}

/** A scrubbed environment: what Lambda sets for a function, nothing inherited (no credentials, no NODE_OPTIONS). */
export function childEnv(opts: RunOptions): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: opts.lambdaEnv.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(opts.lambdaEnv.memoryMB ?? 128),
    AWS_EXECUTION_ENV: `AWS_Lambda_${opts.lambdaEnv.runtime ?? 'nodejs20.x'}`,
    LAMBDA_TASK_ROOT: opts.rootAbs,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
  };
  if (opts.layerNodePaths.length > 0) env['NODE_PATH'] = opts.layerNodePaths.join(path.delimiter);
  return env;
}

export function childArgs(opts: RunOptions): string[] {
  const flag = permissionFlag();
  const perm = flag === null ? [] : [flag, `--allow-fs-read=${opts.rootAbs}${path.sep}`, `--allow-fs-read=${CHILD_SCRIPT}`];
  return [...perm, CHILD_SCRIPT, opts.file, opts.exportName];
}

function readAll(stream: unknown): Promise<string> {
  return new Promise((resolve) => {
    if (!(stream instanceof Readable)) return resolve('');
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve(text));
    stream.on('error', () => resolve(text));
  });
}

function parseReport(text: string): RawProfile | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const r: Record<string, unknown> = Object.fromEntries(Object.entries(raw));
  if (
    (r['status'] !== 'ok' && r['status'] !== 'failed') ||
    typeof r['totalMs'] !== 'number' ||
    !Array.isArray(r['modules']) ||
    !Array.isArray(r['blocked'])
  )
    return null;
  const modules = r['modules'].filter(
    (m): m is RawModule =>
      typeof m === 'object' && m !== null && typeof Reflect.get(m, 'file') === 'string' && typeof Reflect.get(m, 'selfMs') === 'number',
  );
  const blocked = r['blocked'].filter(
    (b): b is { kind: string; what: string } =>
      typeof b === 'object' && b !== null && typeof Reflect.get(b, 'kind') === 'string' && typeof Reflect.get(b, 'what') === 'string',
  );
  return {
    status: r['status'],
    detail: typeof r['detail'] === 'string' ? r['detail'] : null,
    totalMs: r['totalMs'],
    moduleFormat: r['moduleFormat'] === 'esm' ? 'esm' : 'cjs',
    modules,
    blocked,
    node: typeof r['node'] === 'string' ? r['node'] : '',
  };
}

/** Runs the child; resolves with its report, a timeout, or why there is no report. Never rejects. */
export function runChild(opts: RunOptions): Promise<RunOutcome> {
  if (!existsSync(CHILD_SCRIPT)) return Promise.resolve({ kind: 'no-report', detail: `profile child script missing at ${CHILD_SCRIPT}` });
  return new Promise((resolve) => {
    const child = spawn(execPath, childArgs(opts), {
      cwd: opts.rootAbs,
      env: childEnv(opts),
      // stdout and stderr are the service's own output (and may hold anything): never read, never shown.
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
      windowsHide: true,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    const report = readAll(child.stdio[3]);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ kind: 'no-report', detail: `could not start node: ${err.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return resolve({ kind: 'timeout' });
      void report.then((text) => {
        const parsed = parseReport(text);
        if (parsed) resolve({ kind: 'report', report: parsed });
        else
          resolve({
            kind: 'no-report',
            detail: `the child exited (${signal ?? `code ${String(code)}`}) without a report: the module ended the process at load`,
          });
      });
    });
  });
}
