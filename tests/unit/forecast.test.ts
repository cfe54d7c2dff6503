/**
 * The payment forecast on hand-built histories whose right answer is known (forecast.sql).
 * As of D = 2024-06-30, amounts of 100, default currency EUR.
 */
import { describe, expect, it } from 'vitest';
import type { SqlEngine } from '../../src/lib/engine/sql-engine';
import { importFiles } from '../../src/lib/importers/import';
import { runQuery, type Scope } from '../../src/lib/kpi/queries';
import { freshEngine } from './support/engine';

const D: Scope = { as_of: '2024-06-30', period_days: 90, currency: 'EUR' };
const day = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function ledger(files: Record<string, string>): Promise<SqlEngine> {
  const engine = await freshEngine();
  const r = await importFiles(engine, Object.entries(files).map(([name, text]) => ({ name, bytes: new TextEncoder().encode(text) })));
  for (const f of r.files) expect([f.file, f.rows_rejected, f.error]).toEqual([f.file, 0, undefined]);
  return engine;
}

/** n paid invoices of a customer, due every 7 days from `firstDue`, each paid `late` days after its due date. */
function history(customer: string, n: number, firstDue: string, late: number, prefix = customer) {
  const inv: string[] = [];
  const pay: string[] = [];
  for (let i = 0; i < n; i++) {
    const due = day(firstDue, 7 * i);
    inv.push(`${prefix}-${i},${customer},${day(due, -30)},${due},100.00`);
    pay.push(`P-${prefix}-${i},${customer},${prefix}-${i},${day(due, late)},100.00`);
  }
  return { inv, pay };
}
const files = (inv: string[], pay: string[], extra: Record<string, string> = {}) => ({
  'invoices.csv': `invoice_id,customer_id,invoice_date,due_date,amount\n${inv.join('\n')}\n`,
  'payments.csv': `payment_id,customer_id,invoice_id,payment_date,amount\n${pay.join('\n')}\n`,
  ...extra,
});

describe('payment forecast', () => {
  it('a customer who always pays 10 days late: its open invoice is forecast 10 days after its due date', async () => {
    const k = history('K', 10, '2024-03-01', 10);
    const engine = await ledger(files([...k.inv, 'OPEN,K,2024-06-05,2024-07-05,100.00'], k.pay));
    const [item] = await runQuery(engine, 'forecast_items', D);
    expect(item).toMatchObject({ invoice_id: 'OPEN', p10: '2024-07-15', p50: '2024-07-15', p90: '2024-07-15', within_horizon: 1 });
    // all its cash in the week of 07-15 (Monday 07-15 … 07-21)
    const weeks = await runQuery(engine, 'forecast_buckets', D);
    const w = weeks.filter((b) => b.kind === 'w' && b.expected > 0);
    expect(w.map((b) => [b.start_date, b.expected])).toEqual([['2024-07-15', 100]]);
    expect(weeks.filter((b) => b.kind === 'w')[0].start_date).toBe('2024-07-01');
  });

  it('shrinks toward the ledger: beside a customer who pays on its due date, part of the mass moves to the due date', async () => {
    // K: 10 paid 10 days late, 1 open (censored 5 days before its due date): n = 11, weight 11/16.
    // L: 10 paid on the due date. The ledger: at risk at delay 0 = 20, 10 paid → S(0) = ½; S(10) = 0.
    // S_K(x) = 11/16 × 1 + 5/16 × ½ = 27/32 for 0 ≤ x < 10: P(paid on the due date) = 5/32.
    const k = history('K', 10, '2024-03-01', 10);
    const l = history('L', 10, '2024-03-01', 0);
    const engine = await ledger(files([...k.inv, ...l.inv, 'OPEN,K,2024-06-05,2024-07-05,100.00'], [...k.pay, ...l.pay]));
    const [item] = await runQuery(engine, 'forecast_items', D);
    expect(item).toMatchObject({ invoice_id: 'OPEN', p10: '2024-07-05', p50: '2024-07-15', p90: '2024-07-15' });
    const weeks = (await runQuery(engine, 'forecast_buckets', D)).filter((b) => b.kind === 'w' && b.expected > 0);
    expect(weeks.map((b) => b.start_date)).toEqual(['2024-07-01', '2024-07-15']);
    expect(weeks[0].expected).toBeCloseTo((100 * 5) / 32, 9);
    expect(weeks[1].expected).toBeCloseTo((100 * 27) / 32, 9);
    // the band of one item of 100 paid with probability p in the week: sd = 100 √(p (1 − p))
    const p = 5 / 32;
    expect(weeks[0].p90).toBeCloseTo(100 * p + 1.2816 * 100 * Math.sqrt(p * (1 - p)), 9);
  });

  it('an invoice already late is forecast from the items that were still unpaid at its age (censoring)', async () => {
    // half paid 5 days late, half 30 days late; the open invoice is 12 days late at D: only the
    // 30-day payers were still unpaid at 12 days, so it is forecast at 30 days, not at 5 or 17.5.
    const early = history('K', 10, '2024-01-01', 5, 'E');
    const late = history('K', 10, '2024-01-04', 30, 'L');
    const engine = await ledger(files([...early.inv, ...late.inv, 'OPEN,K,2024-05-19,2024-06-18,100.00'], [...early.pay, ...late.pay]));
    const [item] = await runQuery(engine, 'forecast_items', D);
    expect(item).toMatchObject({ invoice_id: 'OPEN', p10: '2024-07-18', p50: '2024-07-18', p90: '2024-07-18' });
  });

  it("an open dispute pushes the date by what is left of its reason's typical resolution time", async () => {
    // 'price' disputes took 20 days (D1); OPEN's was opened 5 days before D: 15 days left.
    // K pays 10 days late: 07-05 + 10 + 15 = 07-30.
    const k = history('K', 10, '2024-03-01', 10);
    const engine = await ledger(
      files([...k.inv, 'OPEN,K,2024-06-05,2024-07-05,100.00'], k.pay, {
        'disputes.csv': 'dispute_id,invoice_id,opened_date,resolved_date,reason\nD1,K-0,2024-03-05,2024-03-25,price\nD2,OPEN,2024-06-25,,price\n',
      }),
    );
    const [item] = await runQuery(engine, 'forecast_items', D);
    expect(item).toMatchObject({ invoice_id: 'OPEN', p50: '2024-07-30' });
  });

  it('a promise to pay puts its weight on the promised date: the kept rate, shrunk toward the ledger', async () => {
    // No promise came due yet anywhere: p = (0 + 5 × ½) / (0 + 5) = ½ on 07-03, the rest 10 days after
    // the due date (07-15): P10 and P50 on the promise, P90 on 07-15.
    const k = history('K', 10, '2024-03-01', 10);
    const engine = await ledger(
      files([...k.inv, 'OPEN,K,2024-06-05,2024-07-05,100.00'], k.pay, {
        'promises.csv': 'promise_id,customer_id,invoice_id,promised_on,promised_date,amount\nPR1,K,OPEN,2024-06-28,2024-07-03,100.00\n',
      }),
    );
    const [item] = await runQuery(engine, 'forecast_items', D);
    expect(item).toMatchObject({ invoice_id: 'OPEN', p10: '2024-07-03', p50: '2024-07-03', p90: '2024-07-15' });
    const weeks = (await runQuery(engine, 'forecast_buckets', D)).filter((b) => b.kind === 'w' && b.expected > 0);
    expect(weeks.map((b) => [b.start_date, b.expected])).toEqual([['2024-07-01', 50], ['2024-07-15', 50]]);
  });
});
