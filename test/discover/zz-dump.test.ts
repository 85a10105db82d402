import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { discoverFixture } from './helpers.js';
it('dump', async () => {
  const r = await discoverFixture(process.env.FIX ?? '');
  writeFileSync('/tmp/dump.json', JSON.stringify(r, null, 1));
});
