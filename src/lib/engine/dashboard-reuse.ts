/**
 * A reopened workspace's saved overview reused as the engine's answer (engine.worker.ts,
 * seedDashboard): it was computed when the ledger was saved, from the same tables; recomputing it
 * right after they are loaded back kept the engine busy for another second (0.9M invoices, Chromium)
 * while the user waited to act. It is reused only when nothing it depends on can have changed.
 */
import type { Dashboard } from './protocol';
import type { ResolvedRequest } from '../kpi/report';
import type { LedgerSummaryRow, QueryParams } from '../kpi/queries';

export interface EngineNow {
  /** the version of the KPI definitions running (a hash of their SQL) */
  kpi_version: string;
  /** the default request as the engine resolves it now (latest date, default period and currency) */
  request: ResolvedRequest;
  /** the ledger's summary now (dates and row counts of every table) */
  summary: LedgerSummaryRow;
}

/** Why a saved dashboard cannot stand for the engine's answer, or null when it can. */
export function whyNotReusable(saved: Partial<Dashboard> | null | undefined, now: EngineNow): string | null {
  if (!saved || !saved.request || !saved.report || !saved.summary || !saved.customers || !saved.dimensions) return 'incomplete';
  // KPI definitions of another version of the app (a formula fixed since)
  if (saved.kpi_version !== now.kpi_version) return 'kpi_version';
  // another ledger (its dates or any table's row count differ), or the same read another way
  if (JSON.stringify(saved.summary) !== JSON.stringify(now.summary)) return 'summary';
  // another date, period or currency than the default one now (settings are applied before loading)
  if (JSON.stringify(saved.request) !== JSON.stringify(now.request)) return 'request';
  return null;
}

/** The overview's series request a saved one answers (the page asks for the series of the dashboard
 *  it shows, with 24 points): its scope, whatever else the request object carries. */
export function seriesKey(params: QueryParams<'series'>): string {
  return JSON.stringify([params.as_of, params.period_days, params.currency, params.convert ?? false, params.dim ?? null, params.val ?? null, params.points ?? 24]);
}
