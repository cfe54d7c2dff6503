/**
 * Hostile files: each gives a correct import or a clear, located error, and the engine stays usable
 * (a good file imports right after). The too-large case is also exercised for real, on a generated
 * file, by the benchmark (bench/run.ts --too-large); here its limit is lowered.
 */
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { importFiles, type ImportSource } from '../../src/lib/importers/import';
import { fixture, freshEngine } from './support/engine';

const text = (name: string, s: string): ImportSource => ({ name, bytes: new TextEncoder().encode(s) });

async function importOne(source: ImportSource, options = {}) {
  const engine = await freshEngine();
  const result = await importFiles(engine, [source], options);
  // still usable afterwards
  const after = await importFiles(engine, [fixture('hand', 'invoices.csv')]);
  expect(after.files[0]).toMatchObject({ status: 'imported', rows_imported: 8 });
  const rejects = await engine.query<{ line: number; column_name: string | null; value: string | null; reason: string }>(
    `SELECT line, column_name, value, reason FROM import_rejects WHERE file_name = '${source.name}' ORDER BY line, column_name`,
  );
  return { f: result.files[0], rejects };
}

describe('hostile files', () => {
  it('header only: no data rows', async () => {
    const { f } = await importOne(text('head.csv', 'invoice_id,customer_id,invoice_date,amount\n'));
    expect(f).toMatchObject({ status: 'failed', error: { code: 'no_rows' } });
  });

  it('truncated in the middle of a quoted cell: the broken last line is listed, the rest imported', async () => {
    const { f, rejects } = await importOne(text('cut.csv', 'invoice_id,customer_id,invoice_date,amount\nT1,K,2024-01-10,100\nT2,K,2024-01-11,200\nT3,"K'));
    expect(f).toMatchObject({ status: 'imported', rows_read: 3, rows_imported: 2, rows_rejected: 1 });
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([[4, 'malformed_line']]);
  });

  it('one column: not recognised, and the message names what was found and what is missing', async () => {
    const { f } = await importOne(text('one.csv', 'invoice_id\nA\nB\n'));
    expect(f).toMatchObject({ status: 'failed', error: { code: 'unrecognised', columns: ['invoice_id'], closest: 'invoices', missing: ['customer_id', 'invoice_date', 'amount'] } });
  });

  it('a delimiter nobody uses (":"): one column found, said so', async () => {
    const { f } = await importOne(text('colon.csv', 'invoice_id:customer_id:invoice_date:amount\nA:K:2024-01-10:100\n'));
    expect(f.status).toBe('failed');
    expect(f.error).toMatchObject({ code: 'unrecognised', columns: ['invoice_id:customer_id:invoice_date:amount'] });
  });

  it('tab and pipe delimiters are detected', async () => {
    for (const [name, sep] of [['tab.txt', '\t'], ['pipe.txt', '|']]) {
      const { f } = await importOne(text(name, ['invoice_id', 'customer_id', 'invoice_date', 'amount'].join(sep) + '\n' + ['A', 'K', '2024-01-10', '100'].join(sep) + '\n'));
      expect([f.status, f.detected?.delimiter, f.rows_imported]).toEqual(['imported', sep, 1]);
    }
  });

  it('mixed date formats: the format most cells use wins, the others are rejected where they are', async () => {
    const { f, rejects } = await importOne(
      text('mixed.csv', 'invoice_id,customer_id,invoice_date,amount\nM1,K,2024-01-10,1\nM2,K,2024-01-11,2\nM3,K,12/01/2024,3\nM4,K,2024-01-13,4\n'),
    );
    expect(f).toMatchObject({ rows_imported: 3, rows_rejected: 1 });
    expect(f.detected?.date_format).toBe('iso');
    expect(rejects).toEqual([{ line: 4, column_name: 'invoice_date', value: '12/01/2024', reason: 'bad_date' }]);
  });

  it('formula text in cells: an id stays text, an amount that is a formula is rejected, never run', async () => {
    const { f, rejects } = await importOne(
      text('formula.csv', 'invoice_id,customer_id,invoice_date,amount\n"=HYPERLINK(""http://x"",""F1"")",K,2024-01-10,100\nF2,K,2024-01-11,=SUM(A1:A9)\n'),
    );
    expect(f).toMatchObject({ rows_imported: 1, rows_rejected: 1 });
    expect(rejects).toEqual([{ line: 3, column_name: 'amount', value: '=SUM(A1:A9)', reason: 'bad_amount' }]);
  });

  it('a truncated workbook: a clear error', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['invoice_id', 'customer_id', 'invoice_date', 'amount'], ['A', 'K', '2024-01-10', 1]]), 'S');
    const bytes = new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }));
    const { f } = await importOne({ name: 'cut.xlsx', bytes: bytes.subarray(0, Math.floor(bytes.length / 2)) });
    expect(f.status).toBe('failed');
    expect(f.error?.code).toBe('failed');
  });

  it('too large for the browser: refused before reading, with the size', async () => {
    const { f } = await importOne(text('big.csv', 'invoice_id,customer_id,invoice_date,amount\n' + 'A,K,2024-01-10,1\n'.repeat(1000)), { maxBytes: { csv: 1000 } });
    expect(f).toMatchObject({ status: 'failed', error: { code: 'too_large' } });
    // the worker does not even read a file beyond every limit: its first bytes and its size suffice
    const { f: unread } = await importOne({ name: 'huge.csv', bytes: new TextEncoder().encode('invoice_id,cust'), size: 2_000_000_000 });
    expect(unread).toMatchObject({ status: 'failed', error: { code: 'too_large', detail: '2000 MB' } });
  });
});
