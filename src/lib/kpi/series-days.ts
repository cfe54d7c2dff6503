/**
 * The daily totals a monthly series adds up (series.sql), kept per scope: built once for a
 * currency and slice (and, when converting, the date whose rates are used), then every change of
 * date draws its 24 points from a few thousand rows. Dropped whenever the ledger changes.
 */
import type { SqlEngine } from '../engine/sql-engine';
import { recentKeys } from './recent-keys';

/** At most this many scopes are kept (a few thousand rows each: the whole ledger, the slices read,
 *  their neighbours computed ahead); the least recently used go first. */
const touch = recentKeys(16);

/** Where a series' scope stands: its key, whether its daily totals are built, the points of the
 *  request it does not keep yet (dates, oldest first) and every scope kept. One statement. */
export interface SeriesState {
  key: string;
  ready: boolean;
  missing: string[];
  held: string[];
}

export async function seriesState(
  engine: SqlEngine, as_of: string, cur: string, dim: string | null, val: string | null, period_days: number, points: number,
): Promise<SeriesState> {
  const [row] = await engine.query<{ key: string; ready: boolean; missing: string | null; held: string | null }>(
    `WITH asked AS (SELECT series_scope_key(?::DATE, ?, ?::VARCHAR, ?::VARCHAR) AS key)
     SELECT asked.key, asked.key IN (SELECT scope FROM series_days_scopes) AS ready,
            (SELECT array_to_string(list_sort(list(strftime(p.m, '%Y-%m-%d'))), ',') FROM series_points(?::DATE, ?::INTEGER) p
             WHERE p.m NOT IN (SELECT m FROM series_family_points WHERE scope = asked.key AND period = ?::INTEGER)) AS missing,
            -- (a scope's key holds the slice's value, which may hold a comma: separated by U+001F)
            (SELECT array_to_string(list(scope), chr(31)) FROM series_days_scopes) AS held
     FROM asked`,
    [as_of, cur, dim, dim ? val : null, as_of, points, period_days],
  );
  return { key: row.key, ready: row.ready, missing: row.missing ? row.missing.split(',') : [], held: row.held ? row.held.split('\u001f') : [] };
}

/**
 * The scope's daily totals, then the series' points not kept yet for this period (series.sql,
 * series_family_points: the figures that are not running sums; a new date of a scope computes its
 * own point only).
 */
export async function prepareSeriesDays(
  engine: SqlEngine, as_of: string, cur: string, dim: string | null, val: string | null, period_days: number, points: number,
): Promise<void> {
  const args = [cur, dim, dim ? val : null];
  const state = await seriesState(engine, as_of, cur, dim, val, period_days, points);
  const { key } = state;
  let missing = state.missing;
  if (!state.ready) {
    // (a scope is marked once its days are all written: what a run stopped between the two left goes first)
    await engine.query(`DELETE FROM series_days WHERE scope = ?`, [key]);
    await engine.query(`INSERT INTO series_days SELECT ?, * FROM series_days_source(?, ?::VARCHAR, ?::VARCHAR)`, [key, ...args]);
    await engine.query(`INSERT INTO series_days_scopes VALUES (?)`, [key]);
    await engine.query(`DELETE FROM series_family_points WHERE scope = ?`, [key]);
    missing = (await seriesState(engine, as_of, cur, dim, val, period_days, points)).missing;
  }
  await keepPoints(engine, key, period_days, missing, cur, dim, val);
  await dropStale(engine, key, state.held);
}

/** Computes and keeps a scope's points at these dates (its daily totals built). */
export async function keepPoints(
  engine: SqlEngine, key: string, period_days: number, dates: readonly string[], cur: string, dim: string | null, val: string | null,
): Promise<void> {
  const args = [cur, dim, dim ? val : null];
  // (a point or two, a new date: one statement each, reading their windows of facts; more, a new
  // scope: one statement for them all)
  if (dates.length > 2) {
    await engine.query(
      `INSERT INTO series_family_points SELECT ?, ?::INTEGER, * FROM series_family_source(string_split(?, ',')::DATE[], ?, ?::INTEGER, ?, ?::VARCHAR, ?::VARCHAR)`,
      [key, period_days, dates.join(','), key, period_days, ...args],
    );
  } else {
    for (const m of dates) {
      await engine.query(
        `INSERT INTO series_family_points SELECT ?, ?::INTEGER, * FROM series_family_at(?::DATE, ?, ?::INTEGER, ?, ?::VARCHAR, ?::VARCHAR)`,
        [key, period_days, m, key, period_days, ...args],
      );
    }
  }
}

