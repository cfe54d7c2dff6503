/**
 * The KPI report of the CLI's --json output and of the app's overview, built from the named
 * queries only. Defaults: as-of = the ledger's latest movement, currency = its main currency.
 */
import type { SqlEngine } from '../engine/sql-engine';
import type { ScalarFamily } from './families';
import { fxInfo, type FxInfo } from './fx';
import { keepPointFromCards } from './series-days';
import {
  runPrepared,
  runQuery,
  scopeCurrency,
  SCALAR_FAMILIES,
  type LedgerSummaryRow,
  type SeriesChangeRow,
  type SeriesDrawnRow,
  type SeriesRow,
  type AgingBucket,
  type BalancesRow,
  type CeiRow,
  type CustomerAgingRow,
  type Dimension,
  type DisputesRow,
  type DsoRow,
  type DunningRow,
  type LossesRow,
  type ProvisionsRow,
  type PaymentBehaviourRow,
  type PromisesRow,
  type Scope,
  type TopLateRow,
  type QueryName,
  type QueryParams,
  type QueryRow,
} from './queries';

export interface KpiRequest {
  as_of?: string;
  period_days?: number;
  currency?: string;
  /** report every currency converted into `currency` (fx_rates needed) */
  convert?: boolean;
  dim?: Dimension | null;
  val?: string | null;
}

export type Kpis = BalancesRow & DsoRow & CeiRow & PaymentBehaviourRow & DisputesRow & PromisesRow & DunningRow & LossesRow & ProvisionsRow;

export interface KpiReport {
  as_of: string;
  period_days: number;
  currency: string;
  kpis: Kpis;
  aging: { bucket: AgingBucket; amount: number }[];
  top_late: TopLateRow[];
  /** present when every currency is converted into `currency` */
  fx?: FxInfo;
}

export const DEFAULT_PERIOD_DAYS = 90;
export const TOP_LATE = 20;

export interface ResolvedRequest extends Scope {
  currencies: string[];
}

/** What resolving a request reads of the ledger: its summary (its latest date the default as-of;
 *  its earliest, how far back a series' points are computed ahead) and its currencies (the main one
 *  first). */
export interface RequestFacts {
  summary: LedgerSummaryRow | null;
  currencies: string[];
}

export async function requestFacts(engine: SqlEngine): Promise<RequestFacts> {
  const [summary] = await runQuery(engine, 'ledger_summary', {});
  const currencies = (await runQuery(engine, 'ledger_currencies', {})).map((c) => c.currency);
  return { summary: summary ?? null, currencies };
}

/** The request with its defaults filled from the ledger's facts (null: an empty ledger). */
export function resolveWith(facts: RequestFacts, req: KpiRequest): ResolvedRequest | null {
  const latest_date = facts.summary?.latest_date;
  const { currencies } = facts;
  if (!latest_date || currencies.length === 0) return null;
  const period = req.period_days ?? DEFAULT_PERIOD_DAYS;
  if (!Number.isInteger(period) || period < 1 || period > 3660) throw new RangeError(`period must be 1–3660 days, got ${period}`);
  if (req.as_of && !/^\d{4}-\d{2}-\d{2}$/.test(req.as_of)) throw new RangeError(`as-of date must be YYYY-MM-DD, got ${req.as_of}`);
  return {
    as_of: req.as_of ?? latest_date,
    period_days: period,
    currency: req.currency?.toUpperCase() ?? currencies[0],
    convert: req.convert ?? false,
    dim: req.dim ?? null,
    val: req.dim ? (req.val ?? null) : null,
    currencies,
  };
}

export async function resolveRequest(engine: SqlEngine, req: KpiRequest): Promise<ResolvedRequest | null> {
  return resolveWith(await requestFacts(engine), req);
}

/** How a report runs its named queries: runQuery itself, or a wrapper (the worker's background
 *  work runs them one at a time between the user's requests). */
export type QueryRunner = <N extends QueryName>(engine: SqlEngine, name: N, params: QueryParams<N>) => Promise<QueryRow<N>[]>;

/** The report's figures without its table of late payers: what the overview's cards and aged-balance
 *  chart show, ready before the tables (the dashboard hands them over first). */
export type KpiCards = Omit<KpiReport, 'top_late'>;

