import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Database tests share one PostgreSQL server; run files one after another.
    fileParallelism: false,
  },
});
