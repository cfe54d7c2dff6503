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
    // The app answers in its own time (a whole KPI catalogue on a 2-core CI machine): poll patiently.
    expect: { poll: { timeout: 30_000, interval: 100 } },
    pool: 'forks',
  },
});
