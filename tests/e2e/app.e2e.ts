/**
 * The whole product in a real browser: demo, drop a file, rejected rows, bad files, cancel,
 * offline reload, languages, tablet layout, and not one request off 127.0.0.1 throughout.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parquetOf, SAME_LEDGER, workbook } from '../support/same-ledger';
import { dropFiles, importDone, kpiValue, openApp, type App } from './support/browser';
import { serveForTests } from './support/serve-for-tests';

const HAND = join(import.meta.dirname, '..', 'fixtures', 'hand');
const hand = (...names: string[]) => names.map((n) => join(HAND, n));

let app: App | undefined;
// the zero-egress promise, checked after every test: pages, workers and the service worker
const served = serveForTests(() => app);

async function open(path = '/', viewport?: { width: number; height: number }) {
  app = await openApp({ server: served.server(), origin: served.origin(), viewport });
  await app.page.goto(`${served.origin()}${path}`);
  return app.page;
}


/** A real drag-and-drop: files built in the page, dropped on the zone. */
async function dragAndDrop(page: Page, files: { name: string; text: string }[]) {
  const dataTransfer = await page.evaluateHandle((fs) => {
    const dt = new DataTransfer();
    for (const f of fs) dt.items.add(new File([f.text], f.name, { type: 'text/csv' }));
    return dt;
  }, files);
  await page.dispatchEvent('[data-testid="drop-zone"]', 'drop', { dataTransfer });
}

/** Client-side navigation: the ledger lives in the tab's worker, a full page load would start afresh. */
async function showOverviewAsOf(page: Page, asOf: string) {
  await page.locator('header nav a').nth(1).click();
  await page.waitForURL('**/overview');
  await page.locator('[data-testid="controls"] input[name="as_of"]').fill(asOf);
  await page.locator('[data-testid="controls"] button[type="submit"]').click();
  await page.waitForURL(`**/overview?as_of=${asOf}`);
}

/** The overview's tables (top late payers, customers' ageing) are the request's: they come after its cards. */
async function overviewTables(page: Page) {
  await page.locator('[data-testid="overview-tables"][aria-busy="false"]').waitFor();
}

async function expectHandFigures(page: Page) {
  // Hand-worked in tests/unit/kpi-overview.test.ts: as of 2024-03-31, P = 90.
  await showOverviewAsOf(page, '2024-03-31');
  await page.locator('[data-testid="overview-subtitle"]').filter({ hasText: '31/03/2024' }).waitFor();
  expect(await kpiValue(page, 'outstanding')).toBe(6600);
  expect(await kpiValue(page, 'overdue')).toBe(2900);
  expect(await kpiValue(page, 'not_due')).toBe(3700);
  expect(await kpiValue(page, 'pct_overdue')).toBeCloseTo((2900 / 6600) * 100, 9);
  expect(await kpiValue(page, 'dso')).toBeCloseTo((6600 / 7000) * 90, 9);
  const aging = await page.locator('[data-kpi="aging"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-bucket'), Number(e.getAttribute('data-value'))]));
  expect(aging).toEqual([['not_due', 3700], ['1-30', -200], ['31-60', 2000], ['61-90', 600], ['91-120', 0], ['>120', 500]]);
  // per customer, largest first: C2 2800, C1 2600, C3 1200 (the tables follow the cards)
  await overviewTables(page);
  const totals = await page.locator('[data-testid="customer-aging"] tbody tr').evaluateAll((rows) =>
    rows.map((r) => [r.getAttribute('data-customer'), Number(r.querySelector('[data-value]')?.getAttribute('data-value'))]),
  );
  expect(totals).toEqual([['C2', 2800], ['C1', 2600], ['C3', 1200]]);
}


