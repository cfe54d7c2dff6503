/**
 * Headless KPIs: the consultant's batch tool and the seam for KPI tests.
 *   npm run kpi -- <files...> [--as-of YYYY-MM-DD] [--period-days N] [--currency EUR] [--json]
 *                  [--date-format iso|dmy|mdy|...] [--default-currency EUR] [--terms 30] [--rejects out.csv] [--lang fr|en]
 * Same importers and KPI SQL as the browser, on native DuckDB 1.4.3 (the engine of duckdb-wasm 1.32).
 * Exit codes: 0 ok, 1 nothing could be imported or an answer is needed, 2 bad arguments.
 */
import { resolve } from 'node:path';
import { bootstrap } from '../lib/engine/bootstrap';
import { openNativeEngine } from '../lib/engine/hosts/native';
import type { SqlEngine } from '../lib/engine/sql-engine';
import { DATE_FORMATS } from '../lib/importers/dates';
import { cliCwd, importForCli, importWorkspaceForCli, parseCli, readingOptions, UsageError, writeRejects } from './load';
import { translate, type Lang } from '../lib/i18n/translate';
import { customerAging, kpiReport, resolveRequest, type KpiReport } from '../lib/kpi/report';
import { AGING_SLOTS, runQuery, type SeriesRow } from '../lib/kpi/queries';
import { setAgingBounds, validAgingBounds } from '../lib/kpi/settings';
import { OVERVIEW_CARDS, labelKey, type KpiUnit } from '../lib/ui/kpi-cards';

const USAGE = `usage: npm run kpi -- <files...> [--as-of YYYY-MM-DD] [--period-days N] [--currency CODE] [--json]
                     [--date-format ${DATE_FORMATS.join('|')}] [--default-currency CODE] [--terms DAYS]
                     [--rejects rejects.csv] [--lang fr|en] [--buckets 30,60,90,120] [--report-currency CODE] [--series]
                     [--sheet NAME (the sheet of a workbook to read)]
       npm run kpi -- --workspace client.encours [same options] (a workspace exported from the app: its files and settings)`;

