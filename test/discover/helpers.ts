import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { discover, type DiscoverInput } from '../../src/discover/index.js';
import type { DiscoveryResult } from '../../src/model/result.js';
import { openSourceTree } from '../../src/source/tree.js';

export const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

/** Discovery over a fixture, as `scan` runs it; `extra` adds options (stage, iac, include/exclude). */
export async function discoverFixture(
  name: string,
  extra: Partial<Pick<DiscoverInput, 'include' | 'exclude' | 'options'>> = {},
): Promise<DiscoveryResult> {
  const root = path.join(fixtures, name);
  return discover({ tree: await openSourceTree(root), ...extra });
}
