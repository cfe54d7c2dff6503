/**
 * Import speed by format, on files generated from the demo ledger (seed 42), each engine in its own
 * process. Figures go in the README; nothing here is a test.
 *   npx tsx --import ./src/cli/raw-loader.mjs bench/import-formats.ts [--rows 1000000] [--fec-lines 2000000]
 *        [--xlsx-rows 1000000] [--only fr,fec,xlsx,too-large] [--engines native,wasm,browser] [--repeat N]
 *
 *  --repeat N  each engine N times, the engines taking turns (this 2-core machine drifts by ±15 %
 *              over minutes: turns expose them alike); the table gives the medians and the range
 *
 *  fr         the invoice list in French conventions (';', dd/mm/yyyy, "1 234,56", Windows-1252)
 *  fec        a FEC of sales and bank entries with lettrage, the given number of lines
 *  xlsx       the invoice list as a workbook (browser: also the longest main-thread stall while it
 *             loads, i.e. whether the UI froze)
 *  too-large  a CSV over the browser's limit, dropped in the browser: the message, and the app
 *             still usable after it
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import * as XLSX from '@e965/xlsx';
import { bootstrap } from '../src/lib/engine/bootstrap';
import { openNativeEngine } from '../src/lib/engine/hosts/native';
import { openWasmNodeEngine } from '../src/lib/engine/hosts/wasm-node';
import type { SqlEngine } from '../src/lib/engine/sql-engine';
import { importFiles } from '../src/lib/importers/import';
import { writeDemo } from '../scripts/gen-demo';
import { DEFAULT_DEMO } from '../src/lib/demo/generator';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    'fec-lines': { type: 'string', default: '2000000' },
    'xlsx-rows': { type: 'string', default: '1000000' },
    only: { type: 'string', default: 'fr,fec,xlsx,too-large' },
    engines: { type: 'string', default: 'native,wasm,browser' },
    one: { type: 'string' },
    repeat: { type: 'string', default: '1' },
  },
});
const OUT = join('bench', 'out', 'formats');
mkdirSync(OUT, { recursive: true });

interface Result {
  format: string;
  engine: string;
  file_mb: number;
  rows: number;
  import_ms: number;
  /** browser only: the worker's own time, from reading the file to the ledger ready (the rest of
   *  import_ms is the page: the drop, the progress, the report and the overview drawn after) */
  worker_ms?: number;
  /** browser only: longest gap between two main-thread ticks while importing */
  longest_stall_ms?: number;
  note?: string;
}

async function lines(path: string, each: (cells: string[]) => void): Promise<void> {
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let first = true;
  for await (const line of rl) {
    if (first) {
      first = false;
      continue;
    }
    if (line) each(line.split(','));
  }
}

function source(): string {
  const dir = join('bench', 'out', values.rows!);
  if (!existsSync(join(dir, 'invoices.csv'))) writeDemo(dir, { ...DEFAULT_DEMO, invoices: Number(values.rows) });
  return dir;
}

const frAmount = (s: string) => {
  const [int, dec = '00'] = s.replace('-', '').split('.');
  return (s.startsWith('-') ? '-' : '') + int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0') + ',' + dec.padEnd(2, '0');
};
const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const fecDate = (iso: string) => iso.replaceAll('-', '');

