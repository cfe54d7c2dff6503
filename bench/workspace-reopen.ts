/**
 * Reopening a workspace in Chromium (target of the workspaces issue: a 1M-invoice workspace usable
 * in ≤ 3 s). Imports the ledger into a new workspace, waits for its tables to be saved, restarts
 * the browser on the same profile and times, from the page load: the overview's first card (the
 * overview saved with the workspace), the ledger loaded back (from the saved tables: the part the
 * overview reads), the overview computed by the engine, a first change of date made right then,
 * and the whole ledger back (the late tables, appended meanwhile). With --rest MS, the user then
 * reads for MS ms (the engine computes the month-ends before the date shown, and compacts the
 * ledger it reopened, which cannot be stopped) and steps back twice with the ◀ month-end button.
 *   npm run build && npx tsx bench/workspace-reopen.ts [--dir bench/out/1000000] [--runs 3] [--rest 12000]
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dropFiles, openApp, startServer } from '../tests/e2e/support/browser';
import { monthEndsBefore } from '../src/lib/dates/month-ends';
import { frenchDate, timeChange } from './support/cockpit-timing';

const { values } = parseArgs({ options: { dir: { type: 'string', default: join('bench', 'out', '1000000') }, runs: { type: 'string', default: '3' }, rest: { type: 'string', default: '0' } } });
const dir = values.dir!;

async function main() {
  const { server, origin } = await startServer();
  const profile = mkdtempSync(join(tmpdir(), 'encours-bench-ws-'));
  try {
    let app = await openApp({ server, origin, profile, viewport: { width: 1440, height: 900 } });
    await app.page.goto(`${origin}/`);
    await app.page.locator('[data-engine-status="ready"]').waitFor({ timeout: 60_000 });
    await app.page.locator('header nav a[href^="/workspaces"]').click();
    await app.page.locator('[data-testid="new-workspace-name"]').fill('bench');
    await app.page.locator('[data-testid="create-workspace"]').click();
    await app.page.locator('[data-testid="current-workspace"]').waitFor();
    await app.page.locator('header nav a[href="/"]').click();
    const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).map((f) => join(dir, f));
    let t = performance.now();
    await dropFiles(app.page, files, 900_000);
    const imported = performance.now() - t;
    t = performance.now();
    await app.page.locator('header nav a[href^="/workspaces"]').click();
    await app.page.locator('[data-workspace="bench"][data-image="saved"]').waitFor({ timeout: 600_000 });
    const saved = performance.now() - t;
    const size = await app.page.locator('[data-workspace="bench"] .muted').first().textContent();
    await app.close();
    const rows: string[] = [];
    for (let run = 0; run < Number(values.runs); run++) {
      app = await openApp({ server, origin, profile, viewport: { width: 1440, height: 900 } });
      const t0 = performance.now();
      await app.page.goto(`${origin}/overview`);
      // the first card: the overview saved with the workspace, shown while the ledger loads
      await app.page.locator('[data-kpi="outstanding"]').waitFor({ timeout: 600_000 });
      const firstCard = performance.now() - t0;
      const saved = await app.page.locator('[data-testid="saved-overview"]').count();
      await app.page.locator('[data-testid="current-workspace"][data-reopened-from]').waitFor({ timeout: 600_000 });
      // from the page's own clock: the engine up, the saved ledger asked for, and its time in the worker
      const marks = await app.page.evaluate(() => ({
        started: document.documentElement.dataset.engineStartedAt,
        parts: document.documentElement.dataset.engineStart,
        image: document.documentElement.dataset.imageLoad,
      }));
      const [asked, inWorker] = (marks.image ?? '').split('+');
      const [open, setup] = (marks.parts ?? '').split('+');
      const engineReady = `${marks.started} (DuckDB opened in ${open}, its SQL set up in ${setup}; image asked at ${asked}, ${inWorker} in the worker)`;
      const ledgerBack = performance.now() - t0;
      const from = await app.page.locator('[data-testid="current-workspace"]').getAttribute('data-reopened-from');
      await app.page.locator('[data-testid="saved-overview"]').waitFor({ state: 'detached', timeout: 600_000 });
      const overview = performance.now() - t0;
      // usable: the user's first change, right away: the as-of date to one never shown (the 15th
      // of the month before the latest), until every card shows it (the late tables may still be
      // appended: this request is one of those that run between them)
      const asOf = app.page.locator('[data-testid="controls"] input[name="as_of"]');
      const latest = await asOf.inputValue();
      const d = new Date(`${latest}T00:00:00Z`);
      d.setUTCDate(15);
      d.setUTCMonth(d.getUTCMonth() - 1);
      const date = d.toISOString().slice(0, 10);
      const before = await app.page.locator('[data-kpi="outstanding"]').getAttribute('data-value');
      const c0 = performance.now();
      await asOf.fill(date);
      await app.page.locator('[data-testid="controls"] button[type="submit"]').click();
      await app.page.waitForFunction(
        ([x, b]) => document.querySelector('[data-testid="overview-subtitle"]')?.textContent?.includes(x) &&
          document.querySelector('.kpis')?.getAttribute('aria-busy') === 'false' && document.querySelector('[data-kpi="outstanding"]')?.getAttribute('data-value') !== b,
        [date.split('-').reverse().join('/'), before] as const,
        { timeout: 120_000, polling: 'raf' },
      );
      const changed = performance.now() - t0;
      const change = performance.now() - c0;
      // the whole ledger (the late tables appended), from the page's own clock
      await app.page.waitForFunction(() => document.documentElement.dataset.imageWhole, undefined, { timeout: 600_000 });
      const whole = await app.page.evaluate(() => document.documentElement.dataset.imageWhole);
      const steps: number[] = [];
      if (Number(values.rest) > 0) {
        await app.page.waitForTimeout(Number(values.rest));
        for (const shown of monthEndsBefore(date, 2)) {
          const step = () => app.page.getByTestId('previous-month-end').click();
          steps.push(Math.round(await timeChange(app.page, step, '[data-testid="overview-subtitle"]', frenchDate(shown), { submit: false })));
        }
      }
      rows.push(`| ${run + 1} | ${from} | ${Math.round(firstCard)}${saved ? ' (saved)' : ''} | ${engineReady} | ${Math.round(ledgerBack)} | ${Math.round(overview)} | ${Math.round(changed)} (${Math.round(change)}) | ${whole} |${steps.length ? ` ${steps.join(' / ')} |` : ''}`);
      await app.close();
    }
    console.log(`ledger: ${dir} (${files.length} files); import ${Math.round(imported)} ms; tables saved ${Math.round(saved)} ms after it; workspace: ${size}`);
    const restCol = Number(values.rest) > 0 ? ` two ◀ steps after ${Number(values.rest) / 1000} s of reading, ms |` : '';
    console.log(`| run | reopened from | page load → first card, ms | engine started, ms from page start | → ledger back (the overview answers), ms | → overview computed, ms | → a new date shown (the change itself), ms | whole ledger back (page clock), ms |${restCol}`);
    console.log(`|---|---|---:|---:|---:|---:|---:|---:|${restCol ? '---:|' : ''}`);
    for (const r of rows) console.log(r);
  } finally {
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
main();
