import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main, type CliIo } from '../../src/cli/main.js';

export const REPO = path.resolve(import.meta.dirname, '../..');

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process with captured, non-TTY streams (the way CI sees it). */
export async function runCli(
  argv: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; columns?: number } = {},
): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIo = {
    // `columns`: a terminal that wide (the text report fits itself to it), without color.
    stdout:
      options.columns === undefined
        ? { write: (s: string) => (out += s), isTTY: false }
        : { write: (s: string) => (out += s), isTTY: true, columns: options.columns },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    cwd: options.cwd ?? REPO,
    env: options.columns === undefined ? (options.env ?? {}) : { NO_COLOR: '1', ...options.env },
  };
  const code = await main(argv, io);
  return { code, out, err };
}

/** Writes `files` (relative path -> text) under `parent/name` and returns that folder: a service for a CLI test. */
export function writeService(parent: string, name: string, files: Record<string, string>): string {
  const dir = path.join(parent, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
