/**
 * What the command-line tools share: the user's files imported with the app's importers (the import
 * report on stderr, so that --json output stays clean), and the rejected rows written out.
 */
import { unpackWorkspace, replayedReading } from '../lib/workspace/format';
import { applySettings } from '../lib/kpi/settings';
import { withDefaults, type WorkspaceSettings } from '../lib/settings/workspace-settings';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { basename, resolve } from 'node:path';
import type { SqlEngine } from '../lib/engine/sql-engine';
import { DATE_FORMATS, type DateFormat } from '../lib/importers/dates';
import { describeControlTotal, describeError, describeReject, describeReportDate } from '../lib/importers/describe';
import { importFiles } from '../lib/importers/import';
import type { ImportResult, RejectRow } from '../lib/importers/report';
import { csvLine } from '../lib/demo/generator';
import { translate, type Lang } from '../lib/i18n/translate';
import type { MessageKey } from '../lib/i18n/en';

/** A wrong argument: said with the usage, exit code 2. */
export class UsageError extends Error {}

/** The options every command that reads files takes (how to read them) and its --help. */
const READING_OPTIONS = {
  'date-format': { type: 'string' },
  'default-currency': { type: 'string', default: 'EUR' },
  terms: { type: 'string', default: '30' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

/**
 * The arguments with the reading options and the command's own; an exit code instead when there is
 * nothing to run: 0 after --help, 2 after an argument node:util cannot parse (each said with the usage).
 */
export function parseCli<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], own: O, usage: string) {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { ...READING_OPTIONS, ...own } });
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    return 2;
  }
  if ((args.values as { help?: boolean }).help) {
    console.log(usage);
    return 0;
  }
  return args;
}

/** The reading options, checked (a UsageError says which one is wrong). */
export function readingOptions(v: { 'date-format'?: string; 'default-currency'?: string; terms?: string }): { dateFormat?: DateFormat; defaultCurrency: string; terms: number } {
  const dateFormat = v['date-format'];
  if (dateFormat && !DATE_FORMATS.includes(dateFormat as DateFormat)) throw new UsageError(`--date-format must be one of ${DATE_FORMATS.join(', ')}`);
  const terms = Number(v.terms ?? '30');
  if (!Number.isInteger(terms) || terms < 0) throw new UsageError('--terms must be a whole number of days');
  return { dateFormat: dateFormat as DateFormat | undefined, defaultCurrency: v['default-currency'] ?? 'EUR', terms };
}

/** `npm run` starts us in the package folder; paths are the user's, relative to where they typed. */
export function cliCwd(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

export async function importForCli(
  engine: SqlEngine,
  paths: string[],
  o: { lang: Lang; dateFormat?: DateFormat; sheet?: string; defaultCurrency: string; terms: number },
): Promise<ImportResult> {
  const sources = paths.map((path) => ({ name: basename(path), bytes: new Uint8Array(readFileSync(resolve(cliCwd(), path))) }));
  const dateFormats = o.dateFormat ? Object.fromEntries(sources.map((s) => [s.name, o.dateFormat!])) : undefined;
  const sheets = o.sheet ? Object.fromEntries(sources.map((s) => [s.name, o.sheet!])) : undefined;
  const result = await importFiles(engine, sources, {
    dateFormats,
    sheets,
    defaultCurrency: o.defaultCurrency,
    defaultTermsDays: o.terms,
    // no browser tab to protect here: native DuckDB takes what the machine can hold
    maxBytes: { csv: Infinity, spreadsheet: Infinity, parquet: Infinity },
  });
  printImport(o.lang, result);
  return result;
}

/**
 * An exported workspace (`.encours`, from the browser's Workspaces page): its settings applied, its
 * files imported the way they were in the browser (date format, sheet, mapping of each).
 */
export async function importWorkspaceForCli(engine: SqlEngine, path: string, o: { lang: Lang; defaultCurrency: string }): Promise<ImportResult> {
  const unpacked = await unpackWorkspace(new Blob([readFileSync(resolve(cliCwd(), path))]));
  if ('error' in unpacked) throw new Error(`${basename(path)}: ${unpacked.error === 'not_a_workspace' ? 'not an exported Encours workspace' : 'damaged or truncated'}`);
  const settings = withDefaults(unpacked.settings as Partial<WorkspaceSettings> | undefined);
  await applySettings(engine, settings);
  const sources = await Promise.all(unpacked.files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.bytes.arrayBuffer()) })));
  const result = await importFiles(engine, sources, {
    ...replayedReading(unpacked.files),
    defaultCurrency: o.defaultCurrency,
    defaultTermsDays: settings.default_terms_days,
    maxBytes: { csv: Infinity, spreadsheet: Infinity, parquet: Infinity },
  });
  printImport(o.lang, result);
  return result;
}

/** What was read, kept and rejected goes to stderr, so that --json output stays clean. */
function printImport(lang: Lang, result: ImportResult) {
  for (const f of result.files) {
    if (f.error) {
      console.error(`${f.file}: ${describeError(lang, f.error)}`);
      continue;
    }
    if (result.status !== 'done') {
      console.error(`${f.file}: ${f.detected?.layout}, not loaded (${result.status === 'cancelled' ? 'cancelled' : 'the whole drop waits for an answer'})`);
      continue;
    }
    const amounts = f.amount_read === null ? '' : `; amounts read ${f.amount_read}, imported ${f.amount_imported}, rejected ${f.amount_rejected}`;
    console.error(`${f.file}: ${f.detected?.layout}, ${f.rows_read} rows read, ${f.rows_imported} imported, ${f.rows_rejected} rejected${amounts}`);
    for (const [key, n] of Object.entries(f.detected?.notes ?? {})) console.error(`  note: ${key} (${n})`);
    if (f.detected?.report_date) console.error(`  ${describeReportDate(lang, f.detected.report_date)}`);
    for (const c of f.control_totals ?? []) {
      const d = describeControlTotal(lang, c);
      console.error(`  ${d.ok ? 'control total' : 'CONTROL TOTAL'}: ${d.text}`);
    }
    for (const [key, n] of Object.entries(f.warnings ?? {})) console.error(`  warning: ${key} (${n}): ${translate(lang, `reason.${key}` as MessageKey, { detail: '…' })}`);
    if (f.detected?.ignored.length) console.error(`  ${translate(lang, 'report.ignored', { columns: f.detected.ignored.join(', ') })}`);
  }
}

export async function writeRejects(engine: SqlEngine, path: string) {
  const rows = await engine.query<RejectRow & { kind: string }>(
    `SELECT 'rejected' AS kind, * FROM import_rejects UNION ALL SELECT 'warning', * FROM import_warnings ORDER BY file_name, line`,
  );
  const header = ['file', 'kind', 'row', 'line', 'column', 'value', 'reason', 'detail', 'explanation'];
  const lines = rows.map((r) => csvLine([r.file_name, r.kind, r.row_number, r.line, r.column_name, r.value, r.reason, r.detail, describeReject('en', r)]));
  writeFileSync(path, [header.join(','), ...lines].join('\n') + '\n');
  console.error(`${rows.filter((r) => r.kind === 'rejected').length} rejected cells and ${rows.filter((r) => r.kind === 'warning').length} warnings written to ${path}`);
}

