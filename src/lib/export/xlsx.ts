/**
 * A table as an XLSX workbook: numbers as numbers (with a number format), dates as real dates,
 * text as text (never a formula: SheetJS writes strings as strings). Runs in the worker, where the
 * reader already lives, so the page's own code stays small.
 */
import * as XLSX from '@e965/xlsx';
import type { ExportTable } from './table';

const FORMAT: Record<string, string | undefined> = { money: '#,##0.00', number: '#,##0.##', days: '0.0', pct: '0.0', date: 'yyyy-mm-dd' };

export function tableXlsx(table: ExportTable): Uint8Array {
  const header = table.columns.map((c) => c.label);
  const body = table.rows.map((r) =>
    table.columns.map((c) => {
      const v = r[c.key];
      if (v === null || v === undefined) return null;
      if (c.kind === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(`${v}T00:00:00Z`);
      return v;
    }),
  );
  const sheet = XLSX.utils.aoa_to_sheet([header, ...body], { cellDates: true, UTC: true });
  table.columns.forEach((c, col) => {
    const z = FORMAT[c.kind];
    if (!z) return;
    for (let row = 1; row <= body.length; row++) {
      const cell = sheet[XLSX.utils.encode_cell({ r: row, c: col })];
      if (cell) cell.z = z;
    }
  });
  sheet['!cols'] = table.columns.map((c) => ({ wch: Math.max(10, c.label.length + 2) }));
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, table.name.slice(0, 31).replace(/[\\/?*[\]:]/g, ' ') || 'Encours');
  return new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlsx', compression: true }) as ArrayBuffer);
}
