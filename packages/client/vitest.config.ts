import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // One Letterbox (embedded PostgreSQL, SMTP and HTTP on free ports) for the whole run.
    globalSetup: ['test/global-setup.ts'],
    // Files share that server; one at a time, so "what arrived during a wait" is deterministic.
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: '../../.test-results/client.json' },
  },
});
