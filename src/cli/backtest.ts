/**
 * The forecast's backtest on a ledger, from the command line (same importers and SQL as the app).
 *   npm run --silent backtest -- <files...> [--from YYYY-MM-DD --to YYYY-MM-DD] [--currency CODE] [--json]
 * Origins: the month-ends between --from and --to; by default the last 12 that leave 13 weeks of
 * known future and have 90 days of history. Exit codes: 0 ok, 1 nothing to backtest, 2 bad arguments.
 */
import { bootstrap } from '../lib/engine/bootstrap';
import { openNativeEngine } from '../lib/engine/hosts/native';
import { DATE_FORMATS } from '../lib/importers/dates';
import { backtest, defaultOrigins, monthEnds, type BacktestMetrics } from '../lib/kpi/backtest';
import { runQuery } from '../lib/kpi/queries';
import { importForCli, parseCli, readingOptions, UsageError } from './load';

const USAGE = `usage: npm run --silent backtest -- <files...> [--from YYYY-MM-DD --to YYYY-MM-DD] [--currency CODE] [--json]
                     [--date-format ${DATE_FORMATS.join('|')}] [--default-currency CODE] [--terms DAYS]`;

export async function main(argv: string[]): Promise<number> {
  const args = parseCli(argv, { from: { type: 'string' }, to: { type: 'string' }, currency: { type: 'string' }, json: { type: 'boolean', default: false } }, USAGE);
  if (typeof args === 'number') return args;
  const v = args.values;
  const iso = /^\d{4}-\d{2}-\d{2}$/;
  let reading;
  try {
    if (args.positionals.length === 0) throw new UsageError('no input file');
    if ((v.from && !iso.test(v.from)) || (v.to && !iso.test(v.to))) throw new UsageError('--from and --to take YYYY-MM-DD');
    if (Boolean(v.from) !== Boolean(v.to)) throw new UsageError('--from and --to go together');
    reading = readingOptions(v);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n${USAGE}`);
    return 2;
  }

  const engine = await openNativeEngine();
  await bootstrap(engine);
  const result = await importForCli(engine, args.positionals, { lang: 'en', ...reading });
  if (result.status === 'needs_input') {
    console.error('Dates are ambiguous: pass --date-format dmy or --date-format mdy.');
    return 1;
  }
  const currencies = await runQuery(engine, 'ledger_currencies', {});
  const currency = (v.currency ?? currencies[0]?.currency ?? 'EUR').toUpperCase();
  const origins = v.from && v.to ? monthEnds(v.from, v.to) : await defaultOrigins(engine);
  if (origins.length === 0) {
    console.error('No origin to backtest: the ledger needs 90 days of history and 13 weeks after an origin.');
    return 1;
  }
  const r = await backtest(engine, { currency, origins, onOrigin: (o) => !v.json && console.error(`origin ${o}`) });
  const { origin_dates, ...out } = r;
  if (v.json) {
    console.log(JSON.stringify(out));
    return 0;
  }
  const f = (x: number | null, d = 2) => (x === null ? '—' : x.toFixed(d));
  const row = (name: string, m: BacktestMetrics, coverage?: number | null) =>
    `  ${name.padEnd(16)}${f(m.mae_days, 1).padStart(10)}${f(m.bias_days, 1).padStart(10)}${f(m.within_7d).padStart(12)}${f(m.wape_weekly).padStart(14)}${(coverage === undefined ? '' : f(coverage)).padStart(12)}`;
  console.log(
    [
      `Backtest of the payment forecast: ${r.origins} origins (${origin_dates[0]} … ${origin_dates[origin_dates.length - 1]}), ${r.items} items paid after their origin, ${currency}`,
      `  ${'method'.padEnd(16)}${'MAE days'.padStart(10)}${'bias'.padStart(10)}${'within 7 d'.padStart(12)}${'weekly WAPE'.padStart(14)}${'P10–P90'.padStart(12)}`,
      row('forecast', r, r.coverage_p10_p90),
      row('due date', r.baselines.due_date),
      row('customer mean', r.baselines.customer_mean),
    ].join('\n'),
  );
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
