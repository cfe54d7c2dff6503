/**
 * Open items at a date, as every balance KPI reads them (ledger.sql: open_items_at, read through the
 * short-item window and the long items), against their definition written out plainly here: an
 * invoice dated on or before d, open for its amount − the payments allocated to it dated on or
 * before d, when that is not 0. Checked on every day of a ledger built to hit each case: paid in
 * instalments, never settled, settled long after, paid before its own date, over-allocated, paid
 * then reversed and paid again, a credit note; and many short-lived invoices so that the window is
 * shorter than the long items.
 */
import { describe, expect, it } from 'vitest';
import { compactLedger, ledgerChanged } from '../../src/lib/engine/bootstrap';
import type { SqlEngine } from '../../src/lib/engine/sql-engine';
import { importFiles } from '../../src/lib/importers/import';
import { runQuery } from '../../src/lib/kpi/queries';
import { fixture, freshEngine } from './support/engine';

const INVOICES: [id: string, date: string, due: string, amount: number][] = [
  ['INSTALMENTS', '2024-01-10', '2024-02-09', 100],
  ['NEVER', '2024-01-15', '2024-02-14', 80],
  ['LATE', '2024-01-05', '2024-02-04', 50],
  ['PREPAID', '2024-03-01', '2024-03-31', 40],
  ['OVERPAID', '2024-02-01', '2024-03-02', 30],
  ['REVERSED', '2024-02-10', '2024-03-11', 70],
  ['CREDIT', '2024-02-20', '2024-02-20', -25],
];
const PAYMENTS: [invoice: string, date: string, amount: number][] = [
  ['INSTALMENTS', '2024-02-01', 40],
  ['INSTALMENTS', '2024-03-15', 60],
  ['NEVER', '2024-02-20', 30],
  ['LATE', '2024-08-30', 50],
  ['PREPAID', '2024-02-25', 40],
  ['OVERPAID', '2024-02-15', 45],
  ['REVERSED', '2024-02-28', 70],
  ['REVERSED', '2024-03-05', -70],
  ['REVERSED', '2024-04-02', 70],
  ['CREDIT', '2024-03-10', -25],
];

/** 300 invoices of 10 each, every day from 2023-12-01, each paid 12 days after its date. */
const SHORT = Array.from({ length: 300 }, (_, i) => i);

async function ledger(): Promise<SqlEngine> {
  const engine = await freshEngine();
  await engine.exec(`INSERT INTO customers (customer_id, customer_name) VALUES ('C', 'Client')`);
  for (const [id, date, due, amount] of INVOICES) {
    await engine.query(
      `INSERT INTO invoices (invoice_id, customer_id, invoice_date, due_date, amount, currency, document_type)
       VALUES (?, 'C', ?::DATE, ?::DATE, ?::DECIMAL(18,2), 'EUR', CASE WHEN ? < 0 THEN 'credit_note' ELSE 'invoice' END)`,
      [id, date, due, amount, amount],
    );
  }
  await engine.exec(`
    INSERT INTO invoices (invoice_id, customer_id, invoice_date, due_date, amount, currency, document_type)
    SELECT 'S' || i, 'C', DATE '2023-12-01' + i::INTEGER, DATE '2023-12-31' + i::INTEGER, 10, 'EUR', 'invoice' FROM range(${SHORT.length}) r(i);
    INSERT INTO payments (payment_id, customer_id, invoice_id, payment_date, amount, currency)
    SELECT 'PS' || i, 'C', 'S' || i, DATE '2023-12-13' + i::INTEGER, 10, 'EUR' FROM range(${SHORT.length}) r(i);`);
  for (const [n, [invoice, date, amount]] of PAYMENTS.entries()) {
    await engine.query(`INSERT INTO payments (payment_id, customer_id, invoice_id, payment_date, amount, currency) VALUES (?, 'C', ?, ?::DATE, ?::DECIMAL(18,2), 'EUR')`, [
      `P${n}`,
      invoice,
      date,
      amount,
    ]);
  }
  await ledgerChanged(engine);
  return engine;
}

/** The definition, read straight from the canonical tables. */
const BY_DEFINITION = `
  SELECT d.d AS snapshot_date, i.invoice_id, (i.amount - COALESCE(sum(p.amount), 0))::DOUBLE AS open_amount, (d.d - i.due_date) AS days_overdue
  FROM days d JOIN invoices i ON i.invoice_date <= d.d
  LEFT JOIN payments p ON p.invoice_id = i.invoice_id AND p.payment_date <= d.d
  GROUP BY d.d, i.invoice_id, i.amount, i.due_date
  HAVING i.amount - COALESCE(sum(p.amount), 0) <> 0
  ORDER BY ALL`;

