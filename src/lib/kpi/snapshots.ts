/**
 * Open-item snapshots (see scope.sql): built once per date and reused by every KPI query and every
 * slice of the same request, dropped whenever the ledger changes.
 */
import type { SqlEngine } from '../engine/sql-engine';
import { recentKeys } from './recent-keys';

/** At most this many dates are kept; the oldest-used go first. */
const touch = recentKeys(4);

export async function prepareSnapshots(engine: SqlEngine, dates: readonly string[]): Promise<void> {
  const have = new Set(
    (await engine.query<{ d: string }>(`SELECT strftime(snapshot_date, '%Y-%m-%d') AS d FROM open_snapshot_dates`)).map((r) => r.d),
  );
  const missing = [...new Set(dates)].filter((d) => !have.has(d));
  // Two dates per pass over the payments (open_items_at). A date is marked once its items are all
  // written: a run stopped between the two (the worker stops its background work for the user's)
  // left items without their mark, which go first.
  for (let i = 0; i < missing.length; i += 2) {
    const [d1, d2 = missing[i]] = missing.slice(i, i + 2);
    await engine.query(`DELETE FROM open_snapshot WHERE snapshot_date IN (?::DATE, ?::DATE)`, [d1, d2]);
    await engine.query(`INSERT INTO open_snapshot SELECT * FROM open_items_at(?::DATE, ?::DATE)`, [d1, d2]);
    for (const d of new Set([d1, d2])) {
      await engine.query(`INSERT INTO open_snapshot_dates VALUES (?::DATE)`, [d]);
      have.add(d);
    }
  }
  for (const d of touch(engine, dates, have)) {
    await engine.query(`DELETE FROM open_snapshot WHERE snapshot_date = ?::DATE`, [d]);
    await engine.query(`DELETE FROM open_snapshot_dates WHERE snapshot_date = ?::DATE`, [d]);
  }
}

export const SNAPSHOT_TABLES = ['open_snapshot', 'open_snapshot_dates'] as const;
