/**
 * The payment forecast on hand-built histories whose right answer is known (forecast.sql).
 * As of D = 2024-06-30, amounts of 100, default currency EUR.
 */
import { describe, expect, it } from 'vitest';
import { CancelledError, type SqlEngine } from '../../src/lib/engine/sql-engine';
import { importFiles } from '../../src/lib/importers/import';
import { runQuery, type Scope } from '../../src/lib/kpi/queries';
import { backtest, monthEnds } from '../../src/lib/kpi/backtest';
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
    const [sum] = await runQuery(engine, 'forecast_summary', D);
    expect(sum).toEqual({ items: 1, open_amount: 100, expected_13_weeks: 100, expected_6_months: 100, beyond_horizon: 0 });
    // forecast DSO at 07-31: OPEN is expected paid on 07-15 (nothing of today's items left); sales
    // of the last 90 days: 100 (04-03) + 100 (OPEN, 06-05) → 200 / 90 a day; every invoice is paid
    // 40 days after its date, so the 31 days of new sales are all still open: 200 / 90 × 31; sales
    // of (05-02, 07-31]: OPEN 100 + 200 / 90 × 31. DSO = that open / those sales × 90.
    const dso = await runQuery(engine, 'forecast_dso', D);
    const newOpen = (200 / 90) * 31;
    expect(dso.map((d) => d.month_end)).toEqual(['2024-07-31', '2024-08-31', '2024-09-30']);
    expect(dso[0].expected_outstanding).toBeCloseTo(newOpen, 9);
    expect(dso[0].expected_sales).toBeCloseTo(100 + newOpen, 9);
    expect(dso[0].dso).toBeCloseTo((newOpen / (100 + newOpen)) * 90, 9);
    // the forecast is kept per request, and forgotten when the ledger changes: OPEN paid on 06-29
    const r = await importFiles(engine, [{ name: 'late.csv', bytes: new TextEncoder().encode('payment_id,customer_id,invoice_id,payment_date,amount\nPX,K,OPEN,2024-06-29,100.00\n') }]);
    expect(r.files[0].rows_imported).toBe(1);
    expect(await runQuery(engine, 'forecast_items', D)).toEqual([]);
  });

  it('an item older than any payment the ledger ever saw is not expected within the horizon (not in the first week)', async () => {
    // K pays 10 days after its due date, always (10 × 100); OLD (300) has been due since 2023-12-01,
    // 212 days at D: nothing was ever paid that late, so nothing says it will be paid now. It is also
    // an observation, censored at 212: of the 1300 at risk at 10 days, 1000 were paid, so S stays at
    // 3/13 after 10 days (every level is K's here). OPEN (due 07-05, 5 days to go) is paid on 07-15
    // with probability 1 − 3/13 = 10/13; its P90 is never reached.
    const k = history('K', 10, '2024-03-01', 10);
    const engine = await ledger(files([...k.inv, 'OLD,K,2023-11-01,2023-12-01,300.00', 'OPEN,K,2024-06-05,2024-07-05,100.00'], k.pay));
    const items = await runQuery(engine, 'forecast_items', D);
    expect(items.map((i) => [i.invoice_id, i.p50, i.p90])).toEqual([['OLD', null, null], ['OPEN', '2024-07-15', null]]);
    expect(items[0].within_horizon).toBe(0);
    expect(items[1].within_horizon).toBeCloseTo(10 / 13, 12);
    // nothing in the first week (OLD was "paid the next day" before): 10/13 of OPEN in the week of 07-15
    const weeks = (await runQuery(engine, 'forecast_buckets', D)).filter((b) => b.kind === 'w' && b.expected > 0);
    expect(weeks.map((b) => b.start_date)).toEqual(['2024-07-15']);
    expect(weeks[0].expected).toBeCloseTo(1000 / 13, 9);
    const [sum] = await runQuery(engine, 'forecast_summary', D);
    expect(sum).toMatchObject({ items: 2, open_amount: 400 });
    expect(sum.expected_13_weeks).toBeCloseTo(1000 / 13, 9);
    expect(sum.beyond_horizon).toBeCloseTo(300 + 300 / 13, 9);
  });

  it('an item written off was given up, not paid: it is not a payment at its write-off delay', async () => {
    // K pays 10 days after its due date (10 × 100); W1 and W2 (100 each, due 03-01 and 03-08) were
    // written off 60 days after their due dates. Given up, they stay unpaid (at 121 and 114 days at
    // D): of the 1200 at risk at 10 days, 1000 were paid, so S stays at 1/6 after 10 days. OPEN is
    // paid on 07-15 with probability 5/6 (counted as paid at 60 days, the write-offs made it 1, a
    // sixth of it on 09-03).
    const k = history('K', 10, '2024-03-01', 10);
    const inv = [...k.inv, 'W1,K,2024-01-31,2024-03-01,100.00', 'W2,K,2024-02-07,2024-03-08,100.00', 'OPEN,K,2024-06-05,2024-07-05,100.00'];
    const pay = [...k.pay.map((p) => `${p},transfer`), 'PW1,K,W1,2024-04-30,100.00,write_off', 'PW2,K,W2,2024-05-07,100.00,write_off'];
    const engine = await ledger({
      'invoices.csv': `invoice_id,customer_id,invoice_date,due_date,amount\n${inv.join('\n')}\n`,
      'payments.csv': `payment_id,customer_id,invoice_id,payment_date,amount,method\n${pay.join('\n')}\n`,
    });
    const [item] = await runQuery(engine, 'forecast_items', D);
    expect([item.invoice_id, item.p50, item.p90]).toEqual(['OPEN', '2024-07-15', null]);
    expect(item.within_horizon).toBeCloseTo(5 / 6, 12);
    const [sum] = await runQuery(engine, 'forecast_summary', D);
    expect(sum.beyond_horizon).toBeCloseTo(100 / 6, 9);
  });

  it('shrinks toward the ledger: beside a customer who pays on its due date, part of the mass moves to the due date', async () => {
    // K: 10 paid 10 days late, 1 open (censored 5 days before its due date): n = 11, weight 11/14.
    // L: 10 paid on the due date. The ledger: at risk at delay 0 = 20, 10 paid → S(0) = ½; S(10) = 0.
    // S_K(x) = 11/14 × 1 + 3/14 × ½ = 25/28 for 0 ≤ x < 10: P(paid on the due date) = 3/28.
    const k = history('K', 10, '2024-03-01', 10);
    const l = history('L', 10, '2024-03-01', 0);
    const engine = await ledger(files([...k.inv, ...l.inv, 'OPEN,K,2024-06-05,2024-07-05,100.00'], [...k.pay, ...l.pay]));
    const [item] = await runQuery(engine, 'forecast_items', D);
    expect(item).toMatchObject({ invoice_id: 'OPEN', p10: '2024-07-05', p50: '2024-07-15', p90: '2024-07-15' });
    const weeks = (await runQuery(engine, 'forecast_buckets', D)).filter((b) => b.kind === 'w' && b.expected > 0);
    expect(weeks.map((b) => b.start_date)).toEqual(['2024-07-01', '2024-07-15']);
    // by customer: the one open item is K's, all of it expected within 13 weeks
    expect(await runQuery(engine, 'forecast_by', { ...D, by: 'customer', limit: 10 })).toEqual([
      { key: 'K', label: 'K', items: 1, open_amount: 100, expected_13_weeks: 100, expected_6_months: 100, beyond_horizon: 0 },
    ]);
    expect(weeks[0].expected).toBeCloseTo((100 * 3) / 28, 9);
    expect(weeks[1].expected).toBeCloseTo((100 * 25) / 28, 9);
    // the band of one item of 100 paid with probability p in the week: sd = 100 √(p (1 − p))
    const p = 3 / 28;
    expect(weeks[0].p90).toBeCloseTo(100 * p + 1.2816 * 100 * Math.sqrt(p * (1 - p)), 9);
  });

  it('the billing channel shifts the delays by what it changes within customers: a paper payer billed electronically pays sooner', async () => {
    // A: 10 paper invoices paid 20 days late, 10 electronic ones 14 days late; B: 10 paper ones 10 days
    // late and one electronic invoice open, due 07-05. The channels' shifts (fc_shifts, two rounds):
    // levels A = median(20 ×10, 14 ×10) = 17, B = 10; paper median(3 ×10, 0 ×10) = 1.5, electronic −3;
    // levels A = median(18.5 ×10, 17 ×10) = 17.75, B = 8.5; paper median(2.25 ×10, 1.5 ×10) = 1.875,
    // electronic −3.75; relative to paper (the most invoices): electronic −5.625 → −6 days.
    // Net of it, A's electronic delays are 20 like its paper ones, and B's open item is a usual one
    // 6 days older: a = −5 + 6 = 1. B's curve: 10 paid at 10 (and its open item censored at 1), weight
    // 11/14; the ledger's (the segment too: no dimensions): at 10, 10 of 30 at risk paid → 2/3, 0 at 20.
    // S(1 ≤ x < 10) = 1; S(10 ≤ x < 20) = 11/14 × 0 + 3/14 × 2/3 = 1/7 (B's curve ends at its last
    // payment); S(20) = 0. So 6/7 of the 100 on 07-05 + 4 = 07-09 (Monday 07-08's week), 1/7 at +14 on
    // 07-19 (07-15's week). Read from B's paper habit alone it would be 07-15.
    const a = history('A', 10, '2024-03-01', 20, 'AP');
    const ae = history('A', 10, '2024-03-02', 14, 'AE');
    const b = history('B', 10, '2024-03-01', 10);
    const inv = [...a.inv.map((l) => `${l},Paper`), ...ae.inv.map((l) => `${l},Electronic`), ...b.inv.map((l) => `${l},Paper`), 'OPEN,B,2024-06-05,2024-07-05,100.00,Electronic'];
    const engine = await ledger({
      'invoices.csv': `invoice_id,customer_id,invoice_date,due_date,amount,billing_channel\n${inv.join('\n')}\n`,
      'payments.csv': `payment_id,customer_id,invoice_id,payment_date,amount\n${[...a.pay, ...ae.pay, ...b.pay].join('\n')}\n`,
    });
    const [item] = await runQuery(engine, 'forecast_items', D);
    expect(item).toMatchObject({ invoice_id: 'OPEN', p10: '2024-07-09', p50: '2024-07-09', p90: '2024-07-19' });
    const weeks = (await runQuery(engine, 'forecast_buckets', D)).filter((w) => w.kind === 'w' && w.expected > 0);
    expect(weeks.map((w) => w.start_date)).toEqual(['2024-07-08', '2024-07-15']);
    expect(weeks[0].expected).toBeCloseTo((100 * 6) / 7, 9);
    expect(weeks[1].expected).toBeCloseTo(100 / 7, 9);
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

  it('an item under dispute is paid later than usual by the extra delay of its reason\'s past disputes, shrunk toward all reasons', async () => {
    // K's level (the median of its undisputed delays): 10. Disputed items paid by D, net of it: DX
    // (price) 40 − 10 = 30, DY (quality) 20 − 10 = 10. Extra delay: all reasons median(30, 10) = 20;
    // price (1 × 30 + 3 × 20) / 4 = 22.5 → 23 days; quality (1 × 10 + 3 × 20) / 4 = 17.5 → 18; a reason
    // never seen: 20. K's curve counts DX and DY net of them: delays 2 (DY, 100), 10 (1,000), 17 (DX,
    // 100): S = 11/12 from 2, 1/12 from 10, 0 from 17. Every open item is due 07-05 and forecast at
    // 07-05 + extra + 10 (F reaches 1/12 < 0.1 at +2, 11/12 ≥ 0.9 at +10).
    const k = history('K', 10, '2024-03-01', 10);
    const engine = await ledger(
      files(
        [...k.inv, 'DX,K,2024-03-02,2024-04-01,100.00', 'DY,K,2024-03-16,2024-04-15,100.00',
          'OPEN1,K,2024-06-05,2024-07-05,100.00', 'OPEN2,K,2024-06-05,2024-07-05,100.00', 'OPEN3,K,2024-06-05,2024-07-05,100.00'],
        [...k.pay, 'P-DX,K,DX,2024-05-11,100.00', 'P-DY,K,DY,2024-05-05,100.00'],
        {
          'disputes.csv': 'dispute_id,invoice_id,opened_date,resolved_date,reason\n' +
            'D1,DX,2024-04-05,2024-05-11,price\nD2,DY,2024-04-18,2024-05-05,quality\n' +
            'D3,OPEN1,2024-06-25,,price\nD4,OPEN2,2024-06-25,,quality\nD5,OPEN3,2024-06-25,,delivery\n',
        },
      ),
    );
    const items = await runQuery(engine, 'forecast_items', D);
    const p50 = Object.fromEntries(items.map((i) => [i.invoice_id, [i.p10, i.p50, i.p90]]));
    expect(p50).toEqual({
      OPEN1: ['2024-08-07', '2024-08-07', '2024-08-07'],
      OPEN2: ['2024-08-02', '2024-08-02', '2024-08-02'],
      OPEN3: ['2024-08-04', '2024-08-04', '2024-08-04'],
    });
    // the page asks for the largest items only (equal amounts: by number), worked out for them alone
    expect((await runQuery(engine, 'forecast_items', { ...D, limit: 2 })).map((i) => [i.invoice_id, i.p10, i.p50, i.p90])).toEqual([
      ['OPEN1', '2024-08-07', '2024-08-07', '2024-08-07'],
      ['OPEN2', '2024-08-02', '2024-08-02', '2024-08-02'],
    ]);
  });

  it('a disputed past item counts among the usual delays net of its dispute\'s extra delay', async () => {
    // K paid 10 invoices of 100 ten days late, and a disputed one of 200 (DX, due 05-01) 60 days late.
    // Counted as it is, DX would hold 200 / 1,200 of the mass at +60: F(+10) = 5/6 < 0.9 and OPEN's
    // P90 would be 60 days after its due date (09-03). Its dispute's extra delay is 60 − K's level 10 =
    // 50 (the only dispute: every reason's): net of it, DX was paid at +10 like the others, and
    // P10 = P50 = P90 = 07-15.
    const k = history('K', 10, '2024-03-01', 10);
    const engine = await ledger(
      files([...k.inv, 'DX,K,2024-04-01,2024-05-01,200.00', 'OPEN,K,2024-06-05,2024-07-05,100.00'], [...k.pay, 'P-DX,K,DX,2024-06-30,200.00'], {
        'disputes.csv': 'dispute_id,invoice_id,opened_date,resolved_date,reason\nD1,DX,2024-05-03,2024-06-30,price\n',
      }),
    );
    const [item] = await runQuery(engine, 'forecast_items', D);
    expect(item).toMatchObject({ invoice_id: 'OPEN', p10: '2024-07-15', p50: '2024-07-15', p90: '2024-07-15' });
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

  it('learns at each date from what was known then: kept for one date, the curves of another date are never read', async () => {
    // K paid ten invoices 10 days late (due 01-05 … 03-08), then ten 20 days late (due 04-05 …
    // 06-07, invoiced 30 days before); OPEN is due 06-10. One customer: its curve, its segment's
    // and the ledger's are the same.
    // At 04-20, ten paid at +10; at risk at 10 also B due 04-05, unpaid at 15: S(10) = 1/11, and
    // nothing is paid after 10: OPEN is paid at +10 with 10/11 ≥ 90 %, P10 = P50 = P90 = 06-20.
    // At 06-12, seven B paid at +20 (due ≤ 05-17), three B unpaid at 19, 12 and 5 days: at risk at
    // 10: 10 + 7 + 2 → S(10) = 9/19, S(20) = 0. OPEN (2 days late, S = 1): F(+10) = 10/19 ≥ ½,
    // so P10 = P50 = 06-20 and P90 = 06-30; in a slice (the customer) the same; at 04-20 again (learned
    // again), 06-20.
    const a = history('K', 10, '2024-01-05', 10, 'A');
    const b = history('K', 10, '2024-04-05', 20, 'B');
    const engine = await ledger(files([...a.inv, ...b.inv, 'OPEN,K,2024-04-10,2024-06-10,100.00'], [...a.pay, ...b.pay]));
    const early: Scope = { ...D, as_of: '2024-04-20' };
    const late: Scope = { ...D, as_of: '2024-06-12' };
    const quantiles = async (s: Scope) => {
      const items = await runQuery(engine, 'forecast_items', s);
      return items.filter((i) => i.invoice_id === 'OPEN').map((i) => [i.p10, i.p50, i.p90]);
    };
    expect(await quantiles(early)).toEqual([['2024-06-20', '2024-06-20', '2024-06-20']]);
    expect(await quantiles(late)).toEqual([['2024-06-20', '2024-06-20', '2024-06-30']]);
    expect(await quantiles({ ...late, dim: 'customer', val: 'K' })).toEqual([['2024-06-20', '2024-06-20', '2024-06-30']]);
    // (a request not kept yet: the forecast of 04-20 above is still kept whole)
    expect(await quantiles({ ...early, dim: 'customer', val: 'K' })).toEqual([['2024-06-20', '2024-06-20', '2024-06-20']]);
    // one date kept, and no forecast from curves that were not learned for its date
    for (const table of ['fc_curve_dates', 'fc_curve_cache', 'fc_customer_curves', 'fc_segment_curves']) {
      expect(await engine.query(`SELECT DISTINCT curve_date::VARCHAR AS d FROM ${table}`)).toEqual([{ d: '2024-04-20' }]);
    }
    for (const reader of ['fc_kept_customer_curves', 'fc_kept_segment_curves']) {
      await expect(engine.query(`SELECT * FROM ${reader}(DATE '2024-06-12')`)).rejects.toThrow(/not prepared/);
    }
  });

  it('backtest at one origin, worked by hand: a customer invoiced every 14 days, paying 40 days after invoicing (10 after due)', async () => {
    // invoices 01-01, 01-15, … due 30 days later, paid 10 days after due. At D = 04-30 three are
    // open: 03-25 (due 04-24, paid 05-04), 04-08 (due 05-08, paid 05-18), 04-22 (due 05-22, paid 06-01).
    // forecast: the six paid before D were all 10 days late → each forecast on its actual date.
    // due date: 05-01 (already due), 05-08, 05-22 → errors −3, −10, −10: MAE 23/3, 1 of 3 within 7 days.
    // customer mean: 40 days from invoice → exact.
    // weeks from Monday 04-29: actual cash 100 in weeks 0, 2 and 4; due-date baseline puts it in
    // weeks 0, 1 and 3 → |errors| 0 + 100 + 100 + 100 + 100 = 400 over 300 actual.
    const inv: string[] = [];
    const pay: string[] = [];
    for (let i = 0; i < 18; i++) {
      const date = day('2024-01-01', 14 * i);
      inv.push(`I${i},K,${date},${day(date, 30)},100.00`);
      pay.push(`P${i},K,I${i},${day(date, 40)},100.00`);
    }
    const engine = await ledger(files(inv, pay));
    expect(monthEnds('2024-04-15', '2024-06-30')).toEqual(['2024-04-30', '2024-05-31', '2024-06-30']);
    // the forecast page at the origin first: it keeps each item's F at the weeks' and months' ends
    // only; the backtest, which needs every item's quantiles, works its rows out again with them
    expect((await runQuery(engine, 'forecast_summary', { ...D, as_of: '2024-04-30' }))[0]).toMatchObject({ items: 3, open_amount: 300 });
    const r = await backtest(engine, { currency: 'EUR', origins: ['2024-04-30'] });
    expect(r).toMatchObject({ origins: 1, items: 3, mae_days: 0, bias_days: 0, within_7d: 1, wape_weekly: 0, coverage_p10_p90: 1 });
    expect(r.baselines.due_date.mae_days).toBeCloseTo(23 / 3, 9);
    expect(r.baselines.due_date.bias_days).toBeCloseTo(-23 / 3, 9);
    expect(r.baselines.due_date.within_7d).toBeCloseTo(1 / 3, 9);
    expect(r.baselines.due_date.wape_weekly).toBeCloseTo(400 / 300, 9);
    expect(r.baselines.customer_mean).toEqual({ mae_days: 0, bias_days: 0, within_7d: 1, wape_weekly: 0 });
    // progress per origin, and a cancel between origins stops it (the page's Cancel button)
    const heard: [string, number][] = [];
    await expect(
      backtest(engine, { currency: 'EUR', origins: ['2024-04-30', '2024-05-31', '2024-06-30'], onOrigin: (o, i) => heard.push([o, i]), isCancelled: () => heard.length === 2 }),
    ).rejects.toThrow(CancelledError);
    expect(heard).toEqual([['2024-04-30', 0], ['2024-05-31', 1]]);
  });
});
