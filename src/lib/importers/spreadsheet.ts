/**
 * Excel workbooks (XLSX, XLS, ODS: whatever SheetJS reads) turned into the CSV the rest of the import
 * reads, so that a sheet goes through exactly the same typing, checks and report as a CSV file.
 *
 *  - the sheet: the one asked for, else the first whose header a layout recognises, else the first
 *    with data; the report names it and lists the others.
 *  - title rows above the header are skipped, total rows at the bottom dropped ("Total", "Totaux",
 *    "Sous-total", "Grand total" as a cell of a trailing row), both counted (header-row.ts).
 *  - cells: numbers as plain decimals ("1234.5"), date-formatted numbers as ISO dates (1900 or 1904
 *    date system), booleans as true/false, formulas by their cached value (a `=HYPERLINK(...)`
 *    gives its text, never the formula). Each CSV row carries its sheet row in `__line`, so a
 *    rejection points at the row the user sees in Excel.
 */
import * as XLSX from '@e965/xlsx';
import { HEADER_SEARCH_ROWS, headerIndex, isTotalRow } from './header-row';

export interface SheetCsv {
  csv: Uint8Array;
  sheet: string;
  sheets: string[];
  /** 1-based sheet row of the header */
  header_row: number;
  title_rows_skipped: number;
  /** the text of the title rows (a report's date may be there) */
  title_text: string;
  /** the total rows dropped at the bottom, header → cell */
  total_rows: Record<string, string>[];
}

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

type Grid = { rows: string[][]; firstRow: number };

export function readWorkbook(bytes: Uint8Array): XLSX.WorkBook {
  return XLSX.read(bytes, { type: 'array', cellNF: true, cellDates: false, cellHTML: false, cellText: false, dense: false });
}

function cellText(cell: XLSX.CellObject | undefined, date1904: boolean): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  switch (cell.t) {
    case 'n': {
      const v = cell.v as number;
      if (cell.z && XLSX.SSF.is_date(cell.z)) {
        return new Date((date1904 ? EPOCH_1904 : EPOCH_1900) + Math.floor(v) * DAY_MS).toISOString().slice(0, 10);
      }
      return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e8) / 1e8);
    }
    case 'b':
      return cell.v ? 'true' : 'false';
    case 'd':
      return (cell.v as Date).toISOString().slice(0, 10);
    case 'e':
      return String(cell.w ?? '#ERROR');
    default:
      return String(cell.v);
  }
}

function grid(ws: XLSX.WorkSheet, date1904: boolean, maxRows = Infinity): Grid {
  if (!ws['!ref']) return { rows: [], firstRow: 1 };
  const range = XLSX.utils.decode_range(ws['!ref']);
  const rows: string[][] = [];
  for (let r = range.s.r; r <= Math.min(range.e.r, range.s.r + maxRows - 1); r++) {
    const row: string[] = [];
    for (let c = range.s.c; c <= range.e.c; c++) row.push(cellText(ws[XLSX.utils.encode_cell({ r, c })], date1904).trim());
    rows.push(row);
  }
  return { rows, firstRow: range.s.r + 1 };
}

const filled = (row: string[]) => row.filter((v) => v !== '').length;
const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The sheet as CSV (with the sheet row of each data row in `__line`), or null when it has no header. */
export function sheetToCsv(wb: XLSX.WorkBook, sheet: string): SheetCsv | null {
  const date1904 = Boolean(wb.Workbook?.WBProps?.date1904);
  const { rows, firstRow } = grid(wb.Sheets[sheet], date1904);
  const h = headerIndex(rows);
  if (h < 0) return null;
  const width = rows[h].length;
  let last = rows.length - 1;
  const header = rows[h].map((v, i) => v || `column_${i + 1}`);
  const totals: Record<string, string>[] = [];
  // trailing blank rows, and total rows among the trailing ones
  while (last > h && (filled(rows[last]) === 0 || isTotalRow(rows[last]))) {
    if (filled(rows[last]) > 0) totals.unshift(Object.fromEntries(header.map((name, i) => [name, rows[last][i] ?? ''])));
    last--;
  }
  const lines = [['__line', ...header].map(csvCell).join(',')];
  for (let i = h + 1; i <= last; i++) {
    if (filled(rows[i]) === 0) continue;
    lines.push([String(firstRow + i), ...rows[i].slice(0, width)].map(csvCell).join(','));
  }
  return {
    csv: new TextEncoder().encode(lines.join('\n') + '\n'),
    sheet,
    sheets: wb.SheetNames,
    header_row: firstRow + h,
    title_rows_skipped: h,
    title_text: rows.slice(0, h).map((r) => r.join(' ')).join('\n'),
    total_rows: totals,
  };
}

/** The header cells of a sheet (for choosing among sheets), or null. */
export function sheetHeader(wb: XLSX.WorkBook, sheet: string): string[] | null {
  const { rows } = grid(wb.Sheets[sheet], false, HEADER_SEARCH_ROWS);
  const h = headerIndex(rows);
  return h < 0 ? null : rows[h].filter((v) => v !== '');
}
