/**
 * What the engine answers while a reopened workspace's late tables (LATE_TABLES in image-format.ts:
 * invoices, payments, disputes, credit limits, contacts) are still being appended: the requests that
 * read only the ledger's facts and the tables loaded first. ledger-image.test.ts checks that each
 * gives the same answer then as once the whole ledger is in; anything else waits for it.
 */
import { SCALAR_FAMILIES, type ScalarFamily } from '../kpi/families';
import type { QueryName } from '../kpi/queries';

/** The named queries of the overview and the aged balance (pickers, sparklines, pivot, drill-down, top late payers). */
export const EARLY_QUERIES: ReadonlySet<QueryName> = new Set<QueryName>([
  'ledger_summary', 'ledger_currencies', 'dimension_values', 'dimensions_present', 'aging_buckets',
  'series', 'aging', 'aging_by', 'aged_invoices', 'top_late',
]);

/** Every scalar family but dunning: its response rate reads the payments received after each action. */
export const EARLY_FAMILIES: ReadonlySet<ScalarFamily> = new Set(SCALAR_FAMILIES.filter((f) => f !== 'dunning'));

/** A dashboard of these families (all when absent) may be computed before the late tables are in. */
export function dashboardIsEarly(families: readonly ScalarFamily[] | undefined): boolean {
  return (families ?? SCALAR_FAMILIES).every((f) => EARLY_FAMILIES.has(f));
}
