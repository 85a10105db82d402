import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = path.join(import.meta.dirname, '../../bin/lambda-migrate.js');
const EXAMPLE = path.join(import.meta.dirname, '../../examples/orders-service');

/** Runs the built CLI with stdout on a pipe whose reader is gone, as after `| head -1` has what it wanted. */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Closing the read end before the report is written makes its first write fail with EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('stdout closed by the reader', () => {
  it('ends quietly with the exit code of the run, not an unhandled EPIPE', async () => {
    const { code, stderr } = await runWithClosedStdout(['scan', EXAMPLE, '-f', 'json', '--quiet']);
    expect(stderr).not.toMatch(/EPIPE|Unhandled|node:events/);
    expect(code).toBe(0);
  }, 60_000);

  it('keeps the exit code a gate set', async () => {
    const { code, stderr } = await runWithClosedStdout(['scan', EXAMPLE, '-f', 'json', '--fail-on', 'warn']);
    expect(stderr).not.toMatch(/EPIPE|Unhandled|node:events/);
    expect(code).toBe(1);
  }, 60_000);
});