/** Latin-1 bytes of a string whose characters are all ≤ U+00FF (the invoice list is: no € in it). */
function latin1(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

async function makeFrench(): Promise<string> {
  const path = join(OUT, 'factures-fr.csv');
  if (existsSync(path)) return path;
  const fd = openSync(path, 'w');
  writeSync(fd, latin1('N° facture;Code client;Date facture;Date d\'échéance;Montant TTC;Devise;Type\r\n'));
  let buf: string[] = [];
  await lines(join(source(), 'invoices.csv'), (c) => {
    buf.push(`${c[0]};${c[1]};${frDate(c[2])};${frDate(c[3])};${frAmount(c[4])};${c[5]};${c[6] === 'credit_note' ? 'Avoir' : 'Facture'}\r\n`);
    if (buf.length === 50_000) {
      writeSync(fd, latin1(buf.join('')));
      buf = [];
    }
  });
  writeSync(fd, latin1(buf.join('')));
  closeSync(fd);
  return path;
}

async function makeFec(target: number): Promise<string> {
  const path = join(OUT, `123456789FEC${target}.txt`);
  if (existsSync(path)) return path;
  const dir = source();
  const invoices = new Map<string, { customer: string; date: string; amount: string }>();
  const letters = new Map<string, string>();
  const out: string[] = ['JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise'];
  let n = 0;
  let letter = 0;
  const line = (j: string, e: number, d: string, acc: string, aux: string, piece: string, deb: string, cred: string, lt = '', dl = '') =>
    out.push([j, j === 'VE' ? 'Ventes' : 'Banque', e, fecDate(d), acc, acc.startsWith('411') ? 'Clients' : acc.startsWith('512') ? 'Banque' : acc.startsWith('706') ? 'Prestations' : 'TVA collectée', aux, aux, piece, fecDate(d), piece, deb, cred, lt, dl, fecDate(d), '', ''].join('\t'));
  const comma = (x: number) => x.toFixed(2).replace('.', ',');
  // invoices first (sales journal), then their payments (bank journal), until the target is reached
  await lines(join(dir, 'invoices.csv'), (c) => {
    if (out.length + 3 > target * 0.6) return;
    const amount = Number(c[4]);
    invoices.set(c[0], { customer: c[1], date: c[2], amount: c[4] });
    const ht = Math.round((Math.abs(amount) / 1.2) * 100) / 100;
    const tva = Math.round((Math.abs(amount) - ht) * 100) / 100;
    n++;
    if (amount >= 0) {
      line('VE', n, c[2], '41100000', c[1], c[0], comma(amount), '0,00');
      line('VE', n, c[2], '70600000', '', c[0], '0,00', comma(ht));
      line('VE', n, c[2], '44571000', '', c[0], '0,00', comma(tva));
    } else {
      line('VE', n, c[2], '41100000', c[1], c[0], '0,00', comma(-amount));
      line('VE', n, c[2], '70600000', '', c[0], comma(ht), '0,00');
      line('VE', n, c[2], '44571000', '', c[0], comma(tva), '0,00');
    }
  });
  const paid: string[][] = [];
  await lines(join(dir, 'payments.csv'), (c) => {
    if (c[2] && invoices.has(c[2])) paid.push(c);
  });
  for (const c of paid) {
    if (out.length + 2 > target) break;
    const inv = invoices.get(c[2])!;
    let code = letters.get(c[2]);
    if (!code) {
      code = (++letter).toString(36).toUpperCase();
      letters.set(c[2], code);
    }
    n++;
    const amount = Number(c[4]);
    line('BQ', n, c[3], '41100000', inv.customer, c[0], '0,00', comma(amount), code, fecDate(c[3]));
    line('BQ', n, c[3], '51200000', '', c[0], comma(amount), '0,00');
  }
  // letter the invoices that got a code (rewrite their 411 line)
  const text = out
    .map((l, i) => {
      if (i === 0) return l;
      const f = l.split('\t');
      if (f[0] === 'VE' && f[4] === '41100000' && letters.has(f[8])) {
        f[13] = letters.get(f[8])!;
        f[14] = f[3];
      }
      return f.join('\t');
    })
    .join('\r\n');
  writeFileSync(path, latin1(text + '\r\n'));
  return path;
}

async function makeXlsx(rows: number): Promise<string> {
  const path = join(OUT, `factures-${rows}.xlsx`);
  if (existsSync(path)) return path;
  const data: (string | number | Date)[][] = [['Invoice', 'Customer', 'Invoice date', 'Due date', 'Amount', 'Currency', 'Type']];
  await lines(join(source(), 'invoices.csv'), (c) => {
    if (data.length > rows) return;
    data.push([c[0], c[1], new Date(`${c[2]}T00:00:00Z`), new Date(`${c[3]}T00:00:00Z`), Number(c[4]), c[5], c[6]]);
  });
  const ws = XLSX.utils.aoa_to_sheet(data, { cellDates: true, dateNF: 'yyyy-mm-dd' });
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Factures');
  writeFileSync(path, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }));
  return path;
}

async function runNode(engineName: 'native' | 'wasm', format: string, path: string): Promise<Result> {
  const engine: SqlEngine = engineName === 'native' ? await openNativeEngine() : await openWasmNodeEngine();
  await bootstrap(engine);
  if (engine.host === 'native') await engine.exec('SET threads = 1');
  const bytes = new Uint8Array(readFileSync(path));
  const t = performance.now();
  const result = await importFiles(engine, [{ name: path.split('/').pop()!, bytes }], { maxBytes: { csv: Infinity, spreadsheet: Infinity, parquet: Infinity } });
  const ms = performance.now() - t;
  const f = result.files[0];
  if (f.status !== 'imported') throw new Error(`${format} ${engineName}: ${JSON.stringify(f.error)}`);
  return { format, engine: engineName === 'native' ? 'native 1.4.3, 1 thread' : 'wasm 1.32 (Node)', file_mb: bytes.length / 1e6, rows: f.rows_read, import_ms: ms };
}

