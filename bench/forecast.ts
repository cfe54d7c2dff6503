/**
 * The forecast's speed on a large ledger (targets: forecast of 100k open items on 1M invoices of
 * history ≤ 3 s in the browser; the 12-origin backtest ≤ 20 s in the browser and ≤ 8 s in the CLI).
 *   npx tsx --import ./src/cli/raw-loader.mjs bench/forecast.ts [--dir bench/out/1000000] [--engine native|wasm] [--backtest] [--threads N]
 * Native DuckDB runs on one thread unless --threads says otherwise (the CLI uses every core). The
 * summary is timed twice: from nothing, then with what the forecast learns at that date learned
 * ahead (prepareModel, as the worker does while the user reads another page).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bootstrap } from '../src/lib/engine/bootstrap';
import { importFiles } from '../src/lib/importers/import';
import { backtest, defaultOrigins } from '../src/lib/kpi/backtest';
import { runQuery } from '../src/lib/kpi/queries';
import { resolveRequest } from '../src/lib/kpi/report';
import { FORECAST_TABLES, prepareModel } from '../src/lib/kpi/forecast';

const { values } = parseArgs({ options: { dir: { type: 'string', default: join('bench', 'out', '1000000') }, engine: { type: 'string', default: 'native' }, backtest: { type: 'boolean', default: false }, threads: { type: 'string', default: '1' } } });

async function main() {
  const engine = values.engine === 'wasm'
    ? await (await import('../src/lib/engine/hosts/wasm-node')).openWasmNodeEngine()
    : await (await import('../src/lib/engine/hosts/native')).openNativeEngine();
  await bootstrap(engine);
  if (engine.host === 'native') await engine.exec(`SET threads = ${Number(values.threads)}`);
  const files = readdirSync(values.dir!).filter((f) => f.endsWith('.csv') && f !== 'fx_rates.csv');
  await importFiles(engine, files.map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(values.dir!, f))) })), { maxBytes: { csv: Infinity } });
  const r = (await resolveRequest(engine, {}))!;
  const [s] = await runQuery(engine, 'ledger_summary', {});
  await runQuery(engine, 'balances', r); // the open items at D, as the page has them
  const t = performance.now();
  const [sum] = await runQuery(engine, 'forecast_summary', r);
  const t1 = performance.now();
  await runQuery(engine, 'forecast_buckets', r);
  const t2 = performance.now();
  // the same with what the forecast learns at that date learned ahead (as the worker does once a
  // ledger is in): the learning, then the summary
  for (const table of FORECAST_TABLES) await engine.exec(`DELETE FROM ${table}`);
  const l0 = performance.now();
  await prepareModel(engine, r.as_of);
  const l1 = performance.now();
  await runQuery(engine, 'forecast_summary', r);
  const l2 = performance.now();
  console.log(`${engine.host}${engine.host === 'native' ? ` (${values.threads} thread(s))` : ''}, ${s.invoices} invoices, ${sum.items} open items as of ${r.as_of}: summary ${Math.round(t1 - t)} ms, weekly/monthly buckets ${Math.round(t2 - t1)} ms; learned ahead ${Math.round(l1 - l0)} ms, then the summary ${Math.round(l2 - l1)} ms`);
  if (values.backtest) {
    const origins = await defaultOrigins(engine);
    const b0 = performance.now();
    const b = await backtest(engine, { currency: r.currency, origins });
    console.log(`backtest: ${origins.length} origins, ${b.items} items, ${Math.round(performance.now() - b0)} ms; MAE ${b.mae_days?.toFixed(1)} vs customer mean ${b.baselines.customer_mean.mae_days?.toFixed(1)}, WAPE ${b.wape_weekly?.toFixed(2)} vs ${b.baselines.customer_mean.wape_weekly?.toFixed(2)}, coverage ${b.coverage_p10_p90?.toFixed(2)}`);
  }
}
main();
