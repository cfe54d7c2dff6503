/**
 * A table as shown on screen, ready for export: columns with a kind (so numbers stay numbers and
 * dates stay dates in XLSX), and rows of raw values (never formatted text).
 */
import type { Lang } from '../i18n/translate';
import { neutralise } from '../importers/report-csv';

export type ColumnKind = 'text' | 'money' | 'number' | 'days' | 'pct' | 'date';

export interface ExportColumn {
  key: string;
  label: string;
  kind: ColumnKind;
}

export type ExportValue = string | number | null;

export interface ExportTable {
  /** file and sheet name, without extension */
  name: string;
  columns: ExportColumn[];
  rows: Record<string, ExportValue>[];
}

/**
 * CSV in the user's conventions: French → ';' and a decimal comma (what French Excel opens), English
 * → ',' and a point. UTF-8 with a BOM so that spreadsheets read the accents. Text cells that a
 * spreadsheet would run as a formula (= + - @ first) are neutralised; numbers are written as numbers.
 */
export function tableCsv(lang: Lang, table: ExportTable): string {
  const sep = lang === 'fr' ? ';' : ',';
  const cell = (v: ExportValue, kind: ColumnKind): string => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') {
      const text = Number.isFinite(v) ? String(kind === 'money' ? Math.round(v * 100) / 100 : v) : '';
      return lang === 'fr' ? text.replace('.', ',') : text;
    }
    const text = kind === 'text' ? neutralise(v) : v;
    return text.includes(sep) || /["\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [
    table.columns.map((c) => cell(c.label, 'text')).join(sep),
    ...table.rows.map((r) => table.columns.map((c) => cell(r[c.key] ?? null, c.kind)).join(sep)),
  ];
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

/** The CSV of a table, downloaded in the user's conventions. */
export function downloadCsv(lang: Lang, table: ExportTable): void {
  download(fileName(table.name, 'csv'), tableCsv(lang, table), 'text/csv;charset=utf-8');
}

/** Hands a file to the user (a download: nothing leaves the device). */
export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name from a table name: letters, digits and dashes. */
export function fileName(name: string, ext: string): string {
  return `${name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || 'encours'}.${ext}`;
}
