/**
 * The import report as a CSV file the user downloads: one line per file (what was read, imported,
 * rejected, the totals), then every rejected row and every row imported with a warning, each with
 * its reason in the user's language. Cells that a spreadsheet would run as a formula (= + - @, and
 * tab or carriage return first) are neutralised with a leading apostrophe.
 */
import type { Lang } from '../i18n/translate';
import { describeControlTotal, describeReject } from './describe';
import type { FileReport, RejectRow } from './report';

export function neutralise(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function csvLine(cells: (string | number | null | undefined)[]): string {
  return cells
    .map((c) => {
      const text = typeof c === 'number' ? String(c) : neutralise(c ?? '');
      return /[",;\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}

export function reportCsv(lang: Lang, files: FileReport[], rows: (RejectRow & { kind: 'rejected' | 'warning' })[]): string {
  const lines = [
    csvLine(['file', 'status', 'layout', 'rows_read', 'rows_imported', 'rows_rejected', 'amount_read', 'amount_imported', 'amount_rejected', 'control_totals']),
    ...files.map((f) =>
      csvLine([
        f.file, f.status, f.detected?.layout ?? f.error?.code, f.rows_read, f.rows_imported, f.rows_rejected, f.amount_read, f.amount_imported, f.amount_rejected,
        (f.control_totals ?? []).map((c) => describeControlTotal(lang, c).text).join(' '),
      ]),
    ),
    '',
    csvLine(['file', 'kind', 'line', 'column', 'value', 'reason', 'explanation']),
    ...rows.map((r) => csvLine([r.file_name, r.kind, r.line, r.column_name, r.value, r.reason, describeReject(lang, r)])),
  ];
  return lines.join('\r\n') + '\r\n';
}
