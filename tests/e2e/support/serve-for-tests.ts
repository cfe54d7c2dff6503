/** The end-to-end suites' lifecycle (vitest hooks: kept apart from browser.ts, which the benchmarks use too). */
import type { Server } from 'node:http';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startServer, type App } from './browser';

/**
 * The built app served for a test file (started once), and after every test the zero-egress
 * promise: no request of its pages, workers or service worker left 127.0.0.1. `current` is the
 * app the test opened.
 */
export function serveForTests(current: () => App | undefined): { origin: () => string; server: () => Server } {
  let served: { server: Server; origin: string };
  beforeAll(async () => {
    served = await startServer();
  });
  afterAll(() => served.server.close());
  afterEach(async () => {
    const app = current();
    if (!app) return;
    const foreign = app.foreign();
    await app.close();
    expect(foreign, 'requests that left 127.0.0.1').toEqual([]);
  });
  return { origin: () => served.origin, server: () => served.server };
}
