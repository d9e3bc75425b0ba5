import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file starts its own server processes on port 0 against one shared Postgres started in
    // globalSetup; files run in parallel up to the core count.
    globalSetup: ['test/helpers/global-setup.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: '../../.test-results/server.json' },
  },
});
