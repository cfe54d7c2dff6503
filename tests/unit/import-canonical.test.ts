import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlEngine } from '../../src/lib/engine/sql-engine';
import { importFiles } from '../../src/lib/importers/import';
import { fixture, freshEngine } from './support/engine';

describe('import of canonical CSV files dropped together', () => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await freshEngine();
  });

  it('recognises each file by its header and loads it whatever the drop order', async () => {
    const result = await importFiles(engine, [
      fixture('hand', 'payments.csv'),
      fixture('hand', 'invoices.csv'),
      fixture('hand', 'customers.csv'),
    ]);
    expect(result.status).toBe('done');
    const layouts = Object.fromEntries(result.files.map((f) => [f.file, f.detected?.layout]));
    expect(layouts).toEqual({ 'payments.csv': 'payments', 'invoices.csv': 'invoices', 'customers.csv': 'customers' });
    for (const f of result.files) expect(f.rows_rejected).toBe(0);
    const counts = await engine.query<{ c: number; i: number; p: number; u: number }>(
      `SELECT (SELECT count(*) FROM customers) c, (SELECT count(*) FROM invoices) i, (SELECT count(*) FROM payments) p,
              (SELECT count(*) FROM payments WHERE invoice_id IS NULL) u`,
    );
    expect(counts[0]).toEqual({ c: 3, i: 8, p: 4, u: 1 });
  });

  it('reconciles: file totals = imported totals, and the tables hold exactly that', async () => {
    const rows = await engine.query<{ file_name: string; amount_read: number; amount_imported: number }>(
      `SELECT file_name, amount_read::DOUBLE amount_read, amount_imported::DOUBLE amount_imported FROM import_files ORDER BY file_name`,
    );
    // invoices.csv: 1000 + 2000 + 1500 + 3000 + 500 − 200 + 700 + 999 = 9499
    expect(rows.find((r) => r.file_name === 'invoices.csv')).toMatchObject({ amount_read: 9499, amount_imported: 9499 });
    // payments.csv: 400 + 1500 + 1000 + 300 = 3200
    expect(rows.find((r) => r.file_name === 'payments.csv')).toMatchObject({ amount_read: 3200, amount_imported: 3200 });
    const [t] = await engine.query<{ inv: number; pay: number }>(
      `SELECT (SELECT sum(amount) FROM invoices)::DOUBLE inv, (SELECT sum(amount) FROM payments)::DOUBLE pay`,
    );
    expect(t).toEqual({ inv: 9499, pay: 3200 });
  });

  it('stores a credit note with no due date on its own date, and takes the customer\'s terms', async () => {
    const [cn] = await engine.query<{ due_date: string; document_type: string }>(
      `SELECT strftime(due_date, '%Y-%m-%d') due_date, document_type FROM invoices WHERE invoice_id = 'CN1'`,
    );
    expect(cn).toEqual({ due_date: '2024-03-20', document_type: 'credit_note' });
  });
});
