import { createRequire } from 'node:module';
import type { DuckDBBindings, DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { arrowToRows, fileToStream } from '../arrow-rows';
import { statementCache } from '../statement-cache';
import type { SqlEngine, SqlValue } from '../sql-engine';

const require = createRequire(import.meta.url);

/**
 * duckdb-wasm's Node build: the same engine (v1.4.3) and the same missing extensions as the
 * browser, so SQL that passes the unit tests here also runs in the worker.
 */
export async function openWasmNodeEngine(): Promise<SqlEngine> {
  const duckdb = require('@duckdb/duckdb-wasm/blocking') as typeof import('@duckdb/duckdb-wasm/blocking');
  const bundles = {
    mvp: { mainModule: require.resolve('@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm'), mainWorker: '' },
    eh: { mainModule: require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'), mainWorker: '' },
  };
  const db: DuckDBBindings = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate(() => {});
  const conn: DuckDBConnection = db.connect();
  const statements = statementCache((sql) => conn.prepare(sql));
  return {
    host: 'wasm-node',
    async exec(sql) {
      conn.query(sql);
    },
    async query<T extends object>(sql: string, params: readonly SqlValue[] = []) {
      if (params.length === 0) return arrowToRows<T>(conn.query(sql));
      return statements.use(sql, (stmt) => arrowToRows<T>(stmt.query(...params)));
    },
    async registerFile(name, bytes) {
      db.registerFileBuffer(name, bytes);
      return name;
    },
    async loadParquet(table, bytes) {
      const parquet = require('parquet-wasm/node') as typeof import('parquet-wasm/node');
      conn.insertArrowFromIPCStream(parquet.readParquet(bytes).intoIPCStream(), { name: table, create: true });
    },
    async dropFile(name) {
      db.dropFile(name);
    },
    async exportArrow(sql) {
      return fileToStream(conn.useUnsafe((bindings, id) => bindings.runQuery(id, sql)));
    },
    async appendArrow(table, bytes) {
      // the bytes come from exportArrow of a table of the same definition: appended as they are
      conn.insertArrowFromIPCStream(bytes, { name: table, create: false });
    },
    async cancel() {
      // The blocking build runs each statement to completion on this thread.
    },
  };
}