export async function main(argv: string[]): Promise<number> {
  const args = parseCli(
    argv,
    {
      'as-of': { type: 'string' },
      'period-days': { type: 'string' },
      currency: { type: 'string' },
      json: { type: 'boolean', default: false },
      rejects: { type: 'string' },
      lang: { type: 'string', default: 'en' },
      buckets: { type: 'string' },
      'report-currency': { type: 'string' },
      series: { type: 'boolean', default: false },
      sheet: { type: 'string' },
      workspace: { type: 'string' },
    },
    USAGE,
  );
  if (typeof args === 'number') return args;
  const v = args.values;
  try {
    if (args.positionals.length === 0 && !v.workspace) throw new UsageError('no input file');
    const lang: Lang = v.lang === 'fr' ? 'fr' : 'en';
    const reading = readingOptions(v);
    const period = v['period-days'] === undefined ? undefined : Number(v['period-days']);
    if (period !== undefined && !(Number.isInteger(period) && period > 0)) throw new UsageError('--period-days must be a positive whole number');
    if (v['as-of'] && !/^\d{4}-\d{2}-\d{2}$/.test(v['as-of'])) throw new UsageError('--as-of must be YYYY-MM-DD');
    const bounds = v.buckets?.split(',').map(Number);
    if (bounds && !validAgingBounds(bounds)) throw new UsageError('--buckets takes four increasing whole numbers of days, e.g. 30,60,90,120');

    const engine = await openNativeEngine();
    await bootstrap(engine);
    if (bounds) await setAgingBounds(engine, bounds);
    const result = v.workspace
      ? await importWorkspaceForCli(engine, v.workspace, { lang, defaultCurrency: reading.defaultCurrency })
      : await importForCli(engine, args.positionals, { lang, ...reading, sheet: v.sheet });
    // --buckets wins over the workspace's own
    if (bounds && v.workspace) await setAgingBounds(engine, bounds);
    if (v.rejects) await writeRejects(engine, resolve(cliCwd(), v.rejects));
    if (result.status === 'needs_input') {
      console.error('Dates are ambiguous: pass --date-format dmy or --date-format mdy.');
      return 1;
    }
    if (!result.files.some((f) => f.status === 'imported' && f.rows_imported > 0)) {
      console.error('Nothing was imported.');
      return 1;
    }
    const reporting = v['report-currency'];
    if (reporting && !/^[A-Za-z]{3}$/.test(reporting)) throw new UsageError('--report-currency takes an ISO 4217 code');
    const request = await resolveRequest(engine, {
      as_of: v['as-of'],
      period_days: period,
      currency: reporting ?? v.currency,
      convert: Boolean(reporting),
    });
    if (!request) {
      console.error('The ledger has no invoices.');
      return 1;
    }
    const report = await kpiReport(engine, request);
    if (report.fx?.missing.length) console.error(`no exchange rate into ${report.currency} for ${report.fx.missing.join(', ')}: left out`);
    // --series: the 24 monthly points (D and the 23 month-ends before it) of the set-based series.
    const series = v.series ? await runQuery(engine, 'series', request) : undefined;
    if (v.json) console.log(JSON.stringify(series ? { ...report, series } : report));
    else {
      await printHuman(engine, report, request, lang);
      if (series) printSeries(series);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n${USAGE}`);
      return 2;
    }
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
}

async function printHuman(engine: SqlEngine, r: KpiReport, request: Parameters<typeof customerAging>[1], lang: Lang) {
  const money = (x: number | null) => (x === null ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
  const value = (unit: KpiUnit, x: number | null) =>
    x === null ? '—' : unit === 'money' ? money(x) : unit === 'pct' ? `${x.toFixed(1)} %` : `${x.toFixed(1)} d`;
  const others = request.currencies.filter((c) => c !== r.currency);
  const lines = [
    `As of ${r.as_of}, ${r.currency}, period ${r.period_days} days${others.length ? ` (other currencies: ${others.join(', ')}; use --currency)` : ''}`,
    '',
    ...OVERVIEW_CARDS.map((c) => `  ${translate(lang, labelKey(c.key)).padEnd(30)}${value(c.unit, r.kpis[c.key] as number | null).padStart(20)}`),
    ...(r.kpis.dso_countback_capped ? ['  (countback DSO capped at 36 months)'] : []),
    '',
    'Aged balance',
    ...r.aging.map((a) => `  ${a.bucket.padEnd(10)}${money(a.amount).padStart(22)}`),
    '',
    'Top late payers',
    ...r.top_late.map((t) => `  ${`${t.customer_id} ${t.customer_name === t.customer_id ? '' : t.customer_name}`.slice(0, 40).padEnd(42)}${money(t.overdue).padStart(16)}  ${(t.weighted_days_late ?? 0).toFixed(0).padStart(5)} d wtd  oldest ${t.oldest_days_overdue} d`),
    '',
    'Largest balances',
  ];
  const customers = await customerAging(engine, request, 20);
  lines.push(`  ${'customer'.padEnd(32)}${r.aging.map((a) => a.bucket.padStart(14)).join('')}${'total'.padStart(16)}`);
  for (const c of customers) {
    const name = `${c.customer_id} ${c.customer_name === c.customer_id ? '' : c.customer_name}`.slice(0, 31);
    lines.push(`  ${name.padEnd(32)}${AGING_SLOTS.map((b) => money(c[b]).padStart(14)).join('')}${money(c.total).padStart(16)}`);
  }
  console.log(lines.join('\n'));
}

function printSeries(series: SeriesRow[]) {
  const num = (x: number | null, d = 1) => (x === null ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
  const lines = ['', 'Monthly series', `  ${'date'.padEnd(12)}${'outstanding'.padStart(18)}${'overdue'.padStart(18)}${'dso'.padStart(8)}${'cei %'.padStart(8)}${'dbt'.padStart(8)}`];
  for (const p of series) {
    lines.push(`  ${p.date.padEnd(12)}${num(p.outstanding, 2).padStart(18)}${num(p.overdue, 2).padStart(18)}${num(p.dso).padStart(8)}${num(p.cei).padStart(8)}${num(p.dbt).padStart(8)}`);
  }
  console.log(lines.join('\n'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
