/** `scan --cache DIR` and `scan --workers N`: the same report, a cache directory that fills, and clear usage errors. */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lm-scan-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const EXAMPLE = 'examples/orders-service';

describe('scan --cache and --workers', () => {
  it('prints the same JSON with no cache, a cold cache and a warm one; the cache directory is created and filled', async () => {
    const plain = await runCli(['scan', EXAMPLE, '-f', 'json', '-q']);
    expect(plain.code).toBe(0);
    const dir = path.join(tmp, 'nested', 'cache');
    const cold = await runCli(['scan', EXAMPLE, '-f', 'json', '-q', '--cache', dir]);
    expect(cold.out).toBe(plain.out);
    const entries = readdirSync(path.join(dir, 'facts-v2')).flatMap((fan) => readdirSync(path.join(dir, 'facts-v2', fan)));
    expect(entries.length).toBe(JSON.parse(plain.out).summary.files);
    expect(existsSync(path.join(dir, '.last-prune'))).toBe(true);
    const warm = await runCli(['scan', EXAMPLE, '-f', 'json', '-q', '--cache', dir, '--workers', '0']);
    expect(warm.out).toBe(plain.out);
  });

  it('a bad --workers or an unusable --cache is a one-line usage error, exit 2', async () => {
    const workers = await runCli(['scan', EXAMPLE, '-q', '--workers', '-1']);
    expect(workers.code).toBe(2);
    expect(workers.err).toBe(
      'lambda-migrate: workers must be a whole number of threads, 0 or more (got -1)\nhint: use 0 to parse on the main thread only\n',
    );
    const file = path.join(tmp, 'not-a-dir');
    writeFileSync(file, '');
    const cache = await runCli(['scan', EXAMPLE, '-q', '--cache', file]);
    expect(cache.code).toBe(2);
    expect(cache.err).toMatch(/^lambda-migrate: cannot use the cache directory .*not-a-dir: EEXIST/);
    expect(cache.out).toBe('');
  });
});
