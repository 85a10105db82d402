import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { discover, type DiscoverInput } from '../../src/discover/index.js';
import type { DiscoveryResult } from '../../src/model/result.js';
import { walkFiles } from '../../src/source/walk.js';

export const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

/** Discovery over a fixture, as `scan` runs it; `extra` adds options (stage, iac, include/exclude). */
export async function discoverFixture(name: string, extra: Partial<Pick<DiscoverInput, 'include' | 'exclude' | 'options'>> = {}): Promise<DiscoveryResult> {
  const root = path.join(fixtures, name);
  const files = await walkFiles(root);
  return discover({ root, files, readFile: (rel) => readFileSync(path.join(root, rel), 'utf8'), ...extra });
}
