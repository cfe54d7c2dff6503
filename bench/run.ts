/**
 * Speed and memory of the import and the KPI queries, at several ledger sizes, on the engines
 * Encours runs on. Figures go in the README; nothing here is a test.
 *   npm run bench -- [--sizes 10000,100000,1000000] [--engines native,wasm,browser] [--runs 5]
 * Ledgers come from the demo generator (seed 42), written once to bench/out/<size>/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bootstrap, forgetRequests } from '../src/lib/engine/bootstrap';
import { openNativeEngine } from '../src/lib/engine/hosts/native';
import { openWasmNodeEngine } from '../src/lib/engine/hosts/wasm-node';
import type { SqlEngine } from '../src/lib/engine/sql-engine';
import { importFiles } from '../src/lib/importers/import';
import { runQuery } from '../src/lib/kpi/queries';
import { kpiReport, resolveRequest } from '../src/lib/kpi/report';
import { writeDemo } from '../scripts/gen-demo';
import { DEFAULT_DEMO } from '../src/lib/demo/generator';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    engines: { type: 'string', default: 'native,wasm,browser' },
    runs: { type: 'string', default: '5' },
    one: { type: 'string' },
  },
});
const sizes = values.sizes!.split(',').map(Number);
const engines = values.engines!.split(',');
const runs = Number(values.runs);

interface Row {
  engine: string;
  invoices: number;
  csv_mb: number;
  start_ms: number;
  import_ms: number;
  overview_ms: number;
  aging_ms: number;
  aging_by_customer_ms: number;
  /** every scalar family + ageing + top 20 late, one as-of date, open-item snapshots built cold */
  catalogue_ms: number;
  /** the 24-point monthly series */
  series_ms: number;
  /** one re-slice at the same date: the balances of one entity (snapshots warm) */
  reslice_ms: number;
  rss_mb: number;
}

// Peak resident memory of this (child) process, from the OS: the blocking wasm engine holds the
// event loop, so sampling with a timer would miss its peak.
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

function ledger(size: number): { dir: string; invoices: number; bytes: number } {
  const dir = join('bench', 'out', String(size));
  let invoices: number;
  if (!existsSync(join(dir, 'invoices.csv'))) {
    const t = performance.now();
    invoices = writeDemo(dir, { ...DEFAULT_DEMO, invoices: size }).invoices;
    console.error(`generated ${invoices} invoices in ${Math.round(performance.now() - t)} ms → ${dir}`);
  } else {
    invoices = readFileSync(join(dir, 'invoices.csv'), 'utf8').split('\n').length - 2;
  }
  const bytes = readdirSync(dir).reduce((s, f) => s + readFileSync(join(dir, f)).length, 0);
  return { dir, invoices, bytes };
}

async function median(f: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function benchNode(engineName: string, open: () => Promise<SqlEngine>, size: number): Promise<Row> {
  const { dir, invoices, bytes } = ledger(size);
  let t = performance.now();
  const engine = await open();
  await bootstrap(engine);
  const start = performance.now() - t;
  const sources = readdirSync(dir).map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) }));
  t = performance.now();
  const result = await importFiles(engine, sources);
  const importMs = performance.now() - t;
  if (result.status !== 'done' || result.files.some((f) => f.rows_rejected > 0)) throw new Error(`import did not go cleanly: ${JSON.stringify(result.files)}`);
  const req = (await resolveRequest(engine, {}))!;
  const row: Row = {
    engine: engineName,
    invoices,
    csv_mb: bytes / 1e6,
    start_ms: start,
    import_ms: importMs,
    overview_ms: await median(() => runQuery(engine, 'overview', req)),
    aging_ms: await median(() => runQuery(engine, 'aging', req)),
    aging_by_customer_ms: await median(() => runQuery(engine, 'aging_by', { ...req, by: 'customer', limit: 50 })),
    catalogue_ms: NaN,
    series_ms: NaN,
    reslice_ms: NaN,
    rss_mb: NaN,
  };
  // The catalogue's target is stated for one thread (the browser has one).
  if (engine.host === 'native') await engine.exec('SET threads = 1');
  // Cold: the open-item snapshots are rebuilt each time, as after an import or a change of date.
  row.catalogue_ms = await median(async () => {
    await forgetRequests(engine);
    await kpiReport(engine, req);
  });
  row.series_ms = await median(() => runQuery(engine, 'series', req));
  row.reslice_ms = await median(() => runQuery(engine, 'balances', { ...req, dim: 'entity', val: 'FR01' }));
  row.rss_mb = peakRssMb();
  return row;
}

