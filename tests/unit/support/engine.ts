import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap } from '../../../src/lib/engine/bootstrap';
import { openWasmNodeEngine } from '../../../src/lib/engine/hosts/wasm-node';
import type { SqlEngine } from '../../../src/lib/engine/sql-engine';
import type { ImportSource } from '../../../src/lib/importers/import';
import { csvLine, DEFAULT_DEMO, DEMO_TABLES, generateDemoLedger, type DemoTable } from '../../../src/lib/demo/generator';

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

/** The app's demo ledger as the CSV files `npm run demo` writes, made in memory (a clone has no
 *  static/demo before its first build). */
export function demoSources(): ImportSource[] {
  const lines = new Map<DemoTable, string[]>((Object.keys(DEMO_TABLES) as DemoTable[]).map((t) => [t, [DEMO_TABLES[t].join(',')]]));
  generateDemoLedger(DEFAULT_DEMO, (table, row) => lines.get(table)!.push(csvLine(row)));
  return [...lines].map(([table, rows]) => ({ name: `${table}.csv`, bytes: new TextEncoder().encode(rows.join('\n') + '\n') }));
}
