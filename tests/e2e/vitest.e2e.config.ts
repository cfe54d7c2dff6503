import { defineConfig } from 'vitest/config';

// End-to-end tests: the built app (npm run build) in Debian's Chromium. One file at a time:
// CI has two cores and each test drives a whole browser.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
