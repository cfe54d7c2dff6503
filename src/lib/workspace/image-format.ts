/**
 * What a workspace's saved ledger (ledger-image.ts) holds and which version of the schema it fits.
 * Apart from the engine code, so that the page bundle can read it without the SQL of every KPI.
 */
import schema from '../model/schema.sql?raw';
import facts from '../kpi/ledger.sql?raw';
import { CANONICAL_TABLES, IMPORT_LOG_TABLES } from '../model/tables';

/** The ledger's facts (ledger.sql) kept with it, in the order they are built (bootstrap.ts adds the
 *  summary and the currencies to make FACT_TABLES): loading them back took 0.5 s for 0.9M invoices in
 *  duckdb-wasm, rebuilding them 2.2 s (the narrow facts; the wide ones of earlier versions took as
 *  long to load as to build). The summary and the currencies are rebuilt: a few milliseconds. */
export const IMAGE_FACT_TABLES = [
  'invoice_facts', 'dimset_facts', 'allocation_facts', 'open_window_facts', 'long_open_facts', 'partial_allocation_facts',
  'sales_month_facts', 'unapplied_facts', 'promise_facts', 'dispute_facts',
] as const;

export const IMAGE_TABLES = [...CANONICAL_TABLES, ...IMPORT_LOG_TABLES, ...IMAGE_FACT_TABLES] as const;

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
export const IMAGE_VERSION = `schema-${fnv1a(schema)}-facts-${fnv1a(facts)}`;
