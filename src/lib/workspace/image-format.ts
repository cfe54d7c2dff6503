/**
 * What a workspace's saved ledger (ledger-image.ts) holds and which version of the schema it fits.
 * Apart from the engine code, so that the page bundle can read it without the SQL of every KPI.
 */
import schema from '../model/schema.sql?raw';
import { CANONICAL_TABLES, IMPORT_LOG_TABLES } from '../model/tables';

/** The ledger's facts are not in it: rebuilding them takes as long as reading them (2.3 s for
 *  0.9M invoices), for twice the storage. */
export const IMAGE_TABLES = [...CANONICAL_TABLES, ...IMPORT_LOG_TABLES] as const;

/** FNV-1a, 32 bits: enough to tell two versions of the schema apart (not a security checksum). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** An image saved under another version of the tables' definitions is not loaded. */
export const IMAGE_VERSION = `schema-${fnv1a(schema)}`;
