/**
 * The KPI report of the CLI's --json output and of the app's overview, built from the named
 * queries only. Defaults: as-of = the ledger's latest movement, currency = its main currency.
 */
import type { SqlEngine } from '../engine/sql-engine';
import { runQuery, type AgingBucket, type CustomerAgingRow } from './queries';

export interface KpiRequest {
  as_of?: string;
  period_days?: number;
  currency?: string;
}

export interface KpiReport {
  as_of: string;
  period_days: number;
  currency: string;
  kpis: {
    outstanding: number;
    overdue: number;
    not_due: number;
    pct_overdue: number | null;
    dso: number | null;
    sales: number;
  };
  aging: { bucket: AgingBucket; amount: number }[];
}

export const DEFAULT_PERIOD_DAYS = 90;

export interface ResolvedRequest {
  as_of: string;
  period_days: number;
  currency: string;
  currencies: string[];
}

export async function resolveRequest(engine: SqlEngine, req: KpiRequest): Promise<ResolvedRequest | null> {
  const [summary] = await runQuery(engine, 'ledger_summary', {});
  const currencies = (await runQuery(engine, 'ledger_currencies', {})).map((c) => c.currency);
  if (!summary?.latest_date || currencies.length === 0) return null;
  const period = req.period_days ?? DEFAULT_PERIOD_DAYS;
  if (!Number.isInteger(period) || period < 1 || period > 3660) throw new RangeError(`period must be 1–3660 days, got ${period}`);
  if (req.as_of && !/^\d{4}-\d{2}-\d{2}$/.test(req.as_of)) throw new RangeError(`as-of date must be YYYY-MM-DD, got ${req.as_of}`);
  return {
    as_of: req.as_of ?? summary.latest_date,
    period_days: period,
    currency: req.currency?.toUpperCase() ?? currencies[0],
    currencies,
  };
}

export async function kpiReport(engine: SqlEngine, r: ResolvedRequest): Promise<KpiReport> {
  const [o] = await runQuery(engine, 'overview', r);
  const aging = await runQuery(engine, 'aging', r);
  return {
    as_of: r.as_of,
    period_days: r.period_days,
    currency: r.currency,
    kpis: {
      outstanding: o.outstanding,
      overdue: o.overdue,
      not_due: o.not_due,
      pct_overdue: o.pct_overdue,
      dso: o.dso,
      sales: o.sales,
    },
    aging: aging.map((a) => ({ bucket: a.bucket, amount: a.amount })),
  };
}

export async function customerAging(engine: SqlEngine, r: ResolvedRequest, limit: number): Promise<CustomerAgingRow[]> {
  return runQuery(engine, 'aging_by_customer', { ...r, limit });
}
