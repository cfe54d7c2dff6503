/**
 * Open-item snapshots (see scope.sql): built once per date and reused by every KPI query and every
 * slice of the same request, dropped whenever the ledger changes.
 */
import type { SqlEngine } from '../engine/sql-engine';

/** At most this many dates are kept; the oldest-used go first. */
const KEEP = 4;
const recent = new WeakMap<SqlEngine, string[]>();

export async function prepareSnapshots(engine: SqlEngine, dates: readonly string[]): Promise<void> {
  const have = new Set(
    (await engine.query<{ d: string }>(`SELECT strftime(snapshot_date, '%Y-%m-%d') AS d FROM open_snapshot_dates`)).map((r) => r.d),
  );
  const used = (recent.get(engine) ?? []).filter((d) => have.has(d) && !dates.includes(d));
  const missing = [...new Set(dates)].filter((d) => !have.has(d));
  // Two dates per pass over the payments (open_items_at).
  for (let i = 0; i < missing.length; i += 2) {
    const [d1, d2 = missing[i]] = missing.slice(i, i + 2);
    await engine.query(`INSERT INTO open_snapshot SELECT * FROM open_items_at(?::DATE, ?::DATE)`, [d1, d2]);
    for (const d of new Set([d1, d2])) {
      await engine.query(`INSERT INTO open_snapshot_dates VALUES (?::DATE)`, [d]);
      have.add(d);
    }
  }
  const keep = [...dates, ...used].slice(0, Math.max(KEEP, dates.length));
  const drop = [...have].filter((d) => !keep.includes(d));
  for (const d of drop) {
    await engine.query(`DELETE FROM open_snapshot WHERE snapshot_date = ?::DATE`, [d]);
    await engine.query(`DELETE FROM open_snapshot_dates WHERE snapshot_date = ?::DATE`, [d]);
  }
  recent.set(engine, keep);
}

export const SNAPSHOT_TABLES = ['open_snapshot', 'open_snapshot_dates'] as const;
