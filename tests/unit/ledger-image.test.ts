/**
 * A workspace's ledger saved as Arrow and loaded back into a fresh engine gives the same ledger:
 * the hand-worked figures (tests/fixtures/hand, as of 2024-03-31), the import log, and a damaged
 * image is refused whole.
 */
import { describe, expect, it } from 'vitest';
import { ledgerChanged } from '../../src/lib/engine/bootstrap';
import { EARLY_FAMILIES, EARLY_QUERIES } from '../../src/lib/engine/early-requests';
import type { SqlEngine } from '../../src/lib/engine/sql-engine';
import { importFiles } from '../../src/lib/importers/import';
import { IMAGE_FACT_TABLES, LATE_TABLES } from '../../src/lib/workspace/image-format';
import { runQuery, type QueryName, type Scope } from '../../src/lib/kpi/queries';
import { customerAging, kpiReport, resolveRequest } from '../../src/lib/kpi/report';
import { canImage, IMAGE_TABLES, ImageMismatch, loadImage, loadImageEarly, loadOrder, READ_AHEAD_BYTES, readAhead, takeImage, takeImagePiecewise } from '../../src/lib/workspace/ledger-image';
import { demoSources, fixture, freshEngine } from './support/engine';

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
    // the summary and the currencies as the tables would rebuild them
    expect(await runQuery(target, 'ledger_summary', {})).toEqual(await runQuery(source, 'ledger_summary', {}));
    expect(await runQuery(target, 'ledger_currencies', {})).toEqual(await runQuery(source, 'ledger_currencies', {}));
    await ledgerChanged(target);
    for (const table of IMAGE_FACT_TABLES) {
      const q = `SELECT * FROM ${table} ORDER BY ALL`;
      expect(await target.query(q), table).toEqual(await source.query(q));
    }
  });

  it('taken a slice of rows at a time, gives the same tables in the same order, and gives up when the ledger changes', async () => {
    const { source } = await imaged(true);
    const steps: Record<string, number> = {};
    const parts = [];
    for (const table of IMAGE_TABLES) {
      const counted = <T,>(job: () => Promise<T>) => ((steps[table] = (steps[table] ?? 0) + 1), job());
      parts.push(await takeImagePiecewise(source, table, counted, () => true, 7));
    }
    // the hand ledger's invoices: more than one slice of 7
    expect(steps.invoices).toBeGreaterThan(1);
    const step = <T,>(job: () => Promise<T>) => job();
    const target = await freshEngine();
    if (!canImage(target)) throw new Error('the wasm host keeps images');
    await loadImage(target, parts);
    for (const table of IMAGE_TABLES) {
      // (in the saved order: the facts are sorted by date)
      expect(await target.query(`SELECT * FROM ${table}`), table).toEqual(await source.query(`SELECT * FROM ${table}`));
    }
    let calls = 0;
    await expect(takeImagePiecewise(source, 'invoices', step, () => ++calls < 3, 7)).rejects.toThrow(/changed while its invoices/);
  });

  it('reads ahead the first tables in their load order, whole, within its budget, each taken once and only for the same file', async () => {
    const { early, late } = loadOrder(IMAGE_TABLES.map((table) => ({ table })));
    expect([...early, ...late].map((p) => p.table).sort()).toEqual([...IMAGE_TABLES].sort());
    expect(late.map((p) => p.table).sort()).toEqual([...LATE_TABLES].sort());
    // the first table a third of the budget, every other half of it: two fit, the third does not
    const third = Math.floor(READ_AHEAD_BYTES / 3);
    const parts = IMAGE_TABLES.map((table) => ({ table, size: table === early[0].table ? third : 2 * third - 1 }));
    const read: string[] = [];
    const ahead = readAhead(parts, async (p) => (read.push(p.table), new Uint8Array([p.table.length])));
    expect(read).toEqual([early[0].table, early[1].table]);
    expect(ahead.tables).toEqual(read);
    expect(ahead.take(early[1].table, 1)).toBeNull(); // another file: not its bytes (and dropped)
    expect(await ahead.take(early[0].table, third)).toEqual(new Uint8Array([early[0].table.length]));
    expect(ahead.take(early[0].table, third)).toBeNull();
    expect(ahead.tables).toEqual([]);
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

  it('answers the early requests from its first part as from the whole ledger, and everything once the late tables are in', async () => {
    // the demo ledger (made here: a clone has no static/demo before its first build): every late
    // table has rows, every dimension several values
    const source = await freshEngine();
    await importFiles(source, demoSources());
    if (!canImage(source)) throw new Error('the wasm host keeps images');
    const parts = await takeImage(source);
    const target = await freshEngine();
    if (!canImage(target)) throw new Error('the wasm host keeps images');
    // a record batch (2,048 rows) at a time: the demo's invoices and payments in several chunks
    const late = await loadImageEarly(target, parts, 1);
    for (const table of LATE_TABLES) {
      const count = `SELECT count(*)::INTEGER AS n FROM ${table}`;
      expect((await source.query<{ n: number }>(count))[0].n, table).toBeGreaterThan(0);
      expect((await target.query<{ n: number }>(count))[0].n, table).toBe(0);
    }
    const whole = await earlyAnswers(source);
    expectSame(await earlyAnswers(target), whole);
    // the dunning family is not early: it reads the payments, not loaded yet
    const scope = await latest(source);
    expect((await runQuery(target, 'dunning', scope))[0].dunning_response_rate).not.toBe((await runQuery(source, 'dunning', scope))[0].dunning_response_rate);
    let chunks = 0;
    while (await late.next()) {
      chunks++;
      // between two chunks the early answers hold (the overview asked while the rest loads)
      if (chunks === 3) expect((await runQuery(target, 'balances', scope))[0]).toEqual((await runQuery(source, 'balances', scope))[0]);
    }
    expect(chunks).toBeGreaterThan(LATE_TABLES.length);
    // what was computed before the late tables stays right (nothing forgotten), and the rest is right
    expectSame(await earlyAnswers(target), whole);
    expect(await runQuery(target, 'dunning', scope)).toEqual(await runQuery(source, 'dunning', scope));
    for (const table of IMAGE_TABLES) {
      const q = `SELECT * FROM ${table} ORDER BY ALL`;
      expect(await target.query(q), table).toEqual(await source.query(q));
    }
  }, 120_000);

  it('a late table that does not fit empties the ledger, and the steps after it do nothing', async () => {
    const { parts } = await imaged();
    const target = await freshEngine();
    if (!canImage(target)) throw new Error('the wasm host keeps images');
    const late = await loadImageEarly(target, parts.map((p) => (p.table === 'invoices' ? { ...p, rows: p.rows + 1 } : p)));
    await expect((async () => { while (await late.next()); })()).rejects.toThrow(/invoices: \d+ rows read back/);
    expect(await late.next()).toBe(false);
    for (const table of ['invoices', 'payments', 'invoice_facts', 'customers']) {
      expect((await target.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table}`))[0].n, table).toBe(0);
    }
  });
});

async function latest(engine: SqlEngine): Promise<Scope> {
  const r = (await resolveRequest(engine, {}))!;
  return { as_of: r.as_of, period_days: r.period_days, currency: r.currency };
}

/** Every early request (early-requests.ts) at three dates, in the whole ledger and in two slices. */
async function earlyAnswers(engine: SqlEngine): Promise<unknown[]> {
  const base = (await resolveRequest(engine, {}))!;
  const values = await runQuery(engine, 'dimension_values', { currency: base.currency });
  const valueOf = (dimension: string) => values.find((v) => v.dimension === dimension)!.value;
  const out: unknown[] = [];
  for (const as_of of [base.as_of, '2026-03-15', '2025-12-31']) {
    for (const slice of [{}, { dim: 'division' as const, val: valueOf('division') }, { dim: 'collector' as const, val: valueOf('collector') }]) {
      const r = { ...base, ...slice, as_of };
      const scope: Scope = { as_of, period_days: r.period_days, currency: r.currency, dim: r.dim, val: r.val };
      out.push(await kpiReport(engine, r, [...EARLY_FAMILIES]), await customerAging(engine, r, 50));
      const params: { [N in QueryName]?: object } = {
        ledger_summary: {}, ledger_currencies: {}, dimensions_present: {}, aging_buckets: {},
        dimension_values: { currency: r.currency }, series: scope, aging: scope, top_late: { ...scope, limit: 50 },
        aging_by: { ...scope, by: 'dispute_reason', limit: 100 }, aged_invoices: { ...scope, bucket: null, limit: 200 },
      };
      for (const name of EARLY_QUERIES) {
        expect(params[name], `the test has no parameters for ${name}`).toBeDefined();
        out.push(await runQuery(engine, name, params[name] as never));
      }
      out.push(await runQuery(engine, 'aging_by', { ...scope, by: 'customer', limit: 100 }));
    }
  }
  return out;
}

/** Equal, numbers within 1e-9 relative (sums of doubles in another order). */
function expectSame(actual: unknown, expected: unknown, path = ''): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), path).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
  } else if (expected && typeof expected === 'object') {
    expect(typeof actual, path).toBe('object');
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual as object)]);
    for (const k of keys) expectSame((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
  } else expect(actual, path).toEqual(expected);
}
