/**
 * Debian's Chromium driven by playwright-core (Playwright cannot download browsers here), on the
 * built app served from 127.0.0.1. Every request is recorded so that tests can prove none left
 * the machine; Chromium's own background traffic is switched off by flags.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { serveStatic } from '../../../scripts/serve';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));

export interface App {
  origin: string;
  context: BrowserContext;
  page: Page;
  /** every URL any page, worker or service worker of the context requested */
  requests: string[];
  foreign: () => string[];
  close: () => Promise<void>;
  server: Server;
}

export async function startServer(): Promise<{ server: Server; origin: string }> {
  const server = await serveStatic('build', 0);
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

export async function openApp(opts: { server?: Server; origin?: string; profile?: string; viewport?: { width: number; height: number } } = {}): Promise<App> {
  if (!CHROMIUM) throw new Error('Chromium not found: apt-get install -y chromium (or set CHROMIUM_PATH)');
  const { server, origin } = opts.server && opts.origin ? { server: opts.server, origin: opts.origin } : await startServer();
  const profile = opts.profile ?? mkdtempSync(join(tmpdir(), 'encours-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    serviceWorkers: 'allow',
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    locale: 'fr-FR',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  const local = (u: string) => u.startsWith(`${origin}/`) || u === origin || u.startsWith('blob:') || u.startsWith('data:');
  return {
    origin,
    context,
    page,
    requests,
    server,
    foreign: () => requests.filter((u) => !local(u)),
    close: async () => {
      await context.close();
      if (!opts.profile) rmSync(profile, { recursive: true, force: true });
      if (!opts.server) server.close();
    },
  };
}

/** The raw number a KPI element exposes for tests. */
export async function kpiValue(page: Page, kpi: string): Promise<number> {
  const el = page.locator(`[data-kpi="${kpi}"]`).first();
  await el.waitFor();
  return Number(await el.getAttribute('data-value'));
}

/** Until the import of the files given to the drop zone has ended (its report shown, no cancel button left). */
export async function importDone(page: Page, timeout = 60_000): Promise<void> {
  await page.locator('[data-testid="import-report"]').waitFor({ timeout });
  await page.locator('[data-testid="cancel-import"]').waitFor({ state: 'detached', timeout });
  // (the ledger is shown before the files dropped are kept in the workspace: a reload must not come before)
  await page.locator('[data-testid="keeping-files"]').waitFor({ state: 'detached', timeout });
}

/** Files given to the drop zone's input, then the import waited for. */
export async function dropFiles(page: Page, paths: string[], timeout = 60_000): Promise<void> {
  await page.setInputFiles('[data-testid="file-input"]', paths);
  await importDone(page, timeout);
}
