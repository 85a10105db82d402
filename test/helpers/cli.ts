import path from 'node:path';
import { main, type CliIo } from '../../src/cli/main.js';

export const REPO = path.resolve(import.meta.dirname, '../..');

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process with captured, non-TTY streams (the way CI sees it). */
export async function runCli(argv: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    cwd: options.cwd ?? REPO,
    env: options.env ?? {},
  };
  const code = await main(argv, io);
  return { code, out, err };
}
