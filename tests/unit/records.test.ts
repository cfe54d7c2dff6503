/**
 * Events recorded in the app become canonical files, imported like any other: the hand-worked
 * ledger (tests/fixtures/hand, as of 2024-03-31) before and after.
 */
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/lib/importers/import';
import { runQuery, type Scope } from '../../src/lib/kpi/queries';
import { recordFile } from '../../src/lib/workspace/records';
import { fixture, freshEngine } from './support/engine';

const D: Scope = { as_of: '2024-03-31', period_days: 90, currency: 'EUR' };
const HAND = ['customers', 'credit_limits', 'invoices', 'payments', 'disputes', 'promises', 'actions'].map((f) => fixture('hand', `${f}.csv`));
const asSource = async (f: File) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });

describe('recorded events', () => {
  it('a dispute, a promise and a call recorded for C2 feed the KPIs at once', async () => {
    const engine = await freshEngine();
    await importFiles(engine, HAND);
    const [before] = await runQuery(engine, 'balances', D);
    expect(before.disputed).toBe(2000); // D2 on I2
    const [disputesBefore] = await runQuery(engine, 'disputes', D);
    const at = new Date('2026-11-22T10:00:00Z');
    const files = [
      recordFile({ kind: 'dispute', customer_id: 'C2', invoice_id: 'I4', date: '2024-03-30', reason: 'quality', owner: 'Bruno' }, at),
      recordFile({ kind: 'promise', customer_id: 'C2', invoice_id: 'I4', date: '2024-03-31', promised_date: '2024-04-20', amount: 3000 }, new Date(at.getTime() + 1000)),
      recordFile({ kind: 'action', customer_id: 'C2', invoice_id: 'I4', date: '2024-03-31', action_type: 'call', channel: 'phone', note: 'rappel, client absent' }, new Date(at.getTime() + 2000)),
    ];
    const r = await importFiles(engine, await Promise.all(files.map(asSource)));
    expect(r.files.map((f) => [f.detected?.layout, f.status, f.rows_imported, f.rows_rejected])).toEqual([
      ['disputes', 'imported', 1, 0],
      ['promises', 'imported', 1, 0],
      ['actions', 'imported', 1, 0],
    ]);
    // I4 (3000 open) is now disputed too: 2000 + 3000
    const [after] = await runQuery(engine, 'balances', D);
    expect(after.disputed).toBe(5000);
    // the disputes family reads the dispute facts: rebuilt with the recorded dispute
    expect((await runQuery(engine, 'disputes', D))[0].disputes_open).toBe(disputesBefore.disputes_open + 1);
    // the top late payers read the action facts: C1's last action (2024-02-14) is a letter recorded now
    const lastOfC1 = async () => (await runQuery(engine, 'top_late', { ...D, limit: 20 })).find((t) => t.customer_id === 'C1');
    expect(await lastOfC1()).toMatchObject({ last_action_date: '2024-02-14' });
    const letter = recordFile({ kind: 'action', customer_id: 'C1', invoice_id: 'I2', date: '2024-03-29', action_type: 'letter', channel: 'letter', note: 'relance écrite' }, new Date(at.getTime() + 3000));
    expect((await importFiles(engine, [await asSource(letter)])).files.map((f) => [f.rows_imported, f.rows_rejected])).toEqual([[1, 0]]);
    expect(await lastOfC1()).toMatchObject({ last_action_date: '2024-03-29', last_action_type: 'letter' });
    const events = await runQuery(engine, 'customer_events', { ...D, customer: 'C2' });
    expect(events.slice(0, 3).map((e) => [e.date, e.kind, e.detail, e.status])).toEqual([
      ['2024-03-31', 'action', 'call', 'rappel, client absent'],
      ['2024-03-31', 'promise', '2024-04-20', 'pending'],
      ['2024-03-30', 'dispute', 'quality', 'open'],
    ]);
  });

  it('a recorded promise keeps the open items already built and drops the forecasts; a payment rebuilds everything', async () => {
    const engine = await freshEngine();
    await importFiles(engine, HAND);
    await runQuery(engine, 'forecast_summary', D); // builds the open items and the forecast of D
    const kept = async () => {
      const [r] = await engine.query<{ snapshots: number; forecasts: number; promises: number }>(
        `SELECT (SELECT count(*) FROM open_snapshot_dates)::INTEGER AS snapshots, (SELECT count(*) FROM fc_cdf_requests)::INTEGER AS forecasts,
                (SELECT promises FROM ledger_summary())::INTEGER AS promises`,
      );
      return r;
    };
    expect(await kept()).toEqual({ snapshots: 1, forecasts: 1, promises: 3 }); // D
    const [before] = await runQuery(engine, 'promises', D);
    const at = new Date('2026-11-22T10:00:00Z');
    // C3 promises I5's 500 for 2024-03-20 and paid nothing: one more broken promise due in the period
    await importFiles(engine, [await asSource(recordFile({ kind: 'promise', customer_id: 'C3', invoice_id: 'I5', date: '2024-03-01', promised_date: '2024-03-20', amount: 500 }, at))]);
    expect(await kept()).toEqual({ snapshots: 1, forecasts: 0, promises: 4 });
    const [after] = await runQuery(engine, 'promises', D);
    expect(after.promises_due).toBe(before.promises_due + 1);
    expect(after.promise_kept_rate).toBeLessThan(before.promise_kept_rate!);
    // a payment changes the open items: they are built again
    await importFiles(engine, [{ name: 'p9.csv', bytes: new TextEncoder().encode('payment_id,customer_id,invoice_id,payment_date,amount\nP9,C3,I5,2024-03-15,500\n') }]);
    expect((await kept()).snapshots).toBe(0);
    const [balances] = await runQuery(engine, 'balances', D);
    expect(balances.outstanding).toBe(6600 - 500);
  });
});
