/**
 * The KPIs the Trends page draws over 24 months: those of the monthly series (kpi_series), and the
 * others (`family`), their own family rebuilt at each month-end (familySeries: one open-item rebuild
 * a point, so seconds on a large ledger).
 */
import type { ScalarFamily } from '../kpi/families';
import type { KpiUnit } from './kpi-cards';

export interface TrendKpi {
  key: string;
  unit: KpiUnit;
  /** absent: a column of the monthly series */
  family?: ScalarFamily;
}

export const TREND_KPIS: readonly TrendKpi[] = [
  { key: 'dso', unit: 'days' },
  { key: 'bpdso', unit: 'days' },
  { key: 'add', unit: 'days' },
  { key: 'dso_countback', unit: 'days' },
  { key: 'outstanding', unit: 'money' },
  { key: 'overdue', unit: 'money' },
  { key: 'pct_overdue', unit: 'pct' },
  { key: 'disputed', unit: 'money' },
  { key: 'at_risk', unit: 'money' },
  { key: 'cei', unit: 'pct' },
  { key: 'dbt', unit: 'days' },
  { key: 'avg_days_to_pay', unit: 'days' },
  { key: 'weighted_days_late', unit: 'days' },
  { key: 'collection_rate', unit: 'pct' },
  { key: 'dispute_rate', unit: 'pct' },
  { key: 'promise_kept_rate', unit: 'pct' },
  { key: 'sales', unit: 'money' },
  { key: 'unapplied_cash', unit: 'money' },
  { key: 'cei_crf', unit: 'pct', family: 'cei' },
  { key: 'dispute_resolution_rate', unit: 'pct', family: 'disputes' },
  { key: 'avg_dispute_resolution_days', unit: 'days', family: 'disputes' },
  { key: 'disputes_open', unit: 'count', family: 'disputes' },
  { key: 'dunning_response_rate', unit: 'pct', family: 'dunning' },
  { key: 'automation_rate', unit: 'pct', family: 'dunning' },
  { key: 'actions', unit: 'count', family: 'dunning' },
  { key: 'bad_debt_rate', unit: 'pct', family: 'losses' },
  { key: 'written_off', unit: 'money', family: 'losses' },
  { key: 'expected_loss', unit: 'money', family: 'provisions' },
  { key: 'provision_rate', unit: 'pct', family: 'provisions' },
];
