import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvLine, DEMO_TABLES, generateDemoLedger, type DemoOptions, type DemoTable } from '../../src/lib/demo/generator';
import type { SqlEngine } from '../../src/lib/engine/sql-engine';
import { importFiles } from '../../src/lib/importers/import';
import { freshEngine } from './support/engine';

function render(options: DemoOptions): Record<DemoTable, string> {
  const out = Object.fromEntries(Object.entries(DEMO_TABLES).map(([t, cols]) => [t, [cols.join(',')]])) as Record<DemoTable, string[]>;
  generateDemoLedger(options, (t, row) => out[t].push(csvLine(row)));
  return Object.fromEntries(Object.entries(out).map(([t, lines]) => [t, lines.join('\n') + '\n'])) as Record<DemoTable, string>;
}
const digest = (files: Record<string, string>) => createHash('sha256').update(JSON.stringify(files)).digest('hex');
const SMALL: DemoOptions = { seed: 7, invoices: 3000, end: '2025-06-30', months: 24 };

describe('demo ledger generator', () => {
  it('is deterministic for a seed, and differs across seeds', () => {
    expect(digest(render(SMALL))).toBe(digest(render(SMALL)));
    expect(digest(render({ ...SMALL, seed: 8 }))).not.toBe(digest(render(SMALL)));
  });

  it('scales with the requested number of invoices', () => {
    const count = (n: number) => generateDemoLedger({ ...SMALL, invoices: n }, () => {}).invoices;
    for (const n of [1000, 10_000]) expect(count(n) / n).toBeGreaterThan(0.6), expect(count(n) / n).toBeLessThan(1.6);
  });

  describe('imported through the product importer', () => {
    let engine: SqlEngine;
    beforeAll(async () => {
      engine = await freshEngine();
      const files = render(SMALL);
      const result = await importFiles(
        engine,
        Object.entries(files).map(([t, text]) => ({ name: `${t}.csv`, bytes: new TextEncoder().encode(text) })),
      );
      for (const f of result.files) expect([f.file, f.rows_rejected]).toEqual([f.file, 0]);
    });

    it('has what the brief asks for: behaviours, terms, entities, currencies, and every kind of record', async () => {
      const [r] = await engine.query<Record<string, number>>(`
        SELECT (SELECT count(DISTINCT payment_terms_days) FROM customers WHERE payment_terms_days IN (0, 30, 45, 60)) AS terms,
               (SELECT count(DISTINCT entity) FROM customers) AS entities,
               (SELECT count(DISTINCT currency) FROM invoices) AS currencies,
               (SELECT count(*) FROM invoices WHERE document_type = 'credit_note' AND amount < 0) AS credit_notes,
               (SELECT count(*) FROM payments WHERE invoice_id IS NULL) AS unapplied,
               (SELECT count(*) FROM (SELECT invoice_id FROM payments WHERE invoice_id LIKE '%-%' AND amount > 0 GROUP BY invoice_id HAVING count(*) > 1)) AS partially_paid,
               (SELECT count(*) FROM disputes) AS disputes,
               (SELECT count(*) FROM promises) AS promises,
               (SELECT count(*) FROM actions) AS actions,
               (SELECT count(*) FROM credit_limits) AS limits`);
      expect(r.terms).toBe(4);
      expect(r.entities).toBe(2);
      expect(r.currencies).toBe(2);
      for (const k of ['credit_notes', 'unapplied', 'partially_paid', 'disputes', 'promises', 'actions', 'limits']) expect(r[k], k).toBeGreaterThan(0);
    });

    it('never allocates more to an invoice than its amount, and nothing happens after the end date', async () => {
      const [r] = await engine.query<{ over: number; late: number }>(`
        SELECT (SELECT count(*) FROM invoices i JOIN (SELECT invoice_id, sum(amount) s FROM payments GROUP BY 1) p USING (invoice_id)
                WHERE i.amount > 0 AND p.s > i.amount + 0.005) AS over,
               (SELECT count(*) FROM payments WHERE payment_date > DATE '2025-06-30')
             + (SELECT count(*) FROM invoices WHERE invoice_date > DATE '2025-06-30') AS late`);
      expect(r).toEqual({ over: 0, late: 0 });
    });

    it('gives customers distinct payment behaviours', async () => {
      // mean days paid after due, per customer with enough history: spread from early to very late
      const [r] = await engine.query<{ lo: number; hi: number }>(`
        WITH d AS (
          SELECT i.customer_id, avg(p.payment_date - i.due_date) AS delay
          FROM payments p JOIN invoices i USING (invoice_id) WHERE i.amount > 0
          GROUP BY 1 HAVING count(*) >= 10)
        SELECT min(delay) AS lo, max(delay) AS hi FROM d`);
      expect(r.lo).toBeLessThan(0);
      expect(r.hi).toBeGreaterThan(30);
    });
  });
});
