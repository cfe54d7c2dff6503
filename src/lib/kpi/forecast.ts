/**
 * The forecast of a request (as-of date, currency, slice) is computed once and kept (fc_item_cache,
 * fc_f_cache in forecast.sql, with every item's quantiles for the backtest) for the summary, buckets, items and breakdowns that read it; a few requests are
 * kept, the oldest-used go first; every change of the ledger empties it (ledgerChanged).
 */
import type { SqlEngine } from '../engine/sql-engine';
import { recentKeys } from './recent-keys';

const touch = recentKeys(3);

export const FORECAST_TABLES = [
  'fc_item_cache', 'fc_f_cache', 'fc_cdf_requests', 'fc_shift_cache', 'fc_curve_cache', 'fc_customer_curves', 'fc_segment_curves', 'fc_curve_dates',
] as const;
const CURVE_TABLES = ['fc_curve_cache', 'fc_customer_curves', 'fc_segment_curves', 'fc_curve_dates'] as const;

/**
 * What the forecast learns from the history known at a date, for the whole ledger whatever the
 * slice: the shifts (channels, disputes), then the survival curves net of them, and those curves
 * laid out as the items read them (each customer's as a list, each segment's on every delay). Kept for one date
 * (only a forecast being prepared reads them, so those of other dates go): a slice or another page
 * of the same date reuses them, and the worker learns them ahead for the ledger's latest date.
 */
export async function prepareModel(engine: SqlEngine, as_of: string): Promise<void> {
  await prepareShifts(engine, as_of);
  const [{ curves }] = await engine.query<{ curves: number }>('SELECT count(*)::INTEGER AS curves FROM fc_curve_dates WHERE curve_date = ?::DATE', [as_of]);
  if (curves === 0) {
    // (one date at a time: another date's curves go, and so does what a cancelled run left, the
    // date being written last, once every table is whole)
    for (const table of CURVE_TABLES) await engine.exec(`DELETE FROM ${table}`);
    await engine.query('INSERT INTO fc_curve_cache SELECT ?::DATE, level, key, t, n, event, t_next, s FROM fc_survival(?::DATE)', [as_of, as_of]);
    await engine.query('INSERT INTO fc_customer_curves SELECT ?::DATE, * FROM fc_learn_customer_curves(?::DATE)', [as_of, as_of]);
    await engine.query('INSERT INTO fc_segment_curves SELECT ?::DATE, * FROM fc_learn_segment_curves(?::DATE)', [as_of, as_of]);
    await engine.query('INSERT INTO fc_curve_dates VALUES (?::DATE)', [as_of]);
  }
}

/** The first half of prepareModel (the worker learns ahead in two steps, so that a user's request
 *  waits behind one at most). */
export async function prepareShifts(engine: SqlEngine, as_of: string): Promise<void> {
  await engine.query('DELETE FROM fc_shift_cache WHERE shift_date <> ?::DATE', [as_of]);
  const [{ shifts }] = await engine.query<{ shifts: number }>('SELECT count(*)::INTEGER AS shifts FROM fc_shift_cache');
  if (shifts === 0) await engine.query('INSERT INTO fc_shift_cache SELECT ?::DATE, * FROM fc_shifts(?::DATE)', [as_of, as_of]);
}

/**
 * Keeps each item's F at the offsets the forecast's sums read (weeks, months, the horizon); with
 * `quantiles` (the backtest, which needs every item's P10 / P50 / P90), each item's quantiles too.
 */
export async function prepareForecast(
  engine: SqlEngine, as_of: string, cur: string, dim: string | null, val: string | null, opts: { quantiles?: boolean } = {},
): Promise<void> {
  const [{ key }] = await engine.query<{ key: string }>('SELECT fc_request_key(?::DATE, ?, ?::VARCHAR, ?::VARCHAR) AS key', [as_of, cur, dim, val]);
  const requests = await engine.query<{ request: string; rid: number; quantiles: boolean }>('SELECT request, rid, quantiles FROM fc_cdf_requests');
  const quantiles = opts.quantiles ?? false;
  const kept = requests.find((r) => r.request === key);
  if (!kept || (quantiles && !kept.quantiles)) {
    // what was learned at that date (the items' F reads it), then the items, then their F
    await prepareModel(engine, as_of);
    let rid = kept?.rid;
    if (rid === undefined) {
      await engine.query('INSERT INTO fc_item_cache SELECT ?, * FROM fc_items(?::DATE, ?, ?::VARCHAR, ?::VARCHAR)', [key, as_of, cur, dim, val]);
      [{ rid }] = await engine.query<{ rid: number }>('SELECT (COALESCE(max(rid), 0) + 1)::INTEGER AS rid FROM fc_cdf_requests');
    }
    if (quantiles) {
      // (a request the page kept has the sums only: its rows are worked out again with the quantiles)
      if (kept) await engine.query('DELETE FROM fc_f_cache WHERE rid = ?::INTEGER', [rid]);
      await engine.query('INSERT INTO fc_f_cache SELECT ?::INTEGER, * FROM fc_item_f_quantiles(?::DATE, ?)', [rid, as_of, key]);
    } else await engine.query('INSERT INTO fc_f_cache SELECT ?::INTEGER, * FROM fc_item_f(?::DATE, ?)', [rid, as_of, key]);
    if (kept) await engine.query('UPDATE fc_cdf_requests SET quantiles = true WHERE rid = ?::INTEGER', [rid]);
    else await engine.query('INSERT INTO fc_cdf_requests VALUES (?, ?::INTEGER, ?)', [key, rid, quantiles]);
  }
  for (const old of touch(engine, [key], [...requests.map((r) => r.request), key])) await forget(engine, old);
}

async function forget(engine: SqlEngine, request: string): Promise<void> {
  await engine.query('DELETE FROM fc_item_cache WHERE request = ?', [request]);
  await engine.query('DELETE FROM fc_f_cache WHERE rid IN (SELECT rid FROM fc_cdf_requests WHERE request = ?)', [request]);
  await engine.query('DELETE FROM fc_cdf_requests WHERE request = ?', [request]);
}
