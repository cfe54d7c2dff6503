/**
 * The daily totals a monthly series adds up (series.sql), kept per scope: built once for a
 * currency and slice (and, when converting, the date whose rates are used), then every change of
 * date draws its 24 points from a few thousand rows. Dropped whenever the ledger changes.
 */
import type { SqlEngine } from '../engine/sql-engine';
import { recentKeys } from './recent-keys';

/** At most this many scopes are kept; the least recently used go first. */
const touch = recentKeys(4);

/**
 * The scope's daily totals, then the series' points not kept yet for this period (series.sql,
 * series_family_points: the figures that are not running sums; a new date of a scope computes its
 * own point only).
 */
export async function prepareSeriesDays(
  engine: SqlEngine, as_of: string, cur: string, dim: string | null, val: string | null, period_days: number, points: number,
): Promise<void> {
  const args = [cur, dim, dim ? val : null];
  const [{ key }] = await engine.query<{ key: string }>(`SELECT series_scope_key(?::DATE, ?, ?::VARCHAR, ?::VARCHAR) AS key`, [as_of, ...args]);
  const have = (await engine.query<{ scope: string }>(`SELECT scope FROM series_days_scopes`)).map((r) => r.scope);
  if (!have.includes(key)) {
    // (a scope is marked once its days are all written: what a run stopped between the two left goes first)
    await engine.query(`DELETE FROM series_days WHERE scope = ?`, [key]);
    await engine.query(`INSERT INTO series_days SELECT ?, * FROM series_days_source(?, ?::VARCHAR, ?::VARCHAR)`, [key, ...args]);
    await engine.query(`INSERT INTO series_days_scopes VALUES (?)`, [key]);
    await engine.query(`DELETE FROM series_family_points WHERE scope = ?`, [key]);
  }
  const missing = await engine.query<{ m: string }>(
    `SELECT strftime(p.m, '%Y-%m-%d') AS m FROM series_points(?::DATE, ?::INTEGER) p
     WHERE p.m NOT IN (SELECT m FROM series_family_points WHERE scope = ? AND period = ?::INTEGER)`,
    [as_of, points, key, period_days],
  );
  // (a point or two, a new date: one statement each, reading their windows of facts; more, a new
  // scope: one statement for them all)
  if (missing.length > 2) {
    await engine.query(
      `INSERT INTO series_family_points SELECT ?, ?::INTEGER, * FROM series_family_source(string_split(?, ',')::DATE[], ?, ?::INTEGER, ?, ?::VARCHAR, ?::VARCHAR)`,
      [key, period_days, missing.map((r) => r.m).join(','), key, period_days, ...args],
    );
  } else {
    for (const { m } of missing) {
      await engine.query(
        `INSERT INTO series_family_points SELECT ?, ?::INTEGER, * FROM series_family_at(?::DATE, ?, ?::INTEGER, ?, ?::VARCHAR, ?::VARCHAR)`,
        [key, period_days, m, key, period_days, ...args],
      );
    }
  }
  for (const k of touch(engine, [key], [...have, key])) {
    await engine.query(`DELETE FROM series_days WHERE scope = ?`, [k]);
    await engine.query(`DELETE FROM series_days_scopes WHERE scope = ?`, [k]);
    await engine.query(`DELETE FROM series_family_points WHERE scope = ?`, [k]);
  }
}

export const SERIES_DAYS_TABLES = ['series_days', 'series_days_scopes', 'series_family_points'] as const;
