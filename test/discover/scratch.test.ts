import { it } from 'vitest';
import { discoverFixture } from './helpers.js';
it('dump', async () => {
  const r = await discoverFixture(process.env.FIX ?? 'discover-terraform-shapes');
  (await import('node:fs')).writeFileSync('/tmp/discover-tf-scratch/out.json', JSON.stringify(r, null, 1));
});