/** The cards; `families` limits `kpis` to those families' KPIs (the others are absent). */
export async function kpiCards(
  engine: SqlEngine,
  r: ResolvedRequest,
  families: readonly ScalarFamily[] = SCALAR_FAMILIES,
  run: QueryRunner = runQuery,
): Promise<KpiCards> {
  const [row] = families.length ? await run(engine, 'families', { ...r, families }) : [];
  const { _, ...kpis } = row ?? { _: 1 };
  const aging = await run(engine, 'aging', r);
  return {
    as_of: r.as_of,
    period_days: r.period_days,
    currency: r.currency,
    kpis: kpis as unknown as Kpis,
    aging: aging.map((a) => ({ bucket: a.bucket, amount: a.amount })),
    ...(r.convert ? { fx: await fxInfo(engine, r.currency, r.as_of) } : {}),
  };
}

/** A request's 24-month series (the overview's sparklines) and each card's change over the period. */
export interface CardSeries {
  series: SeriesRow[];
  changes: SeriesChangeRow[];
}

/** The two parts of the series_drawn query, apart: the series' points and the cards' changes. */
export function splitDrawn(rows: readonly SeriesDrawnRow[]): CardSeries {
  const series: SeriesRow[] = [];
  const changes: SeriesChangeRow[] = [];
  for (const row of rows) {
    if (row.part === 'point') {
      const { part: _, kpi: _k, since: _s, change: _c, ...point } = row;
      series.push(point);
    } else changes.push({ kpi: row.kpi, since: row.since, change: row.change });
  }
  return { series, changes };
}

/**
 * The series of the cards' request, when drawing it costs little more than the cards: its scope's
 * daily totals built, every month-end point kept, and its point at D kept or made of the cards'
 * own figures (series-days.ts, keepPointFromCards). Null otherwise: then the series is asked on its
 * own and computes what is missing (a new slice: its daily totals, 0.5–1 s in duckdb-wasm).
 */
export async function cardSeries(engine: SqlEngine, r: ResolvedRequest, cards: KpiCards, points = 24): Promise<CardSeries | null> {
  const p = { ...r, points };
  const kept = await keepPointFromCards(engine, r.as_of, scopeCurrency(r), r.dim ?? null, r.dim ? (r.val ?? null) : null, r.period_days, points, cards.kpis as unknown as Record<string, unknown>);
  if (!kept) return null;
  return splitDrawn(await runPrepared(engine, 'series_drawn', p));
}

/** The report: the cards, then the top late payers. */
export async function kpiReport(
  engine: SqlEngine,
  r: ResolvedRequest,
  families: readonly ScalarFamily[] = SCALAR_FAMILIES,
  run: QueryRunner = runQuery,
  cards?: KpiCards,
): Promise<KpiReport> {
  const c = cards ?? (await kpiCards(engine, r, families, run));
  return { ...c, top_late: await run(engine, 'top_late', { ...r, limit: TOP_LATE }) };
}

export type { ScalarFamily };

/**
 * Any scalar family as a monthly series (the points of series.sql: D and the 23 month-ends before
 * it), by rebuilding the family at each point. kpi_series computes the balance, DSO, CEI and
 * payment-behaviour trends in one set-based pass; this covers the rest (disputes, promises, dunning,
 * risk, provisions…) at the price of one open-item rebuild per point.
 */
export async function familySeries<F extends ScalarFamily>(
  engine: SqlEngine,
  scope: Scope,
  family: F,
  points = 24,
): Promise<({ date: string } & QueryRow<F>)[]> {
  const dates = await engine.query<{ date: string }>(
    `SELECT strftime(m, '%Y-%m-%d') AS date FROM series_points(?::DATE, ?::INTEGER) ORDER BY m`,
    [scope.as_of, points],
  );
  const out: ({ date: string } & QueryRow<F>)[] = [];
  for (const { date } of dates) {
    const [row] = await runQuery(engine, family, { ...scope, as_of: date } as QueryParams<F>);
    out.push(Object.assign({ date }, row as object) as { date: string } & QueryRow<F>);
  }
  return out;
}

/** Per customer, within the request's slice. */
export async function customerAging(engine: SqlEngine, r: ResolvedRequest, limit: number, run: QueryRunner = runQuery): Promise<CustomerAgingRow[]> {
  const rows = await run(engine, 'aging_by', { ...r, by: 'customer', limit });
  return rows.map(({ key, label, row_count, ...rest }) => ({ ...rest, customer_id: key, customer_name: label, customer_count: row_count }));
}
