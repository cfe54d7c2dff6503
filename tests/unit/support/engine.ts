import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap } from '../../../src/lib/engine/bootstrap';
import { openWasmNodeEngine } from '../../../src/lib/engine/hosts/wasm-node';
import type { SqlEngine } from '../../../src/lib/engine/sql-engine';
import type { ImportSource } from '../../../src/lib/importers/import';

/** A fresh duckdb-wasm engine (the browser's engine, Node build) with the schema and macros. */
export async function freshEngine(): Promise<SqlEngine> {
  const engine = await openWasmNodeEngine();
  await bootstrap(engine);
  return engine;
}

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

export function fixture(...path: string[]): ImportSource {
  const name = path[path.length - 1];
  return { name, bytes: new Uint8Array(readFileSync(join(FIXTURES, ...path))) };
}