/** How far back the month-ends kept ahead go: every date of the ledger draws its 24 points. */
const POINTS_BEFORE_LEDGER = 23;
/** At most this many month-ends kept ahead for a scope (ten years and the 23 months before). */
const MOST_POINTS_AHEAD = 143;
/** Month-ends computed by one step of keepMonthEndsAhead: ~0.25 s in duckdb-wasm at 0.9M invoices. */
const POINTS_PER_STEP = 4;

/**
 * The month-ends of a scope not kept yet, from the ledger's first month (and the 23 before it) to
 * D, computed a few at a time, each by `step` (the worker: a background job, so that a request of
 * the user's waits for one step at most): then any date of the scope draws its sparklines with its
 * cards (keepPointFromCards). Nothing while the scope's daily totals are not built (its first
 * series builds them).
 */
export async function keepMonthEndsAhead(
  engine: SqlEngine, as_of: string, cur: string, dim: string | null, val: string | null, period_days: number, earliest: string,
  step: <T>(job: () => Promise<T>) => Promise<T>,
): Promise<void> {
  const months = (Number(as_of.slice(0, 4)) - Number(earliest.slice(0, 4))) * 12 + Number(as_of.slice(5, 7)) - Number(earliest.slice(5, 7));
  const points = Math.min(MOST_POINTS_AHEAD, Math.max(0, months) + 1 + POINTS_BEFORE_LEDGER);
  const state = await step(() => seriesState(engine, as_of, cur, dim, val, period_days, points));
  if (!state.ready) return;
  // (D's own point comes with its cards; the latest month-ends first: the dates nearest to D's)
  const missing = state.missing.filter((m) => m !== as_of).reverse();
  for (let i = 0; i < missing.length; i += POINTS_PER_STEP) {
    await step(() => keepPoints(engine, state.key, period_days, missing.slice(i, i + POINTS_PER_STEP), cur, dim, val));
  }
}

/** Forgets the scopes least recently used beyond the few kept. */
async function dropStale(engine: SqlEngine, key: string, held: readonly string[]): Promise<void> {
  for (const k of touch(engine, [key], [...held, key])) {
    await engine.query(`DELETE FROM series_days WHERE scope = ?`, [k]);
    await engine.query(`DELETE FROM series_days_scopes WHERE scope = ?`, [k]);
    await engine.query(`DELETE FROM series_family_points WHERE scope = ?`, [k]);
  }
}

/** The figures of a series' point that are not running sums (series_family_points), all of them
 *  cards of the overview too, computed by the families' macros at D with the same definitions. */
export const FAMILY_POINT_KPIS = ['dso_countback', 'collection_rate', 'dispute_rate', 'promise_kept_rate', 'weighted_days_late', 'disputed', 'at_risk'] as const;

/**
 * Whether the series of a scope can be drawn at D with no more than the cards just computed at D:
 * its daily totals built and every month-end point kept, its point at D either kept or made of the
 * cards' own figures (the same macros' figures: computing it again cost 65–100 ms in duckdb-wasm at
 * 0.9M invoices). Then the point at D is kept and true returned; false leaves everything as it was
 * (the series, asked later, computes what is missing).
 */
export async function keepPointFromCards(
  engine: SqlEngine, as_of: string, cur: string, dim: string | null, val: string | null, period_days: number, points: number,
  cards: Partial<Record<string, unknown>>,
): Promise<boolean> {
  const state = await seriesState(engine, as_of, cur, dim, val, period_days, points);
  if (!state.ready || state.missing.some((m) => m !== as_of)) return false;
  if (state.missing.length === 0) return true;
  const figures = FAMILY_POINT_KPIS.map((k) => cards[k]);
  // (a family the cards were not asked for: its figures absent)
  if (!figures.every((v): v is number | null => v === null || typeof v === 'number')) return false;
  await engine.query(
    `INSERT INTO series_family_points VALUES (?, ?::INTEGER, ?::DATE, ${FAMILY_POINT_KPIS.map(() => '?::DOUBLE').join(', ')})`,
    [state.key, period_days, as_of, ...figures],
  );
  return true;
}

export const SERIES_DAYS_TABLES = ['series_days', 'series_days_scopes', 'series_family_points'] as const;
