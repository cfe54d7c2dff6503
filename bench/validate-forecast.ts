/**
 * The forecast's backtest on ledgers that are not ours to tune on: IBM's public accounts-receivable
 * sample (in ../shared/data, not in the repository; see its PROVENANCE.md) at the month-ends of 2013
 * (the model's one constant, the prior weight, was set on the 2012 origins), and the generated demo
 * ledger (seed 42), whose customers have known payment habits. Prints the table for the README.
 *   npx tsx --import ./src/cli/raw-loader.mjs bench/validate-forecast.ts [ibm-dir] [demo-dir]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap } from '../src/lib/engine/bootstrap';
import { openNativeEngine } from '../src/lib/engine/hosts/native';
import { importFiles } from '../src/lib/importers/import';
import { backtest, defaultOrigins, monthEnds, type BacktestResult } from '../src/lib/kpi/backtest';

const ibmDir = process.argv[2] ?? join('..', 'shared', 'data', 'ibm-accounts-receivable');
const demoDir = process.argv[3] ?? join('build', 'demo');

async function run(label: string, files: string[], origins: (e: Awaited<ReturnType<typeof openNativeEngine>>) => Promise<string[]>): Promise<[string, BacktestResult, number]> {
  const engine = await openNativeEngine();
  await bootstrap(engine);
  await importFiles(engine, files.map((f) => ({ name: f.split('/').pop()!, bytes: new Uint8Array(readFileSync(f)) })), { maxBytes: { csv: Infinity } });
  const t = performance.now();
  const r = await backtest(engine, { currency: 'EUR', origins: await origins(engine) });
  return [label, r, performance.now() - t];
}

async function main() {
  const rows: [string, BacktestResult, number][] = [];
  const ibm = join(ibmDir, 'WA_Fn-UseC_-Accounts-Receivable.csv');
  if (existsSync(ibm)) {
    rows.push(await run('IBM sample, origins 2012-04 … 2012-12 (tuning)', [ibm], async () => monthEnds('2012-04-30', '2012-12-31')));
    rows.push(await run('IBM sample, origins 2013-01 … 2013-10 (target)', [ibm], async () => monthEnds('2013-01-31', '2013-10-31')));
  } else console.error(`IBM sample not found in ${ibmDir}: skipped`);
  const demo = ['customers', 'invoices', 'payments', 'disputes', 'promises'].map((f) => join(demoDir, `${f}.csv`)).filter(existsSync);
  if (demo.length) rows.push(await run(`demo ledger (${readdirSync(demoDir).length} files, seed 42), last 12 month-ends`, demo, defaultOrigins));
  const f = (x: number | null, d = 2) => (x === null ? '—' : x.toFixed(d));
  const lines = [
    '| ledger | method | MAE days | bias days | within 7 d | weekly WAPE | P10–P90 coverage |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const [label, r, ms] of rows) {
    lines.push(`| ${label}, ${r.items} items, ${Math.round(ms)} ms | forecast | ${f(r.mae_days, 1)} | ${f(r.bias_days, 1)} | ${f(r.within_7d)} | ${f(r.wape_weekly)} | ${f(r.coverage_p10_p90)} |`);
    lines.push(`| | due date | ${f(r.baselines.due_date.mae_days, 1)} | ${f(r.baselines.due_date.bias_days, 1)} | ${f(r.baselines.due_date.within_7d)} | ${f(r.baselines.due_date.wape_weekly)} | |`);
    lines.push(`| | customer mean | ${f(r.baselines.customer_mean.mae_days, 1)} | ${f(r.baselines.customer_mean.bias_days, 1)} | ${f(r.baselines.customer_mean.within_7d)} | ${f(r.baselines.customer_mean.wape_weekly)} | |`);
  }
  // the targets are relative to the customer-mean baseline: the changes, unrounded
  const change = (a: number | null, b: number | null) => (a === null || !b ? '—' : `${(100 * (a / b - 1)).toFixed(1)} %`);
  for (const [label, r] of rows) {
    lines.push(`\n${label}: against the customer mean, MAE ${change(r.mae_days, r.baselines.customer_mean.mae_days)} (${f(r.mae_days, 3)} vs ${f(r.baselines.customer_mean.mae_days, 3)}), weekly WAPE ${change(r.wape_weekly, r.baselines.customer_mean.wape_weekly)} (${f(r.wape_weekly, 4)} vs ${f(r.baselines.customer_mean.wape_weekly, 4)})`);
  }
  console.log(lines.join('\n'));
}
main();
