/**
 * The named queries the app, the CLI and the tests may run. Each is one call of a macro defined in
 * the .sql files beside this one (where the formulas and their sources live), with bound
 * parameters: no screen ever builds SQL from user input.
 */
import type { ScalarFamily } from './families';
import type { SqlEngine, SqlValue } from '../engine/sql-engine';
import { prepareFx } from './fx';
import { prepareSnapshots } from './snapshots';
import { prepareForecast } from './forecast';
import { prepareSeriesDays } from './series-days';

/** Forecast queries on the whole ledger whatever the slice (the backtest replays the ledger). */
const FORECAST_WHOLE_SCOPE: ReadonlySet<string> = new Set(['forecast_backtest_origin']);

export const DIMENSIONS = ['customer', 'entity', 'division', 'salesperson', 'collector', 'category', 'country'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Bucket keys follow the user's bounds (aging_buckets in ledger.sql): 'not_due', '1-30', … by default. */
export type AgingBucket = string;
/** Pivots carry one column per bucket slot: b0 = not due … b5 = the oldest. */
export const AGING_SLOTS = ['b0', 'b1', 'b2', 'b3', 'b4', 'b5'] as const;
export type AgingSlot = (typeof AGING_SLOTS)[number];
export interface AgingBucketRow {
  sort_key: number;
  bucket: AgingBucket;
  min_days: number | null;
  max_days: number | null;
}

/** As of a date, over a period, for one currency, optionally one slice of one dimension. */
export interface Scope {
  as_of: string;
  period_days: number;
  currency: string;
  /** Every currency converted into `currency` at the closing rates (fx.ts), instead of `currency` alone. */
  convert?: boolean;
  dim?: Dimension | null;
  val?: string | null;
}

export interface BalancesRow {
  sales: number;
  outstanding: number;
  overdue: number;
  not_due: number;
  pct_overdue: number | null;
  disputed: number;
  unapplied_cash: number;
  net_outstanding: number;
  at_risk: number;
  weighted_days_late: number | null;
}
export interface DsoRow {
  dso: number | null;
  bpdso: number | null;
  add: number | null;
  dso_countback: number | null;
  dso_countback_capped: boolean;
}
export interface CeiRow {
  cei: number | null;
  cei_crf: number | null;
}
export interface PaymentBehaviourRow {
  dbt: number | null;
  dbt_late_only: number | null;
  avg_days_to_pay: number | null;
  collection_rate: number | null;
}
export interface DisputesRow {
  dispute_rate: number | null;
  dispute_resolution_rate: number | null;
  avg_dispute_resolution_days: number | null;
  disputes_open: number;
}
export interface PromisesRow {
  promise_kept_rate: number | null;
  promises_due: number;
}
export interface DunningRow {
  dunning_response_rate: number | null;
  automation_rate: number | null;
  actions_per_collector: number | null;
  actions: number;
}
export interface LossesRow {
  bad_debt_rate: number | null;
  written_off: number;
}
export interface ProvisionsRow {
  expected_loss: number | null;
  provision_rate: number | null;
}
export interface ProvisionMatrixRow {
  bucket: AgingBucket;
  exposure: number;
  lost: number;
  historical_rate: number | null;
  rate: number | null;
  rate_typed: boolean;
  open_amount: number;
  expected_loss: number;
}
/** Rates (%) the user typed, by bucket slot (0 = not due … 5); null falls back to the historical rate. */
export type TypedRates = readonly (number | null)[];
export type OverviewRow = BalancesRow & DsoRow;
export interface SeriesRow {
  date: string;
  sales: number;
  outstanding: number;
  overdue: number;
  not_due: number;
  pct_overdue: number | null;
  unapplied_cash: number;
  net_outstanding: number;
  dso: number | null;
  bpdso: number | null;
  add: number | null;
  cei: number | null;
  dbt: number | null;
  avg_days_to_pay: number | null;
  dso_countback: number | null;
  collection_rate: number | null;
  dispute_rate: number | null;
  promise_kept_rate: number | null;
  weighted_days_late: number | null;
  disputed: number;
  at_risk: number;
}
export interface AgingRow {
  bucket: AgingBucket;
  amount: number;
  items: number;
}
export type AgingByRow = { key: string; label: string; total: number; row_count: number } & Record<AgingSlot, number>;
export type CustomerAgingRow = { customer_id: string; customer_name: string; total: number; customer_count: number } & Record<AgingSlot, number>;
export type AgingDimension = Dimension | 'dispute_reason' | 'currency';
export interface AgedInvoiceRow {
  invoice_id: string;
  customer_id: string;
  customer_name: string;
  document_type: string;
  invoice_date: string;
  due_date: string;
  amount: number;
  open_amount: number;
  days_overdue: number;
  bucket: AgingBucket;
  dispute_reason: string;
  row_count: number;
}
export interface TopLateRow {
  customer_id: string;
  customer_name: string;
  overdue: number;
  weighted_days_late: number | null;
  oldest_days_overdue: number;
  last_action_date: string | null;
  last_action_type: string | null;
  next_promise_date: string | null;
  /** late payers in all, beyond the limit */
  row_count: number;
}
/** The next dunning step of one of the largest late payers (kpi_next_steps). */
export interface NextStepRow {
  customer_id: string;
  /** a step's key (step.* in the i18n files; a user's own step as it is); null: none to come */
  next_step: string | null;
  /** when it was due (next_step_due) or is planned */
  next_step_date: string | null;
  /** due already, as today's worklist has it */
  next_step_due: boolean;
  /** 'dispute' | 'promise' when every invoice of the customer waits */
  paused: string | null;
}
export interface CreditOverrunRow {
  customer_id: string;
  customer_name: string;
  outstanding: number;
  credit_limit: number;
  overrun: number;
  utilisation: number | null;
}
export interface ForecastItemRow {
  invoice_id: string;
  customer_id: string;
  due_date: string;
  open_amount: number;
  /** payment dates at 10 %, 50 %, 90 % probability; null: not within 400 days */
  p10: string | null;
  p50: string | null;
  p90: string | null;
  within_horizon: number;
}
export interface ForecastSummaryRow {
  items: number;
  open_amount: number;
  expected_13_weeks: number;
  expected_6_months: number;
  /** not expected within 400 days */
  beyond_horizon: number;
}
export interface ForecastBucketRow {
  /** 'w' = week (13, Monday–Sunday), 'm' = calendar month (6) */
  kind: 'w' | 'm';
  n: number;
  start_date: string;
  end_date: string;
  expected: number;
  p10: number;
  p50: number;
  p90: number;
}
export interface BacktestOriginRow {
  origin: string;
  method: 'forecast' | 'due_date' | 'customer_mean';
  /** open items at the origin fully paid later (the date metrics are over these) */
  items: number;
  abs_error_days: number;
  error_days: number;
  within_7d: number;
  /** forecast only: items paid between their P10 and P90 dates */
  covered: number;
  abs_cash_error: number;
  actual_cash: number;
}
export type RiskGrade = 'A' | 'B' | 'C' | 'D' | 'E';
export interface CustomerRiskRow {
  customer_id: string;
  customer_name: string;
  outstanding: number;
  overdue: number;
  drift: number | null;
  pct_overdue: number | null;
  weighted_days_late: number | null;
  disputes: number;
  broken_promises: number;
  utilisation: number | null;
  concentration: number | null;
  points: number;
  grade: RiskGrade;
  /** the factors that scored, most points first, as a list literal: '[pct_overdue, utilisation]' */
  reasons: string;
  priority: number;
}
export interface DunningDueRow {
  invoice_id: string;
  customer_id: string;
  customer_name: string;
  due_date: string;
  open_amount: number;
  days_overdue: number;
  step_key: string;
  offset_days: number;
  channel: string;
  /** the customer's dunning scenario (by risk grade, else category, else the default) */
  scenario_id: string;
  /** 'dispute' | 'promise' when the step waits */
  paused: string | null;
  grade: string;
  priority: number;
}
export interface ContactRow {
  contact_name: string | null;
  role: string | null;
  email: string | null;
  phone: string | null;
}
export interface WorklistRow {
  customer_id: string;
  customer_name: string;
  /** the customer's contacts' e-mail addresses, comma-separated (null: none known) */
  emails: string | null;
  scenario_id: string;
  step_key: string;
  channel: string;
  invoices: number;
  amount: number;
  oldest_days: number;
  invoice_ids: string;
  grade: RiskGrade;
  priority: number;
  collector: string | null;
}
export interface CustomerHistoryRow {
  date: string;
  /** the document type, or the settlement's method */
  kind: string;
  document: string | null;
  amount: number;
  due_date: string | null;
  days_late: number | null;
  currency: string;
  seq: number;
  row_count: number;
}
export interface CustomerEventRow {
  date: string;
  kind: 'dispute' | 'promise' | 'action';
  id: string;
  invoice_id: string | null;
  /** dispute reason, promised date, action type */
  detail: string | null;
  /** dispute owner, action's collector */
  who: string | null;
  /** open | resolved, pending | kept | broken, the action's outcome */
  status: string | null;
  amount: number | null;
}
export interface DisputeBreakdownRow {
  reason: string;
  status: string;
  owner: string;
  disputes: number;
  open_amount: number;
  avg_days_open: number;
}
export interface DisputeResolvedRow {
  reason: string;
  owner: string;
  disputes: number;
  amount: number;
  avg_resolution_days: number;
  max_resolution_days: number;
}
export interface LedgerSummaryRow {
  earliest_date: string | null;
  latest_date: string | null;
  customers: number;
  invoices: number;
  payments: number;
  disputes: number;
  promises: number;
  actions: number;
  credit_limits: number;
  fx_rates: number;
  open_items_files: number;
}
export interface CurrencyRow {
  currency: string;
  invoices: number;
  gross_amount: number;
}

/** A series KPI's change over the period: its value at D minus the one at `since`. */
export interface SeriesChangeRow {
  kpi: Exclude<keyof SeriesRow, 'date'>;
  since: string;
  change: number | null;
}
/** A series and its changes in one statement (kpi_series_drawn): a point's row, or a change's. */
export type SeriesDrawnRow =
  | ({ part: 'point' } & SeriesRow & { [K in keyof SeriesChangeRow]: null })
  | ({ part: 'change' } & SeriesChangeRow & { [K in keyof SeriesRow]: null });

interface QueryDef<P, R> {
  sql: string;
  /** when the statement depends on the parameters (which families): its text for them */
  sqlOf?: (p: P) => string;
  bind: (p: P) => SqlValue[];
  /** Only for typing results; never read. */
  row?: R;
}
function def<P, R>(sql: string, bind: (p: P) => SqlValue[]): QueryDef<P, R> {
  return { sql, bind };
}

const SCOPE_ARGS = '?::DATE, ?::INTEGER, ?, ?::VARCHAR, ?::VARCHAR';
/** '*EUR' = everything converted into EUR (scope.sql). */
export const scopeCurrency = (p: Pick<Scope, 'currency' | 'convert'>) => (p.convert ? `*${p.currency}` : p.currency);
const cur = scopeCurrency;
const scopeArgs = (p: Scope): SqlValue[] => [p.as_of, p.period_days, cur(p), p.dim ?? null, p.dim ? (p.val ?? null) : null];
/** A scalar KPI family: one macro, one row. */
const family = <R>(macro: string) => def<Scope, R>(`SELECT * FROM ${macro}(${SCOPE_ARGS})`, scopeArgs);
/** Several scalar families side by side in one statement, one row (a family's columns are its own,
 *  families.ts): in duckdb-wasm, six statements cost ~15 % more than the same six macros in one. */
const familiesSql = (families: readonly ScalarFamily[]) =>
  `SELECT * FROM (SELECT 1) one_row(_) ${families.map((f, i) => `LEFT JOIN kpi_${f}(${SCOPE_ARGS}) f${i} ON true`).join(' ')}`;
const AS_OF_ARGS = '?::DATE, ?, ?::VARCHAR, ?::VARCHAR';
const asOfArgs = (p: Scope): SqlValue[] => [p.as_of, cur(p), p.dim ?? null, p.dim ? (p.val ?? null) : null];

export const QUERIES = {
  ledger_summary: def<Record<string, never>, LedgerSummaryRow>('SELECT * FROM ledger_summary()', () => []),
  dimension_values: def<{ currency: string; convert?: boolean }, { dimension: Dimension; value: string; invoices: number }>(
    'SELECT * FROM dimension_values(?)',
    (p) => [cur(p)],
  ),
  dimensions_present: def<Record<string, never>, { dimension: Dimension }>('SELECT * FROM dimensions_present()', () => []),
  aging_buckets: def<Record<string, never>, AgingBucketRow>('SELECT * FROM aging_buckets ORDER BY sort_key', () => []),
  ledger_currencies: def<Record<string, never>, CurrencyRow>('SELECT * FROM ledger_currencies()', () => []),
  balances: family<BalancesRow>('kpi_balances'),
  dso: family<DsoRow>('kpi_dso'),
  cei: family<CeiRow>('kpi_cei'),
  payment_behaviour: family<PaymentBehaviourRow>('kpi_payment_behaviour'),
  disputes: family<DisputesRow>('kpi_disputes'),
  promises: family<PromisesRow>('kpi_promises'),
  dunning: family<DunningRow>('kpi_dunning'),
  losses: family<LossesRow>('kpi_losses'),
  provisions: family<ProvisionsRow>('kpi_provisions'),
  /** the scalar families asked, in one row (the KPI report's cards) */
  families: {
    sql: '',
    sqlOf: (p: Scope & { families: readonly ScalarFamily[] }) => familiesSql(p.families),
    bind: (p: Scope & { families: readonly ScalarFamily[] }) => p.families.flatMap(() => scopeArgs(p)),
  } as QueryDef<Scope & { families: readonly ScalarFamily[] }, { _: number } & Partial<Record<string, unknown>>>,
  provision_matrix: def<Scope & { rates?: TypedRates }, ProvisionMatrixRow>(
    `SELECT * FROM kpi_provision_matrix(${AS_OF_ARGS}, r0 := ?::DOUBLE, r1 := ?::DOUBLE, r2 := ?::DOUBLE,
                                         r3 := ?::DOUBLE, r4 := ?::DOUBLE, r5 := ?::DOUBLE)`,
    (p) => [...asOfArgs(p), ...AGING_SLOTS.map((_, i) => p.rates?.[i] ?? null)],
  ),
  overview: def<Scope, OverviewRow>(
    `SELECT b.*, d.* FROM kpi_balances(${SCOPE_ARGS}) b, kpi_dso(${SCOPE_ARGS}) d`,
    (p) => [...scopeArgs(p), ...scopeArgs(p)],
  ),
  series: def<Scope & { points?: number }, SeriesRow>(`SELECT * FROM kpi_series(${SCOPE_ARGS}, n := ?::INTEGER)`, (p) => [...scopeArgs(p), p.points ?? 24]),
  /** the series and its changes in one statement (the sparklines drawn with the cards) */
  series_drawn: def<Scope & { points?: number }, SeriesDrawnRow>(`SELECT * FROM kpi_series_drawn(${SCOPE_ARGS}, n := ?::INTEGER)`, (p) => [...scopeArgs(p), p.points ?? 24]),
  /** each series KPI's change against the point nearest to D − P (the overview's cards) */
  series_changes: def<Scope & { points?: number }, SeriesChangeRow>(
    `SELECT * FROM kpi_series_changes(${SCOPE_ARGS}, n := ?::INTEGER)`,
    (p) => [...scopeArgs(p), p.points ?? 24],
  ),
  aging: def<Scope, AgingRow>(`SELECT * FROM kpi_aging(${AS_OF_ARGS})`, asOfArgs),
  aging_by: def<Scope & { by: AgingDimension; limit: number }, AgingByRow>(
    'SELECT * FROM kpi_aging_by(?::DATE, ?, ?, ?::VARCHAR, ?::VARCHAR, ?::BIGINT)',
    (p) => [p.as_of, cur(p), p.by, p.dim ?? null, p.dim ? (p.val ?? null) : null, p.limit],
  ),
  aged_invoices: def<Scope & { bucket?: AgingBucket | null; limit: number }, AgedInvoiceRow>(
    `SELECT * FROM kpi_aged_invoices(${AS_OF_ARGS}, ?::VARCHAR, ?::BIGINT)`,
    (p) => [...asOfArgs(p), p.bucket ?? null, p.limit],
  ),
  top_late: def<Scope & { limit: number }, TopLateRow>(`SELECT * FROM kpi_top_late(${AS_OF_ARGS}, ?::BIGINT)`, (p) => [...asOfArgs(p), p.limit]),
  next_steps: def<Scope & { limit: number }, NextStepRow>(`SELECT * FROM kpi_next_steps(${AS_OF_ARGS}, ?::BIGINT)`, (p) => [...asOfArgs(p), p.limit]),
  credit_limit_overruns: def<Scope, CreditOverrunRow>(`SELECT * FROM kpi_credit_limit_overruns(${AS_OF_ARGS})`, asOfArgs),
  credit_utilisation: def<Scope, CreditOverrunRow>(`SELECT * FROM kpi_credit_utilisation(${AS_OF_ARGS}) ORDER BY utilisation DESC NULLS LAST, customer_id`, asOfArgs),
  forecast_items: def<Scope & { limit?: number }, ForecastItemRow>(
    `SELECT * FROM kpi_forecast_items(${AS_OF_ARGS}, ?::BIGINT) ORDER BY open_amount DESC, invoice_id`,
    (p) => [...asOfArgs(p), p.limit ?? 1_000_000],
  ),
  forecast_summary: def<Scope, ForecastSummaryRow>(`SELECT * FROM kpi_forecast_summary(${AS_OF_ARGS})`, asOfArgs),
  forecast_dso: def<Scope, { month_end: string; expected_outstanding: number; expected_sales: number; dso: number | null }>(
    `SELECT * FROM kpi_forecast_dso(${SCOPE_ARGS})`,
    scopeArgs,
  ),
  forecast_by: def<Scope & { by: Dimension; limit: number }, ForecastSummaryRow & { key: string; label: string }>(
    `SELECT * FROM fc_summary_by(${AS_OF_ARGS}, ?) LIMIT ?::BIGINT`,
    (p) => [...asOfArgs(p), p.by, p.limit],
  ),
  forecast_buckets: def<Scope, ForecastBucketRow>(`SELECT * FROM kpi_forecast_buckets(${AS_OF_ARGS})`, asOfArgs),
  forecast_backtest_origin: def<Scope, BacktestOriginRow>('SELECT * FROM fc_backtest_origin(?::DATE, ?)', (p) => [p.as_of, cur(p)]),
  /** every customer's grade within the scope; `customer` keeps one (its grade among all, not alone) */
  customer_risk: def<Scope & { limit?: number; customer?: string | null }, CustomerRiskRow>(
    `SELECT * FROM kpi_customer_risk(${AS_OF_ARGS}) WHERE ?::VARCHAR IS NULL OR customer_id = ? LIMIT ?::BIGINT`,
    (p) => [...asOfArgs(p), p.customer ?? null, p.customer ?? null, p.limit ?? 1_000_000],
  ),
  concentration: def<Scope, { top10_share: number | null; customers: number }>(`SELECT * FROM kpi_concentration(${AS_OF_ARGS})`, asOfArgs),
  dunning_due: def<Scope, DunningDueRow>(`SELECT * FROM kpi_dunning_due(${AS_OF_ARGS})`, asOfArgs),
  worklist: def<Scope, WorklistRow>(`SELECT * FROM kpi_worklist(${AS_OF_ARGS})`, asOfArgs),
  customer_history: def<{ as_of: string; customer: string; limit: number }, CustomerHistoryRow>(
    'SELECT * FROM customer_history(?::DATE, ?, ?::BIGINT)',
    (p) => [p.as_of, p.customer, p.limit],
  ),
  customer_events: def<Scope & { customer: string }, CustomerEventRow>('SELECT * FROM customer_events(?::DATE, ?, ?)', (p) => [p.as_of, cur(p), p.customer]),
  customer_contacts: def<{ customer: string }, ContactRow>(
    'SELECT contact_name, role, email, phone FROM contacts WHERE customer_id = ? ORDER BY source_file DESC, source_row',
    (p) => [p.customer],
  ),
  disputes_breakdown: def<Scope, DisputeBreakdownRow>(`SELECT * FROM kpi_disputes_breakdown(${AS_OF_ARGS})`, asOfArgs),
  disputes_resolved_by: def<Scope, DisputeResolvedRow>(`SELECT * FROM kpi_disputes_resolved_by(${SCOPE_ARGS})`, scopeArgs),
} as const;

export { SCALAR_FAMILIES } from './families';

export type QueryName = keyof typeof QUERIES;
export type QueryParams<N extends QueryName> = (typeof QUERIES)[N] extends QueryDef<infer P, infer _R> ? P : never;
export type QueryRow<N extends QueryName> = (typeof QUERIES)[N] extends QueryDef<infer _P, infer R> ? R : never;

/** A named query run as it is, its derived tables (open items, daily totals, forecast) not
 *  checked: for a caller that has just made sure they are there (the series drawn with the cards). */
export async function runPrepared<N extends QueryName>(engine: SqlEngine, name: N, params: QueryParams<N>): Promise<QueryRow<N>[]> {
  const q = QUERIES[name] as unknown as QueryDef<QueryParams<N>, QueryRow<N>>;
  return engine.query<QueryRow<N> & object>(q.sqlOf ? q.sqlOf(params) : q.sql, q.bind(params));
}

export async function runQuery<N extends QueryName>(
  engine: SqlEngine,
  name: N,
  params: QueryParams<N>,
): Promise<QueryRow<N>[]> {
  const q = QUERIES[name] as unknown as QueryDef<QueryParams<N>, QueryRow<N>>;
  if (!q) throw new Error(`unknown query: ${String(name)}`);
  // Queries with an as-of date read open items from their snapshots: make sure they are there (at
  // that date only: CEI's opening balance is summed from the items open then, outstanding_at).
  const scope = params as unknown as Partial<Scope>;
  if (scope.as_of) await prepareSnapshots(engine, [scope.as_of]);
  if (scope.convert && scope.as_of && scope.currency) await prepareFx(engine, scope.currency, scope.as_of);
  // The series read their scope's daily totals, built once per scope (series-days.ts).
  if ((name === 'series' || name === 'series_changes' || name === 'series_drawn') && scope.as_of && scope.currency) {
    const points = (params as { points?: number }).points ?? 24;
    await prepareSeriesDays(engine, scope.as_of, cur(scope as Scope), scope.dim ?? null, scope.val ?? null, scope.period_days ?? 90, points);
  }
  // The forecast queries read each request's forecast, computed once (forecast.ts).
  if (name.startsWith('forecast_') && scope.as_of && scope.currency) {
    // (the backtest's: the whole scope, every item's quantiles)
    const whole = FORECAST_WHOLE_SCOPE.has(name);
    const slice = whole ? { dim: null, val: null } : { dim: scope.dim ?? null, val: scope.dim ? (scope.val ?? null) : null };
    await prepareForecast(engine, scope.as_of, cur(scope as Scope), slice.dim, slice.val, { quantiles: whole });
  }
  return engine.query<QueryRow<N> & object>(q.sqlOf ? q.sqlOf(params) : q.sql, q.bind(params));
}
