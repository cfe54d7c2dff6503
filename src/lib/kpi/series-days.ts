/**
 * The daily totals a monthly series adds up (series.sql), kept per scope: built once for a
 * currency and slice (and, when converting, the date whose rates are used), then every change of
 * date draws its 24 points from a few thousand rows. Dropped whenever the ledger changes.
 */
import type { SqlEngine } from '../engine/sql-engine';
import { recentKeys } from './recent-keys';

/** At most this many scopes are kept; the least recently used go first. */
const touch = recentKeys(4);

export async function prepareSeriesDays(engine: SqlEngine, as_of: string, cur: string, dim: string | null, val: string | null): Promise<void> {
  const args = [cur, dim, dim ? val : null];
  const [{ key }] = await engine.query<{ key: string }>(`SELECT series_scope_key(?::DATE, ?, ?::VARCHAR, ?::VARCHAR) AS key`, [as_of, ...args]);
  const have = (await engine.query<{ scope: string }>(`SELECT scope FROM series_days_scopes`)).map((r) => r.scope);
  if (!have.includes(key)) {
    // (a scope is marked once its days are all written: what a run stopped between the two left goes first)
    await engine.query(`DELETE FROM series_days WHERE scope = ?`, [key]);
    await engine.query(`INSERT INTO series_days SELECT ?, * FROM series_days_source(?, ?::VARCHAR, ?::VARCHAR)`, [key, ...args]);
    await engine.query(`INSERT INTO series_days_scopes VALUES (?)`, [key]);
  }
  for (const k of touch(engine, [key], [...have, key])) {
    await engine.query(`DELETE FROM series_days WHERE scope = ?`, [k]);
    await engine.query(`DELETE FROM series_days_scopes WHERE scope = ?`, [k]);
  }
}

export const SERIES_DAYS_TABLES = ['series_days', 'series_days_scopes'] as const;
