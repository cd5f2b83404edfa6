import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';

export default defineConfig({
  resolve: {
    // The bare name only (as tsconfig's paths): subpaths such as @bullpen/lightgbm/dist/native resolve to the built package.
    alias: [{ find: /^@bullpen\/lightgbm$/, replacement: resolve(__dirname, 'native/lightgbm/src/index.ts') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two cores: files run one at a time in forks so native code and DuckDB files never contend.
    pool: 'forks',
    fileParallelism: false,
    // The JSON report lets .ci/run print one plain closing line (N passed, N failed, N skipped).
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
