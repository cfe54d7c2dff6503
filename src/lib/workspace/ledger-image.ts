/**
 * A workspace's ledger kept as it was built: its tables and their facts as Arrow, so that reopening
 * a workspace loads them back (a second or two) instead of importing its source files again (the
 * import's time: half a minute for a million invoices). The sources stay the reference: an image that does
 * not match this version of the schema, or that comes back with other row counts, is not used, and
 * the workspace is imported from its files as before.
 */
import { clearLedger, ledgerRestored, withAutomaticCheckpoints } from '../engine/bootstrap';
import type { SqlEngine } from '../engine/sql-engine';
import { ipcChunker, ipcConcat } from './arrow-chunks';
import { IMAGE_FACT_TABLES, IMAGE_TABLES, LATE_TABLES } from './image-format';

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

/** Every table of the ledger as Arrow (an empty table as no bytes at all), each whole, at once. */
export async function takeImage(engine: ArrowEngine, tables: readonly string[] = IMAGE_TABLES): Promise<ImagePart[]> {
  const parts: ImagePart[] = [];
  for (const table of tables) parts.push(await takeImagePiecewise(engine, table, (job) => job(), () => true, Infinity));
  return parts;
}

/** Rows of a table exported at a time when the worker saves a workspace's ledger (~0.15 s in
 *  duckdb-wasm for the invoices, against 2 s for the whole 0.9M-row table). */
export const IMAGE_PIECE_ROWS = 65_536;

/**
 * One table's image taken a slice of rows at a time, each by `step` (the worker runs each as a
 * background job, so that a request of the user's waits for one slice, not for a whole table);
 * `unchanged` is asked as each starts: a ledger changed in between gives up (throws); `pieceRows`
 * Infinity takes the table whole. The slices are read in the table's order (DuckDB keeps the
 * insertion order; the facts are sorted by date).
 */
