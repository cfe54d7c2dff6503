/** Monthly rows (kpi_series') as a chart's lines (SeriesChart): one line per key, `s` = its index. */
export function linesOf<R extends { date: string }>(rows: readonly R[], keys: readonly (keyof R)[]): { t: number; v: number | null; s: number }[] {
  return rows.flatMap((r) => keys.map((k, s) => ({ t: Date.parse(r.date), v: (r[k] ?? null) as number | null, s })));
}
