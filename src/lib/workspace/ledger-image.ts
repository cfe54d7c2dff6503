/**
 * A workspace's ledger kept as it was built: its tables and their facts as Arrow, so that reopening
 * a workspace loads them back (a second or two) instead of importing its source files again (the
 * import's time: half a minute for a million invoices). The sources stay the reference: an image that does
 * not match this version of the schema, or that comes back with other row counts, is not used, and
 * the workspace is imported from its files as before.
 */
import { clearLedger, ledgerRestored, withAutomaticCheckpoints } from '../engine/bootstrap';
import type { SqlEngine } from '../engine/sql-engine';
import { IMAGE_FACT_TABLES, IMAGE_TABLES } from './image-format';

export { IMAGE_TABLES };

export interface ImagePart {
  table: string;
  rows: number;
  bytes: Uint8Array;
}

type ArrowEngine = SqlEngine & Required<Pick<SqlEngine, 'exportArrow' | 'appendArrow'>>;

export function canImage(engine: SqlEngine): engine is ArrowEngine {
  return typeof engine.exportArrow === 'function' && typeof engine.appendArrow === 'function';
}

/** Every table of the ledger as Arrow (an empty table as no bytes at all). */
export async function takeImage(engine: ArrowEngine, tables: readonly string[] = IMAGE_TABLES): Promise<ImagePart[]> {
  const parts: ImagePart[] = [];
  for (const table of tables) {
    if (!(IMAGE_TABLES as readonly string[]).includes(table)) throw new RangeError(`${table} is not a ledger table`);
    const [{ n }] = await engine.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table}`);
    parts.push({ table, rows: n, bytes: n ? await engine.exportArrow(`SELECT * FROM ${table}`) : new Uint8Array(0) });
  }
  return parts;
}

export class ImageMismatch extends Error {}

/**
 * Replaces the ledger with an image. Every table must be there with its row count: otherwise the
 * ledger is emptied again and ImageMismatch says why (the caller imports the sources instead).
 */
export async function loadImage(engine: ArrowEngine, parts: (Omit<ImagePart, 'bytes'> & { bytes: Uint8Array | (() => Promise<Uint8Array>) })[]): Promise<void> {
  await withAutomaticCheckpoints(engine, () => loadTables(engine, parts));
  await ledgerRestored(engine, IMAGE_FACT_TABLES);
}

async function loadTables(engine: ArrowEngine, parts: (Omit<ImagePart, 'bytes'> & { bytes: Uint8Array | (() => Promise<Uint8Array>) })[]): Promise<void> {
  await clearLedger(engine);
  const ordered = IMAGE_TABLES.map((table) => {
    const part = parts.find((p) => p.table === table);
    if (!part) throw new ImageMismatch(`the saved ledger has no ${table} table`);
    return part;
  });
  // One table read ahead of the one being appended (a reader function: the whole image need not be
  // held at once): in the browser the file is read while DuckDB's own worker appends the table before.
  const read = (part: (typeof ordered)[number]) => {
    const bytes = !part.rows ? Promise.resolve(new Uint8Array(0)) : typeof part.bytes === 'function' ? part.bytes() : Promise.resolve(part.bytes);
    bytes.catch(() => {}); // (a failed read is reported when it is awaited, in its turn)
    return bytes;
  };
  let next = ordered.length ? read(ordered[0]) : null;
  try {
    for (const [i, part] of ordered.entries()) {
      const bytes = await next!;
      next = i + 1 < ordered.length ? read(ordered[i + 1]) : null;
      if (part.rows) await engine.appendArrow(part.table, bytes);
      const [{ n }] = await engine.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${part.table}`);
      if (n !== part.rows) throw new ImageMismatch(`${part.table}: ${n} rows read back, ${part.rows} saved`);
    }
  } catch (e) {
    await clearLedger(engine);
    throw e instanceof ImageMismatch ? e : new ImageMismatch(e instanceof Error ? e.message : String(e));
  }
}
