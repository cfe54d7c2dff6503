import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/lib/importers/import';
import type { RejectRow } from '../../src/lib/importers/report';
import { neutralise, reportCsv } from '../../src/lib/importers/report-csv';
import { runQuery } from '../../src/lib/kpi/queries';
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

  it('keeps a payment naming an invoice the ledger does not have as unapplied cash, and says so', async () => {
    const engine = await freshEngine();
    const result = await importFiles(engine, [fixture('hand', 'payments.csv')]);
    expect(result.files[0]).toMatchObject({ rows_imported: 4, rows_rejected: 0, warnings: { unknown_invoice_unapplied: 3 } });
    const listed = await engine.query<{ reason: string; value: string; line: number }>(`SELECT reason, value, line FROM import_warnings ORDER BY value`);
    expect(listed).toEqual([
      { reason: 'unknown_invoice_unapplied', value: 'I1', line: 2 },
      { reason: 'unknown_invoice_unapplied', value: 'I3', line: 3 },
      { reason: 'unknown_invoice_unapplied', value: 'I4', line: 4 },
    ]);
    // 400 + 1500 + 1000 + 300, all unapplied
    const [u] = await engine.query<{ n: number; s: number }>(`SELECT count(*) AS n, sum(amount)::DOUBLE AS s FROM payments WHERE invoice_id IS NULL`);
    expect(u).toEqual({ n: 4, s: 3200 });
    // a later file of the same name reports its own warnings, not the earlier one's
    const later = await importFiles(engine, [{ name: 'payments.csv', bytes: new TextEncoder().encode('payment_id,customer_id,payment_date,amount\nP9,C1,2024-03-01,10\n') }]);
    expect(later.files[0].rows_imported).toBe(1);
    expect(later.files[0].warnings).toEqual({});
  });

  it('flags, without rejecting, due dates before invoice dates, future dates and payments above their invoice', async () => {
    const engine = await freshEngine();
    const enc = (s: string) => new TextEncoder().encode(s);
    const result = await importFiles(engine, [
      { name: 'inv.csv', bytes: enc('invoice_id,customer_id,invoice_date,due_date,amount\nW1,K,2024-01-10,2024-01-05,100\nW2,K,2099-01-01,2099-02-01,50\n') },
      { name: 'pay.csv', bytes: enc('payment_id,invoice_id,payment_date,amount\nZ1,W1,2024-02-01,80\nZ2,W1,2024-02-02,70\n') },
    ]);
    const byName = Object.fromEntries(result.files.map((f) => [f.file, f]));
    expect(byName['inv.csv']).toMatchObject({ rows_imported: 2, rows_rejected: 0, warnings: { due_before_invoice: 1, future_date: 1 } });
    expect(byName['pay.csv']).toMatchObject({ rows_imported: 2, rows_rejected: 0, warnings: { paid_more_than_invoice: 2 } });
    // the 50 paid beyond W1's 100 is a credit the customer holds on it
    const [o] = await runQuery(engine, 'balances', { as_of: '2024-03-31', period_days: 90, currency: 'EUR' });
    expect(o.outstanding).toBe(-50);
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

  it('reads such dates day first, and says so, when the file is European: a decimal comma, or ";" separators', async () => {
    for (const [name, body] of [
      ['virgule.csv', 'N° facture,Client,Date facture,Échéance,Montant\nA1,C1,01/02/2024,03/03/2024,"100,50"\nA2,C1,05/02/2024,07/03/2024,"200,00"\n'],
      ['point-virgule.csv', 'N° facture;Client;Date facture;Échéance;Montant\nA1;C1;01/02/2024;03/03/2024;100\nA2;C1;05/02/2024;07/03/2024;200\n'],
    ]) {
      const engine = await freshEngine();
      const r = await importFiles(engine, [{ name, bytes: new TextEncoder().encode(body) }]);
      expect(r.status).toBe('done');
      expect(r.files[0].detected).toMatchObject({ date_format: 'dmy', notes: { dates_day_first: 1 } });
      const rows = await engine.query<{ d: string; due: string }>(`SELECT strftime(invoice_date, '%Y-%m-%d') d, strftime(due_date, '%Y-%m-%d') due FROM invoices ORDER BY invoice_id`);
      expect(rows).toEqual([{ d: '2024-02-01', due: '2024-03-03' }, { d: '2024-02-05', due: '2024-03-07' }]);
    }
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

describe('the downloadable report', () => {
  it('has a line per file and per flagged row, reasons in words, formula-looking cells neutralised', async () => {
    const engine = await freshEngine();
    const enc = (s: string) => new TextEncoder().encode(s);
    const result = await importFiles(engine, [
      { name: 'r.csv', bytes: enc('invoice_id,customer_id,invoice_date,amount\nA1,K,2024-01-10,100\n=HYPERLINK("x"),K,not a date,5\nA3,K,2024-01-12,+cmd\n') },
    ]);
    const rows = await engine.query<RejectRow>(`SELECT * FROM import_rejects ORDER BY line`);
    const csv = reportCsv('en', result.files, rows.map((r) => ({ ...r, kind: 'rejected' as const }))).split('\r\n');
    expect(csv[1]).toBe('r.csv,imported,invoices,3,1,2,105,100,5,');
    expect(csv).toContain(`r.csv,rejected,3,invoice_date,not a date,bad_date,not a date (expected yyyy-mm-dd)`);
    expect(csv).toContain(`r.csv,rejected,4,amount,'+cmd,bad_amount,not an amount (decimal point)`);
    expect(neutralise('=1+1')).toBe("'=1+1");
    expect(neutralise('-12')).toBe("'-12");
    expect(neutralise('Dupont')).toBe('Dupont');
  });
});
