/**
 * The named queries the app, the CLI and the tests may run. Each is one call of a macro defined in
 * the .sql files beside this one (where the formulas and their sources live), with bound
 * parameters: no screen ever builds SQL from user input.
 */
import type { SqlEngine, SqlValue } from '../engine/sql-engine';

export interface OverviewRow {
  outstanding: number;
  overdue: number;
  not_due: number;
  pct_overdue: number | null;
  sales: number;
  dso: number | null;
}
export interface AgingRow {
  bucket: AgingBucket;
  amount: number;
  items: number;
}
export const AGING_BUCKETS = ['not_due', '1-30', '31-60', '61-90', '91-120', '>120'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];
export type CustomerAgingRow = { customer_id: string; customer_name: string; total: number; customer_count: number } & Record<
  AgingBucket,
  number
>;
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
}
export interface CurrencyRow {
  currency: string;
  invoices: number;
  gross_amount: number;
}

interface QueryDef<P, R> {
  sql: string;
  bind: (p: P) => SqlValue[];
  /** Only for typing results; never read. */
  row?: R;
}
function def<P, R>(sql: string, bind: (p: P) => SqlValue[]): QueryDef<P, R> {
  return { sql, bind };
}

export interface AsOfParams {
  as_of: string;
  currency: string;
}

export const QUERIES = {
  ledger_summary: def<Record<string, never>, LedgerSummaryRow>('SELECT * FROM ledger_summary()', () => []),
  ledger_currencies: def<Record<string, never>, CurrencyRow>('SELECT * FROM ledger_currencies()', () => []),
  overview: def<AsOfParams & { period_days: number }, OverviewRow>(
    'SELECT * FROM kpi_overview(?::DATE, ?::INTEGER, ?)',
    (p) => [p.as_of, p.period_days, p.currency],
  ),
  aging: def<AsOfParams, AgingRow>('SELECT * FROM kpi_aging(?::DATE, ?)', (p) => [p.as_of, p.currency]),
  aging_by_customer: def<AsOfParams & { limit: number }, CustomerAgingRow>(
    'SELECT * FROM kpi_aging_by_customer(?::DATE, ?, ?::BIGINT)',
    (p) => [p.as_of, p.currency, p.limit],
  ),
} as const;

export type QueryName = keyof typeof QUERIES;
export type QueryParams<N extends QueryName> = (typeof QUERIES)[N] extends QueryDef<infer P, infer _R> ? P : never;
export type QueryRow<N extends QueryName> = (typeof QUERIES)[N] extends QueryDef<infer _P, infer R> ? R : never;

export async function runQuery<N extends QueryName>(
  engine: SqlEngine,
  name: N,
  params: QueryParams<N>,
): Promise<QueryRow<N>[]> {
  const q = QUERIES[name] as unknown as QueryDef<QueryParams<N>, QueryRow<N>>;
  if (!q) throw new Error(`unknown query: ${String(name)}`);
  return engine.query<QueryRow<N> & object>(q.sql, q.bind(params));
}
