/**
 * The cockpit screens in Chromium, on the hand-worked ledger (tests/fixtures/hand, as of
 * 2024-03-31; figures worked out in tests/unit/kpi-overview.test.ts and kpi-catalogue.test.ts):
 *   open items C1: I1 600 (77 d, 61–90), I2 2000 (51 d, 31–60); C2: I4 3000 (not due), CN1 −200
 *   (11 d, 1–30); C3: I5 500 (152 d, > 120), I6 700 (due on D: not due).
 *   by customer: C2 2800, C1 2600, C3 1200; by country: FR (C1, C2) 5400, BE (C3) 1200.
 * The ledger lives in the tab's worker: pages are reached by the app's own links (a full page load
 * would start a fresh, empty engine).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dropFiles, kpiValue, openApp, type App } from './support/browser';
import { serveForTests } from './support/serve-for-tests';
import { contrastFailures, type ContrastFailure } from './support/contrast';

const HAND = join(import.meta.dirname, '..', 'fixtures', 'hand');
const ALL = ['customers', 'credit_limits', 'invoices', 'payments', 'disputes', 'promises', 'actions'].map((f) => join(HAND, `${f}.csv`));
const D = '2024-03-31';

let app: App | undefined;
const served = serveForTests(() => app);

/** The hand ledger loaded, then the given page reached through the navigation, as of D. */
async function handLedgerOn(path: string, viewport?: { width: number; height: number }): Promise<Page> {
  app = await openApp({ server: served.server(), origin: served.origin(), viewport });
  const page = app.page;
  await page.goto(`${served.origin()}/`);
  await dropFiles(page, ALL);
  await nav(page, path);
  await page.waitForURL(`**/${path}`);
  await page.locator('[data-testid="controls"] input[name="as_of"]').fill(D);
  await page.locator('[data-testid="controls"] button[type="submit"]').click();
  await page.waitForURL(new RegExp(`as_of=${D}`));
  return page;
}

/** Through the app's own navigation (the ledger lives in this tab's worker). */
function nav(page: Page, path: string) {
  return page.locator(`header nav a[href^="/${path}"]`).click();
}

/** data-row → data-value of one column of a table. */
async function column(page: Page, table: string, col: string): Promise<[string, number][]> {
  return page
    .locator(`[data-testid="${table}"] tbody tr`)
    .evaluateAll((rows, c) => rows.map((r) => [r.getAttribute('data-row') ?? '', Number(r.querySelector(`[data-col="${c}"]`)?.getAttribute('data-value') ?? NaN)] as [string, number]), col);
}

async function footer(page: Page, table: string): Promise<number[]> {
  return page.locator(`[data-testid="${table}"] tfoot td[data-value]`).evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
}

const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 100) / 100;