async function runBrowser(format: string, path: string): Promise<Result> {
  const { dropFiles, openApp } = await import('../tests/e2e/support/browser');
  const app = await openApp();
  try {
    const page = app.page;
    await page.goto(`${app.origin}/`);
    await page.locator('[data-engine-status="ready"]').waitFor({ timeout: 60_000 });
    // main-thread ticks: a stall is the longest gap between two of them
    await page.evaluate(() => {
      const w = window as unknown as { __stall: number; __last: number };
      w.__stall = 0;
      w.__last = performance.now();
      setInterval(() => {
        const now = performance.now();
        w.__stall = Math.max(w.__stall, now - w.__last);
        w.__last = now;
      }, 10);
    });
    const t = performance.now();
    await dropFiles(page, [path], 900_000);
    const ms = performance.now() - t;
    const workerMs = Number((await page.locator('[data-elapsed-ms]').first().getAttribute('data-elapsed-ms').catch(() => null)) ?? NaN);
    const stall = await page.evaluate(() => (window as unknown as { __stall: number }).__stall);
    const file = page.locator(`[data-testid="import-report"] [data-file]`).first();
    const status = await file.getAttribute('data-status');
    const rows = Number((await file.locator('[data-count="rows_read"]').textContent().catch(() => '0'))?.replace(/\D/g, '') || 0);
    const note = status === 'imported' ? undefined : (await file.locator('[data-testid="import-error"]').textContent()) ?? status ?? '';
    if (format === 'too-large') {
      // still usable: a small file goes through afterwards
      await page.setInputFiles('[data-testid="file-input"]', [join('tests', 'fixtures', 'hand', 'invoices.csv')]);
      await page.locator('[data-testid="import-report"] [data-file="invoices.csv"][data-status="imported"]').waitFor({ timeout: 60_000 });
    }
    return { format, engine: 'browser (Chromium, eh)', file_mb: statSync(path).size / 1e6, rows, import_ms: ms, worker_ms: Number.isNaN(workerMs) ? undefined : workerMs, longest_stall_ms: stall, note };
  } finally {
    await app.close();
  }
}

async function file(format: string): Promise<string> {
  if (format === 'fr') return makeFrench();
  if (format === 'fec') return makeFec(Number(values['fec-lines']));
  if (format === 'xlsx') return makeXlsx(Number(values['xlsx-rows']));
  if (format === 'too-large') {
    const path = join(OUT, 'too-large.csv');
    if (!existsSync(path)) {
      const fd = openSync(path, 'w');
      const row = 'invoice_id,customer_id,invoice_date,amount\n';
      writeSync(fd, row);
      const chunk = Buffer.from('X0000000000,C00001,2024-01-10,1234.56\n'.repeat(100_000));
      for (let written = 0; written < 1_250_000_000; written += chunk.length) writeSync(fd, chunk);
      closeSync(fd);
    }
    return path;
  }
  throw new Error(`unknown format ${format}`);
}

if (values.one) {
  const [format, engine] = values.one.split(':');
  const path = await file(format);
  const r = engine === 'browser' ? await runBrowser(format, path) : await runNode(engine as 'native' | 'wasm', format, path);
  process.stdout.write(JSON.stringify(r));
  process.exit(0);
}

const runs = new Map<string, Result[]>();
const repeat = Math.max(1, Number(values.repeat));
for (const format of values.only!.split(',')) {
  await file(format);
  const engines = format === 'too-large' ? ['browser'] : values.engines!.split(',');
  for (let i = 0; i < repeat; i++)
    for (const e of engines) {
      const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--one', `${format}:${e}`, '--rows', values.rows!, '--fec-lines', values['fec-lines']!, '--xlsx-rows', values['xlsx-rows']!], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 20,
      });
      if (child.status === 0) {
        const r: Result = JSON.parse(child.stdout);
        runs.set(`${format}:${e}`, [...(runs.get(`${format}:${e}`) ?? []), r]);
        console.error(child.stdout);
      } else console.error(`${format} on ${e}: failed (exit ${child.status})`);
    }
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
/** the median, and the range when there were several runs */
const cell = (xs: (number | undefined)[]) => {
  const ok = xs.filter((x): x is number => x !== undefined && !Number.isNaN(x));
  if (!ok.length) return '–';
  return ok.length === 1 ? fmt(ok[0]) : `${fmt(median(ok))} (${fmt(Math.min(...ok))}–${fmt(Math.max(...ok))})`;
};
const results = [...runs.values()].map((rs) => ({ ...rs[0], import_ms: median(rs.map((r) => r.import_ms)), runs: rs }));
console.log(
  [
    `| format | engine | file MB | rows read | import ms${repeat > 1 ? ` (median of ${repeat}, range)` : ''} | of which worker ms | longest UI stall ms | note |`,
    '|---|---|---:|---:|---:|---:|---|',
    ...[...runs.values()].map((rs) => {
      const r = rs[0];
      return `| ${r.format} | ${r.engine} | ${fmt(r.file_mb)} | ${r.rows.toLocaleString('en-US')} | ${cell(rs.map((x) => x.import_ms))} | ${cell(rs.map((x) => x.worker_ms))} | ${cell(rs.map((x) => x.longest_stall_ms))} | ${r.note ?? ''} |`;
    }),
  ].join('\n'),
);
writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2));
process.exit(0);
