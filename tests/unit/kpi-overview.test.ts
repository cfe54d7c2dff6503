/**
 * The hand-worked ledger of tests/fixtures/hand, as of 2024-03-31, P = 90 days
 * (period = invoice dates 2024-01-02 … 2024-03-31):
 *
 *   item  due         amount   paid ≤ D   open    days overdue  bucket
 *   I1    2024-01-14   1000      400       600      77          61-90
 *   I2    2024-02-09   2000        0      2000      51          31-60
 *   I3    2024-03-21   1500     1500         0       –          (closed)
 *   I4    2024-04-14   3000        0      3000     -14          not_due  (1000 paid on 04-02, after D)
 *   I5    2023-10-31    500        0       500     152          >120
 *   CN1   2024-03-20   -200        0      -200      11          1-30     (credit note: due = its own date)
 *   I6    2024-03-31    700        0       700       0          not_due  (due on D is not overdue)
 *   I7    (invoiced 2024-04-05, after D: does not exist yet)
 *   P4    300 unapplied cash: not in outstanding
 *
 *   outstanding = 6600, overdue = 600 + 2000 + 500 − 200 = 2900, not_due = 3700
 *   pct_overdue = 2900 / 6600 × 100 = 43.9393…
 *   sales (period) = I2 2000 + I3 1500 + I4 3000 + CN1 −200 + I6 700 = 7000
 *   dso = 6600 / 7000 × 90 = 84.857142…
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlEngine } from '../../src/lib/engine/sql-engine';
import { importFiles } from '../../src/lib/importers/import';
import { runQuery } from '../../src/lib/kpi/queries';
import { fixture, freshEngine } from './support/engine';

const text = (s: string) => new TextEncoder().encode(s);

const P = { as_of: '2024-03-31', period_days: 90, currency: 'EUR' };

async function expectHandFigures(engine: SqlEngine) {
  const [o] = await runQuery(engine, 'overview', P);
  expect(o.outstanding).toBe(6600);
  expect(o.overdue).toBe(2900);
  expect(o.not_due).toBe(3700);
  expect(o.pct_overdue).toBeCloseTo((2900 / 6600) * 100, 10);
  expect(o.sales).toBe(7000);
  expect(o.dso).toBeCloseTo((6600 / 7000) * 90, 10);
  const aging = await runQuery(engine, 'aging', P);
  expect(aging.map((a) => [a.bucket, a.amount])).toEqual([
    ['not_due', 3700],
    ['1-30', -200],
    ['31-60', 2000],
    ['61-90', 600],
    ['91-120', 0],
    ['>120', 500],
  ]);
}

describe('overview KPIs and aged balance on the hand-worked ledger', () => {
  let canonical: SqlEngine;
  beforeAll(async () => {
    canonical = await freshEngine();
    await importFiles(canonical, [fixture('hand', 'customers.csv'), fixture('hand', 'invoices.csv'), fixture('hand', 'payments.csv')]);
  });

  it('from the canonical files', async () => {
    await expectHandFigures(canonical);
  });

  it('from the same ledger as a French single invoice list (Windows-1252, ;, 1 000,00, dd/mm/yyyy)', async () => {
    const engine = await freshEngine();
    const result = await importFiles(engine, [fixture('hand', 'liste-factures-fr.csv')]);
    expect(result.status).toBe('done');
    const f = result.files[0];
    expect(f.detected).toMatchObject({ layout: 'invoices', encoding: 'windows-1252', delimiter: ';', date_format: 'dmy', decimal_comma: true });
    expect(f.detected?.mapping).toMatchObject({
      invoice_id: 'N° facture',
      customer_id: 'Client',
      invoice_date: 'Date facture',
      due_date: 'Échéance',
      amount: 'Montant TTC',
      settled_date: 'Date de règlement',
      paid_amount: 'Montant réglé',
    });
    expect(f.derived).toEqual({ customers: 3, payments: 3 });
    await expectHandFigures(engine);
  });

  it('per customer, largest balance first, buckets summing to the total', async () => {
    const rows = await runQuery(canonical, 'aging_by', { ...P, by: 'customer', limit: 10 });
    // C2: I4 3000 + CN1 −200 = 2800; C1: I1 600 + I2 2000 = 2600; C3: I5 500 + I6 700 = 1200
    expect(rows.map((r) => [r.key, r.label, r.total])).toEqual([
      ['C2', 'Garage du Port', 2800],
      ['C1', 'Boulangerie Martin', 2600],
      ['C3', 'Atelier Nord', 1200],
    ]);
    expect(rows[0]).toMatchObject({ b0: 3000, b1: -200, row_count: 3 }); // b0 = not due, b1 = 1–30 days
    expect(rows[2]).toMatchObject({ b0: 700, b5: 500 }); // b5 = over 120 days
  });

  it('rebuilds balances as of an earlier date from dated movements', async () => {
    // As of 2024-02-15: I1 open 600 (paid 400 on 02-10), I2 2000 (due 02-09: 6 days overdue),
    // I5 500 (107 days overdue). I3, I4, CN1, I6 not invoiced yet.
    const [o] = await runQuery(canonical, 'overview', { ...P, as_of: '2024-02-15' });
    expect(o).toMatchObject({ outstanding: 3100, overdue: 3100, not_due: 0, pct_overdue: 100 });
    // sales in (2023-11-17, 2024-02-15]: I1 1000 + I2 2000 = 3000 → dso = 3100 / 3000 × 90 = 93
    expect(o.dso).toBeCloseTo(93, 10);
  });

  it('gives no DSO rather than a division by zero when the period has no sales', async () => {
    const [o] = await runQuery(canonical, 'overview', { ...P, as_of: '2023-12-01' });
    expect(o.outstanding).toBe(500);
    expect(o.sales).toBe(500);
    const [empty] = await runQuery(canonical, 'overview', { ...P, as_of: '2023-09-01' });
    expect(empty).toMatchObject({ outstanding: 0, sales: 0, dso: null, pct_overdue: null });
  });

  it('keeps currencies apart', async () => {
    const [usd] = await runQuery(canonical, 'overview', { ...P, currency: 'USD' });
    expect(usd.outstanding).toBe(0);
  });
});

describe('settled invoices skipped by open_items stay exact', () => {
  it('a bounced payment reopens the invoice until it is paid again', async () => {
    const engine = await freshEngine();
    await importFiles(engine, [
      { name: 'invoices.csv', bytes: text('invoice_id,customer_id,invoice_date,due_date,amount\nR1,K,2024-01-01,2024-01-31,100\n') },
      // paid on 01-10, the payment bounces on 02-01, paid again on 03-01
      { name: 'payments.csv', bytes: text('payment_id,invoice_id,payment_date,amount\nA,R1,2024-01-10,100\nB,R1,2024-02-01,-100\nC,R1,2024-03-01,100\n') },
    ]);
    const at = async (as_of: string) => (await runQuery(engine, 'overview', { as_of, period_days: 90, currency: 'EUR' }))[0];
    expect((await at('2024-01-15')).outstanding).toBe(0);
    expect(await at('2024-02-15')).toMatchObject({ outstanding: 100, overdue: 100 });
    expect((await at('2024-03-15')).outstanding).toBe(0);
  });
});

describe('outstanding from the movements (CEI\'s AR at the start of the period)', () => {
  it('equals the open items summed, at every date, through partial payments, a bounce, a payment before its invoice, a credit note and an overpayment', async () => {
    const engine = await freshEngine();
    await importFiles(engine, [
      {
        name: 'invoices.csv',
        bytes: text(
          'invoice_id,customer_id,invoice_date,due_date,amount,document_type\n' +
            'A,K,2024-01-01,2024-01-31,1000,invoice\nB,K,2024-01-20,2024-02-19,500,invoice\nC,K,2024-02-01,2024-02-01,-200,credit_note\nE,K,2024-02-10,2024-03-10,300,invoice\n',
        ),
      },
      {
        name: 'payments.csv',
        // A: 400 then 600; B: 500, bounced, paid again; E: 100 paid before it was invoiced, then 250 (50 over)
        bytes: text(
          'payment_id,invoice_id,payment_date,amount\nP1,A,2024-01-15,400\nP2,A,2024-02-15,600\nP3,B,2024-01-25,500\nP4,B,2024-02-05,-500\nP5,B,2024-02-20,500\nP6,E,2024-02-01,100\nP7,E,2024-02-25,250\n',
        ),
      },
    ]);
    // by hand: 01-10: A 1000; 01-20: A 600 + B 500 = 1100; 01-31: A 600; 02-10: A 600 + B 500 − C 200 + E 200 = 1100;
    // 02-29: C −200 + E −50 = −250
    const expected: Record<string, number> = { '2024-01-10': 1000, '2024-01-20': 1100, '2024-01-31': 600, '2024-02-10': 1100, '2024-02-29': -250 };
    for (const [d, amount] of Object.entries(expected)) {
      const [{ outstanding }] = await engine.query<{ outstanding: number }>(`SELECT outstanding::DOUBLE AS outstanding FROM outstanding_at(?::DATE, 'EUR', NULL, NULL)`, [d]);
      expect(outstanding, d).toBe(amount);
      expect((await runQuery(engine, 'balances', { as_of: d, period_days: 30, currency: 'EUR' }))[0].outstanding, d).toBe(amount);
    }
  });
});

describe('open-item snapshots', () => {
  it('are rebuilt after an import, and reused across slices of the same date', async () => {
    const engine = await freshEngine();
    await importFiles(engine, [fixture('hand', 'customers.csv'), fixture('hand', 'invoices.csv')]);
    // no payments yet: everything invoiced by D is open: 9499 − I7 999 = 8500
    expect((await runQuery(engine, 'overview', P))[0].outstanding).toBe(8500);
    await importFiles(engine, [fixture('hand', 'payments.csv')]);
    expect((await runQuery(engine, 'overview', P))[0].outstanding).toBe(6600);
    const dates = async () => (await engine.query<{ n: number }>(`SELECT count(*) AS n FROM open_snapshot_dates`))[0].n;
    await runQuery(engine, 'balances', { ...P, dim: 'customer', val: 'C2' });
    expect(await dates()).toBe(1); // D only, whatever the slice (CEI's AR at D − P is summed from the items open then, outstanding_at)
  });

  it("keep each item's own dimensions: an invoice's division wins over its customer's, in every slice", async () => {
    // C1 is Retail; its invoice X2 says Export. Open at D: X1 100 (C1, Retail, 16 days overdue), X2 200 (C1, Export),
    // X3 400 (C2, no division). The open items keep a key to their text columns: both of C1's
    // sets of columns must come back, each with its own items.
    const engine = await freshEngine();
    await importFiles(engine, [
      { name: 'customers.csv', bytes: text('customer_id,customer_name,division,currency\nC1,Martin,Retail,EUR\nC2,Port,,EUR\n') },
      { name: 'invoices.csv', bytes: text('invoice_id,customer_id,invoice_date,due_date,amount,currency,division\nX1,C1,2024-03-01,2024-03-15,100,EUR,\nX2,C1,2024-03-02,2024-04-01,200,EUR,Export\nX3,C2,2024-03-03,2024-04-02,400,EUR,\n') },
    ]);
    const out = async (dim: 'division' | 'customer', val: string) => (await runQuery(engine, 'balances', { ...P, dim, val }))[0].outstanding;
    expect(await out('division', 'Retail')).toBe(100);
    expect(await out('division', 'Export')).toBe(200);
    expect(await out('customer', 'C1')).toBe(300);
    expect((await runQuery(engine, 'balances', P))[0].outstanding).toBe(700);
    const top = await runQuery(engine, 'top_late', { ...P, limit: 5 });
    expect(top.map((r) => [r.customer_id, r.customer_name])).toEqual([['C1', 'Martin']]); // X1 is the only item overdue
    const values = await runQuery(engine, 'dimension_values', { currency: 'EUR' });
    expect(values.filter((v) => v.dimension === 'division').map((v) => [v.value, v.invoices])).toEqual([['Export', 1], ['Retail', 1]]);
    expect(values.filter((v) => v.dimension === 'customer').map((v) => [v.value, v.invoices])).toEqual([['C1', 2], ['C2', 1]]);
  });

  it('refuse to answer for a date that was not prepared, rather than answer 0', async () => {
    const engine = await freshEngine();
    await importFiles(engine, [fixture('hand', 'invoices.csv')]);
    await expect(engine.query(`SELECT * FROM kpi_balances(DATE '2024-03-31', 90, 'EUR', NULL, NULL)`)).rejects.toThrow(/not prepared/);
  });
});
