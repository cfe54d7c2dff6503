/**
 * What a workspace's saved ledger (ledger-image.ts) holds and which version of the schema it fits.
 * Apart from the engine code, so that the page bundle can read it without the SQL of every KPI.
 */
import schema from '../model/schema.sql?raw';
import facts from '../kpi/ledger.sql?raw';
import { CANONICAL_TABLES, IMPORT_LOG_TABLES } from '../model/tables';

/** The ledger's facts (ledger.sql) kept with it, in the order they are built (FACT_TABLES in
 *  bootstrap.ts): loading them back took 0.5 s for 0.9M invoices in duckdb-wasm, rebuilding them
 *  2.2 s. The summary and the currencies are kept too (a row or two): rebuilt, they read the
 *  invoices and payments, which a reopening appends last (LATE_TABLES). */
export const IMAGE_FACT_TABLES = [
  'invoice_facts', 'dimset_facts', 'allocation_facts', 'open_window_facts', 'long_open_facts', 'partial_allocation_facts', 'write_off_facts',
  'sales_month_facts', 'unapplied_facts', 'promise_facts', 'dispute_facts', 'action_facts', 'ledger_summary_facts', 'ledger_currencies_facts',
] as const;

export const IMAGE_TABLES = [...CANONICAL_TABLES, ...IMPORT_LOG_TABLES, ...IMAGE_FACT_TABLES] as const;

/**
 * The tables a reopened workspace appends after the others, while the overview already answers:
 * no figure of the overview reads them (they are read through their facts), and appending the
 * invoices and payments was 1.4 s of the 4.6 s of a 0.9M-invoice ledger in duckdb-wasm, the actions
 * 0.9–1.2 s (the top late payers read action_facts). What may
 * run before they are in is listed in early-requests.ts and checked by ledger-image.test.ts.
 */
export const LATE_TABLES: readonly (typeof IMAGE_TABLES)[number][] = ['invoices', 'payments', 'disputes', 'actions', 'credit_limits', 'contacts'];

/** FNV-1a, 32 bits: enough to tell two versions of the schema apart (not a security checksum). */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** An image saved under another version of the tables' or the facts' definitions is not loaded. */
export const IMAGE_VERSION = `schema-${fnv1a(schema)}-facts-${fnv1a(facts)}-tables-${fnv1a(IMAGE_TABLES.join())}`;