describe('Encours in Chromium', () => {
  it('opens on the demo ledger and shows the overview KPIs', async () => {
    const page = await open('/?demo');
    await page.waitForURL('**/overview', { timeout: 90_000 });
    const csp = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self' blob: data:;");
    const outstanding = await kpiValue(page, 'outstanding');
    const overdue = await kpiValue(page, 'overdue');
    const notDue = await kpiValue(page, 'not_due');
    expect(outstanding).toBeGreaterThan(0);
    expect(overdue + notDue).toBeCloseTo(outstanding, 2);
    expect(await kpiValue(page, 'pct_overdue')).toBeCloseTo((overdue / outstanding) * 100, 6);
    expect(await kpiValue(page, 'dso')).toBeGreaterThan(0);
    await overviewTables(page);
    expect(await page.locator('[data-testid="customer-aging"] tbody tr').count()).toBe(50);
    // The demo carries USD → EUR rates: EUR with every currency converted is larger than EUR alone.
    await page.locator('[data-testid="controls"] select[name="currency"]').selectOption('*EUR');
    await page.locator('[data-testid="controls"] button[type="submit"]').click();
    await page.waitForURL('**/overview?convert=1');
    await expect.poll(() => kpiValue(page, 'outstanding')).toBeGreaterThan(outstanding);
    expect(await page.locator('[data-testid="fx-missing"]').count()).toBe(0);
    // converted, the aged balance by the invoices' currency: what of it each holds, adding up to it
    const converted = await kpiValue(page, 'outstanding');
    await page.locator('header nav a[href^="/aging"]').click();
    await page.waitForURL(/\/aging\?convert=1/);
    await page.getByRole('link', { name: 'Devise de la facture' }).click();
    await page.waitForURL(/by=currency/);
    await expect.poll(() => page.locator('[data-testid="aging-pivot"] tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-row')).sort())).toEqual(['EUR', 'USD']);
    const totals = await page.locator('[data-testid="aging-pivot"] tbody [data-col="total"]').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-value'))));
    expect(totals.reduce((a, b) => a + b, 0)).toBeCloseTo(converted, 2);
    await page.goBack();
    await page.goBack();
    await page.goBack();
    await expect.poll(() => kpiValue(page, 'outstanding')).toBe(outstanding);
    await page.getByRole('button', { name: /Afficher plus/ }).click();
    await expect.poll(() => page.locator('[data-testid="customer-aging"] tbody tr').count()).toBeGreaterThan(50);
    // The forecast's accuracy measure replays 12 month-ends: it says which one it is at, can be
    // cancelled in the middle, and runs again to its result afterwards.
    await page.locator('header nav a[href*="/forecast"]').click();
    await page.locator('[data-kpi="forecast.open_amount"]').waitFor({ timeout: 90_000 });
    await page.locator('[data-testid="run-backtest"]').click();
    // (bar and words read together: the replay goes on while the test reads)
    const shown = await page.waitForFunction(() => {
      const bar = document.querySelector('[data-testid="backtest-progress"]') as HTMLProgressElement | null;
      return bar && bar.value >= 1 ? { done: bar.value, text: document.querySelector('[data-testid="backtest"] p[role="status"]')?.textContent ?? '' } : false;
    }, undefined, { timeout: 90_000 });
    const { done, text } = (await shown.jsonValue()) as { done: number; text: string };
    expect(text).toContain(`fin de mois ${done + 1} sur 12`);
    await page.locator('[data-testid="cancel-backtest"]').click();
    await page.locator('[data-testid="backtest-cancelled"]').waitFor({ timeout: 90_000 });
    await page.locator('[data-testid="run-backtest"]').click();
    await page.locator('[data-testid="backtest-result"]').waitFor({ timeout: 120_000 });
    const mae = await page.locator('[data-testid="backtest-result"]').getAttribute('data-mae');
    expect(Number(mae)).toBeGreaterThan(0);
    // the engine keeps it for this ledger: back on the page, it is there without replaying anything
    await page.locator('header nav a[href^="/overview"]').click();
    await page.waitForURL('**/overview**');
    await page.locator('header nav a[href*="/forecast"]').click();
    await expect.poll(() => page.locator('[data-testid="backtest-result"]').getAttribute('data-mae'), { timeout: 30_000 }).toBe(mae);
    expect(await page.locator('[data-testid="backtest-progress"]').count()).toBe(0);
  });

  it('imports dropped canonical files and shows the hand-worked figures', async () => {
    const page = await open('/');
    await dropFiles(page, hand('payments.csv', 'invoices.csv', 'customers.csv'));
    const report = page.locator('[data-testid="import-report"]');
    await expect.poll(() => report.locator('[data-status="imported"]').count()).toBe(3);
    expect(await report.locator('[data-file="invoices.csv"] [data-count="rows_imported"]').textContent()).toBe('8');
    await expectHandFigures(page);
    // Slice by collector: Alice holds C1 (2600) and C3 (1200); the slice goes in the URL.
    await page.locator('[data-testid="controls"] select[name="dim"]').selectOption('collector');
    await page.locator('[data-testid="controls"] select[name="val"]').selectOption('Alice');
    await page.locator('[data-testid="controls"] button[type="submit"]').click();
    await page.waitForURL('**/overview?as_of=2024-03-31&dim=collector&val=Alice');
    await expect.poll(() => kpiValue(page, 'outstanding')).toBe(3800);
    await overviewTables(page);
    const customers = await page.locator('[data-testid="customer-aging"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-customer')));
    expect(customers).toEqual(['C1', 'C3']);
    await page.goBack();
    await expect.poll(() => kpiValue(page, 'outstanding')).toBe(6600);
  });

  it('imports a French invoice list by real drag-and-drop, in the same figures', async () => {
    const page = await open('/');
    const text = new TextDecoder('windows-1252').decode(readFileSync(join(HAND, 'liste-factures-fr.csv')));
    await dragAndDrop(page, [{ name: 'liste-factures-fr.csv', text }]);
    await importDone(page);
    await expect.poll(() => page.locator('[data-testid="import-report"] [data-file="liste-factures-fr.csv"]').getAttribute('data-status')).toBe('imported');
    await expectHandFigures(page);
  });

  it('rebuilds a FEC, reads an Excel workbook sheet by sheet and a Parquet file: the same figures each time', async () => {
    // tests/unit/import-formats.test.ts: as of 2024-03-31 outstanding 3800, overdue 2000, unapplied 500
    const expectSame = async () => {
      await showOverviewAsOf(page, '2024-03-31');
      await page.locator('[data-testid="overview-subtitle"]').filter({ hasText: '31/03/2024' }).waitFor();
      expect([await kpiValue(page, 'outstanding'), await kpiValue(page, 'overdue'), await kpiValue(page, 'unapplied_cash')]).toEqual([3800, 2000, 500]);
      expect(await kpiValue(page, 'dso')).toBeCloseTo(47.5, 9);
    };
    const dir = mkdtempSync(join(tmpdir(), 'encours-formats-'));
    writeFileSync(join(dir, 'balance.xlsx'), workbook());
    writeFileSync(join(dir, 'factures.parquet'), parquetOf('invoices.csv'));
    writeFileSync(join(dir, 'reglements.parquet'), parquetOf('payments.csv'));

    const page = await open('/');
    await dropFiles(page, [join(SAME_LEDGER, '123456789FEC20241231.txt')]);
    await expect.poll(() => page.locator('[data-testid="import-report"] [data-file="123456789FEC20241231.txt"]').getAttribute('data-status')).toBe('imported');
    expect(await page.locator('[data-testid="import-report"]').textContent()).toContain('FEC (fichier des écritures comptables)');
    await expectSame();

    const startAfresh = async () => {
      await page.locator('header nav a').first().click();
      await page.getByRole('button', { name: 'Repartir d’une balance vide' }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Repartir d’une balance vide' }).count()).toBe(0);
    };
    await startAfresh();
    await dropFiles(page, [join(dir, 'balance.xlsx')]);
    const book = page.locator('[data-testid="import-report"] [data-file="balance.xlsx"]');
    await expect.poll(() => book.getAttribute('data-status')).toBe('imported');
    expect(await book.textContent()).toContain('feuille « Factures »');
    // the sheet's total row, checked against its rows
    expect(await book.locator('[data-testid="control-total"][data-ok="true"]').textContent()).toMatch(/8\s400,00/);
    await book.getByRole('button', { name: 'Lire cette feuille' }).click();
    await importDone(page);
    await expect.poll(() => book.textContent()).toContain('feuille « Règlements »');
    await expectSame();

    await startAfresh();
    await dropFiles(page, [join(dir, 'factures.parquet'), join(dir, 'reglements.parquet')]);
    await expect.poll(() => page.locator('[data-testid="import-report"] [data-status="imported"]').count()).toBe(2);
    await expectSame();

    // the same ledger as a customer ledger (grand livre clients): the same figures again
    await startAfresh();
    await dropFiles(page, [join(SAME_LEDGER, 'grand-livre-clients.csv')]);
    const gl = page.locator('[data-testid="import-report"] [data-file="grand-livre-clients.csv"]');
    await expect.poll(() => gl.getAttribute('data-status')).toBe('imported');
    expect(await gl.textContent()).toContain('grand livre clients');
    await expectSame();

    // an ERP's aged balance as CSV, titles above and a total row below (import-formats.test.ts):
    // open items only, outstanding 6200 of which 4400 overdue, and the file's two totals checked
    await startAfresh();
    await dropFiles(page, [join(import.meta.dirname, '..', 'fixtures', 'erp', 'balance-agee-fr.csv')]);
    const aged = page.locator('[data-testid="import-report"] [data-file="balance-agee-fr.csv"]');
    await expect.poll(() => aged.getAttribute('data-status')).toBe('imported');
    expect(await aged.locator('[data-testid="control-total"][data-ok="true"]').count()).toBe(2);
    expect(await aged.textContent()).toContain('3 lignes de titre');
    await showOverviewAsOf(page, '2024-03-31');
    await page.locator('[data-testid="overview-subtitle"]').filter({ hasText: '31/03/2024' }).waitFor();
    expect([await kpiValue(page, 'outstanding'), await kpiValue(page, 'overdue')]).toEqual([6200, 4400]);

    // the same open items as an aged balance by customer (a column per bucket): the same figures,
    // dated from the report's date found in its title
    await startAfresh();
    await dropFiles(page, [join(import.meta.dirname, '..', 'fixtures', 'erp', 'balance-agee-par-client.csv')]);
    const summary = page.locator('[data-testid="import-report"] [data-file="balance-agee-par-client.csv"]');
    await expect.poll(() => summary.getAttribute('data-status')).toBe('imported');
    expect(await summary.locator('[data-testid="report-date"]').getAttribute('data-source')).toBe('title');
    expect(await summary.locator('[data-testid="report-date"]').textContent()).toContain('31/03/2024');
    // (the report's date is the ledger's latest: the overview opens on it)
    await page.locator('header nav a').nth(1).click();
    await page.waitForURL('**/overview');
    await page.locator('[data-testid="overview-subtitle"]').filter({ hasText: '31/03/2024' }).waitFor();
    expect([await kpiValue(page, 'outstanding'), await kpiValue(page, 'overdue')]).toEqual([6200, 4400]);
    // open items only, no payments to learn from: the forecast page says so
    await page.locator('header nav a[href*="/forecast"]').click();
    await page.waitForURL('**/forecast**');
    await page.getByTestId('no-payment-history').waitFor();
  });

  it('maps the columns of an unknown export by hand, imports it, and remembers the mapping for the next one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'encours-mapping-'));
    const head = 'Pièce;Tiers;Le;Valeur;Échu le\n';
    writeFileSync(join(dir, 'export-mars.csv'), head + 'A1;K1;15/01/2024;1 000,00;14/02/2024\nA2;K2;20/03/2024;500,00;19/04/2024\n');
    writeFileSync(join(dir, 'export-avril.csv'), head + 'A3;K1;25/03/2024;200,00;24/04/2024\n');
    const page = await open('/');
    await dropFiles(page, [join(dir, 'export-mars.csv')]);
    const file = page.locator('[data-testid="import-report"] [data-file="export-mars.csv"]');
    await expect.poll(() => file.getAttribute('data-status')).toBe('failed');
    await file.getByTestId('open-mapping').click();
    const editor = page.getByTestId('mapping-editor');
    await editor.waitFor();
    expect(await editor.getByTestId('mapping-sample').locator('tbody tr').count()).toBe(2);
    for (const [field, header] of [['invoice_id', 'Pièce'], ['customer_id', 'Tiers'], ['invoice_date', 'Le'], ['amount', 'Valeur'], ['due_date', 'Échu le']]) {
      await editor.locator(`tr[data-field="${field}"] select`).selectOption(header);
    }
    await editor.getByRole('button', { name: 'Vérifier cette correspondance' }).click();
    await expect.poll(() => editor.locator('tr[data-field="amount"] [data-rate]').textContent()).toBe('100 %');
    await editor.getByTestId('mapping-apply').click();
    await importDone(page);
    await expect.poll(() => page.locator('[data-testid="import-report"] [data-file="export-mars.csv"]').getAttribute('data-status')).toBe('imported');
    // next month's export, same header: no question asked
    await dropFiles(page, [join(dir, 'export-avril.csv')]);
    const april = page.locator('[data-testid="import-report"] [data-file="export-avril.csv"]');
    await expect.poll(() => april.getAttribute('data-status')).toBe('imported');
    expect(await april.textContent()).toContain('comme la dernière fois');
    await showOverviewAsOf(page, '2024-03-31');
    await expect.poll(() => kpiValue(page, 'outstanding')).toBe(1700);
  });

  it('lists every rejected row with its line, column and reason', async () => {
    const page = await open('/');
    await dropFiles(page, hand('rejects.csv'));
    const file = page.locator('[data-testid="import-report"] [data-file="rejects.csv"]');
    expect(await file.locator('[data-count="rows_read"]').textContent()).toBe('7');
    expect(await file.locator('[data-count="rows_imported"]').textContent()).toBe('2');
    expect(await file.locator('[data-count="rows_rejected"]').textContent()).toBe('5');
    const rows = await file.locator('[data-testid="rejects-table"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.querySelector('td')?.textContent, tr.getAttribute('data-reason')]),
    );
    expect(rows).toEqual([
      ['3', 'required_missing'],
      ['4', 'bad_date'],
      ['5', 'bad_amount'],
      ['6', 'duplicate_in_file'],
      ['7', 'malformed_line'],
    ]);
    await expect.poll(() => file.textContent()).toContain('date illisible (attendu yyyy-mm-dd)');
    expect(await file.textContent()).toContain('doublon de la ligne 2');
  });

  it('says clearly why a binary, empty or unrecognised file is refused, and stays usable', async () => {
    const page = await open('/');
    await dropFiles(page, hand('binary.csv', 'empty.csv', 'missing-columns.csv'));
    const error = (f: string) => page.locator(`[data-testid="import-report"] [data-file="${f}"] [data-testid="import-error"]`).textContent();
    expect(await error('binary.csv')).toContain('pas un fichier texte');
    expect(await error('empty.csv')).toContain('vide');
    const unrecognised = await error('missing-columns.csv');
    expect(unrecognised).toContain('customer, montant');
    expect(unrecognised).toContain('numéro de facture');
    expect(unrecognised).toContain('date de facture');
    // still usable: a good file goes through afterwards
    await page.setInputFiles('[data-testid="file-input"]', hand('invoices.csv'));
    await expect.poll(() => page.locator('[data-testid="import-report"] [data-file="invoices.csv"]').getAttribute('data-status'), { timeout: 60_000 }).toBe('imported');
  });

  it('asks for the date format when day and month cannot be told apart', async () => {
    const page = await open('/');
    await page.setInputFiles('[data-testid="file-input"]', hand('ambiguous-dates.csv'));
    await page.locator('[data-testid="import-report"] [data-file="ambiguous-dates.csv"][data-status="needs_input"]').waitFor({ timeout: 60_000 });
    await page.getByLabel('dd/mm/yyyy').check();
    await page.getByRole('button', { name: 'Importer avec ce format' }).click();
    await expect.poll(() => page.locator('[data-testid="import-report"] [data-file="ambiguous-dates.csv"]').getAttribute('data-status'), { timeout: 60_000 }).toBe('imported');
  });

  it('cancels a long import and leaves the ledger as it was', async () => {
    const page = await open('/');
    await dropFiles(page, hand('customers.csv', 'invoices.csv', 'payments.csv'));
    // ~25 MB of invoices: long enough to press Cancel while it loads.
    const big = await page.evaluate(() => {
      const lines = ['invoice_id,customer_id,invoice_date,due_date,amount'];
      for (let i = 0; i < 400_000; i++) lines.push(`BIG${i},C${i % 500},2024-01-${String((i % 28) + 1).padStart(2, '0')},2024-02-28,${(i % 997) + 0.5}`);
      return lines.join('\n');
    });
    await dragAndDrop(page, [{ name: 'big.csv', text: big }]);
    await page.locator('[data-testid="cancel-import"]').click();
    await page.getByText('Import annulé').waitFor({ timeout: 60_000 });
    await expectHandFigures(page);
  });

  it('works offline after the first visit: reload, drop a file, see the figures', async () => {
    const page = await open('/');
    await page.waitForFunction(async () => {
      const reg = await navigator.serviceWorker.ready;
      return Boolean(reg.active && navigator.serviceWorker.controller);
    }, undefined, { timeout: 90_000 });
    await app!.context.setOffline(true);
    await page.reload();
    await page.locator('[data-testid="drop-zone"]').waitFor();
    await dropFiles(page, hand('customers.csv', 'invoices.csv', 'payments.csv'));
    // navigating offline goes through the service worker too
    await expectHandFigures(page);
    await app!.context.setOffline(false);
  });

  it('switches to English, remembers it, and formats numbers the English way', async () => {
    const page = await open('/');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Drop your receivables ledger' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Drop your receivables ledger' }).waitFor();
    await dropFiles(page, hand('customers.csv', 'invoices.csv', 'payments.csv'));
    await showOverviewAsOf(page, '2024-03-31');
    await expect.poll(() => page.locator('[data-kpi="outstanding"] .value').textContent(), { timeout: 60_000 }).toBe('€6,600.00');
    await page.getByRole('button', { name: 'Français' }).click();
    await expect.poll(() => page.locator('[data-kpi="outstanding"] .value').textContent()).toBe('6\u202f600,00\u00a0€');
  });

  it('fits a portrait tablet without horizontal page scroll, with 44 px touch targets', async () => {
    const page = await open('/?demo', { width: 768, height: 1024 });
    await page.waitForURL('**/overview', { timeout: 90_000 });
    await page.locator('[data-kpi="dso"]').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const small = await page.locator('button:visible, a.button:visible, nav a:visible').evaluateAll((els) =>
      els.map((e) => e.getBoundingClientRect()).filter((r) => r.height < 44).length,
    );
    expect(small).toBe(0);
  });
});
