import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/lib/importers/import';
import type { RejectRow } from '../../src/lib/importers/report';
import { fixture, freshEngine } from './support/engine';

describe('bad rows are rejected, located and reconciled, never lost', () => {
  it('lists each rejected row with file, row, line, column, value and reason', async () => {
    const engine = await freshEngine();
    const result = await importFiles(engine, [fixture('hand', 'rejects.csv')]);
    const f = result.files[0];
    // 7 data lines: B1 ok, B2 no customer, B3 bad date, B4 bad amount, B1 again (duplicate),
    // B5 has one column too many (malformed line), B6 ok.
    expect(f).toMatchObject({ status: 'imported', rows_read: 7, rows_imported: 2, rows_rejected: 5 });
    // Amounts that parse: 100 + 200 + 300 + 400 + 600.50 = 1600.50; kept: B1 100 + B6 600.50.
    expect(f).toMatchObject({ amount_read: 1600.5, amount_imported: 700.5, amount_rejected: 900 });
    const rejects = await engine.query<RejectRow>(
      `SELECT file_name, row_number, line, column_name, value, reason, detail FROM import_rejects ORDER BY line, column_name`,
    );
    expect(rejects.map((r) => [r.line, r.row_number, r.column_name, r.value, r.reason])).toEqual([
      [3, 2, 'customer_id', null, 'required_missing'],
      [4, 3, 'invoice_date', '2024-13-45', 'bad_date'],
      [5, 4, 'amount', 'abc', 'bad_amount'],
      [6, 5, 'invoice_id', 'B1', 'duplicate_in_file'],
      [7, null, null, 'B5,C3,2024-01-14,2024-02-13,500.00,extra', 'malformed_line'],
    ]);
    expect(rejects[1].detail).toBe('yyyy-mm-dd');
    expect(rejects[3].detail).toBe('2'); // the first B1 is on line 2
    expect(rejects.every((r) => r.file_name === 'rejects.csv')).toBe(true);
    const ids = await engine.query<{ invoice_id: string }>(`SELECT invoice_id FROM invoices ORDER BY invoice_id`);
    expect(ids.map((r) => r.invoice_id)).toEqual(['B1', 'B6']);
  });

  it('rejects a second import of the same invoices as already loaded', async () => {
    const engine = await freshEngine();
    await importFiles(engine, [fixture('hand', 'invoices.csv')]);
    const again = await importFiles(engine, [fixture('hand', 'invoices.csv')]);
    expect(again.files[0]).toMatchObject({ rows_read: 8, rows_imported: 0, rows_rejected: 8 });
    const [n] = await engine.query<{ n: number }>(`SELECT count(*) n FROM invoices`);
    expect(n.n).toBe(8);
  });

  it('rejects a payment allocated to an invoice the ledger does not have', async () => {
    const engine = await freshEngine();
    const result = await importFiles(engine, [fixture('hand', 'payments.csv')]);
    expect(result.files[0]).toMatchObject({ rows_imported: 1, rows_rejected: 3 });
    const reasons = await engine.query<{ reason: string; value: string }>(`SELECT reason, value FROM import_rejects ORDER BY value`);
    expect(reasons).toEqual([
      { reason: 'unknown_invoice', value: 'I1' },
      { reason: 'unknown_invoice', value: 'I3' },
      { reason: 'unknown_invoice', value: 'I4' },
    ]);
  });
});

describe('files that cannot be imported say why, and the others still load', () => {
  it('empty, binary, unrecognised columns', async () => {
    const engine = await freshEngine();
    const result = await importFiles(engine, [
      fixture('hand', 'empty.csv'),
      fixture('hand', 'binary.csv'),
      fixture('hand', 'missing-columns.csv'),
      fixture('hand', 'invoices.csv'),
    ]);
    expect(result.status).toBe('done');
    const byName = Object.fromEntries(result.files.map((f) => [f.file, f]));
    expect(byName['empty.csv']).toMatchObject({ status: 'failed', error: { code: 'empty_file' } });
    expect(byName['binary.csv']).toMatchObject({ status: 'failed', error: { code: 'binary_file' } });
    expect(byName['missing-columns.csv']).toMatchObject({
      status: 'failed',
      error: { code: 'unrecognised', columns: ['customer', 'montant'], closest: 'invoices', missing: ['invoice_id', 'invoice_date'] },
    });
    expect(byName['invoices.csv']).toMatchObject({ status: 'imported', rows_imported: 8 });
  });

  it('asks when dates read both day-first and month-first, and loads nothing until answered', async () => {
    const engine = await freshEngine();
    const first = await importFiles(engine, [fixture('hand', 'ambiguous-dates.csv'), fixture('hand', 'customers.csv')]);
    expect(first.status).toBe('needs_input');
    expect(first.files[0]).toMatchObject({ status: 'needs_input', error: { code: 'ambiguous_dates', candidates: ['dmy', 'mdy'] } });
    const [none] = await engine.query<{ n: number }>(`SELECT (SELECT count(*) FROM invoices) + (SELECT count(*) FROM customers) n`);
    expect(none.n).toBe(0);

    const dmy = await importFiles(engine, [fixture('hand', 'ambiguous-dates.csv')], { dateFormats: { 'ambiguous-dates.csv': 'dmy' } });
    expect(dmy.status).toBe('done');
    const rows = await engine.query<{ d: string }>(`SELECT strftime(invoice_date, '%Y-%m-%d') d FROM invoices ORDER BY invoice_id`);
    expect(rows.map((r) => r.d)).toEqual(['2024-02-01', '2024-02-05']);
  });

  it('derives due dates from the default terms when the file has none, and says so', async () => {
    const engine = await freshEngine();
    const bytes = new TextEncoder().encode('Invoice,Customer,Invoice Date,Amount\nX1,C9,2024-01-31,10\n');
    const result = await importFiles(engine, [{ name: 'no-due.csv', bytes }], { defaultTermsDays: 45, defaultCurrency: 'usd' });
    expect(result.files[0].detected?.notes).toEqual({ due_date_from_terms: 1, currency_defaulted: 1 });
    const [row] = await engine.query<{ due: string; currency: string }>(`SELECT strftime(due_date, '%Y-%m-%d') due, currency FROM invoices`);
    expect(row).toEqual({ due: '2024-03-16', currency: 'USD' });
  });
});