describe('open items at a date', () => {
  it('are the definition on every day, one date or two at a time, with the short items read through a window', async () => {
    const engine = await ledger();
    const [{ w, long }] = await engine.query<{ w: number; long: number }>(
      `SELECT (SELECT window_days FROM open_window_facts) AS w, (SELECT count(*)::INTEGER FROM long_open_facts) AS long`,
    );
    // the window is shorter than the long items' time open, and the short invoices are not copied
    expect(w).toBeLessThan(90);
    expect(long).toBeLessThan(INVOICES.length + 1);
    expect(long).toBeGreaterThanOrEqual(3); // NEVER, LATE, OVERPAID at least
    await engine.exec(`CREATE TEMP TABLE days AS SELECT (DATE '2023-11-30' + i::INTEGER) AS d FROM range(0, 320, 1) r(i)`);
    const expected = await engine.query(BY_DEFINITION);
    const days = (await engine.query<{ d: string }>(`SELECT strftime(d, '%Y-%m-%d') AS d FROM days ORDER BY d`)).map((r) => r.d);
    const read = (d1: string, d2: string) =>
      engine.query(
        `SELECT snapshot_date, invoice_id, open_amount::DOUBLE AS open_amount, days_overdue FROM open_items_at(?::DATE, ?::DATE) WHERE snapshot_date = ?::DATE ORDER BY ALL`,
        [d1, d2, d1],
      );
    const single = [];
    const paired = [];
    for (const d of days) {
      single.push(...(await read(d, d)));
      // two dates per pass, 45 days apart (prepareSnapshots builds the dates it misses two by two)
      const later = new Date(Date.parse(d) + 45 * 86_400_000).toISOString().slice(0, 10);
      paired.push(...(await read(d, later)));
    }
    expect(single).toEqual(expected);
    expect(paired).toEqual(expected);
    // the cases themselves, by hand, on 2024-03-06: INSTALMENTS 100 − 40, NEVER 80 − 30, LATE 50,
    // OVERPAID 30 − 45 = −15 (a credit), REVERSED 70 − 70 + 70 = 70, CREDIT −25 (set off on
    // 03-10); PREPAID settled before its own date
    const on = (await engine.query<{ invoice_id: string; open_amount: number }>(
      `SELECT invoice_id, open_amount::DOUBLE AS open_amount FROM open_items_at(DATE '2024-03-06', DATE '2024-03-06') WHERE invoice_id NOT LIKE 'S%' ORDER BY invoice_id`,
    )).map((r) => [r.invoice_id, r.open_amount]);
    expect(on).toEqual([['CREDIT', -25], ['INSTALMENTS', 60], ['LATE', 50], ['NEVER', 50], ['OVERPAID', -15], ['REVERSED', 70]]);
  });

  it('outstanding at a date, and CEI opening with it (as_of − P), from the same items', async () => {
    const engine = await ledger();
    // on 2024-03-06: the items above, 190, + the short invoices dated 2024-02-24 … 2024-03-06, each
    // paid 12 days after its date: 12 × 10
    const [{ outstanding }] = await engine.query<{ outstanding: number }>(
      `SELECT outstanding::DOUBLE AS outstanding FROM outstanding_at(DATE '2024-03-06', 'EUR', NULL::VARCHAR, NULL::VARCHAR)`,
    );
    expect(outstanding).toBe(190 + 120);
    // and CEI as of 2024-06-04 (P = 90) opens with it: checked against the ledger summed by hand
    const [cei] = await runQuery(engine, 'cei', { as_of: '2024-06-04', period_days: 90, currency: 'EUR' });
    // sales in (03-06, 06-04]: short invoices 03-07 … 06-04 = 90 × 10 = 900 (nothing else dated then);
    // at 06-04: NEVER 50, LATE 50, OVERPAID −15, REVERSED 0, shorts 05-24 … 06-04 = 120 → 205, of
    // which not due: the shorts due 30 days after their date = 120
    // cei = (310 + 900 − 205) / (310 + 900 − 120) × 100
    expect(cei.cei).toBeCloseTo(((310 + 900 - 205) / (310 + 900 - 120)) * 100, 9);
  });
});

describe('compaction', () => {
  it('changes no figure and gives the memory back', async () => {
    const engine = await freshEngine();
    await importFiles(engine, ['customers', 'credit_limits', 'invoices', 'payments', 'disputes', 'promises', 'actions'].map((f) => fixture('hand', `${f}.csv`)));
    // and 300,000 invoices in another currency, enough for the memory to show
    await engine.exec(`INSERT INTO invoices (invoice_id, customer_id, invoice_date, due_date, amount, currency, document_type)
      SELECT 'U' || i, 'U' || (i % 500), DATE '2023-01-01' + (i % 400)::INTEGER, DATE '2023-02-01' + (i % 400)::INTEGER, 100 + i % 997, 'USD', 'invoice'
      FROM range(300000) r(i)`);
    await ledgerChanged(engine);
    const scope = { as_of: '2024-03-31', period_days: 90, currency: 'EUR' };
    const before = [await runQuery(engine, 'balances', scope), await runQuery(engine, 'aging', scope), await runQuery(engine, 'dso', scope)];
    const used = async () => (await engine.query<{ b: number }>(`SELECT sum(memory_usage_bytes)::DOUBLE AS b FROM duckdb_memory()`))[0].b;
    const used0 = await used();
    await compactLedger(engine);
    expect(await used()).toBeLessThan(used0 / 2);
    expect([await runQuery(engine, 'balances', scope), await runQuery(engine, 'aging', scope), await runQuery(engine, 'dso', scope)]).toEqual(before);
    // hand-worked (tests/fixtures/hand): outstanding 6600 = overdue 2900 + not due 3700
    expect(before[0][0]).toMatchObject({ outstanding: 6600, overdue: 2900, not_due: 3700 });
  });
});
