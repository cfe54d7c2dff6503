/**
 * The forecast's backtest on the user's own ledger: rolling origins at month-ends, each forecast
 * with what was known then (fc_backtest_origin in forecast.sql), added up over the origins.
 * Ratios are fractions from 0 to 1; days are days.
 */
import { CancelledError, type SqlEngine } from '../engine/sql-engine';
import { runQuery, type BacktestOriginRow } from './queries';

export interface BacktestMetrics {
  mae_days: number | null;
  bias_days: number | null;
  within_7d: number | null;
  wape_weekly: number | null;
}
export interface BacktestResult extends BacktestMetrics {
  origins: number;
  items: number;
  coverage_p10_p90: number | null;
  baselines: { due_date: BacktestMetrics; customer_mean: BacktestMetrics };
  /** the origins used, oldest first */
  origin_dates: string[];
}

/** Month-ends from `from` to `to` (inclusive). */
export function monthEnds(from: string, to: string): string[] {
  const out: string[] = [];
  const d = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  for (;;) {
    const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
    if (end > to) break;
    if (end >= from) out.push(end);
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return out;
}

/**
 * Default origins: the last 12 month-ends that leave 13 weeks of known future before the ledger's
 * latest date and have at least 90 days of history behind them.
 */
export async function defaultOrigins(engine: SqlEngine): Promise<string[]> {
  const [s] = await runQuery(engine, 'ledger_summary', {});
  if (!s?.earliest_date || !s.latest_date) return [];
  const first = new Date(Date.parse(`${s.earliest_date}T00:00:00Z`) + 90 * 86_400_000).toISOString().slice(0, 10);
  const last = new Date(Date.parse(`${s.latest_date}T00:00:00Z`) - 91 * 86_400_000).toISOString().slice(0, 10);
  return monthEnds(first, last).slice(-12);
}

/**
 * Runs the origins one after the other; `onOrigin` hears of each before it starts (its index from
 * 0), and `isCancelled` is asked between origins: a cancelled backtest throws CancelledError.
 */
export async function backtest(
  engine: SqlEngine,
  opts: { currency: string; origins: string[]; onOrigin?: (origin: string, index: number) => void; isCancelled?: () => boolean },
): Promise<BacktestResult> {
  const rows: BacktestOriginRow[] = [];
  for (const [index, origin] of opts.origins.entries()) {
    if (opts.isCancelled?.()) throw new CancelledError();
    opts.onOrigin?.(origin, index);
    // (no period: the backtest needs the open items at the origin only, not at the period's start)
    rows.push(...(await runQuery(engine, 'forecast_backtest_origin', { as_of: origin, period_days: 0, currency: opts.currency })));
  }
  const metrics = (method: BacktestOriginRow['method']): BacktestMetrics & { items: number; covered: number } => {
    const r = rows.filter((x) => x.method === method);
    const items = r.reduce((a, x) => a + Number(x.items), 0);
    const sum = (k: keyof BacktestOriginRow) => r.reduce((a, x) => a + Number(x[k]), 0);
    const cash = sum('actual_cash');
    return {
      items,
      covered: sum('covered'),
      mae_days: items ? sum('abs_error_days') / items : null,
      bias_days: items ? sum('error_days') / items : null,
      within_7d: items ? sum('within_7d') / items : null,
      wape_weekly: cash > 0 ? sum('abs_cash_error') / cash : null,
    };
  };
  const strip = ({ mae_days, bias_days, within_7d, wape_weekly }: BacktestMetrics): BacktestMetrics => ({ mae_days, bias_days, within_7d, wape_weekly });
  const f = metrics('forecast');
  return {
    origins: opts.origins.length,
    items: f.items,
    ...strip(f),
    coverage_p10_p90: f.items ? f.covered / f.items : null,
    baselines: { due_date: strip(metrics('due_date')), customer_mean: strip(metrics('customer_mean')) },
    origin_dates: opts.origins,
  };
}
