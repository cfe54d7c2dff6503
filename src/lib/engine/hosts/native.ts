import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type { SqlEngine, SqlValue } from '../sql-engine';
import { isoDate } from '../sql-engine';

/**
 * Native DuckDB (@duckdb/node-api 1.4.3, the engine inside duckdb-wasm 1.32) for the CLI and
 * benchmarks. Native builds carry Parquet/JSON/ICU; the wasm one does not, which is why the unit
 * tests run the SQL on wasm too.
 */
export async function openNativeEngine(): Promise<SqlEngine> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  const dir = mkdtempSync(join(tmpdir(), 'encours-'));
  const files = new Map<string, string>();
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return {
    host: 'native',
    async exec(sql) {
      await conn.run(sql);
    },
    async query<T extends object>(sql: string, params: readonly SqlValue[] = []) {
      const reader = await conn.runAndReadAll(sql, params.length ? (params as DuckDBValue[]) : undefined);
      const types = reader.columnTypes().map(String);
      const names = reader.columnNames();
      return reader.getRowsJS().map((cells) => {
        const row: Record<string, SqlValue> = {};
        cells.forEach((v, i) => (row[names[i]] = nativeCell(v, types[i])));
        return row as T;
      });
    },
    async registerFile(name, bytes) {
      const path = join(dir, `${files.size}-${name.replace(/[^\w.-]/g, '_')}`);
      writeFileSync(path, bytes);
      files.set(name, path);
      return path;
    },
    async loadParquet(table, bytes) {
      const path = join(dir, `${files.size}-${table}.parquet`);
      writeFileSync(path, bytes);
      try {
        await conn.run(`CREATE TEMP TABLE ${table} AS SELECT * FROM read_parquet('${path.replace(/'/g, "''")}')`);
      } finally {
        rmSync(path, { force: true });
      }
    },
    async dropFile(name) {
      const path = files.get(name);
      if (path) rmSync(path, { force: true });
      files.delete(name);
    },
    async cancel() {
      conn.interrupt();
    },
  };
}

function nativeCell(v: unknown, type: string): SqlValue {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return type === 'DATE' ? isoDate(v.getTime()) : v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return String(v);
}
