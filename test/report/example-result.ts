import path from 'node:path';
import type { ScanResult } from '../../src/model/result.js';
import { readLogs } from '../../src/metrics/read-logs.js';
import { scan } from '../../src/index.js';

export const repo = path.resolve(import.meta.dirname, '../..');

let cached: Promise<ScanResult> | undefined;

/**
 * The bundled example as a cost review sees it: scanned like test/e2e/examples.test.ts does, with its sample logs
 * (examples/orders-service/logs) so every function has measured usage, a monthly cost and a plan.
 */
export function exampleResult(): Promise<ScanResult> {
  cached ??= (async () => {
    const metrics = await readLogs({ paths: ['examples/orders-service/logs'], cwd: repo });
    return scan({ root: 'examples/orders-service', cwd: repo, metrics });
  })();
  return cached;
}
