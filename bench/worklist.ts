/**
 * Today's worklist on a ledger with about 100k open items (target of the workspaces issue: ≤ 500 ms).
 * The ledger: the demo generator's 400k invoices over 6 months (seed 42), so that ~100k are open at
 * its last date. Times the worklist cold (the open items at D built first) and warm (a second
 * request at the same date, as when an action is marked done and the list is asked again), on
 * duckdb-wasm (the browser's engine, Node build) and native DuckDB.
 *   npx tsx --import ./src/cli/raw-loader.mjs bench/worklist.ts [--engines wasm,native] [--runs 5]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bootstrap, forgetRequests } from '../src/lib/engine/bootstrap';
import { openNativeEngine } from '../src/lib/engine/hosts/native';
import { openWasmNodeEngine } from '../src/lib/engine/hosts/wasm-node';
import type { SqlEngine } from '../src/lib/engine/sql-engine';
import { importFiles } from '../src/lib/importers/import';
import { runQuery } from '../src/lib/kpi/queries';
import { writeDemo } from '../scripts/gen-demo';
import { DEFAULT_DEMO } from '../src/lib/demo/generator';

const { values } = parseArgs({ options: { engines: { type: 'string', default: 'wasm,native' }, runs: { type: 'string', default: '5' } } });
const DIR = join('bench', 'out', 'worklist-400k');
if (!existsSync(join(DIR, 'invoices.csv'))) writeDemo(DIR, { ...DEFAULT_DEMO, invoices: 400_000, months: 6 });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function run(name: string, engine: SqlEngine) {
  await bootstrap(engine);
  if (engine.host === 'native') await engine.exec('SET threads = 1');
  await importFiles(engine, readdirSync(DIR).filter((f) => f.endsWith('.csv')).map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(DIR, f))) })));
  const [{ latest_date }] = await runQuery(engine, 'ledger_summary', {});
  const scope = { as_of: latest_date!, period_days: 90, currency: 'EUR' };
  const [{ n }] = await engine.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM open_items_at(?::DATE, ?::DATE) WHERE open_amount > 0`, [scope.as_of, scope.as_of]);
  const cold: number[] = [];
  const warm: number[] = [];
  let rows = 0;
  for (let i = 0; i < Number(values.runs); i++) {
    await forgetRequests(engine);
    let t = performance.now();
    rows = (await runQuery(engine, 'worklist', scope)).length;
    cold.push(performance.now() - t);
    t = performance.now();
    await runQuery(engine, 'worklist', scope);
    warm.push(performance.now() - t);
  }
  console.log(`| ${name} | ${n} | ${rows} | ${Math.round(median(cold))} | ${Math.round(median(warm))} |`);
}

console.log(`ledger: ${DIR}`);
console.log('| engine | open items at D | customers to act on | worklist cold, ms | worklist warm, ms |');
console.log('|---|---:|---:|---:|---:|');
for (const e of values.engines!.split(',')) await run(e === 'native' ? 'native, 1 thread' : 'duckdb-wasm (Node)', e === 'native' ? await openNativeEngine() : await openWasmNodeEngine());
