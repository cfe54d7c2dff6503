/**
 * A workspace's ledger saved as Arrow and loaded back into a fresh engine gives the same ledger:
 * the hand-worked figures (tests/fixtures/hand, as of 2024-03-31), the import log, and a damaged
 * image is refused whole.
 */
import { describe, expect, it } from 'vitest';
import { ledgerChanged } from '../../src/lib/engine/bootstrap';
import { importFiles } from '../../src/lib/importers/import';
import { IMAGE_FACT_TABLES } from '../../src/lib/workspace/image-format';
import { runQuery, type Scope } from '../../src/lib/kpi/queries';
import { canImage, IMAGE_TABLES, ImageMismatch, loadImage, takeImage } from '../../src/lib/workspace/ledger-image';
import { fixture, freshEngine } from './support/engine';

const D: Scope = { as_of: '2024-03-31', period_days: 90, currency: 'EUR' };
const HAND = ['customers', 'credit_limits', 'invoices', 'payments', 'disputes', 'promises', 'actions'].map((f) => fixture('hand', `${f}.csv`));

async function imaged(withRejects = false) {
  const source = await freshEngine();
  await importFiles(source, withRejects ? [...HAND, { ...fixture('hand', 'rejects.csv'), name: 'more-invoices.csv' }] : HAND);
  if (!canImage(source)) throw new Error('the wasm host keeps images');
  return { source, parts: await takeImage(source) };
}

describe('ledger image', () => {
  it('loads back into a fresh engine with the hand-worked figures', async () => {
    const { source, parts } = await imaged();
    expect(parts.map((p) => p.table)).toEqual([...IMAGE_TABLES]);
    const target = await freshEngine();
    if (!canImage(target)) throw new Error('the wasm host keeps images');
    await loadImage(target, parts);
    const [b] = await runQuery(target, 'balances', D);
    // hand-worked: outstanding 6600 = overdue 2900 + not due 3700, disputed 2000, unapplied 300
    expect(b).toMatchObject({ sales: 7000, outstanding: 6600, overdue: 2900, not_due: 3700, disputed: 2000, unapplied_cash: 300 });
  });

  it('keeps every table as it was, column types and the import log (rejected rows) included', async () => {
    const { source, parts } = await imaged(true);
    const target = await freshEngine();
    if (!canImage(target)) throw new Error('the wasm host keeps images');
    await loadImage(target, parts);
    const [{ n }] = await target.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM import_rejects');
    expect(n).toBeGreaterThan(0);
    for (const table of IMAGE_TABLES) {
      const q = `SELECT * FROM ${table} ORDER BY ALL`;
      expect(await target.query(q), table).toEqual(await source.query(q));
    }
    // the column types survive (DECIMAL amounts, DATEs), not only the values
    const types = `SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE table_name IN ('invoices', 'payments') ORDER BY ALL`;
    expect(await target.query(types)).toEqual(await source.query(types));
  });

  it('the facts come back as saved, in their order (by date), and as the tables would rebuild them', async () => {
    const { source, parts } = await imaged(true);
    const target = await freshEngine();
    if (!canImage(target)) throw new Error('the wasm host keeps images');
    await loadImage(target, parts);
    const loaded: Record<string, unknown[]> = {};
    for (const table of IMAGE_FACT_TABLES) {
      // no ORDER BY: the order they are stored in (date order: date ranges skip row groups)
      loaded[table] = await target.query(`SELECT * FROM ${table}`);
      expect(loaded[table], table).toEqual(await source.query(`SELECT * FROM ${table}`));
    }
    expect((loaded.invoice_facts as { invoice_date: string }[]).map((r) => r.invoice_date)).toEqual(
      (loaded.invoice_facts as { invoice_date: string }[]).map((r) => r.invoice_date).sort(),
    );
    // the summary (not in the image) rebuilt at loading
    expect(await runQuery(target, 'ledger_summary', {})).toEqual(await runQuery(source, 'ledger_summary', {}));
    await ledgerChanged(target);
    for (const table of IMAGE_FACT_TABLES) {
      const q = `SELECT * FROM ${table} ORDER BY ALL`;
      expect(await target.query(q), table).toEqual(await source.query(q));
    }
  });

  it('an image with a table missing or a wrong row count is refused and leaves the ledger empty', async () => {
    const { parts } = await imaged();
    const target = await freshEngine();
    if (!canImage(target)) throw new Error('the wasm host keeps images');
    await expect(loadImage(target, parts.filter((p) => p.table !== 'payments'))).rejects.toThrow(ImageMismatch);
    const short = parts.map((p) => (p.table === 'invoices' ? { ...p, rows: p.rows + 1 } : p));
    await expect(loadImage(target, short)).rejects.toThrow(/invoices: \d+ rows read back/);
    const [{ n }] = await target.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM invoices');
    expect(n).toBe(0);
  });
});
