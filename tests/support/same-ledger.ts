/**
 * The ledger of tests/fixtures/same-ledger written as the formats that cannot be kept as readable
 * fixtures: an Excel workbook and Parquet files. Shared by the unit and the end-to-end tests.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { tableFromArrays, tableToIPC } from 'apache-arrow';

export const SAME_LEDGER = join(import.meta.dirname, '..', 'fixtures', 'same-ledger');

function csvRows(file: string): string[][] {
  return readFileSync(join(SAME_LEDGER, file), 'utf8').trim().split('\n').map((l) => l.split(','));
}
const isoToDate = (s: string) => new Date(`${s}T00:00:00Z`);

/** The same ledger as a workbook a person would make: a title, a blank row, the header, real dates
 *  and numbers, a HYPERLINK formula on an invoice number, a total row; payments on a second sheet. */
export function workbook(): Uint8Array {
  const [head, ...rows] = csvRows('invoices.csv');
  const data = rows.map((r) => [r[0], r[1], r[2], isoToDate(r[3]), isoToDate(r[4]), Number(r[5]), r[6]]);
  const ws = XLSX.utils.aoa_to_sheet([['Balance clients au 31/03/2024'], [], head, ...data, ['Total', '', '', '', '', 8400, '']], { cellDates: true });
  ws['A4'] = { t: 's', v: 'F2023-118', f: 'HYPERLINK("https://erp.example/F2023-118","F2023-118")' };
  for (let r = 4; r < 4 + data.length; r++) for (const c of ['D', 'E']) ws[`${c}${r}`].z = 'dd/mm/yyyy';
  const [phead, ...prows] = csvRows('payments.csv');
  const pws = XLSX.utils.aoa_to_sheet([phead, ...prows.map((r) => [r[0], r[1], r[2], isoToDate(r[3]), Number(r[4]), r[5]])], { cellDates: true });
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Factures');
  XLSX.utils.book_append_sheet(wb, pws, 'Règlements');
  return new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }));
}

/** A canonical CSV as Parquet with typed columns (dates as DATE, amounts as DOUBLE). */
export function parquetOf(file: string): Uint8Array {
  const [head, ...rows] = csvRows(file);
  const columns: Record<string, unknown> = {};
  head.forEach((h, i) => {
    const cells = rows.map((r) => r[i] ?? '');
    if (h.endsWith('_date')) columns[h] = cells.map((c) => isoToDate(c));
    else if (h === 'amount') columns[h] = Float64Array.from(cells.map(Number));
    else columns[h] = cells.map((c) => (c === '' ? null : c));
  });
  const parquet = createRequire(import.meta.url)('parquet-wasm/node') as typeof import('parquet-wasm/node');
  const table = tableFromArrays(columns as Parameters<typeof tableFromArrays>[0]);
  return parquet.writeParquet(parquet.Table.fromIPCStream(tableToIPC(table, 'stream')));
}

