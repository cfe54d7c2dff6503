/**
 * duckdb-wasm in the browser, from the app's own files: the `eh` bundle (exceptions + SIMD) where
 * the browser has it, `mvp` otherwise; never a CDN. Extensions are neither fetched nor installed:
 * everything Encours needs (CSV reading, core functions) is built in.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import { Table, type RecordBatch } from 'apache-arrow';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { arrowToRows, fileToStream } from '../arrow-rows';
import { statementCache } from '../statement-cache';
import { CancelledError, type SqlEngine, type SqlValue } from '../sql-engine';
import { executeStatement, prepareStatement, splitStatements } from '../sql-statements';

/** parquet-wasm (5 MB of wasm), fetched from the app's origin the first time a Parquet file comes. */
let parquetModule: Promise<typeof import('parquet-wasm/esm')> | null = null;
function parquetWasm(): Promise<typeof import('parquet-wasm/esm')> {
  parquetModule ??= (async () => {
    const mod = await import('parquet-wasm/esm');
    await mod.default({ module_or_path: parquetWasmUrl });
    return mod;
  })();
  return parquetModule;
}

export interface BrowserEngine extends SqlEngine {
  version: string;
  bundle: 'eh' | 'mvp';
  /**
   * Runs `work` with its statements stoppable: cancel() then stops the one in flight (rolled back;
   * or, between two, the next), which throws CancelledError. Outside, statements run to their end
   * and cancel() does nothing.
   */
  stoppable<T>(work: () => Promise<T>): Promise<T>;
}

let preparedNames = 0;

export async function openBrowserEngine(): Promise<BrowserEngine> {
  const bundles: duckdb.DuckDBBundles = {
    mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
    eh: { mainModule: ehWasm, mainWorker: ehWorker },
  };
  const bundle = await duckdb.selectBundle(bundles);
  const worker = new Worker(bundle.mainWorker!);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  await db.open({ path: ':memory:' });
  const conn = await db.connect();
  const origin = self.location.origin;
  await conn.query(
    `SET autoinstall_known_extensions = false; SET autoload_known_extensions = false;
     SET custom_extension_repository = '${origin.replace(/'/g, "''")}/extensions';`,
  );
  const [{ v }] = arrowToRows<{ v: string }>(await conn.query('SELECT version() AS v'));
  const statements = statementCache((sql) => conn.prepare(sql));
  // Stoppable statements are DuckDB's pending queries (conn.send): duckdb-wasm runs them 100 ms at
  // a time and takes a cancel in between. A prepared statement run with bound values runs whole, so
  // theirs are kept by name (PREPARE) and run as EXECUTE with the values written as literals.
  let stoppable = false;
  let stopped = false;
  const named = statementCache(async (sql) => {
    const name = `enc_stoppable_${++preparedNames}`;
    await conn.query(prepareStatement(name, sql));
    return { name, close: () => conn.query(`DEALLOCATE ${name}`).catch(() => {}) };
  });
  // (a stop fails one statement, the one in flight or else the next: the work's own error handling,
  // a ROLLBACK, still runs)
  const stop = () => {
    stopped = false;
    return new CancelledError();
  };
  const send = async (sql: string): Promise<Table> => {
    if (stopped) throw stop();
    try {
      const reader = await conn.send(sql);
      const batches: RecordBatch[] = [];
      for await (const batch of reader) batches.push(batch);
      return new Table(batches);
    } catch (err) {
      if (stopped) throw stop();
      throw err;
    }
  };
  return {
    host: 'wasm-browser',
    version: v,
    bundle: bundle.mainModule === ehWasm ? 'eh' : 'mvp',
    async exec(sql) {
      if (!stoppable) return void (await conn.query(sql));
      // (a pending query is one statement)
      for (const statement of splitStatements(sql)) await send(statement);
    },
    async query<T extends object>(sql: string, params: readonly SqlValue[] = []) {
      if (stoppable) {
        if (params.length === 0) return arrowToRows<T>(await send(sql));
        return named.use(sql, async ({ name }) => arrowToRows<T>(await send(executeStatement(name, params))));
      }
      if (params.length === 0) return arrowToRows<T>(await conn.query(sql));
      return statements.use(sql, async (stmt) => arrowToRows<T>(await stmt.query(...params)));
    },
    async registerFile(name, bytes) {
      await db.registerFileBuffer(name, bytes);
      return name;
    },
    async loadParquet(table, bytes) {
      const parquet = await parquetWasm();
      await conn.insertArrowFromIPCStream(parquet.readParquet(bytes).intoIPCStream(), { name: table, create: true });
    },
    async dropFile(name) {
      await db.dropFile(name);
    },
    async exportArrow(sql) {
      return fileToStream(await conn.useUnsafe((bindings, id) => bindings.runQuery(id, sql)));
    },
    async appendArrow(table, bytes) {
      // the bytes come from exportArrow of a table of the same definition: appended as they are
      await conn.insertArrowFromIPCStream(bytes, { name: table, create: false });
    },
    async cancel() {
      if (!stoppable) return;
      stopped = true;
      await conn.cancelSent();
    },
    async stoppable(work) {
      stoppable = true;
      stopped = false;
      try {
        return await work();
      } finally {
        stoppable = false;
        stopped = false;
      }
    },
  };
}
