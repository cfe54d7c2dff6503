/** Which KPIs the overview shows, in which unit; labels and explanations live in the i18n files. */
import type { MessageKey } from '../i18n/en';
import type { Kpis } from '../kpi/report';

export type KpiUnit = 'money' | 'days' | 'pct';
export interface KpiCardDef {
  key: keyof Kpis;
  unit: KpiUnit;
  /** shown in red when it is above zero */
  badWhenPositive?: boolean;
}

export const OVERVIEW_CARDS: readonly KpiCardDef[] = [
  { key: 'outstanding', unit: 'money' },
  { key: 'overdue', unit: 'money', badWhenPositive: true },
  { key: 'not_due', unit: 'money' },
  { key: 'pct_overdue', unit: 'pct' },
  { key: 'dso', unit: 'days' },
  { key: 'bpdso', unit: 'days' },
  { key: 'add', unit: 'days' },
  { key: 'dso_countback', unit: 'days' },
  { key: 'cei', unit: 'pct' },
  { key: 'dbt', unit: 'days' },
  { key: 'weighted_days_late', unit: 'days' },
  { key: 'collection_rate', unit: 'pct' },
  { key: 'disputed', unit: 'money', badWhenPositive: true },
  { key: 'at_risk', unit: 'money', badWhenPositive: true },
  { key: 'unapplied_cash', unit: 'money' },
  { key: 'dispute_rate', unit: 'pct' },
  { key: 'promise_kept_rate', unit: 'pct' },
  { key: 'sales', unit: 'money' },
];

/** Computed from the period's invoices and payments: blank when the ledger came from an open-items
 *  export (balances at the export date only). */
export const NEEDS_HISTORY: ReadonlySet<keyof Kpis> = new Set<keyof Kpis>(['sales', 'dso', 'bpdso', 'add', 'dso_countback', 'cei', 'dbt', 'collection_rate']);

export const labelKey = (k: keyof Kpis) => `kpi.${k}` as MessageKey;
export const explainKey = (k: keyof Kpis) => `explain.${k}` as MessageKey;
