/**
 * The scalar KPI families (one query each, queries.ts) and the KPIs each returns. No engine code
 * here: the pages import it to ask the engine for the families of the figures they show.
 */
import type { Kpis } from './report';

/** The scalar families whose columns make up the `kpis` object of the KPI report. */
export const SCALAR_FAMILIES = ['balances', 'dso', 'cei', 'payment_behaviour', 'disputes', 'promises', 'dunning', 'losses', 'provisions'] as const;
export type ScalarFamily = (typeof SCALAR_FAMILIES)[number];

/** The KPIs of each scalar family (checked against the SQL by kpi-catalogue.test.ts). A page asks
 *  only for the families of the figures it shows: the overview's cards need six of the nine, and
 *  the other three (dunning, losses, provisions) were a third of a change of date in duckdb-wasm. */
export const FAMILY_KPIS = {
  balances: ['sales', 'outstanding', 'overdue', 'not_due', 'pct_overdue', 'disputed', 'unapplied_cash', 'net_outstanding', 'at_risk', 'weighted_days_late'],
  dso: ['dso', 'bpdso', 'add', 'dso_countback', 'dso_countback_capped'],
  cei: ['cei', 'cei_crf'],
  payment_behaviour: ['dbt', 'dbt_late_only', 'avg_days_to_pay', 'collection_rate'],
  disputes: ['dispute_rate', 'dispute_resolution_rate', 'avg_dispute_resolution_days', 'disputes_open'],
  promises: ['promise_kept_rate', 'promises_due'],
  dunning: ['dunning_response_rate', 'automation_rate', 'actions_per_collector', 'actions'],
  losses: ['bad_debt_rate', 'written_off'],
  provisions: ['expected_loss', 'provision_rate'],
} as const satisfies Record<ScalarFamily, readonly (keyof Kpis)[]>;

/** The families that give these KPIs, in the catalogue's order. */
export function familiesOf(keys: readonly (keyof Kpis)[]): ScalarFamily[] {
  return SCALAR_FAMILIES.filter((f) => (FAMILY_KPIS[f] as readonly string[]).some((k) => keys.includes(k as keyof Kpis)));
}
