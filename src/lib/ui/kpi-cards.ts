/** Which KPIs the overview shows, in which unit; labels and explanations live in the i18n files. */
import type { MessageKey } from '../i18n/en';
import { formatMoney, formatNumber, formatPercent } from '../i18n/format';
import { translate, type Lang } from '../i18n/translate';
import { familiesOf } from '../kpi/families';
import type { Kpis } from '../kpi/report';

export type KpiUnit = 'money' | 'days' | 'pct' | 'count';

/** A KPI's value as the user reads it ('—' when there is none: a ratio without denominator…). */
export function formatKpi(lang: Lang, value: number | null | undefined, unit: KpiUnit, currency: string): string {
  if (value === null || value === undefined) return translate(lang, 'kpi.none');
  if (unit === 'money') return formatMoney(lang, value, currency);
  if (unit === 'pct') return formatPercent(lang, value);
  if (unit === 'count') return formatNumber(lang, value);
  return translate(lang, 'kpi.days', { n: formatNumber(lang, value, 1) });
}
export interface KpiCardDef {
  key: keyof Kpis;
  unit: KpiUnit;
  /** shown in red when it is above zero */
  badWhenPositive?: boolean;
  /** which way is better, as finance reads it (DSO up = bad); absent = neither */
  better?: 'up' | 'down';
}

export const OVERVIEW_CARDS: readonly KpiCardDef[] = [
  { key: 'outstanding', unit: 'money' },
  { key: 'overdue', unit: 'money', badWhenPositive: true, better: 'down' },
  { key: 'not_due', unit: 'money' },
  { key: 'pct_overdue', unit: 'pct', better: 'down' },
  { key: 'dso', unit: 'days', better: 'down' },
  { key: 'bpdso', unit: 'days', better: 'down' },
  { key: 'add', unit: 'days', better: 'down' },
  { key: 'dso_countback', unit: 'days', better: 'down' },
  { key: 'cei', unit: 'pct', better: 'up' },
  { key: 'dbt', unit: 'days', better: 'down' },
  { key: 'weighted_days_late', unit: 'days', better: 'down' },
  { key: 'collection_rate', unit: 'pct', better: 'up' },
  { key: 'disputed', unit: 'money', badWhenPositive: true, better: 'down' },
  { key: 'at_risk', unit: 'money', badWhenPositive: true, better: 'down' },
  { key: 'unapplied_cash', unit: 'money', better: 'down' },
  { key: 'dispute_rate', unit: 'pct', better: 'down' },
  { key: 'promise_kept_rate', unit: 'pct', better: 'up' },
  { key: 'sales', unit: 'money', better: 'up' },
];

/** What the overview (and the weekly report, which shows the same cards) asks the engine for. */
export const OVERVIEW_FAMILIES = familiesOf(OVERVIEW_CARDS.map((c) => c.key));

/** Computed from the period's invoices and payments: blank when the ledger came from an open-items
 *  export (balances at the export date only). */
export const NEEDS_HISTORY: ReadonlySet<keyof Kpis> = new Set<keyof Kpis>(['sales', 'dso', 'bpdso', 'add', 'dso_countback', 'cei', 'dbt', 'collection_rate']);

export const labelKey = (k: keyof Kpis) => `kpi.${k}` as MessageKey;
export const explainKey = (k: keyof Kpis) => `explain.${k}` as MessageKey;

/** The KPIs with a monthly series in the KPI engine (kpi_series): their cards carry a sparkline (every card's, now). */
export const SERIES_KEYS: ReadonlySet<string> = new Set(['sales', 'outstanding', 'overdue', 'not_due', 'pct_overdue', 'unapplied_cash', 'dso', 'bpdso', 'add', 'dso_countback', 'cei', 'dbt', 'collection_rate', 'dispute_rate', 'promise_kept_rate', 'weighted_days_late', 'disputed', 'at_risk']);
