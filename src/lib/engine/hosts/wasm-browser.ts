/**
 * duckdb-wasm in the browser, from the app's own files: the `eh` bundle (exceptions + SIMD) where
 * the browser has it, `mvp` otherwise; never a CDN. Extensions are neither fetched nor installed:
 * everything Encours needs (CSV reading, core functions) is built in.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { arrowToRows, fileToStream } from '../arrow-rows';
import { statementCache } from '../statement-cache';
import type { SqlEngine, SqlValue } from '../sql-engine';

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
}

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
  return {
    host: 'wasm-browser',
    version: v,
    bundle: bundle.mainModule === ehWasm ? 'eh' : 'mvp',
    async exec(sql) {
      await conn.query(sql);
    },
    async query<T extends object>(sql: string, params: readonly SqlValue[] = []) {
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
      await conn.cancelSent();
    },
  };
}
