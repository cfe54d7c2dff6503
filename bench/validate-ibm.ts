/**
 * Validation on public data (not a test: the clone has no ../shared). Imports IBM's Watson Analytics
 * "Accounts Receivable" sample — an invoice list with settled dates — through the product importer on
 * duckdb-wasm, and checks it against the facts of its PROVENANCE.md and against its own columns:
 *   2,466 invoices, total 147,703.18; DaysToSettle = settled − invoice date and DaysLate =
 *   max(0, settled − due) on every row; the M/D/YYYY copy and the DD/MM/YYYY copy give the same KPIs.
 *   npx tsx --import ./src/cli/raw-loader.mjs bench/validate-ibm.ts [../shared/data/ibm-accounts-receivable]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap } from '../src/lib/engine/bootstrap';
import { openWasmNodeEngine } from '../src/lib/engine/hosts/wasm-node';
import { importFiles } from '../src/lib/importers/import';
import { kpiReport, resolveRequest } from '../src/lib/kpi/report';

const dir = process.argv[2] ?? '../shared/data/ibm-accounts-receivable';
const files = ['WA_Fn-UseC_-Accounts-Receivable.csv', 'WA_Fn-UseC_-Accounts-Receivable.dmy-variant.csv'];
let failures = 0;
const check = (what: string, ok: boolean, detail = '') => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? `: ${detail}` : ''}`);
  if (!ok) failures++;
};

const reports = [];
for (const name of files) {
  const engine = await openWasmNodeEngine();
  await bootstrap(engine);
  const bytes = new Uint8Array(readFileSync(join(dir, name)));
  const result = await importFiles(engine, [{ name, bytes }], { defaultCurrency: 'USD' });
  const f = result.files[0];
  check(`${name}: recognised as an invoice list`, f.detected?.layout === 'invoices', `${f.detected?.date_format}`);
  check(`${name}: 2,466 rows imported, none rejected`, f.rows_imported === 2466 && f.rows_rejected === 0, `${f.rows_imported}/${f.rows_rejected}`);
  check(`${name}: total 147,703.18`, f.amount_imported === 147703.18, String(f.amount_imported));
  // Compare our dates with the file's own DaysToSettle / DaysLate columns, row by row.
  await engine.exec(`CREATE TABLE raw AS SELECT * FROM read_csv('${name}', all_varchar = true)`).catch(async () => {
    await engine.registerFile(name, bytes);
    await engine.exec(`CREATE TABLE raw AS SELECT * FROM read_csv('${name}', all_varchar = true)`);
  });
  const [m] = await engine.query<{ bad_settle: number; bad_late: number; payments: number }>(`
    SELECT count(*) FILTER (WHERE p.payment_date - i.invoice_date <> r.DaysToSettle::INTEGER) AS bad_settle,
           count(*) FILTER (WHERE greatest(0, p.payment_date - i.due_date) <> r.DaysLate::INTEGER) AS bad_late,
           count(p.payment_id) AS payments
    FROM raw r
    JOIN invoices i ON ltrim(i.invoice_id, '0') = ltrim(r.invoiceNumber, '0')
    LEFT JOIN payments p ON p.invoice_id = i.invoice_id`);
  check(`${name}: every invoice settled by one derived payment`, m.payments === 2466, String(m.payments));
  check(`${name}: settled − invoice date = DaysToSettle on every row`, m.bad_settle === 0, String(m.bad_settle));
  check(`${name}: max(0, settled − due) = DaysLate on every row`, m.bad_late === 0, String(m.bad_late));
  const asOf = await resolveRequest(engine, { as_of: '2013-06-30' });
  reports.push(await kpiReport(engine, asOf!));
}
// (numbers equal to 1e-9 relative: the rows come in another order, so DOUBLE sums differ in the 15th digit)
const differ = (a: unknown, b: unknown): string[] => {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)) ? [] : [`${a} ≠ ${b}`];
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => differ((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]).map((d) => `${k}: ${d}`));
};
const diffs = differ(reports[0], reports[1]);
check('both copies give identical KPIs as of 2013-06-30', diffs.length === 0, diffs.length ? diffs.slice(0, 8).join('; ') : JSON.stringify(reports[0].kpis));
process.exit(failures ? 1 : 0);
