/**
 * The KPI catalogue against published examples and the hand-worked ledger of tests/fixtures/hand
 * (customers, invoices, payments, disputes, promises, actions, credit limits), as of 2024-03-31,
 * P = 90 (period = 2024-01-02 … 2024-03-31). Open items at D (see kpi-overview.test.ts):
 *   I1 600 (due 01-14, 77 d), I2 2000 (due 02-09, 51 d), I4 3000 (not due), I5 500 (152 d),
 *   CN1 −200 (11 d), I6 700 (due on D) → outstanding 6600, overdue 2900, not due 3700, sales 7000.
 * All on duckdb-wasm, the browser's engine.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlEngine } from '../../src/lib/engine/sql-engine';
import { importFiles } from '../../src/lib/importers/import';
import { runQuery, type Scope, type SeriesRow } from '../../src/lib/kpi/queries';
import { cardSeries, familySeries, kpiCards, kpiReport, requestFacts, resolveRequest, type KpiRequest } from '../../src/lib/kpi/report';
import { keepMonthEndsAhead } from '../../src/lib/kpi/series-days';
import { FAMILY_KPIS, SCALAR_FAMILIES, familiesOf } from '../../src/lib/kpi/families';
import { OVERVIEW_CARDS, OVERVIEW_FAMILIES } from '../../src/lib/ui/kpi-cards';
import { TREND_KPIS } from '../../src/lib/ui/trend-kpis';
import { isMessageKey } from '../../src/lib/i18n/translate';
import { applySettings } from '../../src/lib/kpi/settings';
import { defaultSettings } from '../../src/lib/settings/workspace-settings';
import { setAgingBounds, setRiskThresholds } from '../../src/lib/kpi/settings';
import { fixture, freshEngine } from './support/engine';

const D: Scope = { as_of: '2024-03-31', period_days: 90, currency: 'EUR' };
const HAND = ['customers', 'credit_limits', 'invoices', 'payments', 'disputes', 'promises', 'actions'].map((f) => fixture('hand', `${f}.csv`));

async function ledgerOf(files: Record<string, string>): Promise<SqlEngine> {
  const engine = await freshEngine();
  const result = await importFiles(engine, Object.entries(files).map(([name, text]) => ({ name, bytes: new TextEncoder().encode(text) })));
  for (const f of result.files) expect([f.file, f.rows_rejected, f.error]).toEqual([f.file, 0, undefined]);
  return engine;
}

describe('published examples', () => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await freshEngine();
  });

  it('countback: AR 212,000, monthly sales 100,000 / 80,000 / 70,000 on 30-day months → 73.71 days', async () => {
    const [r] = await engine.query<{ dso_countback: number; dso_countback_capped: boolean }>(
      `SELECT * FROM enc_countback(212000, [{'sales': 100000, 'days': 30}, {'sales': 80000, 'days': 30}, {'sales': 70000, 'days': 30}])`,
    );
    // 30 + 30 + (212,000 − 180,000) / 70,000 × 30 = 73.714…
    expect(r.dso_countback).toBeCloseTo(60 + (32000 / 70000) * 30, 9);
    expect(r.dso_countback).toBeCloseTo(73.71, 2);
    expect(r.dso_countback_capped).toBe(false);
  });

  it('countback: a period without positive sales adds its days; the walk stops capped after its periods', async () => {
    const [gap] = await engine.query<{ dso_countback: number }>(
      `SELECT * FROM enc_countback(50, [{'sales': 0, 'days': 31}, {'sales': -20, 'days': 30}, {'sales': 100, 'days': 31}])`,
    );
    expect(gap.dso_countback).toBeCloseTo(31 + 30 + 0.5 * 31, 9);
    const [capped] = await engine.query<{ dso_countback: number; dso_countback_capped: boolean }>(
      `SELECT * FROM enc_countback(1e9, [{'sales': 10, 'days': 30}, {'sales': 10, 'days': 31}])`,
    );
    expect(capped).toEqual({ dso_countback: 61, dso_countback_capped: true });
  });

  it('CEI: beginning AR 6,200, sales 10,890, ending AR 6,340, current 3,590 → 79.63 % (full), 55.93 % (CRF, N = 3)', async () => {
    const [r] = await engine.query<{ full: number; crf: number }>(
      `SELECT enc_cei(6200, 10890, 6340, 3590, 1) AS full, enc_cei(6200, 10890, 6340, 3590, 3) AS crf`,
    );
    expect(r.full).toBeCloseTo((10750 / 13500) * 100, 9);
    expect(r.full).toBeCloseTo(79.63, 2);
    expect(r.crf).toBeCloseTo((3490 / 6240) * 100, 9);
    expect(r.crf).toBeCloseTo(55.93, 2);
  });

  it('DBT: 100/200/300/400/500 paid −10/−5/0/5/10 days vs terms → 3.33 (4.67 late only)', async () => {
    const invoices = ['invoice_id,customer_id,invoice_date,due_date,amount']
      .concat([100, 200, 300, 400, 500].map((a, i) => `X${i},K,2024-01-01,2024-03-01,${a}`))
      .join('\n');
    const payments = ['payment_id,invoice_id,payment_date,amount']
      .concat(['2024-02-20', '2024-02-25', '2024-03-01', '2024-03-06', '2024-03-11'].map((d, i) => `Q${i},X${i},${d},${(i + 1) * 100}`))
      .join('\n');
    const ledger = await ledgerOf({ 'invoices.csv': invoices, 'payments.csv': payments });
    const [r] = await runQuery(ledger, 'payment_behaviour', { ...D, as_of: '2024-03-31' });
    expect(r.dbt).toBeCloseTo(5000 / 1500, 9);
    expect(r.dbt).toBeCloseTo(3.33, 2);
    expect(r.dbt_late_only).toBeCloseTo(7000 / 1500, 9);
    expect(r.dbt_late_only).toBeCloseTo(4.67, 2);
  });

  it('DSO: 150,000 outstanding on 1,800,000 of sales over 365 days → 30.42 days', async () => {
    const ledger = await ledgerOf({
      'invoices.csv': 'invoice_id,customer_id,invoice_date,due_date,amount\nY1,K,2024-06-01,2024-07-01,1800000\n',
      'payments.csv': 'payment_id,invoice_id,payment_date,amount\nZ1,Y1,2024-06-15,1650000\n',
    });
    const [r] = await runQuery(ledger, 'dso', { as_of: '2024-12-31', period_days: 365, currency: 'EUR' });
    expect(r.dso).toBeCloseTo((150000 / 1800000) * 365, 9);
    expect(r.dso).toBeCloseTo(30.42, 2);
  });
});

describe('the catalogue on the hand-worked ledger', () => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await freshEngine();
    const result = await importFiles(engine, HAND);
    for (const f of result.files) expect([f.file, f.rows_rejected]).toEqual([f.file, 0]);
  });

  it('balances: disputed, unapplied cash, net outstanding, at risk, weighted days late', async () => {
    const [b] = await runQuery(engine, 'balances', D);
    expect(b).toMatchObject({ sales: 7000, outstanding: 6600, overdue: 2900, not_due: 3700 });
    // D2 on I2 is open at D; D1 on I1 was resolved on 02-05; D3 on I4 opens after D.
    expect(b.disputed).toBe(2000);
    expect(b.unapplied_cash).toBe(300);
    expect(b.net_outstanding).toBe(6300);
    // > 90 days overdue: I5 500; disputed: I2 2000; no customer in collection or litigation.
    expect(b.at_risk).toBe(2500);
    // (600 × 77 + 2000 × 51 + 500 × 152) / (600 + 2000 + 500) — the credit note does not count
    expect(b.weighted_days_late).toBeCloseTo(224200 / 3100, 9);
  });

  it('DSO family: standard, best possible, delinquent, countback over calendar months', async () => {
    const [r] = await runQuery(engine, 'dso', D);
    expect(r.dso).toBeCloseTo((6600 / 7000) * 90, 9);
    expect(r.bpdso).toBeCloseTo((3700 / 7000) * 90, 9);
    expect(r.add).toBeCloseTo((2900 / 7000) * 90, 9);
    // March to date (31 d): 3000 − 200 + 700 = 3500 → 3100 left; February 2024 (29 d): 1500 → 1600 left;
    // January (31 d): 2000 ≥ 1600 → 31 + 29 + 1600 / 2000 × 31 = 84.8
    expect(r.dso_countback).toBeCloseTo(84.8, 9);
    expect(r.dso_countback_capped).toBe(false);
    // the same walk in a slice (whole months then from the invoices, not from the monthly totals):
    // entity FR01 is every customer; C1 owes I1 600 + I2 2000 = 2600 and sold nothing in March
    // (31 d) or February (29 d), 2000 in January (31 d) → 600 left, 1000 in December → 600 / 1000 × 31
    const [all] = await runQuery(engine, 'dso', { ...D, dim: 'entity', val: 'FR01' });
    expect(all.dso_countback).toBeCloseTo(84.8, 9);
    const [c1] = await runQuery(engine, 'dso', { ...D, dim: 'customer', val: 'C1' });
    expect(c1.dso_countback).toBeCloseTo(31 + 29 + 31 + (600 / 1000) * 31, 9);
  });

  it('CEI: beginning AR at D − P = 2024-01-01 is I1 1000 + I5 500', async () => {
    const [r] = await runQuery(engine, 'cei', D);
    expect(r.cei).toBeCloseTo(((1500 + 7000 - 6600) / (1500 + 7000 - 3700)) * 100, 9);
    const n = (90 * 12) / 365;
    expect(r.cei_crf).toBeCloseTo(((1500 + 7000 / n - 6600) / (1500 + 7000 / n - 3700)) * 100, 9);
  });

  it('payment behaviour: P1 400 paid 27 days late, P2 1500 paid 4 days late (P3 is after D, P4 unapplied)', async () => {
    const [r] = await runQuery(engine, 'payment_behaviour', D);
    expect(r.dbt).toBeCloseTo((400 * 27 + 1500 * 4) / 1900, 9);
    expect(r.dbt_late_only).toBeCloseTo((400 * 27 + 1500 * 4) / 1900, 9);
    // invoice to payment: I1 2023-12-15 → 02-10 = 57 d; I3 02-20 → 03-25 = 34 d
    expect(r.avg_days_to_pay).toBeCloseTo((400 * 57 + 1500 * 34) / 1900, 9);
    // paid in the period on items due by D: 1900; overdue at D: 2900
    expect(r.collection_rate).toBeCloseTo((1900 / 4800) * 100, 9);
  });

  it('disputes: rate, resolution rate and time, open count', async () => {
    const [r] = await runQuery(engine, 'disputes', D);
    // invoices dated in the period: I2, I3, I4, I6; disputed by D: I2 only
    expect(r.dispute_rate).toBe(25);
    // opened in the period: D1 (resolved 02-05), D2 (open) → 50 %; D1 took 16 days
    expect(r.dispute_resolution_rate).toBe(50);
    expect(r.avg_dispute_resolution_days).toBe(16);
    expect(r.disputes_open).toBe(1);
    const breakdown = await runQuery(engine, 'disputes_breakdown', D);
    // D2 on I2 (2000 open), opened 02-15: 45 days open at 03-31; D1 resolved, D3 opened after D
    expect(breakdown).toEqual([{ reason: 'quantity', status: 'open', owner: 'logistics', disputes: 1, open_amount: 2000, avg_days_open: 45 }]);
    // resolved in the period: D1 (price, sales) on I1, the whole invoice (1000), in 16 days
    expect(await runQuery(engine, 'disputes_resolved_by', D)).toEqual([
      { reason: 'price', owner: 'sales', disputes: 1, amount: 1000, avg_resolution_days: 16, max_resolution_days: 16 },
    ]);
  });

  it('disputes resolved in the period by reason: how many, the amount held, how long', async () => {
    // d1 price on A, 400 of it, 01-10 → 02-09 (30 days); d2 price on B, the whole 500, 02-01 → 02-11
    // (10 days); d3 quality resolved before the period (2023-10-01); d4 quality still open
    const ledger = await ledgerOf({
      'invoices.csv': ['invoice_id,customer_id,invoice_date,due_date,amount', 'A,K,2024-01-02,2024-02-01,1000', 'B,K,2024-01-15,2024-02-14,500', 'C,K,2023-08-01,2023-08-31,300'].join('\n'),
      'disputes.csv': [
        'dispute_id,invoice_id,opened_date,resolved_date,reason,amount',
        'd1,A,2024-01-10,2024-02-09,price,400', 'd2,B,2024-02-01,2024-02-11,price,', 'd3,C,2023-09-01,2023-10-01,quality,', 'd4,C,2024-03-01,,quality,',
      ].join('\n'),
    });
    expect(await runQuery(ledger, 'disputes_resolved_by', D)).toEqual([
      { reason: 'price', owner: '', disputes: 2, amount: 900, avg_resolution_days: 20, max_resolution_days: 30 },
    ]);
    // the mean over every dispute resolved in the period is the family's resolution time
    expect((await runQuery(ledger, 'disputes', D))[0].avg_dispute_resolution_days).toBe(20);
  });

  it('promises: PR1 broken (nothing paid on I2), PR2 kept (1500 on 03-25), PR3 due after D', async () => {
    const [r] = await runQuery(engine, 'promises', D);
    expect(r).toEqual({ promise_kept_rate: 50, promises_due: 2 });
  });

  it('dunning: responses within 14 days, automation, actions per collector', async () => {
    const [r] = await runQuery(engine, 'dunning', D);
    // In the period: A1, A2, A3, A5 (A4 is before it). A3's window ends after D: not judged.
    // A1: C1 promised on 02-20 ✓; A2: C3 paid 300 on 03-01 ✓; A5: nothing from C1 by 01-19 ✗ → 2 / 3
    expect(r.dunning_response_rate).toBeCloseTo((2 / 3) * 100, 9);
    expect(r.automation_rate).toBe(75);
    expect(r.actions_per_collector).toBe(2);
    expect(r.actions).toBe(4);
  });

  it('top late payers and credit limit overruns', async () => {
    const top = await runQuery(engine, 'top_late', { ...D, limit: 20 });
    // C1: 600 + 2000 overdue, (600 × 77 + 2000 × 51) / 2600 = 57 days, oldest 77; C3: I5 500, 152 days.
    // C2's only overdue item is the −200 credit note: not a late payer. Last actions: C1's A1
    // reminder of 02-14 (A4, A5 are older), C3's call of 03-01; no promise falls after D for them
    // (C1's PR1 was for 03-01).
    const last = (d: string, t: string) => ({ last_action_date: d, last_action_type: t, next_promise_date: null, row_count: 2 });
    expect(top).toEqual([
      { customer_id: 'C1', customer_name: 'Boulangerie Martin', overdue: 2600, weighted_days_late: 57, oldest_days_overdue: 77, ...last('2024-02-14', 'reminder_1') },
      { customer_id: 'C3', customer_name: 'Atelier Nord', overdue: 500, weighted_days_late: 152, oldest_days_overdue: 152, ...last('2024-03-01', 'call') },
    ]);
    // as of 02-25, C1's promise of 02-20 for 03-01 is what comes next; the call to C3 has not happened yet
    const before = await runQuery(engine, 'top_late', { ...D, as_of: '2024-02-25', limit: 1 });
    expect(before.map((t) => [t.customer_id, t.last_action_date, t.next_promise_date, t.row_count])).toEqual([['C1', '2024-02-14', '2024-03-01', 2]]);
    const over = await runQuery(engine, 'credit_limit_overruns', D);
    expect(over).toEqual([{ customer_id: 'C1', customer_name: 'Boulangerie Martin', outstanding: 2600, credit_limit: 2000, overrun: 600, utilisation: 130 }]);
    // every customer with a limit, overrun or not (C2: I4 3000 − CN1 200 = 2800 of 5000 = 56 %); one
    // customer's, for its page
    const LIMITS = [['C1', 2600, 2000, 130], ['C2', 2800, 5000, 56]];
    const all = await runQuery(engine, 'credit_utilisation', D);
    expect(all.map((u) => [u.customer_id, u.outstanding, u.credit_limit, Number(u.utilisation?.toFixed(9))])).toEqual(LIMITS);
    const c2 = await runQuery(engine, 'credit_utilisation', { ...D, dim: 'customer', val: 'C2' });
    expect(c2.map((u) => u.customer_id)).toEqual(LIMITS.filter((l) => l[0] === 'C2').map((l) => l[0]));
  });

  it('slices by any dimension', async () => {
    const [c1] = await runQuery(engine, 'balances', { ...D, dim: 'customer', val: 'C1' });
    expect(c1).toMatchObject({ outstanding: 2600, overdue: 2600, sales: 2000 });
    const [alice] = await runQuery(engine, 'balances', { ...D, dim: 'collector', val: 'Alice' });
    expect(alice.outstanding).toBe(2600 + 1200);
    expect(alice.unapplied_cash).toBe(300);
    const byCountry = await runQuery(engine, 'aging_by', { ...D, by: 'country', limit: 10 });
    expect(byCountry.map((r) => [r.key, r.total, r.b0, r.b5])).toEqual([
      ['FR', 5400, 3000, 0],
      ['BE', 1200, 700, 500],
    ]);
  });

  it('a ratio with a zero denominator is null, never 0', async () => {
    const before = { ...D, as_of: '2023-09-01' };
    const [b] = await runQuery(engine, 'balances', before);
    expect(b.pct_overdue).toBeNull();
    expect(b.weighted_days_late).toBeNull();
    const [p] = await runQuery(engine, 'payment_behaviour', before);
    expect(p).toEqual({ dbt: null, dbt_late_only: null, avg_days_to_pay: null, collection_rate: null });
    const [d] = await runQuery(engine, 'disputes', before);
    expect(d.dispute_rate).toBeNull();
  });

  it("one customer's history and events (customer page), worked by hand for C1", async () => {
    const history = await runQuery(engine, 'customer_history', { as_of: D.as_of, customer: 'C1', limit: 100 });
    // I7 (04-05) is after D; P1 paid 400 of I1 on 02-10, 27 days after its due date 01-14
    expect(history.map(({ date, kind, document, amount, due_date, days_late }) => [date, kind, document, amount, due_date, days_late])).toEqual([
      ['2024-02-10', 'payment', 'I1', -400, null, 27],
      ['2024-01-10', 'invoice', 'I2', 2000, '2024-02-09', null],
      ['2023-12-15', 'invoice', 'I1', 1000, '2024-01-14', null],
    ]);
    expect(history[0].row_count).toBe(3);
    const events = await runQuery(engine, 'customer_events', { ...D, customer: 'C1' });
    // PR1 (made 02-20 for 03-01, 2000 on I2): nothing paid on I2 in the window → broken. D1 was
    // resolved on 02-05, D2 is still open. A1, A5, A4 were automated reminders without an outcome.
    expect(events.map(({ date, kind, id, detail, status }) => [date, kind, id, detail, status])).toEqual([
      ['2024-02-20', 'promise', 'PR1', '2024-03-01', 'broken'],
      ['2024-02-15', 'dispute', 'D2', 'quantity', 'open'],
      ['2024-02-14', 'action', 'A1', 'reminder_1', 'automated'],
      ['2024-01-20', 'dispute', 'D1', 'price', 'resolved'],
      ['2024-01-05', 'action', 'A5', 'reminder_1', 'automated'],
      ['2023-12-01', 'action', 'A4', 'courtesy_reminder', 'automated'],
    ]);
    // before its date the promise is pending; before the dispute was resolved it was open
    const early = await runQuery(engine, 'customer_events', { ...D, as_of: '2024-02-25', customer: 'C1' });
    expect(early.filter((e) => e.kind !== 'action').map((e) => [e.id, e.status])).toEqual([['PR1', 'pending'], ['D2', 'open'], ['D1', 'resolved']]);
  });

  it('customer risk grades with their reasons, and the collection priority, worked by hand', async () => {
    const risk = await runQuery(engine, 'customer_risk', D);
    // C1: 100 % overdue (2), 57 days late weighted (1), D2 open (1), PR1 broken (1), 130 % of its
    //     limit (2), 2600 / 6600 = 39 % of the outstanding (1): 8 points → E; priority 2600 × 9.
    // C3: 500 / 1200 = 42 % overdue (1), 152 days (2), 18 % of the outstanding (1): 4 → C; 500 × 5.
    // C2: only the −200 credit note is overdue; 2800 / 6600 = 42 % of the outstanding (1): 1 → B;
    //     nothing overdue, priority 0. No customer has cash both in the last 182 days and before: no drift.
    expect(risk.map((r) => [r.customer_id, r.points, r.grade, r.reasons, r.priority])).toEqual([
      ['C1', 8, 'E', '[pct_overdue, utilisation, weighted_days_late, disputes, broken_promises, concentration]', 2600 * 9],
      ['C3', 4, 'C', '[weighted_days_late, pct_overdue, concentration]', 500 * 5],
      ['C2', 1, 'B', '[concentration]', 0],
    ]);
    expect(risk.every((r) => r.drift === null)).toBe(true);
    const [one] = await runQuery(engine, 'customer_risk', { ...D, customer: 'C3' });
    expect([one.customer_id, one.grade]).toEqual(['C3', 'C']);
    // three customers owe a positive balance: the 10 largest hold all of it
    expect(await runQuery(engine, 'concentration', D)).toEqual([{ top10_share: 100, customers: 3 }]);
    // thresholds are the user's: 2 points only above 200 % of the limit: C1 keeps 1 for its 130 % → 7, E
    await setRiskThresholds(engine, { utilisation: [100, 200] });
    const [c1] = await runQuery(engine, 'customer_risk', { ...D, limit: 1 });
    expect([c1.customer_id, c1.points, c1.grade]).toEqual(['C1', 7, 'E']);
    // and none, nor for its 39 % share when that needs 50 %: 5, D
    await setRiskThresholds(engine, { utilisation: [200, 300], concentration: [50, null] });
    const [again] = await runQuery(engine, 'customer_risk', { ...D, limit: 1 });
    expect([again.points, again.grade]).toEqual([5, 'D']);
    await setRiskThresholds(engine, { utilisation: [80, 100], concentration: [10, null] });
  });

  it('the report gathers every family under kpis, with aging and top_late', async () => {
    const report = await kpiReport(engine, (await resolveRequest(engine, { as_of: '2024-03-31' }))!);
    expect(Object.keys(report)).toEqual(['as_of', 'period_days', 'currency', 'kpis', 'aging', 'top_late']);
    for (const key of ['sales', 'outstanding', 'overdue', 'not_due', 'disputed', 'unapplied_cash', 'dso', 'bpdso', 'add', 'dso_countback', 'cei', 'cei_crf', 'dbt', 'weighted_days_late', 'pct_overdue', 'dispute_rate', 'promise_kept_rate', 'collection_rate', 'avg_days_to_pay', 'dunning_response_rate', 'automation_rate', 'actions_per_collector', 'bad_debt_rate', 'at_risk', 'net_outstanding']) {
      expect(report.kpis, key).toHaveProperty(key);
    }
    expect(report.top_late.map((t) => t.customer_id)).toEqual(['C1', 'C3']);
  });

  it("the slice pickers' values, every dimension in one query, most used first", async () => {
    // invoices: C1 I1 I2 I7, C2 I3 I4 CN1, C3 I5 I6; their customers' FR01 (all), FR (C1, C2) / BE (C3),
    // Alice (C1, C3) / Bruno (C2); no division, salesperson or category
    const rows = await runQuery(engine, 'dimension_values', { currency: 'EUR' });
    expect(rows.map((r) => [r.dimension, r.value, r.invoices])).toEqual([
      ['collector', 'Alice', 5], ['collector', 'Bruno', 3],
      ['country', 'FR', 6], ['country', 'BE', 2],
      ['customer', 'C1', 3], ['customer', 'C2', 3], ['customer', 'C3', 2],
      ['entity', 'FR01', 8],
    ]);
    expect(await runQuery(engine, 'dimension_values', { currency: 'USD' })).toEqual([]);
  });

  it('each family returns the KPIs FAMILY_KPIS says, and a page gets the families of its cards only', async () => {
    const r = (await resolveRequest(engine, { as_of: '2024-03-31' }))!;
    for (const f of SCALAR_FAMILIES) {
      const [row] = await runQuery(engine, f, r);
      expect(Object.keys(row).sort(), f).toEqual([...FAMILY_KPIS[f]].sort());
    }
    // the overview's cards need six families, not dunning, losses or provisions
    expect(OVERVIEW_FAMILIES).toEqual(['balances', 'dso', 'cei', 'payment_behaviour', 'disputes', 'promises']);
    const report = await kpiReport(engine, r, OVERVIEW_FAMILIES);
    for (const card of OVERVIEW_CARDS) expect(report.kpis, card.key).toHaveProperty(card.key);
    expect(report.kpis).not.toHaveProperty('expected_loss');
    expect(report.kpis.outstanding).toBe(6600);
    expect(familiesOf(['outstanding', 'overdue'])).toEqual(['balances']);
    // the report asks for its families in one statement: each family's row, side by side
    const apart = {};
    for (const f of SCALAR_FAMILIES) Object.assign(apart, (await runQuery(engine, f, r))[0]);
    expect((await kpiReport(engine, r)).kpis).toEqual(apart);
    expect((await kpiReport(engine, r, [])).kpis).toEqual({});
  });
});

describe('bad debt', () => {
  it('write-offs dated in the period over sales', async () => {
    const ledger = await ledgerOf({
      'invoices.csv': 'invoice_id,customer_id,invoice_date,due_date,amount\nW1,K,2024-01-10,2024-02-09,1000\nW2,K,2024-02-10,2024-03-11,3000\n',
      'payments.csv': 'payment_id,invoice_id,payment_date,amount,method\nWO1,W1,2024-03-15,250,write_off\nPY1,W2,2024-03-20,3000,transfer\n',
    });
    const [r] = await runQuery(ledger, 'losses', D);
    expect(r).toEqual({ bad_debt_rate: (250 / 4000) * 100, written_off: 250 });
    // a write-off is not a payment for DBT
    const [p] = await runQuery(ledger, 'payment_behaviour', D);
    expect(p.dbt).toBe(9);
  });
});

describe('promises without an invoice or without an amount', () => {
  it('counts the customer\'s payments of the window for the first, the open amount on the promise day for the second', async () => {
    const ledger = await ledgerOf({
      'invoices.csv': 'invoice_id,customer_id,invoice_date,due_date,amount\nQ1,K,2024-01-10,2024-02-09,1000\nQ2,L,2024-01-10,2024-02-09,800\n',
      // Q1: 300 before the promise, 700 in its window → the open 700 is covered;
      // L: 500 unapplied in the window of a 600 promise without invoice → broken;
      // K: a 200 promise without invoice, covered by the 700 allocated to Q1 in its window → kept.
      'payments.csv':
        'payment_id,customer_id,invoice_id,payment_date,amount\nX1,K,Q1,2024-02-01,300\nX2,K,Q1,2024-03-05,700\nX3,L,,2024-03-06,500\n',
      'promises.csv':
        'promise_id,customer_id,invoice_id,promised_on,promised_date,amount\nM1,K,Q1,2024-03-01,2024-03-10,\nM2,L,,2024-03-01,2024-03-10,600\nM3,K,,2024-03-01,2024-03-10,200\n',
    });
    const [r] = await runQuery(ledger, 'promises', D);
    expect(r).toEqual({ promise_kept_rate: (2 / 3) * 100, promises_due: 3 });
  });
});

describe('monthly series', () => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await freshEngine();
    await importFiles(engine, HAND);
  });

  it('24 points: D and the 23 month-ends before it, with the hand-worked figures', async () => {
    const series = await runQuery(engine, 'series', D);
    expect(series).toHaveLength(24);
    expect(series[0].date).toBe('2022-04-30');
    expect(series[22].date).toBe('2024-02-29');
    expect(series[23].date).toBe('2024-03-31');
    expect(series[23]).toMatchObject({ outstanding: 6600, overdue: 2900, not_due: 3700, sales: 7000, unapplied_cash: 300, net_outstanding: 6300 });
    expect(series[23].dso).toBeCloseTo((6600 / 7000) * 90, 9);
    expect(series[23].dbt).toBeCloseTo((400 * 27 + 1500 * 4) / 1900, 9);
    expect(series[23].cei).toBeCloseTo((1900 / 4800) * 100, 9);
    // the families that are not running sums, at D as their cards (hand figures of the families above)
    expect(series[23].dso_countback).toBeCloseTo(84.8, 9);
    expect(series[23].collection_rate).toBeCloseTo((1900 / 4800) * 100, 9);
    expect([series[23].dispute_rate, series[23].promise_kept_rate]).toEqual([25, 50]);
    // 2024-02-29: invoiced I1 1000 + I2 2000 + I3 1500 + I5 500, paid P1 400 → 4600;
    // overdue: I1 600 + I2 2000 + I5 500 = 3100; sales (2023-12-01, 02-29]: 1000 + 2000 + 1500
    expect(series[22]).toMatchObject({ outstanding: 4600, overdue: 3100, not_due: 1500, sales: 4500, unapplied_cash: 0 });
    expect(series[22].dso).toBeCloseTo(92, 9);
    expect(series[0]).toMatchObject({ outstanding: 0, sales: 0, dso: null, pct_overdue: null });
    // the figures of the items open at each point (balances' hand figures at D; 2024-02-29 as in
    // 'any scalar family as a monthly series' below): D2 on I2 open at both; I5 > 90 days at both
    expect(series[23]).toMatchObject({ disputed: 2000, at_risk: 2500 });
    expect(series[23].weighted_days_late).toBeCloseTo(224200 / 3100, 9);
    expect(series[22]).toMatchObject({ disputed: 2000, at_risk: 2500 });
    expect(series[22].weighted_days_late).toBeCloseTo((600 * 46 + 2000 * 20 + 500 * 121) / 3100, 9);
    expect(series[0]).toMatchObject({ disputed: 0, at_risk: 0, weighted_days_late: null });
  });

  it("each KPI's change since the point nearest to D − P, as the overview's cards show it", async () => {
    // D = 2024-03-31, P = 90: D − P = 2024-01-01, nearest point 2023-12-31 (1 day; 2024-01-31 is 30).
    // On 2023-12-31: I1 1000 (not due) and I5 500 (61 days late) open, nothing paid → outstanding
    // 1500, overdue 500; at D 6600 and 2900 (above)
    const changes = new Map((await runQuery(engine, 'series_changes', D)).map((c) => [c.kpi, c]));
    expect(changes.get('outstanding')).toEqual({ kpi: 'outstanding', since: '2023-12-31', change: 5100 });
    expect(changes.get('overdue')).toEqual({ kpi: 'overdue', since: '2023-12-31', change: 2400 });
    expect(changes.get('pct_overdue')!.change).toBeCloseTo((2900 / 6600) * 100 - (500 / 1500) * 100, 9);
    // DBT has no value before the first payment (P1, 2024-02-10, 27 days late): compared with
    // 2024-02-29, the nearest point where it has one (P1 alone in its 90 days: 27)
    expect(changes.get('dbt')!.since).toBe('2024-02-29');
    expect(changes.get('dbt')!.change).toBeCloseTo((400 * 27 + 1500 * 4) / 1900 - 27, 9);
    // a tie: D = 2024-05-31, P = 46 → D − P = 2024-04-15, 15 days from 2024-03-31 and from 2024-04-30:
    // the earlier. Overdue on 05-31: I1 600 + I2 2000 + I4 2000 + I5 500 + I6 700 + I7 999 − CN1 200
    // = 6599; on 03-31: 2900 (on 04-30 it was 5600)
    const tie = (await runQuery(engine, 'series_changes', { ...D, as_of: '2024-05-31', period_days: 46 })).find((c) => c.kpi === 'overdue');
    expect(tie).toEqual({ kpi: 'overdue', since: '2024-03-31', change: 3699 });
  });

  it('weighted days late, disputed and at risk from each item\'s open amount at each point', async () => {
    // A 1000 overpaid by 200 on 02-10 (open −200 from then: out of weighted days late, which counts
    // items still owed only); B 500 paid 200 on 03-05; C 800 of a customer in litigation; E 300
    // disputed from 02-20 to 03-20.
    const ledger = await ledgerOf({
      'customers.csv': 'customer_id,customer_name,status\nK1,Un,active\nK2,Deux,litigation',
      'invoices.csv': [
        'invoice_id,customer_id,invoice_date,due_date,amount',
        'A,K1,2024-01-01,2024-01-31,1000', 'B,K1,2024-01-10,2024-02-09,500', 'C,K2,2023-10-01,2023-10-31,800', 'E,K1,2024-02-01,2024-03-02,300',
      ].join('\n'),
      'payments.csv': ['payment_id,invoice_id,payment_date,amount', 'pa,A,2024-02-10,1200', 'pb,B,2024-03-05,200'].join('\n'),
      'disputes.csv': ['dispute_id,invoice_id,opened_date,resolved_date,reason', 'd1,E,2024-02-20,2024-03-20,price'].join('\n'),
    });
    const series = await runQuery(ledger, 'series', { ...D, points: 3 });
    expect(series.map((p) => [p.date, p.disputed, p.at_risk])).toEqual([
      // 01-31: C 92 days late (and in litigation); 02-29: C, and E disputed; 03-31: E's dispute resolved
      ['2024-01-31', 0, 800],
      ['2024-02-29', 300, 1100],
      ['2024-03-31', 0, 800],
    ]);
    // 01-31: C alone is late (A is due that day, B after); 02-29: B 500 × 20 d, C 800 × 121 d (A
    // overpaid, E not due); 03-31: B 300 × 51, C 800 × 152, E 300 × 29
    expect(series[0].weighted_days_late).toBe(92);
    expect(series[1].weighted_days_late).toBeCloseTo((500 * 20 + 800 * 121) / 1300, 9);
    expect(series[2].weighted_days_late).toBeCloseTo((300 * 51 + 800 * 152 + 300 * 29) / 1400, 9);
    // the overpaid A still counts in what is outstanding: 03-31 = −200 + 300 + 800 + 300
    expect(series[2].outstanding).toBe(1200);
    // at D, the card's own figures
    const [b] = await runQuery(ledger, 'balances', D);
    expect([b.disputed, b.at_risk, b.weighted_days_late]).toEqual([series[2].disputed, series[2].at_risk, series[2].weighted_days_late]);
  });

  it('every KPI of the Trends page is a column of the series or of the family it names, with its words', async () => {
    const [row] = await runQuery(engine, 'series', { ...D, points: 1 });
    for (const k of TREND_KPIS) {
      if (k.family) expect([k.key, (FAMILY_KPIS[k.family] as readonly string[]).includes(k.key)]).toEqual([k.key, true]);
      else expect([k.key, k.key in row]).toEqual([k.key, true]);
      expect([k.key, isMessageKey(`kpi.${k.key}`), isMessageKey(`explain.${k.key}`)]).toEqual([k.key, true, true]);
    }
  });

  it('keeps its daily totals per scope, for every date, and drops them when the ledger changes', async () => {
    const fresh = await freshEngine();
    await importFiles(fresh, [fixture('hand', 'customers.csv'), fixture('hand', 'invoices.csv')]);
    const scopes = async () => (await fresh.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM series_days_scopes`))[0].n;
    // no payments yet: everything invoiced by D is open (9499 − I7 999, invoiced after D)
    expect((await runQuery(fresh, 'series', D)).at(-1)!.outstanding).toBe(8500);
    await runQuery(fresh, 'series', { ...D, as_of: '2024-02-29' });
    expect(await scopes()).toBe(1); // one scope, two dates
    await runQuery(fresh, 'series', { ...D, dim: 'customer', val: 'C1' });
    expect(await scopes()).toBe(2);
    await importFiles(fresh, [fixture('hand', 'payments.csv')]);
    expect(await scopes()).toBe(0);
    expect((await runQuery(fresh, 'series', D)).at(-1)!.outstanding).toBe(6600);
    await expect(fresh.query(`SELECT * FROM kpi_series(DATE '2024-03-31', 90, 'USD', NULL, NULL)`)).rejects.toThrow(/not prepared/);
  });

  it('agrees at every point with the open-item rebuild of the families, sliced too', async () => {
    for (const scope of [D, { ...D, dim: 'customer' as const, val: 'C1' }, { ...D, convert: true }]) {
      // 6 points computed together, then a new date whose one new point is computed alone (the
      // month-ends before it are kept): both ways give the families' figures
      for (const as_of of [D.as_of, '2024-03-15']) {
        const series = await runQuery(engine, 'series', { ...scope, as_of, points: 6 });
        for (const point of series) {
          const at = { ...scope, as_of: point.date };
          // (one after the other: the engine takes one query at a time)
          const [b] = await runQuery(engine, 'balances', at);
          const [d] = await runQuery(engine, 'dso', at);
          const [p] = await runQuery(engine, 'payment_behaviour', at);
          const [di] = await runQuery(engine, 'disputes', at);
          const [pr] = await runQuery(engine, 'promises', at);
          expect([point.date, point.outstanding, point.overdue, point.sales]).toEqual([point.date, b.outstanding, b.overdue, b.sales]);
          expect([point.date, point.disputed, point.at_risk, point.weighted_days_late])
            .toEqual([point.date, b.disputed, b.at_risk, b.weighted_days_late]);
          expect([point.date, point.dso_countback, point.collection_rate, point.dispute_rate, point.promise_kept_rate])
            .toEqual([point.date, d.dso_countback, p.collection_rate, di.dispute_rate, pr.promise_kept_rate]);
        }
      }
    }
  });

  it('is drawn with the cards when its scope keeps its points, its point at D from the cards: the series asked on its own', async () => {
    const drawing = await freshEngine();
    await importFiles(drawing, HAND);
    const at = async (req: KpiRequest) => (await resolveRequest(drawing, req))!;
    const draw = async (req: KpiRequest, families = OVERVIEW_FAMILIES) => {
      const r = await at(req);
      return cardSeries(drawing, r, await kpiCards(drawing, r, families));
    };
    // nothing kept yet: the series is asked on its own (its scope's daily totals to build)
    expect(await draw({ as_of: D.as_of })).toBeNull();
    await runQuery(drawing, 'series', D);
    // a new date whose month-ends are kept: its point at D is the cards' figures
    const points = async () => (await drawing.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM series_family_points`))[0].n;
    const before = await points();
    const drawn = await draw({ as_of: '2024-03-15' });
    expect(drawn).not.toBeNull();
    expect(await points()).toBe(before + 1);
    const alone = await runQuery(engine, 'series', { ...D, as_of: '2024-03-15' });
    expect(drawn!.series.map((row) => row.date)).toEqual(alone.map((row) => row.date));
    for (const [i, row] of drawn!.series.entries()) {
      for (const [k, v] of Object.entries(row)) {
        if (typeof v === 'number') expect([row.date, k, v]).toEqual([row.date, k, expect.closeTo(alone[i][k as keyof SeriesRow] as number, 9)]);
        else expect([row.date, k, v]).toEqual([row.date, k, alone[i][k as keyof SeriesRow]]);
      }
    }
    expect(drawn!.series.at(-1)!.outstanding).toBe(alone.at(-1)!.outstanding);
    const changes = await runQuery(engine, 'series_changes', { ...D, as_of: '2024-03-15' });
    expect(drawn!.changes.map((c) => [c.kpi, c.since])).toEqual(changes.map((c) => [c.kpi, c.since]));
    for (const [i, c] of drawn!.changes.entries()) expect([c.kpi, c.change]).toEqual([c.kpi, changes[i].change === null ? null : expect.closeTo(changes[i].change!, 9)]);
    // not when a month-end is not kept (April 2024, after D), a slice's scope is new, or the cards
    // lack a figure of the point (no promises family)
    expect(await draw({ as_of: '2024-05-15' })).toBeNull();
    expect(await draw({ as_of: '2024-03-10', dim: 'customer', val: 'C1' })).toBeNull();
    expect(await draw({ as_of: '2024-03-10' }, OVERVIEW_FAMILIES.filter((f) => f !== 'promises'))).toBeNull();
    expect(await points()).toBe(before + 1);
  });

  it('keeps its month-ends ahead, a few at a time, back to 23 months before the ledger: any date then draws with its cards', async () => {
    const ahead = await freshEngine();
    await importFiles(ahead, HAND);
    const earliest_date = (await requestFacts(ahead)).summary?.earliest_date;
    expect(earliest_date).toBe('2023-10-01');
    const steps: number[] = [];
    const step = <T>(job: () => Promise<T>) => (steps.push(steps.length), job());
    // nothing while the scope's daily totals are not built (its first series builds them)
    await keepMonthEndsAhead(ahead, D.as_of, 'EUR', null, null, 90, earliest_date!, step);
    expect(steps).toHaveLength(1);
    await runQuery(ahead, 'series', D); // D and 2022-04-30 … 2024-02-29
    steps.length = 0;
    // 2023-10 … 2024-03 and the 23 months before: 29 points back to 2021-11-30, 5 of them new (a
    // step of 4, a step of 1, after the one that reads what is kept)
    await keepMonthEndsAhead(ahead, D.as_of, 'EUR', null, null, 90, earliest_date!, step);
    expect(steps).toHaveLength(3);
    const kept = await ahead.query<{ m: string }>(`SELECT strftime(m, '%Y-%m-%d') AS m FROM series_family_points WHERE m < DATE '2022-04-30' ORDER BY m`);
    expect(kept.map((k) => k.m)).toEqual(['2021-11-30', '2021-12-31', '2022-01-31', '2022-02-28', '2022-03-31']);
    // the ledger's first month: its 24 points all kept but its own, which its cards make
    const r = (await resolveRequest(ahead, { as_of: '2023-10-15' }))!;
    const drawn = await cardSeries(ahead, r, await kpiCards(ahead, r, OVERVIEW_FAMILIES));
    expect(drawn).not.toBeNull();
    const alone = await runQuery(engine, 'series', { ...D, as_of: '2023-10-15' });
    expect(drawn!.series.map((row) => [row.date, row.outstanding, row.dso_countback])).toEqual(
      alone.map((row) => [row.date, row.outstanding, row.dso_countback === null ? null : expect.closeTo(row.dso_countback, 9)]),
    );
    // and again: nothing left to compute
    steps.length = 0;
    await keepMonthEndsAhead(ahead, D.as_of, 'EUR', null, null, 90, earliest_date!, step);
    expect(steps).toHaveLength(1);
  });
});

describe('aged balance by dispute reason and down to the invoice', () => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await freshEngine();
    await importFiles(engine, HAND);
  });

  it('groups by the reason of the dispute open at D', async () => {
    const rows = await runQuery(engine, 'aging_by', { ...D, by: 'dispute_reason', limit: 10 });
    // I2 (2000, 31-60) carries D2 "quantity"; everything else has no open dispute
    expect(rows.map((r) => [r.key, r.total, r.b2])).toEqual([
      ['', 4600, 0],
      ['quantity', 2000, 2000],
    ]);
  });

  it('lists the invoices behind a bucket, most overdue first', async () => {
    const all = await runQuery(engine, 'aged_invoices', { ...D, limit: 100 });
    expect(all.map((r) => [r.invoice_id, r.days_overdue, r.open_amount])).toEqual([
      ['I5', 152, 500],
      ['I1', 77, 600],
      ['I2', 51, 2000],
      ['CN1', 11, -200],
      ['I6', 0, 700],
      ['I4', -14, 3000],
    ]);
    const notDue = await runQuery(engine, 'aged_invoices', { ...D, bucket: 'not_due', dim: 'customer', val: 'C2', limit: 100 });
    expect(notDue.map((r) => [r.invoice_id, r.due_date, r.row_count])).toEqual([['I4', '2024-04-14', 1]]);
    expect(all.find((r) => r.invoice_id === 'I2')?.dispute_reason).toBe('quantity');
  });
});

describe('provision matrix (IFRS 9 simplified)', () => {
  // As of 2025-12-31; judged: invoices due on or before 2024-12-31 (a year past due).
  //   A 1000 due 2024-01-31, paid in full on its due date          → enters not_due only, loses 0
  //   B 1000 due 2024-01-31, 600 paid 10 days late, rest never      → not_due 1000, 1-30 1000, then 400 in every later bucket; loses 400
  //   C  500 due 2024-01-31, paid 45 days late                      → not_due, 1-30, 31-60 at 500; loses 0
  //   W  200 due 2024-01-31, written off 200 days late              → every bucket at 200; loses 200
  // Today: E 1000 not due, F 300 16 days overdue, B's 400 > 120 days.
  const files = {
    'invoices.csv': [
      'invoice_id,customer_id,invoice_date,due_date,amount',
      'A,K,2024-01-01,2024-01-31,1000', 'B,K,2024-01-01,2024-01-31,1000', 'C,K,2024-01-01,2024-01-31,500', 'W,K,2024-01-01,2024-01-31,200',
      'E,K,2025-12-01,2025-12-31,1000', 'F,K,2025-11-15,2025-12-15,300',
    ].join('\n'),
    'payments.csv': [
      'payment_id,invoice_id,payment_date,amount,method',
      'pa,A,2024-01-31,1000,transfer', 'pb,B,2024-02-10,600,transfer', 'pc,C,2024-03-16,500,transfer', 'pw,W,2024-08-18,200,write_off',
    ].join('\n'),
  };
  const AT: Scope = { as_of: '2025-12-31', period_days: 90, currency: 'EUR' };

  it('learns a loss rate per bucket and applies it to today\'s balance', async () => {
    const engine = await ledgerOf(files);
    const m = await runQuery(engine, 'provision_matrix', AT);
    expect(m.map((r) => [r.bucket, r.exposure, r.lost])).toEqual([
      ['not_due', 2700, 600],
      ['1-30', 1700, 600],
      ['31-60', 1100, 600],
      ['61-90', 600, 600],
      ['91-120', 600, 600],
      ['>120', 600, 600],
    ]);
    expect(m[0].rate).toBeCloseTo((600 / 2700) * 100, 9);
    expect(m[1].rate).toBeCloseTo((600 / 1700) * 100, 9);
    expect(m.map((r) => r.open_amount)).toEqual([1000, 300, 0, 0, 0, 400]);
    const expected = 1000 * (600 / 2700) + 300 * (600 / 1700) + 400;
    const [p] = await runQuery(engine, 'provisions', AT);
    expect(p.expected_loss).toBeCloseTo(expected, 9);
    expect(p.provision_rate).toBeCloseTo((expected / 1700) * 100, 9);
  });

  it('uses the rate the user typed for a bucket instead of the history', async () => {
    const engine = await ledgerOf(files);
    const m = await runQuery(engine, 'provision_matrix', { ...AT, rates: [1, null, null, null, null, 50] });
    expect(m.map((r) => [r.bucket, r.rate_typed])).toEqual([
      ['not_due', true], ['1-30', false], ['31-60', false], ['61-90', false], ['91-120', false], ['>120', true],
    ]);
    expect(m.reduce((s, r) => s + r.expected_loss, 0)).toBeCloseTo(1000 * 0.01 + 300 * (600 / 1700) + 400 * 0.5, 9);
  });

  it('rates kept in the workspace settings count in the provision KPI; a rate given to the query wins', async () => {
    const engine = await ledgerOf(files);
    const s = defaultSettings();
    s.provision_rates = [2, null, null, null, null, 80];
    await applySettings(engine, s);
    // 1000 not due × 2 % + 300 at the historical 1-30 rate + 400 beyond 120 days × 80 %
    const expected = 1000 * 0.02 + 300 * (600 / 1700) + 400 * 0.8;
    const [p] = await runQuery(engine, 'provisions', AT);
    expect(p.expected_loss).toBeCloseTo(expected, 9);
    expect(p.provision_rate).toBeCloseTo((expected / 1700) * 100, 9);
    const m = await runQuery(engine, 'provision_matrix', { ...AT, rates: [1, null, null, null, null, null] });
    expect(m.map((r) => r.rate)).toEqual([1, 600 / 1700 * 100, 600 / 1100 * 100, 100, 100, 80].map((x) => expect.closeTo(x, 9)));
  });
});

describe('ageing bounds set by the user', () => {
  it('re-buckets every ageing view and keys the buckets by the new bounds', async () => {
    const engine = await freshEngine();
    await importFiles(engine, HAND);
    await setAgingBounds(engine, [15, 45, 75, 150]);
    expect((await runQuery(engine, 'aging_buckets', {})).map((b) => b.bucket)).toEqual(['not_due', '1-15', '16-45', '46-75', '76-150', '>150']);
    // open at D: I4 3000 and I6 700 not due; CN1 −200 at 11 d; I2 2000 at 51 d; I1 600 at 77 d; I5 500 at 152 d
    const aging = await runQuery(engine, 'aging', D);
    expect(aging.map((a) => [a.bucket, a.amount])).toEqual([
      ['not_due', 3700], ['1-15', -200], ['16-45', 0], ['46-75', 2000], ['76-150', 600], ['>150', 500],
    ]);
    const byCustomer = await runQuery(engine, 'aging_by', { ...D, by: 'customer', limit: 10 });
    expect(byCustomer.find((r) => r.key === 'C1')).toMatchObject({ b3: 2000, b4: 600, total: 2600 });
    await expect(setAgingBounds(engine, [30, 30, 90, 120])).rejects.toThrow(/increasing/);
  });
});

describe('any scalar family as a monthly series', () => {
  it('rebuilds the family at each point: balances at 2024-02-29 worked by hand', async () => {
    const engine = await freshEngine();
    await importFiles(engine, HAND);
    const series = await familySeries(engine, D, 'balances', 3);
    expect(series.map((p) => p.date)).toEqual(['2024-01-31', '2024-02-29', '2024-03-31']);
    const feb = series[1];
    // D2 on I2 (open 2000) was opened 02-15 and is unresolved; D1 on I1 was resolved 02-05.
    expect(feb.disputed).toBe(2000);
    // I5 is 121 days overdue (> 90) and I2 is disputed
    expect(feb.at_risk).toBe(2500);
    // I1 600 × 46 d, I2 2000 × 20 d, I5 500 × 121 d
    expect(feb.weighted_days_late).toBeCloseTo((600 * 46 + 2000 * 20 + 500 * 121) / 3100, 9);
    expect(series[2]).toMatchObject({ disputed: 2000, at_risk: 2500, outstanding: 6600 });
  });
});

describe('reporting currency', () => {
  // Four invoices dated 2024-03-15, due 2024-04-30, none paid. Rates into EUR at D = 2024-03-31:
  // USD → EUR 0.80 (the 0.90 of January is older), CHF through the inverse of EUR → CHF 0.95,
  // GBP has no rate: left out and reported.
  const files = {
    'invoices.csv': [
      'invoice_id,customer_id,invoice_date,due_date,amount,currency',
      'E1,K1,2024-03-15,2024-04-30,1000,EUR', 'U1,K2,2024-03-15,2024-04-30,500,USD',
      'C1,K3,2024-03-15,2024-04-30,190,CHF', 'G1,K4,2024-03-15,2024-04-30,100,GBP',
    ].join('\n'),
    'fx.csv': [
      'rate_date,from_currency,to_currency,rate',
      '2024-01-01,USD,EUR,0.9', '2024-03-01,USD,EUR,0.8', '2024-04-15,USD,EUR,0.7', '2024-01-01,EUR,CHF,0.95',
    ].join('\n'),
  };

  it('converts every currency at the closing rate of the as-of date, and lists what it cannot convert', async () => {
    const engine = await ledgerOf(files);
    const [native] = await runQuery(engine, 'balances', D);
    expect(native.outstanding).toBe(1000);
    const [all] = await runQuery(engine, 'balances', { ...D, convert: true });
    // 1000 + 500 × 0.80 + 190 / 0.95 = 1600
    expect(all).toMatchObject({ outstanding: 1600, not_due: 1600, sales: 1600 });
    const report = await kpiReport(engine, (await resolveRequest(engine, { as_of: '2024-03-31', currency: 'EUR', convert: true }))!);
    expect(report.kpis.outstanding).toBe(1600);
    expect(report.fx?.rates).toEqual([
      { currency: 'CHF', rate: 1 / 0.95 },
      { currency: 'EUR', rate: 1 },
      { currency: 'USD', rate: 0.8 },
    ]);
    expect(report.fx?.missing).toEqual(['GBP']);
  });

  it('the aged balance by currency: what of the converted balance each currency holds', async () => {
    const engine = await ledgerOf(files);
    const rows = await runQuery(engine, 'aging_by', { ...D, convert: true, by: 'currency', limit: 10 });
    // all not due (b0): EUR 1000, USD 500 × 0.80 = 400, CHF 190 / 0.95 = 200; GBP has no rate
    expect(rows.map((r) => [r.key, r.b0, r.total])).toEqual([['EUR', 1000, 1000], ['USD', 400, 400], ['CHF', 200, 200]]);
    // in one currency, one row
    expect((await runQuery(engine, 'aging_by', { ...D, by: 'currency', limit: 10 })).map((r) => [r.key, r.total])).toEqual([['EUR', 1000]]);
  });

  it('takes up rates imported later (the rates held for a request are dropped with the ledger change)', async () => {
    const engine = await ledgerOf(files);
    expect((await runQuery(engine, 'balances', { ...D, convert: true }))[0].outstanding).toBe(1600);
    await importFiles(engine, [{ name: 'gbp.csv', bytes: new TextEncoder().encode('rate_date,from_currency,to_currency,rate\n2024-03-01,GBP,EUR,1.2\n') }]);
    // + 100 GBP × 1.2
    expect((await runQuery(engine, 'balances', { ...D, convert: true }))[0].outstanding).toBe(1720);
  });
});
