/**
 * The one seam between Encours' SQL and a DuckDB engine. Three hosts implement it:
 * the browser worker (duckdb-wasm, async), the unit tests (duckdb-wasm's Node build, so what
 * passes there runs in the browser) and the CLI (native DuckDB, same engine version).
 * Everything above it — importers, KPI queries — is host-agnostic.
 */
export type SqlValue = string | number | boolean | null;
export type Row = Record<string, SqlValue>;

export interface SqlEngine {
  /** Runs a statement (or several separated by `;`) and discards the result. */
  exec(sql: string): Promise<void>;
  /** Runs one statement with positional `?` parameters; rows come back as plain JS values:
   *  DATE as 'YYYY-MM-DD', DECIMAL/BIGINT/HUGEINT as number, TIMESTAMP as ISO text. */
  query<T extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Makes `bytes` readable by read_csv under the returned name. */
  registerFile(name: string, bytes: Uint8Array): Promise<string>;
  dropFile(name: string): Promise<void>;
  /** Creates `table` from a Parquet file's bytes (natively with read_parquet; in wasm, which has no
   *  Parquet offline, decoded by parquet-wasm and inserted as Arrow). */
  loadParquet(table: string, bytes: Uint8Array): Promise<void>;
  /** Interrupts the statement in flight, if the host can. */
  cancel(): Promise<void>;
  /** The wasm hosts (the browser keeps a workspace's ledger as Arrow): a query's result as Arrow
   *  IPC stream bytes, and such bytes appended to an existing table, columns in order. */
  exportArrow?(sql: string): Promise<Uint8Array>;
  appendArrow?(table: string, bytes: Uint8Array): Promise<void>;
  readonly host: 'wasm-browser' | 'wasm-node' | 'native';
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

const DAY_MS = 86_400_000;

/** Plain JS value of an Arrow cell, given its Arrow type id name. Shared by both wasm hosts. */
export function arrowCell(value: unknown, typeName: string, scale: number): SqlValue {
  if (value === null || value === undefined) return null;
  if (typeName.startsWith('Date')) return isoDate(Number(value));
  if (typeName.startsWith('Timestamp')) return new Date(Number(value)).toISOString();
  if (typeName.startsWith('Decimal')) return decimalToNumber(value as Uint32Array, scale);
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

export function isoDate(epochMs: number): string {
  return new Date(Math.round(epochMs / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** Arrow DECIMAL cells arrive as little-endian 32-bit words of a two's-complement integer. */
function decimalToNumber(words: Uint32Array, scale: number): number {
  let big = 0n;
  for (let i = words.length - 1; i >= 0; i--) big = (big << 32n) | BigInt(words[i]);
  const bits = BigInt(words.length * 32);
  if (words.length && words[words.length - 1] & 0x80000000) big -= 1n << bits;
  return Number(big) / 10 ** scale;
}
