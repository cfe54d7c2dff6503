/**
 * The first seconds after an import, as a user lives them (the cockpit issue's first overview;
 * what runs then in the worker: the forecast learning ahead, the workspace saving its ledger, the
 * month-ends computed ahead): drop the 0.9M-invoice ledger in Chromium, then
 *   - the ledger shown (the import's report, no Cancel left) and the files kept in the workspace,
 *     from the drop;
 *   - the overview after `--read` ms on the import's report: click to its cards;
 *   - then `--changes` changes of the as-of date, each to a date never shown, one every `--gap` ms
 *     (the engine busy with its own work meanwhile): click to every card redrawn.
 *   npm run build && npx tsx bench/after-import.ts [--dir bench/out/1000000] [--read 2500] [--changes 10] [--gap 1500]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { daysInMonthsBefore, frenchDate, openCockpit, quantile, timeChange } from './support/cockpit-timing';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: join('bench', 'out', '1000000') },
    read: { type: 'string', default: '2500' },
    changes: { type: 'string', default: '10' },
    gap: { type: 'string', default: '1500' },
  },
});

async function main() {
  const { app, page, files } = await openCockpit(values.dir!);
  try {
    const t0 = performance.now();
    await page.setInputFiles('[data-testid="file-input"]', files);
    await page.locator('[data-testid="import-report"]').waitFor({ timeout: 900_000 });
    await page.locator('[data-testid="cancel-import"]').waitFor({ state: 'detached', timeout: 900_000 });
    const shown = performance.now() - t0;
    await page.locator('[data-testid="keeping-files"]').waitFor({ state: 'detached', timeout: 900_000 });
    const kept = performance.now() - t0;
    await page.waitForTimeout(Number(values.read));
    const c0 = performance.now();
    await page.locator('header nav a').nth(1).click();
    await page.locator('[data-kpi="outstanding"]').waitFor({ timeout: 120_000 });
    const firstOverview = performance.now() - c0;
    const latest = await page.locator('[data-testid="controls"] input[name="as_of"]').inputValue();
    const changes: number[] = [];
    for (const date of daysInMonthsBefore(latest, Number(values.changes))) {
      await page.waitForTimeout(Number(values.gap));
      const fill = () => page.locator('[data-testid="controls"] input[name="as_of"]').fill(date);
      changes.push(await timeChange(page, fill, '[data-testid="overview-subtitle"]', frenchDate(date)));
    }
    const r = (x: number) => Math.round(x);
    console.log(`ledger: ${values.dir} (${files.length} files)`);
    console.log(`| ledger shown, from the drop | ${r(shown)} |`);
    console.log(`| files kept in the workspace, from the drop | ${r(kept)} |`);
    console.log(`| overview after ${Number(values.read) / 1000} s on the import's report | ${r(firstOverview)} |`);
    console.log(`| as-of change to a date never shown, every ${Number(values.gap) / 1000} s after it, p50 / p95 / max over ${changes.length} | ${r(quantile(changes, 0.5))} / ${r(quantile(changes, 0.95))} / ${r(Math.max(...changes))} |`);
    console.log(`changes: ${changes.map(r).join(' ')}`);
  } finally {
    await app.close();
  }
}
void main();
