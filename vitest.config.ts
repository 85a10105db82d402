import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The machines have 2 cores; forks keep ts-morph's memory per worker bounded.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
