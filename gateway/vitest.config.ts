import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    alias: [
      // graphql 16 ships CommonJS (index.js, what Node loads for Hive and Apollo) and ESM
      // (index.mjs, what Vite would pick for our code). Two copies break `instanceof GraphQLError`
      // across them, so a subgraph's expected error would be masked. Load the one Node loads.
      { find: /^graphql$/, replacement: require.resolve('graphql') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
  },
});
