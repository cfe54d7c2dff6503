/** The CLI, run as a user runs it, on native DuckDB: same figures as the hand-worked ledger. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parquetOf, SAME_LEDGER, workbook } from '../support/same-ledger';
import { FIXTURES } from './support/engine';
import { packWorkspace, type Manifest } from '../../src/lib/workspace/format';
import { defaultSettings } from '../../src/lib/settings/workspace-settings';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const hand = (f: string) => join(FIXTURES, 'hand', f);

async function kpi(...args: string[]) {
  try {
    const { stdout, stderr } = await run('node', ['--import', 'tsx', '--import', './src/cli/raw-loader.mjs', 'src/cli/kpi.ts', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('npm run kpi on every format, natively (read_parquet, workbook sheets, FEC)', () => {
  it('gives the same-ledger figures from a FEC, a workbook sheet pair and Parquet files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'encours-cli-'));
    writeFileSync(join(dir, 'balance.xlsx'), workbook());
    writeFileSync(join(dir, 'invoices.parquet'), parquetOf('invoices.csv'));
    writeFileSync(join(dir, 'payments.parquet'), parquetOf('payments.csv'));
    const figures = (out: string) => {
      const k = JSON.parse(out).kpis;
      return [k.outstanding, k.overdue, k.unapplied_cash, k.sales];
    };
    const fec = await kpi(join(SAME_LEDGER, '123456789FEC20241231.txt'), '--as-of', '2024-03-31', '--json');
    expect(fec.code).toBe(0);
    expect(figures(fec.stdout)).toEqual([3800, 2000, 500, 7200]);
    const parquet = await kpi(join(dir, 'invoices.parquet'), join(dir, 'payments.parquet'), '--as-of', '2024-03-31', '--json');
    expect(figures(parquet.stdout)).toEqual([3800, 2000, 500, 7200]);
    // the invoices sheet is found by itself; --sheet reads the payments one
    const sheet = await kpi(join(dir, 'balance.xlsx'), '--as-of', '2024-03-31', '--json');
    expect(sheet.code).toBe(0);
    expect(sheet.stderr).toContain('balance.xlsx: invoices, 5 rows read, 5 imported, 0 rejected');
    const payments = await kpi(join(dir, 'balance.xlsx'), '--sheet', 'Règlements', '--json');
    expect(payments.stderr).toContain('balance.xlsx: payments, 4 rows read');
  });
});

describe('npm run kpi --workspace', () => {
  it('reads a workspace exported from the app: its files, and its settings (here, 15-day buckets)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'encours-cli-'));
    const names = ['customers', 'credit_limits', 'invoices', 'payments', 'disputes', 'promises', 'actions'].map((f) => `${f}.csv`);
    const blobs = names.map((n) => new Blob([readFileSync(hand(n))]));
    const settings = { ...defaultSettings(), aging_bounds: [15, 30, 45, 60] };
    const manifest = { name: 'Client A', created: '2026-11-22', updated: '2026-11-22', settings, files: names.map((name, i) => ({ blob: `f${i}`, name, size: blobs[i].size, options: {} })) } as unknown as Manifest;
    const path = join(dir, 'client-a.encours');
    writeFileSync(path, new Uint8Array(await (await packWorkspace(manifest, blobs)).arrayBuffer()));
    const r = await kpi('--workspace', path, '--as-of', '2024-03-31', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.kpis.outstanding).toBe(6600);
    expect(out.aging.map((a: { bucket: string }) => a.bucket)).toEqual(['not_due', '1-15', '16-30', '31-45', '46-60', '>60']);
    const bad = await kpi('--workspace', hand('invoices.csv'), '--json');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('not an exported Encours workspace');
  });
});

describe('npm run kpi', () => {
  it('prints the stable JSON shape with the hand-worked figures', async () => {
    const { code, stdout, stderr } = await kpi(hand('customers.csv'), hand('invoices.csv'), hand('payments.csv'), '--as-of', '2024-03-31', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['as_of', 'period_days', 'currency', 'kpis', 'aging', 'top_late']);
    expect(out).toMatchObject({ as_of: '2024-03-31', period_days: 90, currency: 'EUR' });
    expect(out.kpis).toMatchObject({ outstanding: 6600, overdue: 2900, not_due: 3700, sales: 7000 });
    expect(out.kpis.pct_overdue).toBeCloseTo(43.939393939, 6);
    expect(out.kpis.dso).toBeCloseTo(84.857142857, 6);
    expect(out.aging).toEqual([
      { bucket: 'not_due', amount: 3700 },
      { bucket: '1-30', amount: -200 },
      { bucket: '31-60', amount: 2000 },
      { bucket: '61-90', amount: 600 },
      { bucket: '91-120', amount: 0 },
      { bucket: '>120', amount: 500 },
    ]);
    expect(stderr).toContain('invoices.csv: invoices, 8 rows read, 8 imported, 0 rejected');
  });

  it('defaults the as-of date to the latest movement and honours --period-days', async () => {
    const { stdout } = await kpi(hand('invoices.csv'), '--period-days', '30', '--json');
    const out = JSON.parse(stdout);
    // latest date = I7's invoice date 2024-04-05; no payments loaded: everything invoiced is open.
    // sales in (2024-03-06, 2024-04-05] = I4 3000 − CN1 200 + I6 700 + I7 999 = 4499
    expect(out).toMatchObject({ as_of: '2024-04-05', period_days: 30 });
    expect(out.kpis).toMatchObject({ outstanding: 9499, sales: 4499 });
    expect(out.kpis.dso).toBeCloseTo((9499 / 4499) * 30, 9);
  });

  it('asks for --date-format on ambiguous dates, and fails with exit 2 on bad arguments', async () => {
    const ambiguous = await kpi(hand('ambiguous-dates.csv'), '--json');
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('--date-format');
    // As of 2024-02-10: day-first puts A1 on 1 Feb and A2 on 5 Feb (both exist: 300);
    // month-first puts A1 on 2 Jan and A2 on 2 May (only A1 exists: 100).
    const asOf = ['--as-of', '2024-02-10', '--json'];
    expect(JSON.parse((await kpi(hand('ambiguous-dates.csv'), '--date-format', 'dmy', ...asOf)).stdout).kpis.outstanding).toBe(300);
    expect(JSON.parse((await kpi(hand('ambiguous-dates.csv'), '--date-format', 'mdy', ...asOf)).stdout).kpis.outstanding).toBe(100);
    expect((await kpi('--as-of', '31/01/2024', hand('invoices.csv'))).code).toBe(2);
    expect((await kpi()).code).toBe(2);
  });

  it('adds the 24-point monthly series with --series', async () => {
    const { stdout } = await kpi(hand('invoices.csv'), hand('payments.csv'), '--as-of', '2024-03-31', '--series', '--json');
    const out = JSON.parse(stdout);
    expect(out.series).toHaveLength(24);
    // 2024-02-29, worked by hand in kpi-catalogue.test.ts: 4600 open, 3100 overdue, DSO 92
    expect(out.series[22]).toMatchObject({ date: '2024-02-29', outstanding: 4600, overdue: 3100, dso: 92 });
    expect(out.series[23]).toMatchObject({ date: '2024-03-31', outstanding: 6600 });
  });

  it('explains a file it cannot read and exits 1', async () => {
    const { code, stderr } = await kpi(hand('missing-columns.csv'));
    expect(code).toBe(1);
    expect(stderr).toContain('Columns not recognised. Found: customer, montant');
  });
});
