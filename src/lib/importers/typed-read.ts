/**
 * A typed read for files whose cell formats are fixed by law: the FEC (dates AAAAMMJJ, amounts
 * with a decimal comma and no thousands separator, art. A47 A-1 LPF). DuckDB's reader then types
 * the dates and amounts itself while reading, instead of reading every cell as text and parsing it
 * afterwards: on a FEC of 2M lines that second pass cost more than the read.
 *
 * Used only when the file's first lines follow those formats (else the general path reads text and
 * detects the formats). A cell further down that does not is rejected by the reader, with its line,
 * column and the reader's message, and listed like any other rejection.
 */
import { detectLayout, isMatch } from './detect-layout';
import { FIELDS, type FieldKind } from './fields';
import { quoteIdent, quoteLiteral } from './sql-text';

export interface TypedRead {
  /** extra read_csv options */
  options: string;
  /** header → kind of every column the layout reads: dates and amounts typed by the reader, text
   *  trimmed (empty → NULL) in the same pass; the columns it does not read are not kept */
  typed: Record<string, FieldKind>;
  /** the staging table's select list over read_csv */
  select: string;
  /** the file's header, all of it */
  headers: string[];
  decimal_comma: boolean;
  delimiter: string;
}

const DATE_CELL = /^(19|20)\d{6}$/;
const AMOUNT_CELL = /^[+-]?\d+([.,]\d+)?$/;
/** Enough lines to trust the formats, few enough to cost nothing. */
const SAMPLE_BYTES = 256 * 1024;

/** The cell trimmed, empty → NULL, like the general path's NULLIF(trim(cell), ''), but trim() only
 *  runs on a cell with an outer space: trimming every cell copied every string, a third of the
 *  read's time on a FEC. (Unlike trim(), a cell whose only outer blank is a no-break space keeps it:
 *  checking for those as well cost as much as trimming.) */
const trimmed = (col: string) =>
  `CASE WHEN starts_with(${col}, ' ') OR ends_with(${col}, ' ') THEN NULLIF(trim(${col}), '') ELSE NULLIF(${col}, '') END`;

/** The first bytes of the file (UTF-8) as text, for planTypedRead. */
export function headOf(bytes: Uint8Array, encoding?: 'latin-1'): { text: string; whole: boolean } {
  const whole = bytes.length <= SAMPLE_BYTES;
  return { text: new TextDecoder(encoding ? 'latin1' : 'utf-8').decode(whole ? bytes : bytes.subarray(0, SAMPLE_BYTES)), whole };
}

/** The typed read for this file, or null when the general path must read it. */
export function planTypedRead(head: { text: string; whole: boolean }): TypedRead | null {
  const lines = head.text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (!head.whole) lines.pop(); // cut in the middle
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (lines.length < 2) return null;
  const delimiter = lines[0].includes('\t') ? '\t' : lines[0].includes('|') ? '|' : null;
  if (!delimiter) return null;
  const headers = lines[0].split(delimiter);
  if (headers.some((h) => h === '' || h !== h.trim() || h.includes('"')) || new Set(headers).size !== headers.length) return null;
  const found = detectLayout(headers);
  if (!isMatch(found) || !found.layout.key.startsWith('fec')) return null;

  const typed: Record<string, FieldKind> = {};
  for (const [field, header] of Object.entries(found.mapping)) {
    const kind = FIELDS[field as keyof typeof FIELDS].kind;
    if (header) typed[header] = kind;
  }
  const columns = Object.entries(typed).map(([h, kind]) => ({ at: headers.indexOf(h), kind }));
  const marks = new Set<string>();
  for (const line of lines.slice(1)) {
    const cells = line.split(delimiter);
    if (cells.length !== headers.length) return null;
    for (const { at, kind } of columns) {
      const v = cells[at].trim();
      if (v === '') continue;
      if (kind === 'date' && !DATE_CELL.test(v)) return null;
      if (kind === 'amount') {
        if (!AMOUNT_CELL.test(v)) return null;
        if (v.includes(',')) marks.add(',');
        if (v.includes('.')) marks.add('.');
      }
    }
  }
  if (marks.size > 1) return null;
  const decimalComma = !marks.has('.');
  const types = Object.entries(typed)
    .filter(([, kind]) => kind === 'date' || kind === 'amount')
    .map(([h, kind]) => `${quoteLiteral(h)}: '${kind === 'date' ? 'DATE' : 'DECIMAL(18,2)'}'`)
    .join(', ');
  return {
    options: `, delim = ${quoteLiteral(delimiter)}, types = {${types}}, dateformat = '%Y%m%d', decimal_separator = '${decimalComma ? ',' : '.'}'`,
    typed,
    select: Object.entries(typed)
      .map(([h, kind]) => (kind === 'text' ? `${trimmed(quoteIdent(h))} AS ${quoteIdent(h)}` : quoteIdent(h)))
      .join(', '),
    headers,
    decimal_comma: decimalComma,
    delimiter,
  };
}
