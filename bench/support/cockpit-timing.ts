/** What the browser benchmarks time on the cockpit: a change of its controls, an idle engine. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openApp, type App } from '../../tests/e2e/support/browser';

/** The built app in Chromium at a laptop's size, its engine started, and the CSV files of a ledger in `dir`. */
export async function openCockpit(dir: string): Promise<{ app: App; page: Page; files: string[] }> {
  const app = await openApp({ viewport: { width: 1440, height: 900 } });
  await app.page.goto(`${app.origin}/`);
  await app.page.locator('[data-engine-status="ready"]').waitFor({ timeout: 60_000 });
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).map((f) => join(dir, f));
  return { app, page: app.page, files };
}

/** Until no engine call has been in flight for `ms` (a page's calls follow one another with gaps; the
 *  workspace saves the ledger's tables 3 s after an import). */
export async function engineIdle(page: Page, ms: number): Promise<void> {
  await page.waitForFunction(
    (quiet) => {
      const w = window as unknown as { idleSince?: number };
      if (document.documentElement.dataset.enginePending !== '0') w.idleSince = undefined;
      else w.idleSince ??= performance.now();
      return w.idleSince !== undefined && performance.now() - w.idleSince > quiet;
    },
    ms,
    { timeout: 300_000, polling: 50 },
  );
}

/** One change of the controls: from the first action to every card redrawn (the busy mark off,
 *  the outstanding changed, `marker` showing `text`), and with `seriesOf` the sparklines too. */
export async function timeChange(
  page: Page,
  change: () => Promise<void>,
  marker: string,
  text: string,
  opts: {
    seriesOf?: string;
    submit?: boolean;
    valueChanges?: boolean;
    /** the page's own clock: from the user's click (Apply, or ◀) to the frame that shows the cards —
     *  without the driver's own round trips (filling the field, clicking, polling: ~45 ms) */
    inPage?: number[];
    /** the same, to the tables below the cards too (top late payers, customers' ageing), which follow them */
    tables?: number[];
    /** the same, to the sparklines of the date shown (`date`: the series' last point), in the view
     *  that `marker` shows `text` (a slice of the same date: the same last point) */
    sparklines?: { date: string; out: number[]; marker?: string; text?: string };
  } = {},
): Promise<number> {
  const { seriesOf, submit = true, valueChanges = true } = opts;
  // (two slices can hold the same outstanding: the whole ledger and its only entity)
  const before = valueChanges ? await page.locator('[data-kpi="outstanding"]').getAttribute('data-value') : null;
  await page.evaluate(() => {
    const w = window as unknown as { clickedAt?: number; clickClock?: boolean };
    if (!w.clickClock) document.addEventListener('click', () => (w.clickedAt = performance.now()), true);
    w.clickClock = true;
    w.clickedAt = undefined;
  });
  if (opts.sparklines) {
    // (watched from now, frame by frame: they may come before the tables, or after; tsx names the
    // functions it compiles with a helper the page has not)
    await page.evaluate('window.__name ??= (f) => f');
    await page.evaluate(([date, m, x]) => {
      const w = window as unknown as { sparkAt?: number };
      w.sparkAt = undefined;
      const watch = () => {
        const shown = !m || document.querySelector(m)?.textContent?.includes(x);
        if (shown && document.querySelector('.kpis')?.getAttribute('data-series-of') === date) w.sparkAt = performance.now();
        else requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
    }, [opts.sparklines.date, opts.sparklines.marker ?? '', opts.sparklines.text ?? ''] as const);
  }
  const t = performance.now();
  await change();
  if (submit) await page.locator('[data-testid="controls"] button[type="submit"]').click();
  await page.waitForFunction(
    ([m, x, b]) => {
      const done = document.querySelector(m)?.textContent?.includes(x) &&
        document.querySelector('.kpis')?.getAttribute('aria-busy') === 'false' && document.querySelector('[data-kpi="outstanding"]')?.getAttribute('data-value') !== b;
      // (polled in an animation frame: the frame that paints the cards)
      if (done) (window as unknown as { cardsAt: number }).cardsAt = performance.now();
      return done;
    },
    [marker, text, before] as const,
    { timeout: 120_000, polling: 'raf' },
  );
  const cards = performance.now() - t;
  const sinceClick = (at: string) => page.evaluate((k) => {
    const w = window as unknown as Record<string, number>;
    return w[k] - w.clickedAt;
  }, at);
  opts.inPage?.push(await sinceClick('cardsAt'));
  if (opts.tables) {
    await page.waitForFunction(() => {
      const done = document.querySelector('[data-testid="overview-tables"]')?.getAttribute('aria-busy') === 'false';
      if (done) (window as unknown as { tablesAt: number }).tablesAt = performance.now();
      return done;
    }, null, { timeout: 120_000, polling: 'raf' });
    opts.tables.push(await sinceClick('tablesAt'));
  }
  if (opts.sparklines) {
    await page.waitForFunction(() => (window as unknown as { sparkAt?: number }).sparkAt !== undefined, null, { timeout: 120_000, polling: 100 });
    opts.sparklines.out.push(await sinceClick('sparkAt'));
  }
  if (seriesOf) await page.locator(`.kpis[data-series-of="${seriesOf}"]`).waitFor({ timeout: 120_000 });
  return seriesOf ? performance.now() - t : cards;
}

/** The `day` (the 15th unless said) of each of the `n` months before `latest` (dates the overview has never shown). */
export function daysInMonthsBefore(latest: string, n: number, day = 15): string[] {
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(`${latest}T00:00:00Z`);
    d.setUTCDate(day);
    d.setUTCMonth(d.getUTCMonth() - 1 - i);
    return d.toISOString().slice(0, 10);
  });
}

/** The q-quantile (0–1) of some timings, the nearest rank. */
export const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)];

/** A date as the overview's subtitle writes it in French (dd/mm/yyyy). */
export const frenchDate = (iso: string) => iso.split('-').reverse().join('/');
