import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests run the Prisma CLI and the WebAssembly engine against real databases.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // PostgreSQL tests share one server, and the CLI tests are CPU-heavy: one file at a time.
    fileParallelism: false,
  },
});