export async function takeImagePiecewise(
  engine: ArrowEngine,
  table: string,
  step: <T>(job: () => Promise<T>) => Promise<T>,
  unchanged: () => boolean,
  pieceRows = IMAGE_PIECE_ROWS,
): Promise<ImagePart> {
  if (!(IMAGE_TABLES as readonly string[]).includes(table)) throw new RangeError(`${table} is not a ledger table`);
  const check = () => {
    if (!unchanged()) throw new Error(`the ledger changed while its ${table} were being saved`);
  };
  const [{ n }] = await step(() => {
    check();
    return engine.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table}`);
  });
  const pieces: Uint8Array[] = [];
  // (a table of at most `pieceRows` rows is one piece, read without LIMIT)
  const slice = (at: number) => (n <= pieceRows ? `SELECT * FROM ${table}` : `SELECT * FROM ${table} LIMIT ${pieceRows} OFFSET ${at}`);
  for (let at = 0; at < n; at += pieceRows) {
    pieces.push(
      await step(() => {
        check();
        return engine.exportArrow(slice(at));
      }),
    );
  }
  return { table, rows: n, bytes: n ? ipcConcat(pieces) : new Uint8Array(0) };
}

export class ImageMismatch extends Error {}

type LoadPart = Omit<ImagePart, 'bytes'> & { bytes: Uint8Array | (() => Promise<Uint8Array>) };

/** How many record batches (DuckDB writes 2,048 rows each) a late table is appended at a time: one
 *  chunk of 131k rows took 0.1–0.2 s in duckdb-wasm (Node), a whole 0.9M-row table 0.8–1.2 s. */
const BATCHES_PER_CHUNK = 64;

/** The late tables of an image, appended a chunk at a time by `next`. */
export interface LateLoad {
  /** Appends the next chunk; false once every late table is in (or a chunk failed before). A table
   *  whose rows do not add up to its saved count empties the ledger and throws ImageMismatch. */
  next(): Promise<boolean>;
  /** Resolves when `next` has its bytes (read from disk): then it only appends. (A failed read resolves
   *  too: `next` reports it.) */
  ready(): Promise<void>;
}

/**
 * Replaces the ledger with an image. Every table must be there with its row count: otherwise the
 * ledger is emptied again and ImageMismatch says why (the caller imports the sources instead).
 */
export async function loadImage(engine: ArrowEngine, parts: LoadPart[]): Promise<void> {
  const late = await loadImageEarly(engine, parts);
  while (await late.next());
}

/**
 * Loads an image in two parts: this loads every table but LATE_TABLES (the facts included, so that
 * the overview answers); the late tables are appended by the LateLoad it returns, a chunk at a time
 * (the worker lets the user's early requests in between).
 */
export async function loadImageEarly(engine: ArrowEngine, parts: LoadPart[], batchesPerChunk = BATCHES_PER_CHUNK): Promise<LateLoad> {
  const missing = IMAGE_TABLES.find((table) => !parts.some((p) => p.table === table));
  if (missing) {
    await clearLedger(engine);
    throw new ImageMismatch(`the saved ledger has no ${missing} table`);
  }
  const { early, late } = loadOrder(parts);
  // early first, then late: each table read from disk while the one before it is appended
  const read = reader([...early, ...late]);
  await withAutomaticCheckpoints(engine, async () => {
    await clearLedger(engine);
    await failing(engine, async () => {
      for (const [i, part] of early.entries()) {
        await append(engine, part, await read.take(i));
        await checkCount(engine, part);
      }
    });
  });
  await ledgerRestored(engine, IMAGE_FACT_TABLES);

  let table = 0;
  let chunker: ReturnType<typeof ipcChunker> | null = null;
  let chunk = 0;
  let failed = false;
  return {
    ready: async () => {
      if (!failed && !chunker && table < late.length) await read.peek(early.length + table).catch(() => {});
    },
    async next() {
      if (failed || table >= late.length) return false;
      const part = late[table];
      try {
        // (not under DuckDB's automatic checkpoints, as the first part is: each chunk's commit would
        // checkpoint, 0.4–1.2 s a chunk instead of 0.1 s at 0.9M invoices in duckdb-wasm)
        await failing(engine, async () => {
          chunker ??= ipcChunker(await read.take(early.length + table), batchesPerChunk);
          if (chunk < chunker.count) await append(engine, part, chunker.chunk(chunk++));
          if (chunk >= chunker.count) {
            await checkCount(engine, part);
            chunker = null;
            chunk = 0;
            table++;
          }
        });
      } catch (e) {
        failed = true;
        throw e;
      }
      return table < late.length;
    },
  };
}

/** An image's tables in the order they are loaded: the first part (what the overview reads), then the late tables. */
export function loadOrder<P extends { table: string }>(parts: readonly P[]): { early: P[]; late: P[] } {
  const ordered = IMAGE_TABLES.map((table) => parts.find((p) => p.table === table)).filter((p): p is P => p !== undefined);
  const isLate = (p: P) => LATE_TABLES.includes(p.table as (typeof LATE_TABLES)[number]);
  return { early: ordered.filter((p) => !isLate(p)), late: ordered.filter(isLate) };
}

/** How much of an image's first part is read from disk while the engine starts (the tables in their
 *  load order, whole, within this many bytes: the first part of a 0.9M-invoice ledger is ~310 MB). */
export const READ_AHEAD_BYTES = 256 * 1024 * 1024;

/** The tables of the first part read ahead (READ_AHEAD_BYTES), by `read`: the same promise is taken
 *  once by the load that follows (`take`), or dropped. */
export function readAhead<P extends { table: string; size: number }>(parts: readonly P[], read: (part: P) => Promise<Uint8Array>) {
  const ahead = new Map<string, { size: number; bytes: Promise<Uint8Array> }>();
  let budget = READ_AHEAD_BYTES;
  for (const p of loadOrder(parts).early) {
    if (p.size > budget) break;
    budget -= p.size;
    const bytes = read(p);
    bytes.catch(() => {}); // (a failed read is the load's to report, or nobody's)
    ahead.set(p.table, { size: p.size, bytes });
  }
  return {
    /** The bytes read ahead for this table, if they were of a file of this size. */
    take(table: string, size: number): Promise<Uint8Array> | null {
      const a = ahead.get(table);
      ahead.delete(table);
      return a && a.size === size ? a.bytes : null;
    },
    get tables(): string[] {
      return [...ahead.keys()];
    },
  };
}

/** Reads the parts' bytes in order, one ahead of the one taken (the whole image need not be held at
 *  once): in the browser a file is read while DuckDB's own worker appends the table before. */
function reader(parts: LoadPart[]): { peek: (i: number) => Promise<Uint8Array>; take: (i: number) => Promise<Uint8Array> } {
  const pending = new Map<number, Promise<Uint8Array>>();
  const start = (i: number) => {
    const part = parts[i];
    if (!part || pending.has(i)) return;
    const bytes = !part.rows ? Promise.resolve(new Uint8Array(0)) : typeof part.bytes === 'function' ? part.bytes() : Promise.resolve(part.bytes);
    bytes.catch(() => {}); // (a failed read is reported when it is awaited, in its turn)
    pending.set(i, bytes);
  };
  const peek = (i: number) => {
    start(i);
    return pending.get(i)!;
  };
  return {
    peek,
    take(i) {
      const bytes = peek(i);
      start(i + 1);
      pending.delete(i);
      return bytes;
    },
  };
}

async function append(engine: ArrowEngine, part: LoadPart, bytes: Uint8Array): Promise<void> {
  // (an emptied ledger still has its summary's row: the one of an empty ledger)
  if (part.table === 'ledger_summary_facts') await engine.exec('DELETE FROM ledger_summary_facts');
  if (part.rows) await engine.appendArrow(part.table, bytes);
}

async function checkCount(engine: ArrowEngine, part: LoadPart): Promise<void> {
  const [{ n }] = await engine.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${part.table}`);
  if (n !== part.rows) throw new ImageMismatch(`${part.table}: ${n} rows read back, ${part.rows} saved`);
}

/** Any failure while loading leaves the ledger empty and is reported as ImageMismatch. */
async function failing(engine: ArrowEngine, load: () => Promise<void>): Promise<void> {
  try {
    await load();
  } catch (e) {
    await clearLedger(engine);
    throw e instanceof ImageMismatch ? e : new ImageMismatch(e instanceof Error ? e.message : String(e));
  }
}