async function benchBrowser(size: number): Promise<Row> {
  const { dropFiles, openApp } = await import('../tests/e2e/support/browser');
  const { dir, invoices, bytes } = ledger(size);
  const app = await openApp();
  try {
    const page = app.page;
    let t = performance.now();
    await page.goto(`${app.origin}/`);
    await page.locator('[data-engine-status="ready"]').waitFor({ timeout: 60_000 });
    const start = performance.now() - t;
    t = performance.now();
    await dropFiles(page, readdirSync(dir).map((f) => join(dir, f)), 600_000);
    const importMs = performance.now() - t;
    t = performance.now();
    await page.locator('header nav a').nth(1).click();
    await page.locator('[data-kpi="dso"]').waitFor({ timeout: 120_000 });
    const dashboard = performance.now() - t;
    return {
      engine: 'browser (Chromium, eh)',
      invoices,
      csv_mb: bytes / 1e6,
      start_ms: start,
      import_ms: importMs,
      // the overview page's whole dashboard query (overview + ageing + top 50 customers) through the worker
      overview_ms: dashboard,
      aging_ms: NaN,
      aging_by_customer_ms: NaN,
      catalogue_ms: NaN,
      series_ms: NaN,
      reslice_ms: NaN,
      // Chromium gives no per-tab figure that includes the workers' wasm heaps without
      // cross-origin isolation; see STACK-NOTES for a measured renderer peak.
      rss_mb: NaN,
    };
  } finally {
    await app.close();
  }
}

async function benchOne(e: string, size: number): Promise<Row> {
  if (e === 'native') return benchNode('native 1.4.3', openNativeEngine, size);
  if (e === 'wasm') return benchNode('wasm 1.32 (Node)', openWasmNodeEngine, size);
  if (e === 'browser') return benchBrowser(size);
  throw new Error(`unknown engine ${e}`);
}

if (values.one) {
  // A child run: one engine, one size, in a fresh process so that its peak memory is its own.
  const [e, size] = values.one.split(':');
  ledger(Number(size));
  const row = await benchOne(e, Number(size));
  process.stdout.write(JSON.stringify(row));
  process.exit(0);
}

const rows: Row[] = [];
for (const size of sizes) {
  ledger(size);
  for (const e of engines) {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--one', `${e}:${size}`, '--runs', String(runs)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    });
    if (child.status === 0) {
      rows.push(JSON.parse(child.stdout));
      console.error(child.stdout);
    } else console.error(`${e} @ ${size}: failed (exit ${child.status})`);
  }
}
const fmt = (x: number | null) => (x === null || Number.isNaN(x) ? '–' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const table = [
  '| engine | invoices | CSV MB (7 files) | engine start ms | import ms | overview ms | ageing ms | ageing by customer ms | full catalogue ms | 24-month series ms | re-slice ms | peak memory MB |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.engine} | ${r.invoices.toLocaleString('en-US')} | ${fmt(r.csv_mb)} | ${fmt(r.start_ms)} | ${fmt(r.import_ms)} | ${fmt(r.overview_ms)} | ${fmt(r.aging_ms)} | ${fmt(r.aging_by_customer_ms)} | ${fmt(r.catalogue_ms)} | ${fmt(r.series_ms)} | ${fmt(r.reslice_ms)} | ${fmt(r.rss_mb)} |`),
].join('\n');
writeFileSync(join('bench', 'out', 'results.json'), JSON.stringify(rows, null, 2));
console.log(table);
process.exit(0);
