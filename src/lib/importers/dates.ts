/**
 * Which date format a file uses, decided from all its date cells at once (enc_parse_date in
 * parse.sql does the parsing). When both day-first and month-first fit every cell — every day is
 * ≤ 12 — we ask the user rather than guess (import.ts reads a European file, decimal comma or ";"
 * separators, day first, and says so).
 */
import type { SqlEngine } from '../engine/sql-engine';
import { quoteIdent } from './sql-text';

export const DATE_FORMATS = ['iso', 'dmy', 'mdy', 'dmy_dot', 'dmy_dash', 'ymd_compact'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export const DATE_FORMAT_LABEL: Record<DateFormat, string> = {
  iso: 'yyyy-mm-dd',
  dmy: 'dd/mm/yyyy',
  mdy: 'mm/dd/yyyy',
  dmy_dot: 'dd.mm.yyyy',
  dmy_dash: 'dd-mm-yyyy',
  ymd_compact: 'yyyymmdd',
};

export type DateDecision =
  | { kind: 'none' }
  | { kind: 'format'; format: DateFormat }
  | { kind: 'ambiguous'; candidates: DateFormat[]; samples: string[] };

export async function detectDateFormat(engine: SqlEngine, table: string, headers: string[]): Promise<DateDecision> {
  if (headers.length === 0) return { kind: 'none' };
  // Distinct values only: a ledger has millions of date cells but a few thousand dates, and a
  // format fits every cell exactly when it fits every distinct value.
  // (distinct raw cells first, trimmed after: the trim then runs on thousands of values, not millions)
  const cells = `SELECT DISTINCT NULLIF(trim(v), '') AS v FROM (${headers.map((h) => `SELECT DISTINCT ${quoteIdent(h)} AS v FROM ${table}`).join(' UNION ALL ')})`;
  const counts = DATE_FORMATS.map((f) => `count(*) FILTER (WHERE enc_parse_date(v, '${f}') IS NOT NULL) AS "${f}"`).join(', ');
  const [row] = await engine.query<Record<string, number>>(`SELECT count(v) AS n, ${counts} FROM (${cells})`);
  const n = row.n;
  if (!n) return { kind: 'none' };
  const fitting = DATE_FORMATS.filter((f) => row[f] === n);
  if (fitting.length === 1) return { kind: 'format', format: fitting[0] };
  if (fitting.length > 1) {
    const samples = await engine.query<{ v: string }>(`SELECT DISTINCT v FROM (${cells}) WHERE v IS NOT NULL LIMIT 5`);
    return { kind: 'ambiguous', candidates: fitting, samples: samples.map((s) => s.v) };
  }
  // No format fits every cell: take the one that reads most; the rest become listed rejections.
  const best = [...DATE_FORMATS].sort((a, b) => row[b] - row[a])[0];
  return row[best] > 0 ? { kind: 'format', format: best } : { kind: 'format', format: 'iso' };
}

/** Decimal comma when some amount ends in ",d" or ",dd" and none ends in ".d" or ".dd" (what follows
 *  the last digit, a currency, a parenthesis, a minus sign, does not count). LIKE first, the regular
 *  expression only on cells that have the mark at all; each search stops at its first cell found
 *  (a French file has a decimal comma in its first cell and no dot in any). */
export async function detectDecimalComma(engine: SqlEngine, table: string, headers: string[]): Promise<boolean> {
  if (headers.length === 0) return false;
  const cells = headers.map((h) => `SELECT ${quoteIdent(h)} AS v FROM ${table}`).join(' UNION ALL ');
  const found = (where: string) => `(SELECT count(*) FROM (SELECT 1 FROM (${cells}) WHERE ${where} LIMIT 1))`;
  const [row] = await engine.query<{ comma: number; dot: number }>(
    `SELECT ${found(`v LIKE '%,%' AND regexp_matches(v, ',[0-9]{1,2}[^0-9]*$')`)} AS comma,
            ${found(`v LIKE '%.%' AND regexp_matches(v, '\\.[0-9]{1,2}[^0-9]*$')`)} AS dot`,
  );
  return row.comma > 0 && row.dot === 0;
}
