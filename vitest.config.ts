import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fixture services contain their own *.test.ts files (which discovery must skip); they are data.
    exclude: ['test/fixtures/**', 'node_modules/**'],
    // The machines have 2 cores; forks keep ts-morph's memory per worker bounded.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
