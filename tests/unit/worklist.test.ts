/**
 * Dunning scenario scheduling on the hand-worked ledger (tests/fixtures/hand), as of 2024-03-31, with
 * the default steps: courtesy reminder D−5, reminder 1 D+5, reminder 2 D+15, formal notice D+30,
 * litigation D+45 (relative to the due date).
 */
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/lib/importers/import';
import { runQuery, type Scope } from '../../src/lib/kpi/queries';
import { recordFile } from '../../src/lib/workspace/records';
import { fixture, freshEngine } from './support/engine';

const D: Scope = { as_of: '2024-03-31', period_days: 90, currency: 'EUR' };
const HAND = ['customers', 'credit_limits', 'invoices', 'payments', 'disputes', 'promises', 'actions'].map((f) => fixture('hand', `${f}.csv`));

describe('dunning scenario and worklist', () => {
  it('which step is due for which invoice, the pauses, and today\'s worklist by priority', async () => {
    const engine = await freshEngine();
    await importFiles(engine, HAND);
    const due = await runQuery(engine, 'dunning_due', D);
    // I1 (77 days) and I2 (51) are past every step: litigation (no litigation action recorded; A1, A4,
    // A5 were earlier steps); I2 waits for its open dispute D2. I5 (152 days): litigation. I6 is due on
    // D: the courtesy reminder (D−5) is due. I4 (due 04-14) has reached no step; CN1 is a credit.
    expect(due.map((r) => [r.invoice_id, r.days_overdue, r.step_key, r.paused])).toEqual([
      ['I1', 77, 'litigation', null],
      ['I2', 51, 'litigation', 'dispute'],
      ['I5', 152, 'litigation', null],
      ['I6', 0, 'courtesy_reminder', null],
    ]);
    // on 02-10: I1 (27 days) had reached reminder 2 (not done: A5 was reminder 1); I2 (1 day) the
    // courtesy reminder (A4 was for I1).
    const early = await runQuery(engine, 'dunning_due', { ...D, as_of: '2024-02-10' });
    expect(early.filter((r) => r.customer_id === 'C1').map((r) => [r.invoice_id, r.step_key])).toEqual([['I1', 'reminder_2'], ['I2', 'courtesy_reminder']]);
    // on 01-20, I1 (6 days) had reached reminder 1, and A5 (01-05) was before 01-19: still due;
    // on 02-20 I2 (11 days) had reached reminder 1, done on 02-14 (A1, on or after 02-14): nothing due
    const jan = await runQuery(engine, 'dunning_due', { ...D, as_of: '2024-01-20' });
    expect(jan.filter((r) => r.invoice_id === 'I1').map((r) => r.step_key)).toEqual(['reminder_1']);
    const feb = await runQuery(engine, 'dunning_due', { ...D, as_of: '2024-02-20' });
    expect(feb.filter((r) => r.invoice_id === 'I2')).toEqual([]);
    // a promise on the whole account, made by D and not yet due, pauses every invoice of C3
    const work = await runQuery(engine, 'worklist', D);
    expect(work.map((w) => [w.customer_id, w.step_key, w.invoices, w.amount, w.oldest_days, w.invoice_ids, w.grade])).toEqual([
      ['C1', 'litigation', 1, 600, 77, 'I1', 'E'],
      ['C3', 'litigation', 2, 1200, 152, 'I5, I6', 'C'],
    ]);
    // marked done: C1's litigation hand-over recorded today → C1 leaves the worklist
    const done = recordFile({ kind: 'action', customer_id: 'C1', invoice_id: 'I1', date: '2024-03-31', action_type: 'litigation' });
    await importFiles(engine, [{ name: done.name, bytes: new Uint8Array(await done.arrayBuffer()) }]);
    expect((await runQuery(engine, 'worklist', D)).map((w) => w.customer_id)).toEqual(['C3']);
    const promise = recordFile({ kind: 'promise', customer_id: 'C3', invoice_id: null, date: '2024-03-31', promised_date: '2024-04-15', amount: 1200 }, new Date(Date.now() + 5000));
    await importFiles(engine, [{ name: promise.name, bytes: new Uint8Array(await promise.arrayBuffer()) }]);
    expect(await runQuery(engine, 'worklist', D)).toEqual([]);
    expect((await runQuery(engine, 'dunning_due', D)).filter((r) => r.customer_id === 'C3').map((r) => r.paused)).toEqual(['promise', 'promise']);
  });

  it('the next step of each of the largest late payers: due now, planned, or paused', async () => {
    // as of 2024-03-31, the default steps (D−5, D+5, D+15, D+30, D+45):
    //   K1: X due 03-20 (11 days) reached reminder 1, done on 03-26 → reminder 2 planned on 04-04
    //   K2: Y due 03-01 (30 days) reached the formal notice, Z due 03-25 reminder 1, neither done →
    //       the formal notice, due since 03-31 (its most advanced step, as the worklist has it)
    //   K3: W due 02-15 (45 days) under a dispute opened 03-01 → nothing, paused by the dispute
    //   K4: V due 03-10 (21 days) covered by a promise for 04-10; U due 04-20 → its courtesy
    //       reminder, planned on 04-15 (the promise covers V only)
    const engine = await freshEngine();
    const files = {
      'invoices.csv': [
        'invoice_id,customer_id,invoice_date,due_date,amount',
        'X,K1,2024-02-19,2024-03-20,1000', 'Y,K2,2024-01-31,2024-03-01,500', 'Z,K2,2024-02-24,2024-03-25,300',
        'W,K3,2024-01-16,2024-02-15,800', 'V,K4,2024-02-09,2024-03-10,200', 'U,K4,2024-03-21,2024-04-20,100',
      ].join('\n'),
      'actions.csv': ['action_id,customer_id,invoice_id,action_date,action_type', 'a1,K1,X,2024-03-26,reminder_1'].join('\n'),
      'disputes.csv': ['dispute_id,invoice_id,opened_date,reason', 'd1,W,2024-03-01,price'].join('\n'),
      'promises.csv': ['promise_id,customer_id,invoice_id,promised_on,promised_date,amount', 'p1,K4,V,2024-03-28,2024-04-10,200'].join('\n'),
    };
    const result = await importFiles(engine, Object.entries(files).map(([name, text]) => ({ name, bytes: new TextEncoder().encode(text) })));
    for (const f of result.files) expect([f.file, f.rows_rejected]).toEqual([f.file, 0]);
    const next = await runQuery(engine, 'next_steps', { ...D, limit: 20 });
    expect(next.map((r) => [r.customer_id, r.next_step, r.next_step_date, r.next_step_due, r.paused])).toEqual([
      ['K1', 'reminder_2', '2024-04-04', false, null],
      ['K2', 'formal_notice', '2024-03-31', true, null],
      ['K3', null, null, false, 'dispute'],
      ['K4', 'courtesy_reminder', '2024-04-15', false, null],
    ]);
    // the largest late payer only (K1, 1000 overdue)
    expect((await runQuery(engine, 'next_steps', { ...D, limit: 1 })).map((r) => r.customer_id)).toEqual(['K1']);
    // what is due is today's worklist's step
    expect((await runQuery(engine, 'worklist', D)).map((w) => [w.customer_id, w.step_key])).toEqual([['K2', 'formal_notice']]);
  });

  it('on the hand-worked ledger, the next step of each late payer is its worklist step, since the day it fell due', async () => {
    const engine = await freshEngine();
    await importFiles(engine, HAND);
    // C1: I1 (due 01-14) reached litigation on 02-28, I2 waits for its dispute; C3: I5 (due 2023-10-31)
    // reached litigation on 2023-12-15 (I6's courtesy reminder is due too, a step before it)
    expect((await runQuery(engine, 'next_steps', { ...D, limit: 20 })).map((r) => [r.customer_id, r.next_step, r.next_step_date, r.next_step_due])).toEqual([
      ['C1', 'litigation', '2024-02-28', true],
      ['C3', 'litigation', '2023-12-15', true],
    ]);
  });
  it("a worklist line lists its invoices most overdue first, then by number, and each address once", async () => {
    // as of 2024-03-31: B due 02-01 (59 days), A and C due 03-01 (30 days each): B first, then A, C
    const engine = await freshEngine();
    const files = {
      'invoices.csv': ['invoice_id,customer_id,invoice_date,due_date,amount', 'C,K1,2024-01-31,2024-03-01,100', 'B,K1,2024-01-02,2024-02-01,100', 'A,K1,2024-01-31,2024-03-01,100'].join('\n'),
      'contacts.csv': ['customer_id,contact_name,role,email', 'K1,Zoé,gérante,zoe@k1.example', 'K1,Ana,comptable,ana@k1.example', 'K1,Ana,relances,ana@k1.example'].join('\n'),
    };
    await importFiles(engine, Object.entries(files).map(([name, text]) => ({ name, bytes: new TextEncoder().encode(text) })));
    expect((await runQuery(engine, 'worklist', D)).map((w) => [w.customer_id, w.invoices, w.invoice_ids, w.oldest_days, w.emails])).toEqual([
      ['K1', 3, 'B, A, C', 59, 'ana@k1.example,zoe@k1.example'],
    ]);
  });
});
