/**
 * Where a report's table starts and ends. ERP exports, CSV or Excel, often open with title lines
 * ("Balance âgée clients au 31/10/2026", the company's name, a blank line) above the header, and
 * close with a total line: the import reads the table between them and says how many lines it left.
 */
import { detectLayout, isMatch } from './detect-layout';
export { isTotalRow, totalLabelSql } from './total-label';

/** How many rows of the top of a file are looked at for its header. */
export const HEADER_SEARCH_ROWS = 30;

const filled = (row: readonly string[]) => row.filter((v) => v.trim() !== '').length;
const isNumberLike = (v: string) => /^-?[\d\s.,]+$/.test(v) || /^\d{4}-\d{2}-\d{2}$/.test(v) || /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(v);

/**
 * The index of the header among the first rows (cells trimmed), or −1: the first row a layout
 * recognises; else the first whose cells are all text, at least two of them, and as wide as the
 * widest of those rows, or nearly.
 */
export function headerIndex(rows: readonly (readonly string[])[]): number {
  const head = rows.slice(0, HEADER_SEARCH_ROWS).map((row) => row.map((v) => v.trim()));
  const recognised = head.findIndex((row) => filled(row) >= 2 && isMatch(detectLayout(row.filter((v) => v !== ''))));
  if (recognised >= 0) return recognised;
  const widest = Math.max(0, ...head.map(filled));
  return head.findIndex((row) => {
    const cells = row.filter((v) => v !== '');
    return cells.length >= 2 && cells.length >= widest * 0.8 && cells.every((v) => !isNumberLike(v));
  });
}

const DELIMITERS = [';', ',', '\t', '|'] as const;

/** Naive split of a CSV line (a quoted cell keeps its delimiters; quotes removed). */
function splitLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') (cell += '"'), i++;
      else quoted = !quoted;
    } else if (ch === delimiter && !quoted) cells.push(cell), (cell = '');
    else cell += ch;
  }
  cells.push(cell);
  return cells;
}

export interface CsvTitleLines {
  /** lines above the header (titles, blank lines) */
  skip: number;
  /** the delimiter of the header line */
  delimiter: string;
}

/**
 * Title lines at the top of a CSV text (its first bytes), or null when its header is its first line
 * (or none is found): the delimiter is the one splitting the most lines of the top into the same
 * number of cells, two or more.
 */
export function csvTitleLines(text: string): CsvTitleLines | null {
  const lines = text.split('\n', HEADER_SEARCH_ROWS + 1).slice(0, HEADER_SEARCH_ROWS).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  let best: { delimiter: string; score: number } | null = null;
  for (const delimiter of DELIMITERS) {
    const widths = new Map<number, number>();
    for (const l of lines) {
      const n = splitLine(l, delimiter).length;
      if (n >= 2) widths.set(n, (widths.get(n) ?? 0) + 1);
    }
    const score = Math.max(0, ...widths.values());
    if (score > 0 && (!best || score > best.score)) best = { delimiter, score };
  }
  if (!best) return null;
  const rows = lines.map((l) => splitLine(l, best.delimiter));
  const h = headerIndex(rows);
  return h > 0 ? { skip: h, delimiter: best.delimiter } : null;
}