describe('the cockpit in Chromium', () => {
  it('aged balance: pivot by customer and by country, drill down to the invoices behind a cell, back button and URL', async () => {
    const page = await handLedgerOn('aging');
    await expect.poll(() => column(page, 'aging-pivot', 'total')).toEqual([['C2', 2800], ['C1', 2600], ['C3', 1200]]);
    // totals from the engine: the buckets, then outstanding
    expect(await footer(page, 'aging-pivot')).toEqual([3700, -200, 2000, 600, 0, 500, 6600]);

    // C1 × 31–60 → C1's invoices in that bucket: I2, open 2000 = the cell
    const cell = page.locator('[data-testid="aging-pivot"] tr[data-row="C1"] td[data-col="b2"]');
    expect(Number(await cell.getAttribute('data-value'))).toBe(2000);
    await cell.locator('a').click();
    await page.waitForURL(/customer=C1/);
    await expect.poll(() => column(page, 'aging-invoices', 'open_amount')).toEqual([['I2', 2000]]);
    expect(Number(await page.locator('[data-testid="drill-total"]').getAttribute('data-value'))).toBe(2000);

    // by country: FR 5400 (C1 + C2), BE 1200; FR → its customers (footer = the cell) → C1 × 61–90 → I1 600
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('customer'));
    await page.getByRole('link', { name: 'Pays' }).click();
    await page.waitForURL(/by=country/);
    await expect.poll(() => column(page, 'aging-pivot', 'total')).toEqual([['FR', 5400], ['BE', 1200]]);
    await page.locator('[data-testid="aging-pivot"] tr[data-row="FR"] th a').click();
    await page.waitForURL(/row=FR/);
    await expect.poll(() => column(page, 'aging-customers', 'total')).toEqual([['C2', 2800], ['C1', 2600]]);
    const fr = await footer(page, 'aging-customers');
    expect(fr[fr.length - 1]).toBe(5400);
    await page.locator('[data-testid="aging-customers"] tr[data-row="C1"] td[data-col="b3"] a').click();
    await page.waitForURL(/customer=C1.*bucket=3|bucket=3.*customer=C1/);
    await expect.poll(() => column(page, 'aging-invoices', 'open_amount')).toEqual([['I1', 600]]);
    const invoices = await column(page, 'aging-invoices', 'open_amount');
    expect(sum(invoices.map(([, v]) => v))).toBe(Number(await page.locator('[data-testid="drill-total"]').getAttribute('data-value')));

    // the URL holds the view: away and back restores it
    const url = page.url();
    await nav(page, 'overview');
    await page.waitForURL('**/overview**');
    await page.goBack();
    expect(page.url()).toBe(url);
    await expect.poll(() => column(page, 'aging-invoices', 'open_amount')).toEqual([['I1', 600]]);
  });

  it('late payers, then a customer page: figures from the engine, history and events', async () => {
    const page = await handLedgerOn('late');
    await expect.poll(() => column(page, 'top-late', 'overdue')).toEqual([['C1', 2600], ['C3', 500]]);
    expect(await column(page, 'top-late', 'weighted_days_late')).toEqual([['C1', 57], ['C3', 152]]);
    // the last action and the next step in words: C1's reminder 1 of 02-14; litigation, due since
    // 02-28 (I1, due 01-14, + 45 days: the worklist's step), C3's since 2023-12-15 (I5)
    const cell = (row: string, col: string) => page.locator(`[data-testid="top-late"] tr[data-row="${row}"] [data-col="${col}"]`).textContent();
    await expect.poll(() => cell('C1', 'next_step')).toBe('Transmission au contentieux (à faire)');
    expect([await cell('C1', 'next_step_date'), await cell('C3', 'next_step_date')]).toEqual(['28/02/2024', '15/12/2023']);
    expect([await cell('C1', 'last_action_type'), await cell('C3', 'last_action_type')]).toEqual(['Première relance', 'Appel']);
    await page.locator('[data-testid="top-late"] tr[data-row="C1"] th a').click();
    await page.waitForURL(/customer\?.*id=C1/);
    await expect.poll(() => page.locator('[data-testid="customer-name"]').textContent()).toBe('Boulangerie Martin');
    expect(await kpiValue(page, 'outstanding')).toBe(2600);
    expect(await kpiValue(page, 'overdue')).toBe(2600);
    expect(await kpiValue(page, 'credit_utilisation')).toBe(130);
    const open = await column(page, 'customer-open', 'open_amount');
    expect(open).toEqual([['I1', 600], ['I2', 2000]]);
    expect(sum(open.map(([, v]) => v))).toBe(await kpiValue(page, 'outstanding'));
    expect(await page.locator('[data-testid="customer-events"] tbody tr').count()).toBe(6);
    expect(await page.locator('[data-testid="customer-history"] tbody tr').count()).toBe(3);
    // how it pays, as lines over the months (the table below is their alternative)
    // (a flat line has no height: attached, not visible)
    await page.locator('[role="img"][aria-labelledby="customer-behaviour-title"] svg path').first().waitFor({ state: 'attached' });
    await page.locator('[role="img"][aria-labelledby="customer-balance-title"] svg path').first().waitFor({ state: 'attached' });
  });

  it('exports a table to XLSX with real numbers, and to CSV in the language of the screen', async () => {
    const page = await handLedgerOn('aging');
    await expect.poll(() => column(page, 'aging-pivot', 'total')).toEqual([['C2', 2800], ['C1', 2600], ['C3', 1200]]);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="xlsx"]').first().click()]);
    const book = XLSX.read(readFileSync((await xlsx.path())!));
    const rows = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[book.SheetNames[0]], { header: 1 });
    expect(rows[0]).toEqual(['Client', 'Non échu', '1–30 j', '31–60 j', '61–90 j', '91–120 j', '> 120 j', 'Total']);
    expect(rows.slice(1).map((r) => [r[0], r[7]])).toEqual([['Garage du Port', 2800], ['Boulangerie Martin', 2600], ['Atelier Nord', 1200]]);
    expect(typeof rows[2][3]).toBe('number');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="csv"]').first().click()]);
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text.split('\r\n')[2]).toBe('Boulangerie Martin;0;0;2000;600;0;0;2600');
  });

  it('overview cards carry a 24-month sparkline and their change, in French and in English', async () => {
    const page = await handLedgerOn('overview');
    const dso = page.locator('[data-kpi="dso"]');
    await dso.locator('[role="img"]').waitFor();
    // the figures that are not running sums have theirs too (their families worked out at each
    // point, the open items' figures from each item's open amount there; the promise-kept rate has a
    // single point on this ledger, its promises falling due in March)
    for (const key of ['dso_countback', 'collection_rate', 'dispute_rate', 'weighted_days_late', 'disputed', 'at_risk']) {
      await page.locator(`[data-kpi="${key}"] [role="img"]`).waitFor();
    }
    await expect.poll(() => dso.locator('[data-testid="change"]').textContent()).toMatch(/depuis le \d{2}\/\d{2}\/\d{4}/);
    // the engine's change (kpi-catalogue.test.ts, by hand): outstanding 6600 at D, 1500 on 2023-12-31,
    // the month-end nearest D − 90 days; overdue 2900 against 500, up: shown as bad
    expect(await page.locator('[data-kpi="outstanding"] [data-testid="change"]').textContent()).toMatch(/^\+5\s100,00\s€ depuis le 31\/12\/2023$/);
    expect(await page.locator('[data-kpi="overdue"] [data-testid="change"]').getAttribute('class')).toContain('bad');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => dso.locator('[data-testid="change"]').textContent()).toMatch(/since \d{2}\/\d{2}\/\d{4}/);
    await nav(page, 'aging');
    await page.waitForURL('**/aging**');
    await expect.poll(() => page.locator('[data-testid="aging-pivot"] tfoot td').last().textContent()).toBe('€6,600.00');
  });

  it('a new date in the same scope draws its sparklines with its cards: its point from the cards, its changes from the engine', async () => {
    const page = await handLedgerOn('overview');
    const cards = page.locator('.kpis');
    await expect.poll(() => cards.getAttribute('data-series-of')).toBe(D);
    // (the scope's month-ends are kept ahead once the engine rests)
    await page.waitForTimeout(1500);
    await page.locator('[data-testid="controls"] input[name="as_of"]').fill('2024-03-15');
    await page.locator('[data-testid="controls"] button[type="submit"]').click();
    await expect.poll(() => cards.getAttribute('data-series-of')).toBe('2024-03-15');
    expect(await cards.getAttribute('data-series-with-cards')).toBe('true');
    // by hand: at 2024-03-15 I1 600 + I2 2000 + I3 1500 + I4 3000 + I5 500 = 7600 open, 3100 of it
    // overdue (I1, I2, I5); at 2023-12-31, the month-end nearest D − 90 days, 1500 (I1, I5) and 500 (I5)
    expect(await kpiValue(page, 'outstanding')).toBe(7600);
    expect(await page.locator('[data-kpi="outstanding"] [data-testid="change"]').textContent()).toMatch(/^\+6\s100,00\s€ depuis le 31\/12\/2023$/);
    expect(await page.locator('[data-kpi="overdue"] [data-testid="change"]').textContent()).toMatch(/^\+2\s600,00\s€ depuis le 31\/12\/2023$/);
  });

  it('the as-of date steps by month-end, back and forth, and slices change, with the figures of each (some computed ahead)', async () => {
    const page = await handLedgerOn('overview');
    await expect.poll(() => kpiValue(page, 'outstanding')).toBe(6600);
    // 2024-02-29, worked by hand in kpi-catalogue.test.ts: I1 600 + I2 2000 + I3 1500 + I5 500 open,
    // I3 not due yet
    await page.getByTestId('previous-month-end').click();
    await page.waitForURL(/as_of=2024-02-29/);
    await expect.poll(() => kpiValue(page, 'outstanding')).toBe(4600);
    expect(await kpiValue(page, 'overdue')).toBe(3100);
    await expect.poll(() => page.getByTestId('previous-month-end').getAttribute('title')).toBe('Fin de mois précédente (31/01/2024)');
    // forward: the next month-end, then the ledger's latest date (2024-04-05), no further
    await page.getByTestId('next-month-end').click();
    await page.waitForURL(/as_of=2024-03-31/);
    await expect.poll(() => kpiValue(page, 'outstanding')).toBe(6600);
    await page.getByTestId('next-month-end').click();
    await page.waitForURL((u) => !u.searchParams.has('as_of'));
    await expect.poll(() => page.getByTestId('next-month-end').isDisabled()).toBe(true);
    // back to a month-end computed ahead while the page was read: the same figures
    await page.goBack();
    await page.goBack();
    await page.waitForURL(/as_of=2024-02-29/);
    await expect.poll(() => kpiValue(page, 'outstanding')).toBe(4600);

    // a slice read for a while, then its neighbour (computed ahead meanwhile): each its own figures,
    // by country FR (C1, C2) 5400, BE (C3) 1200 at 2024-03-31
    await page.locator('[data-testid="controls"] input[name="as_of"]').fill(D);
    await page.locator('[data-testid="controls"] select[name="dim"]').selectOption('country');
    await page.locator('[data-testid="controls"] select[name="val"]').selectOption('FR');
    await page.locator('[data-testid="controls"] button[type="submit"]').click();
    await page.waitForURL(/val=FR/);
    await expect.poll(() => kpiValue(page, 'outstanding')).toBe(5400);
    await page.waitForTimeout(2500);
    await page.locator('[data-testid="controls"] select[name="val"]').selectOption('BE');
    await page.locator('[data-testid="controls"] button[type="submit"]').click();
    await page.waitForURL(/val=BE/);
    await expect.poll(() => kpiValue(page, 'outstanding')).toBe(1200);
  });

  it('disputes, team and trends: the engine\'s figures for each slice', async () => {
    const page = await handLedgerOn('disputes');
    // D2 on I2 (2000 open), open for 45 days at D; D1 resolved, D3 opened after D
    await expect.poll(() => column(page, 'disputes-breakdown', 'open_amount')).toEqual([['0', 2000]]);
    expect(await column(page, 'disputes-breakdown', 'avg_days_open')).toEqual([['0', 45]]);
    // in words (the ledger's codes 'quantity', 'logistics'), and the period's resolved ones
    expect(await page.locator('[data-testid="disputes-breakdown"] tbody tr').first().textContent()).toContain('Quantité');
    expect(await page.locator('[data-testid="disputes-breakdown"] tbody tr').first().textContent()).toContain('Logistique');
    expect(await column(page, 'disputes-resolved', 'avg_resolution_days')).toEqual([['0', 16]]);
    expect(await kpiValue(page, 'disputes_open')).toBe(1);

    // Alice follows C1 (2600) and C3 (1200), Bruno C2 (2800)
    await nav(page, 'team');
    await page.waitForURL(/\/team\?as_of=2024-03-31/);
    await expect.poll(() => column(page, 'team', 'outstanding')).toEqual([['Alice', 3800], ['Bruno', 2800]]);
    // every customer below them, from the engine (outstanding 6600, overdue 2900 at D)
    expect((await footer(page, 'team')).slice(0, 2)).toEqual([6600, 2900]);

    // DSO over 24 months; its last point is the overview's DSO at D: 6600 / 7000 × 90
    await nav(page, 'trends');
    await page.waitForURL(/\/trends\?as_of=2024-03-31/);
    await expect.poll(() => page.locator('[data-testid="trend-table"] tbody tr').count()).toBe(24);
    const [[date, dso]] = await column(page, 'trend-table', 's0');
    expect([date, dso]).toEqual(['2024-03-31', (6600 / 7000) * 90]);
    await page.locator('[data-testid="trend-pickers"] select[name="by"]').selectOption('collector');
    await page.waitForURL(/by=collector/);
    await expect.poll(() => page.locator('[data-testid="trend-table"] thead th').count()).toBe(3);
    // the chart exports as a standalone SVG
    const [svg] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="svg"]').click()]);
    const text = readFileSync((await svg.path())!, 'utf8');
    expect(text).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(text).toContain('<path');
    // a KPI outside the monthly series, rebuilt from its family at each month-end: the dunning
    // response rate of the whole ledger at D, 2 of the 3 actions judged (kpi-catalogue.test.ts)
    await page.locator('[data-testid="trend-pickers"] select[name="kpi"]').selectOption('dunning_response_rate');
    await page.waitForURL(/kpi=dunning_response_rate/);
    await page.locator('[data-testid="trend-pickers"] select[name="by"]').selectOption('');
    await page.waitForURL((u) => !u.searchParams.has('by'));
    await expect.poll(async () => (await column(page, 'trend-table', 's0'))[0]).toEqual(['2024-03-31', (2 / 3) * 100]);
    expect(await page.locator('[data-testid="trend-table"] tbody tr').count()).toBe(24);
  });

  it('forecast: open items to collect, 13 weeks and 6 months of expected cash, accuracy measured on demand', async () => {
    const page = await handLedgerOn('forecast');
    // the positive open items at D: I1 600, I2 2000, I4 3000, I5 500, I6 700 (the −200 credit note is not cash to collect)
    await expect.poll(() => kpiValue(page, 'forecast.open_amount')).toBe(6800);
    await expect.poll(() => page.locator('[data-testid="forecast-buckets"] tbody tr').count()).toBe(13);
    const expected = await kpiValue(page, 'forecast.expected_13_weeks');
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThanOrEqual(6800);
    expect(sum((await column(page, 'forecast-buckets', 'expected')).map(([, v]) => v))).toBeCloseTo(expected, 1);
    expect((await column(page, 'forecast-dso', 'dso')).map(([m]) => m)).toEqual(['2024-04-30', '2024-05-31', '2024-06-30']);
    await page.getByRole('button', { name: 'Mois', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="forecast-buckets"] tbody tr').count()).toBe(6);
    await page.locator('[data-testid="run-backtest"]').click();
    await expect.poll(() => page.locator('[data-testid="backtest"]').textContent()).toMatch(/Sur vos données|Pas assez d’historique/);
  });

  it('risk: grades by collection priority with their reasons, alerts, and the grade on the customer page', async () => {
    const page = await handLedgerOn('risk');
    // hand-worked in kpi-catalogue.test.ts: C1 E (priority 2600 × 9), C3 C (500 × 5), C2 B (0)
    await expect.poll(() => column(page, 'risk', 'priority')).toEqual([['C1', 23400], ['C3', 2500], ['C2', 0]]);
    expect(await page.locator('[data-testid="risk"] tr[data-row="C1"]').textContent()).toContain('largement échu');
    expect(await page.locator('[data-alert="overruns"]').getAttribute('data-value')).toBe('1');
    expect(await kpiValue(page, 'top10_share')).toBe(100);
    await page.locator('[data-testid="risk"] tr[data-row="C1"] th a').click();
    await expect.poll(() => page.locator('[data-testid="risk-grade"]').textContent()).toBe('E');
  });

  it("today's worklist: the step due per customer by priority, an e-mail draft, done leaves the list", async () => {
    const page = await handLedgerOn('worklist');
    await page.getByText('Au 31/03/2024').waitFor();
    const rows = () => page.locator('[data-testid="worklist"] li').evaluateAll((ls) => ls.map((l) => [l.getAttribute('data-customer'), l.getAttribute('data-step')]));
    // hand-worked in worklist.test.ts: C1 (I1, litigation; I2 waits for its dispute), C3 (I5, I6)
    await expect.poll(rows).toEqual([['C1', 'litigation'], ['C3', 'litigation']]);
    const href = await page.locator('[data-customer="C3"]').getByRole('link', { name: /Courrier|Brouillon/ }).getAttribute('href');
    expect(href).toContain('/statement');
    await page.locator('[data-customer="C1"] [data-testid="done"]').click();
    await expect.poll(rows).toEqual([['C3', 'litigation']]);
  });

  it('losses and provisions: the matrix learned from the ledger, and the expected loss of today\'s balance', async () => {
    // tests/fixtures/provisions, as of 2025-12-31 (worked out in kpi-catalogue.test.ts): A, B, C, W
    // due 2024-01-31 are judged. Passed through / never paid: not due 2700 / 600 (B's 400, W's 200),
    // 1–30 1700 / 600, 31–60 1100 / 600, then 600 / 600. Today: E 1000 not due, F 300 in 1–30, B's
    // 400 beyond 120 days → expected loss 1000 × 600/2700 + 300 × 600/1700 + 400 × 1.
    app = await openApp({ server: served.server(), origin: served.origin() });
    const page = app.page;
    await page.goto(`${served.origin()}/`);
    const dir = join(import.meta.dirname, '..', 'fixtures', 'provisions');
    await dropFiles(page, [join(dir, 'invoices.csv'), join(dir, 'payments.csv')]);
    await nav(page, 'provisions');
    await page.waitForURL('**/provisions**');
    await page.locator('[data-testid="controls"] input[name="as_of"]').fill('2025-12-31');
    await page.locator('[data-testid="controls"] button[type="submit"]').click();
    await page.waitForURL(/as_of=2025-12-31/);
    const expected = (1000 * 600) / 2700 + (300 * 600) / 1700 + 400;
    await expect.poll(() => kpiValue(page, 'expected_loss')).toBeCloseTo(expected, 6);
    expect(await kpiValue(page, 'provision_rate')).toBeCloseTo((expected / 1700) * 100, 6);
    const rates = await column(page, 'provision-matrix', 'historical_rate');
    expect(rates.map(([, r]) => Math.round(r * 100) / 100)).toEqual([22.22, 35.29, 54.55, 100, 100, 100]);
    expect((await column(page, 'provision-matrix', 'open_amount')).map(([, x]) => x)).toEqual([1000, 300, 0, 0, 0, 400]);
    expect(await page.locator('[data-testid="provision-matrix"] tbody tr').first().textContent()).toContain('appris');
    expect(await page.getByTestId('no-loss-history').count()).toBe(0);
    // and the forecast's own estimate beside it, once computed
    await expect.poll(() => page.locator('[data-kpi="forecast.beyond_horizon"]').getAttribute('data-value')).toMatch(/^\d/);
  });

  it('the weekly report prints: figures, aged balance, late payers, disputes; no controls on paper', async () => {
    const page = await handLedgerOn('report');
    await expect.poll(() => kpiValue(page, 'outstanding')).toBe(6600);
    expect(await kpiValue(page, 'overdue')).toBe(2900);
    expect(await column(page, 'report-late', 'overdue')).toEqual([['C1', 2600], ['C3', 500]]);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('[data-testid="controls"]').isVisible()).toBe(false);
    expect(await page.locator('header.top').isVisible()).toBe(false);
    // the tables keep their column titles on paper (their sort buttons were hidden with the controls)
    expect(await page.locator('[data-testid="report-late"] thead th button').first().isVisible()).toBe(true);
    expect(await page.locator('[data-testid="report-late"] thead th').first().textContent()).toBe('Client');
    expect(await page.locator('[data-testid="print"]').isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
  });

  it('every screen\'s text meets WCAG AA contrast (4.5:1, large text 3:1), figures, notices, good and bad tones included', async () => {
    const page = await handLedgerOn('overview');
    const settled = () =>
      page.waitForFunction(() => document.documentElement.dataset.enginePending === '0' && !document.querySelector('[aria-busy="true"]'), null, { timeout: 60_000 });
    const failures: Record<string, ContrastFailure[]> = {};
    const check = async (name: string) => {
      await settled();
      const f = await contrastFailures(page);
      if (f.length) failures[name] = f;
    };
    await page.locator('[data-kpi="dso"] [data-testid="change"]').waitFor();
    await check('overview');
    for (const path of ['aging', 'late', 'worklist', 'forecast', 'risk', 'disputes', 'provisions', 'team', 'trends', 'report', 'workspaces', 'settings']) {
      await nav(page, path);
      await page.waitForURL(`**/${path}**`);
      await check(path);
    }
    await nav(page, 'late');
    await page.locator('[data-testid="top-late"] tr[data-row="C1"] th a').click();
    await page.locator('[data-testid="customer-open"]').waitFor();
    await check('customer');
    expect(failures).toEqual({});
  });

  for (const viewport of [{ width: 768, height: 1024 }, { width: 1024, height: 1366 }, { width: 1440, height: 900 }]) {
    it(`fits ${viewport.width}×${viewport.height}: no horizontal page scroll on the aged balance, a customer page, the late payers, the provisions, the worklist and the settings`, async () => {
      const page = await handLedgerOn('aging', viewport);
      await page.locator('[data-testid="aging-pivot"]').waitFor();
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.locator('[data-testid="aging-pivot"] tr[data-row="C1"] th a').click();
      await page.locator('[data-testid="customer-link"]').click();
      await page.locator('[data-testid="customer-open"]').waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      // nine columns: the table scrolls inside itself, not the page
      await nav(page, 'late');
      await expect.poll(() => page.locator('[data-testid="top-late"] [data-col="next_step"]').first().textContent()).not.toBe('…');
      expect(await overflow()).toBeLessThanOrEqual(0);
      await nav(page, 'provisions');
      await page.locator('[data-testid="provision-matrix"]').waitFor();
      // (three months of history: nothing fell due a year before D, no loss rate to learn, and the page says so)
      await page.getByTestId('no-loss-history').waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await nav(page, 'worklist');
      await page.locator('[data-testid="worklist"] li').first().waitFor({ timeout: 60_000 });
      expect(await overflow()).toBeLessThanOrEqual(0);
      await nav(page, 'settings');
      await page.locator('[data-scenario="standard"] tr[data-step="litigation"] button.secondary').first().click();
      await page.locator('textarea[name="body_fr"]').waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
    });
  }
});
