/**
 * Import: files in, canonical tables out, and a report that accounts for every row.
 *
 *  1. analyse every file: bytes → UTF-8 (bytes.ts), DuckDB's read_csv (all cells as text, malformed
 *     lines kept aside by store_rejects), layout from the header, date format and decimal mark
 *     from the cells. A file that cannot be read fails alone, with a reason; a file whose dates read
 *     both day-first and month-first waits for the user's answer (nothing is loaded meanwhile).
 *  2. load, in one transaction, in reference order (customers before invoices before payments):
 *     type each cell, list every failing cell as a rejection, insert the rest.
 * Cancelling rolls the transaction back: the ledger is as it was.
 */
import { clearLedger, ledgerChanged } from '../engine/bootstrap';
import { CancelledError, type SqlEngine } from '../engine/sql-engine';
import { nonRecordLines, prepareBytes, type NonRecordLines, sniffFormat, type Encoding, type FileFormat } from './bytes';
import { readWorkbook, sheetHeader, sheetToCsv } from './spreadsheet';
import { DATE_FORMAT_LABEL, detectDateFormat, detectDecimalComma, type DateFormat } from './dates';
import { FIELDS, normaliseHeader, type FieldKey, type FieldKind } from './fields';
import { applyMapping, detectLayout, headerSignature, mapHeaders, isMatch, type LayoutMatch, type LayoutMiss, type MappingChoice } from './detect-layout';
import { LAYOUTS, LOAD_ORDER, layoutOf, type LayoutKey, type LoadContext } from './layouts';
import { emptyReport, type ControlTotal, type Detected, type ImportError, type WarningReason, type FileReport, type ImportProgress, type ImportResult } from './report';
import { quoteIdent, quoteLiteral } from './sql-text';
import { CANONICAL_TABLES, IMPORT_LOG_TABLES } from '../model/tables';
import { headOf, planTypedRead, type TypedRead } from './typed-read';
import { csvTitleLines, isTotalRow, totalLabelSql } from './header-row';
import { agedSummaryColumns, agedSummarySql, reportDate, type AgedSummaryColumns, type AsOfSource } from './aged-summary';

export interface ImportSource {
  name: string;
  bytes: Uint8Array;
  /** the file's size when `bytes` holds only its first bytes (a file too large to read at all) */
  size?: number;
}

export interface ImportOptions {
  /** ISO 4217 code for rows and files that state none. */
  defaultCurrency?: string;
  /** Payment terms for invoices with neither a due date nor terms. */
  defaultTermsDays?: number;
  /** The user's answer for files whose date format is ambiguous, by file name. */
  dateFormats?: Record<string, DateFormat>;
  /** The sheet to read in a workbook, by file name (default: the first one whose header is recognised). */
  sheets?: Record<string, string>;
  /** The user's mapping for a file, by file name: its layout and, per field, the header to read. */
  mappings?: Record<string, MappingChoice>;
  /** Mappings the user made before, by header signature (headerSignature): used when a file with
   *  the same header comes again. */
  savedMappings?: Record<string, MappingChoice>;
  /** Largest file accepted, by format (default: what a browser tab can hold; the CLI lifts it). */
  maxBytes?: Partial<Record<FileFormat, number>>;
  /** Files whose earlier import is replaced: what they loaded is removed first, in the same transaction. */
  replaceFiles?: string[];
  /** Empty the ledger first, inside the same transaction: a failed or cancelled import keeps the old one. */
  replace?: boolean;
  onProgress?: (p: ImportProgress) => void;
  isCancelled?: () => boolean;
}

interface Plan {
  index: number;
  source: string;
  staging: string;
  csvRejects: string;
  rows: number;
  match: LayoutMatch;
  detected: Detected;
  report: FileReport;
  /** headers the reader already typed (typed-read.ts): used as they are */
  pretyped: TypedRead['typed'];
  typedRead?: TypedRead;
  /** CSV: title lines above the header */
  skip: number;
  /** CSV: lines below the header that start no record, empty or inside a quoted cell (listed in `${staging}_blank`) */
  blanks: number;
  /** the file's own total rows, left out of its rows */
  totalRows: TotalRow[];
  /** the staging table carries each row's line in `__line` */
  lineColumn: boolean;
  aged?: AgedTotals;
}

/** What an aged summary's total row can be checked against: its buckets, and its total column. */
interface AgedTotals {
  buckets: string[];
  total: string | null;
}

/** A total row of a file, header → cell. */
type TotalRow = Record<string, string | null>;

const SQL_TYPE: Record<FieldKind, string> = {
  text: 'VARCHAR',
  date: 'DATE',
  amount: 'DECIMAL(18,2)',
  int: 'INTEGER',
  flag: 'BOOLEAN',
  rate: 'DECIMAL(18,8)',
};

let runCounter = 0;

export async function importFiles(engine: SqlEngine, sources: ImportSource[], options: ImportOptions = {}): Promise<ImportResult> {
  const currency = (options.defaultCurrency ?? 'EUR').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new Error(`default currency must be an ISO 4217 code, got ${currency}`);
  const terms = Math.trunc(options.defaultTermsDays ?? 30);
  if (!(terms >= 0 && terms <= 3650)) throw new Error(`default payment terms must be 0–3650 days, got ${terms}`);
  const progress = options.onProgress ?? (() => {});
  const checkCancel = () => {
    if (options.isCancelled?.()) throw new CancelledError();
  };
  const run = ++runCounter;
  const reports: FileReport[] = [];
  const plans: Plan[] = [];
  try {
    for (const [index, source] of sources.entries()) {
      checkCancel();
      const plan = await analyse(
        engine, source, index, run,
        { dateFormat: options.dateFormats?.[source.name], sheet: options.sheets?.[source.name], choice: options.mappings?.[source.name], saved: options.savedMappings, maxBytes: options.maxBytes },
        progress,
      );
      reports.push(plan.report);
      if ('match' in plan) plans.push(plan);
    }
    if (reports.some((r) => r.status === 'needs_input')) return { status: 'needs_input', files: reports };
    checkCancel();
    await engine.exec('BEGIN TRANSACTION');
    try {
      if (options.replace) await clearLedger(engine);
      for (const file of options.replaceFiles ?? []) await forgetFile(engine, file);
      const ordered = [...plans].sort((a, b) => LOAD_ORDER.indexOf(a.match.layout.key) - LOAD_ORDER.indexOf(b.match.layout.key) || a.index - b.index);
      const written = new Set<string>();
      for (const plan of ordered) {
        checkCancel();
        for (const t of await load(engine, plan, currency, terms, run, progress)) written.add(t);
      }
      checkCancel();
      // (a replacement deleted rows anywhere: everything is rebuilt)
      await ledgerChanged(engine, options.replace || options.replaceFiles?.length ? undefined : written);
      await engine.exec('COMMIT');
    } catch (e) {
      await engine.exec('ROLLBACK').catch(() => {});
      throw e;
    }
    return { status: 'done', files: reports };
  } catch (e) {
    if (e instanceof CancelledError || options.isCancelled?.()) {
      for (const r of reports) progress({ file: r.file, phase: 'cancelled' });
      return { status: 'cancelled', files: reports };
    }
    // The engine ran out of memory while loading (rolled back above): say so file by file, with the
    // way out (the CLI), rather than a raw engine error.
    const detail = firstLine(e);
    if (OUT_OF_MEMORY.test(detail)) {
      for (const r of reports) progress({ file: r.file, phase: 'failed' });
      return { status: 'done', files: reports.map((r) => ({ ...emptyReport(r.file, 'failed', { code: 'too_large', detail }), detected: r.detected })) };
    }
    throw e;
  } finally {
    for (const p of plans) {
      await dropStaging(engine, p.staging, p.csvRejects).catch(() => {});
    }
    for (const s of sources) await engine.dropFile(s.name).catch(() => {});
  }
}

interface Inspected {
  format: FileFormat;
  staged: Exclude<Staged, ImportError>;
  staging: string;
  csvRejects: string;
  rows: number;
  headers: string[];
  found: LayoutMatch | LayoutMiss;
  /** the user's mapping or the remembered one, when one was applied (its formats apply too) */
  choice?: MappingChoice;
  remembered: boolean;
}

/** Stages the file and decides its layout and mapping: the user's, a remembered one, or detected. */
async function inspect(
  engine: SqlEngine,
  source: ImportSource,
  staging: string,
  csvRejects: string,
  opts: { sheet?: string; choice?: MappingChoice; saved?: Record<string, MappingChoice>; maxBytes?: Partial<Record<FileFormat, number>> },
): Promise<Inspected | ImportError> {
  const format = sniffFormat(source.bytes);
  if (typeof format !== 'string') return format;
  const size = source.size ?? source.bytes.length;
  if (size > (opts.maxBytes?.[format] ?? MAX_BYTES[format])) return { code: 'too_large', detail: `${Math.round(size / 1e6)} MB` };
  let staged: Staged;
  try {
    // A typed read only for a file recognised from its header alone (not a user's mapping).
    const typedReadAllowed = (headers: string[]) => !opts.choice && !opts.saved?.[headerSignature(headers)];
    staged = await stage(engine, source, format, staging, csvRejects, opts.sheet, typedReadAllowed);
  } catch (e) {
    await dropStaging(engine, staging, csvRejects).catch(() => {});
    const detail = firstLine(e);
    return { code: OUT_OF_MEMORY.test(detail) ? 'too_large' : format === 'csv' ? 'csv_unreadable' : 'failed', detail };
  }
  if ('code' in staged) {
    await dropStaging(engine, staging, csvRejects).catch(() => {});
    return staged;
  }
  const [{ rows }] = await engine.query<{ rows: number }>(`SELECT count(*) AS rows FROM ${staging}`);
  const headers =
    staged.typed?.headers ?? (await stagedColumns(engine, staging));
  const [{ bad }] = await engine.query<{ bad: number }>(`SELECT count(DISTINCT line) AS bad FROM ${csvRejects}`);
  if (rows === 0 && bad === 0) {
    await dropStaging(engine, staging, csvRejects);
    return { code: 'no_rows' };
  }
  const remembered = !opts.choice ? opts.saved?.[headerSignature(headers)] : undefined;
  const choice = opts.choice ?? remembered;
  const found = choice ? applyMapping(choice, headers) : detectLayout(headers);
  // (its customer and name columns make it look like a customers file too)
  const aged = !choice && (!isMatch(found) || found.layout.key === 'customers') ? agedSummaryColumns(headers) : null;
  if (aged) {
    // an aged balance by customer: its buckets as open items (aged-summary.ts), read as an invoice list
    const date = reportDate(staged.title ?? '', source.name, new Date().toISOString().slice(0, 10));
    const read = new Set([aged.customer, aged.name, ...aged.buckets.map((b) => b.header)]);
    const ignored = headers.filter((h) => !read.has(h));
    const total = ignored.find((h) => isTotalRow([h]) || ['solde', 'balance', 'encours', 'totaldu'].includes(normaliseHeader(h))) ?? null;
    await asOpenItems(engine, staging, csvRejects, format, staged, aged, date.date, total);
    const [{ items, customers }] = await engine.query<{ items: number; customers: number }>(
      `SELECT count(*)::INTEGER AS items, count(DISTINCT customer_id)::INTEGER AS customers FROM ${staging}`,
    );
    staged.notes.aged_summary = customers;
    staged.report_date = date;
    staged.lineColumn = true;
    staged.ignored = ignored;
    staged.aged = { buckets: aged.buckets.map((b) => b.header), total };
    const agedHeaders = ['invoice_id', 'customer_id', 'customer_name', 'invoice_date', 'due_date', 'balance'];
    return { format, staged, staging, csvRejects, rows: items, headers: agedHeaders, found: detectLayout(agedHeaders), remembered: false };
  }
  return { format, staged, staging, csvRejects, rows, headers, found, choice, remembered: Boolean(remembered && isMatch(found)) };
}

/**
 * The staged aged summary replaced by its open items, each carrying its row's line of the file. The
 * rows whose own total (its `total` column) is not the sum of their buckets are kept in
 * `${staging}_rowtotals` (line, the total cell, the buckets' sum), to be listed as warnings.
 */
async function asOpenItems(
  engine: SqlEngine,
  staging: string,
  csvRejects: string,
  format: FileFormat,
  staged: Exclude<Staged, ImportError>,
  cols: AgedSummaryColumns,
  asOf: string,
  total: string | null,
): Promise<void> {
  const lineOf = `${staging}_lines`;
  await engine.exec(
    `CREATE TEMP TABLE ${lineOf} AS ${format === 'csv' && !staged.lineColumn ? csvLinesSql(staging, csvRejects, staged.skip ?? 0, staged.blanks ?? 0) : `SELECT __rn AS rn, __line::BIGINT AS line FROM ${staging}`}`,
  );
  if (total) {
    const headers = [...cols.buckets.map((b) => b.header), total];
    const comma = await detectDecimalComma(engine, staging, headers);
    const cell = (h: string) => `NULLIF(trim(s.${quoteIdent(h)}), '')`;
    const sum = `(${cols.buckets.map((b) => `COALESCE(enc_parse_amount(${cell(b.header)}, ${comma}), 0)`).join(' + ')})`;
    await engine.exec(
      `CREATE TEMP TABLE ${staging}_rowtotals AS
       SELECT l.line, ${cell(total)} AS value, ${sum}::DOUBLE AS buckets
       FROM ${staging} s JOIN ${lineOf} l ON l.rn = s.__rn
       WHERE ${cell(total)} IS NOT NULL AND abs(COALESCE(enc_parse_amount(${cell(total)}, ${comma}), 0) - ${sum}) >= 0.005`,
    );
  }
  await engine.exec(agedSummarySql(staging, lineOf, `${staging}_aged`, cols, asOf, AGED_TERMS_DAYS));
  await engine.exec(`DROP TABLE ${staging}; DROP TABLE ${lineOf}; ALTER TABLE ${staging}_aged RENAME TO ${staging};`);
}
/** an aged summary's items are put this many days between invoice and due date (their invoice date shows nowhere) */
const AGED_TERMS_DAYS = 30;

/** The file line of each staged CSV row: the lines that are neither title, header, malformed nor
 *  empty, nor inside a quoted cell, in order (`blanks`: those lines were kept, keepNonRecordLines). */
function csvLinesSql(staging: string, csvRejects: string, skip: number, blanks: number): string {
  return `SELECT row_number() OVER (ORDER BY l) AS rn, l AS line
          FROM range(${2 + skip}, ${2 + skip + blanks} + (SELECT count(*) FROM ${staging}) + (SELECT count(DISTINCT line) FROM ${csvRejects})) r(l)
          WHERE l NOT IN (SELECT line FROM ${csvRejects})${blanks ? ` AND l NOT IN (SELECT line FROM ${staging}_blank)` : ''}`;
}

async function analyse(
  engine: SqlEngine,
  source: ImportSource,
  index: number,
  run: number,
  opts: { dateFormat?: DateFormat; sheet?: string; choice?: MappingChoice; saved?: Record<string, MappingChoice>; maxBytes?: Partial<Record<FileFormat, number>> },
  progress: (p: ImportProgress) => void,
): Promise<Plan | { report: FileReport }> {
  const fail = (report: FileReport) => {
    progress({ file: source.name, phase: 'failed' });
    return { report };
  };
  progress({ file: source.name, phase: 'parsing', bytes: source.bytes.length, total_bytes: source.bytes.length });
  const staging = `enc_stg_${run}_${index}`;
  const csvRejects = `enc_csvrej_${run}_${index}`;
  const seen = await inspect(engine, source, staging, csvRejects, opts);
  if ('code' in seen) return fail(emptyReport(source.name, 'failed', seen));
  const { format, staged, rows, headers, found } = seen;
  if (!isMatch(found)) {
    await dropStaging(engine, staging, csvRejects);
    return fail(emptyReport(source.name, 'failed', { code: 'unrecognised', columns: headers, ...found }));
  }
  const headersOfKind = (kind: FieldKind) =>
    (Object.entries(found.mapping) as [FieldKey, string][]).filter(([f]) => FIELDS[f].kind === kind).map(([, h]) => h);
  const pretyped = staged.typed?.typed ?? {};
  const decimalComma = staged.typed?.decimal_comma ?? seen.choice?.decimal_comma ?? (await detectDecimalComma(engine, staging, headersOfKind('amount')));
  let dateFormat: DateFormat | null = staged.typed ? 'ymd_compact' : (opts.dateFormat ?? seen.choice?.date_format ?? null);
  const detected: Detected = {
    format,
    encoding: staged.encoding,
    ...staged.sheet,
    delimiter: staged.delimiter,
    layout: found.layout.key,
    mapping: found.mapping,
    ignored: staged.ignored ?? found.ignored,
    date_format: null,
    decimal_comma: decimalComma,
    notes: { ...staged.notes, ...(seen.remembered ? { mapping_remembered: 1 } : {}) },
    ...(staged.typed ? { typed_read: true } : {}),
    ...(staged.report_date ? { report_date: staged.report_date } : {}),
  };
  const report = emptyReport(source.name, 'imported');
  report.detected = detected;
  if (!dateFormat) {
    const decision = await detectDateFormat(engine, staging, headersOfKind('date'));
    // Every date fits day-first and month-first (every day ≤ 12), but the file is European: its
    // amounts have a decimal comma, or it is ";"-separated (what Excel writes where the comma is the
    // decimal mark). Those countries write the day first: read so, and say so; the mapping can
    // still set another format.
    const dayFirst = decision.kind === 'ambiguous' && (decimalComma || staged.delimiter === ';') ? decision.candidates.find((f) => f !== 'mdy') : undefined;
    if (dayFirst) {
      dateFormat = dayFirst;
      detected.notes.dates_day_first = 1;
    } else if (decision.kind === 'ambiguous') {
      await dropStaging(engine, staging, csvRejects);
      progress({ file: source.name, phase: 'failed' });
      return {
        report: { ...report, status: 'needs_input', error: { code: 'ambiguous_dates', candidates: decision.candidates, samples: decision.samples } },
      };
    } else dateFormat = decision.kind === 'format' ? decision.format : null;
  }
  detected.date_format = dateFormat;
  progress({ file: source.name, phase: 'validating', rows });
  return { index, source: source.name, staging, csvRejects, rows, match: found, detected, report, pretyped, typedRead: staged.typed, skip: staged.skip ?? 0, blanks: staged.blanks ?? 0, totalRows: staged.totalRows ?? [], lineColumn: Boolean(staged.lineColumn), aged: staged.aged };
}

/** Beyond these, the browser's memory (a wasm heap of about 3 GB, the file held twice while it is
 *  decoded) is not enough: the file is refused with a pointer to the CLI rather than crashing the tab. */
export const MAX_BYTES: Record<FileFormat, number> = { csv: 1_200_000_000, spreadsheet: 300_000_000, parquet: 600_000_000 };
const OUT_OF_MEMORY = /out of memory|memory access out of bounds|allocation failed|Invalid array length|could not allocate/i;

type Staged =
  | {
      encoding: Encoding | null;
      delimiter: string | null;
      sheet?: { sheet: string; sheets: string[]; header_row: number };
      notes: Record<string, number>;
      /** set when the reader typed dates and amounts itself (typed-read.ts) */
      typed?: TypedRead;
      /** CSV: title lines above the header (its line is skip + 1) */
      skip?: number;
      /** CSV: lines below the header that start no record (empty, which the reader skips, or inside a
       *  quoted cell), in `${staging}_blank` when any */
      blanks?: number;
      /** the total rows at the bottom, left out of the rows (header → cell) */
      totalRows?: TotalRow[];
      /** the title lines above the header, as text */
      title?: string;
      /** the staging table carries each row's line in `__line` (its rows are not the file's lines) */
      lineColumn?: boolean;
      /** an aged summary: the date its items were put before, and where it was read */
      report_date?: { date: string; source: AsOfSource };
      /** the file's own columns not read, when they are not the staged ones */
      ignored?: string[];
      /** an aged summary: its bucket columns (`__bucket` of each staged row) and its total column */
      aged?: AgedTotals;
    }
  | ImportError;

/**
 * The file as a table of text cells, `__rn` numbering its rows (and `__line`, for files whose rows
 * are not CSV lines, the row the user sees), with the malformed lines kept aside in `csvRejects`.
 */
async function stage(
  engine: SqlEngine,
  source: ImportSource,
  format: FileFormat,
  staging: string,
  csvRejects: string,
  sheetName?: string,
  typedReadAllowed: (headers: string[]) => boolean = () => false,
): Promise<Staged> {
  if (format === 'parquet') {
    const raw = `${staging}_pq`;
    await engine.loadParquet(raw, source.bytes);
    await engine.exec(
      `CREATE TEMP TABLE ${staging} AS SELECT row_number() OVER () AS __rn, row_number() OVER () AS __line, COLUMNS(*)::VARCHAR FROM ${raw};
       DROP TABLE ${raw};
       CREATE TEMP TABLE ${csvRejects} (line BIGINT, column_name VARCHAR, csv_line VARCHAR, error_type VARCHAR, error_message VARCHAR);`,
    );
    return { encoding: null, delimiter: null, notes: {} };
  }
  if (format === 'spreadsheet') {
    const wb = readWorkbook(source.bytes);
    const candidates = sheetName ? [sheetName] : wb.SheetNames;
    const recognised = candidates.find((s) => {
      const header = sheetHeader(wb, s);
      return header !== null && isMatch(detectLayout(header));
    });
    const chosen = recognised ?? candidates.find((s) => sheetHeader(wb, s) !== null);
    const sheet = chosen && wb.Sheets[chosen] ? sheetToCsv(wb, chosen) : null;
    if (!sheet) return { code: 'no_rows' };
    const name = `${source.name}.csv`;
    const registered = await engine.registerFile(name, sheet.csv);
    try {
      await readCsv(engine, registered, staging, csvRejects, `, delim = ',', quote = '"', escape = '"'`);
    } finally {
      await engine.dropFile(name).catch(() => {});
    }
    const notes: Record<string, number> = {};
    if (sheet.title_rows_skipped) notes.title_rows_skipped = sheet.title_rows_skipped;
    if (sheet.total_rows.length) notes.total_rows_dropped = sheet.total_rows.length;
    if (sheet.sheets.length > 1) notes.other_sheets = sheet.sheets.length - 1;
    return { encoding: null, delimiter: null, sheet: { sheet: sheet.sheet, sheets: sheet.sheets, header_row: sheet.header_row }, notes, totalRows: sheet.total_rows, title: sheet.title_text };
  }
  const prepared = prepareBytes(source.bytes);
  if ('code' in prepared) return prepared;
  // Before registering: the browser engine takes the buffer over (transferred to its worker).
  const head = headOf(prepared.bytes, prepared.readerEncoding);
  const typed = planTypedRead(head);
  // an ERP report's title lines above its header (the delimiter is then the header's: DuckDB's
  // sniffer, told to skip lines, can get it wrong)
  const titleLines = typed ? null : csvTitleLines(head.text);
  const skipped = nonRecordLines(prepared.bytes, 1 + (titleLines?.skip ?? 0));
  const registered = await engine.registerFile(source.name, prepared.bytes);
  // Latin-1 bytes are decoded by DuckDB as it reads (no converted copy of the file)
  const decode = prepared.readerEncoding ? `, encoding = '${prepared.readerEncoding}'` : '';
  if (typed && typedReadAllowed(head.text.split(/\r?\n/, 1)[0].split(typed.delimiter))) {
    await readCsv(engine, registered, staging, csvRejects, typed.options + decode, typed.select);
    await engine.dropFile(source.name).catch(() => {});
    const blanks = await keepNonRecordLines(engine, staging, csvRejects, skipped);
    return { encoding: prepared.encoding, delimiter: typed.delimiter, notes: {}, typed, skip: 0, blanks };
  }
  let delimiter: string | null;
  if (titleLines) {
    await readCsv(engine, registered, staging, csvRejects, `, skip = ${titleLines.skip}, delim = ${quoteLiteral(titleLines.delimiter)}${decode}`);
    delimiter = titleLines.delimiter;
  } else {
    [{ Delimiter: delimiter }] = await engine.query<{ Delimiter: string }>(`SELECT "Delimiter" FROM sniff_csv(${quoteLiteral(registered)}${decode})`);
    await readCsv(engine, registered, staging, csvRejects, decode);
  }
  // The table holds it all now: the file's bytes leave the engine's memory (the wasm heap is ~3 GB).
  await engine.dropFile(source.name).catch(() => {});
  const blanks = await keepNonRecordLines(engine, staging, csvRejects, skipped);
  const skip = titleLines?.skip ?? 0;
  const notes: Record<string, number> = {};
  if (skip) notes.title_rows_skipped = skip;
  const totalRows = await dropTrailingTotals(engine, staging, csvRejects, skip);
  if (totalRows.length) notes.total_rows_dropped = totalRows.length;
  const title = skip ? head.text.split('\n', skip).join('\n') : '';
  return { encoding: prepared.encoding, delimiter, notes, skip, blanks, totalRows, title };
}

/**
 * The total rows that close a CSV report ("Total", "Total général"… as a cell of its last rows, with
 * empty rows among them) are removed from the staged rows and returned (their figures are checked
 * against the rows read: controlTotals).
 * Only when they are the file's last records: a malformed line after them (kept aside) leaves them
 * in, to be rejected and listed like any other row.
 */
async function dropTrailingTotals(engine: SqlEngine, staging: string, csvRejects: string, skip: number): Promise<TotalRow[]> {
  const cols = await stagedColumns(engine, staging);
  if (cols.length === 0) return [];
  const total = cols.map((c) => `COALESCE(${totalLabelSql(quoteIdent(c))}, false)`).join(' OR ');
  const empty = `COALESCE(${cols.map((c) => `NULLIF(trim(${quoteIdent(c)}), '')`).join(', ')}) IS NULL`;
  const tail = await engine.query<{ rn: number; is_total: boolean; is_empty: boolean }>(
    `SELECT __rn::INTEGER AS rn, ${total} AS is_total, ${empty} AS is_empty FROM ${staging}
     WHERE __rn > (SELECT max(__rn) FROM ${staging}) - ${TRAILER_ROWS} ORDER BY __rn DESC`,
  );
  let first: number | null = null;
  let count = 0;
  for (const r of tail) {
    if (!r.is_total && !r.is_empty) break;
    first = r.rn;
    if (r.is_total) count++;
  }
  if (count === 0 || first === null) return [];
  // the first row of the trailer is at line ≥ first + 1 + skip + (every malformed line, if all came before it)
  const [{ last_bad, bad }] = await engine.query<{ last_bad: number | null; bad: number }>(
    `SELECT max(line)::INTEGER AS last_bad, count(DISTINCT line)::INTEGER AS bad FROM ${csvRejects}`,
  );
  if (last_bad !== null && last_bad >= first + 1 + skip + bad) return [];
  const rows = await engine.query<TotalRow>(`SELECT * EXCLUDE (__rn) FROM ${staging} WHERE __rn >= ${first} AND (${total}) ORDER BY __rn`);
  await engine.exec(`DELETE FROM ${staging} WHERE __rn >= ${first}`);
  return rows;
}
/**
 * The lines of a CSV file that start no record (empty, or inside a quoted cell) kept in
 * `${staging}_blank` (none: no table), their count returned. Whether `"` quoted cells is DuckDB's
 * sniffer's call: it did if a cell read, or a malformed line kept aside, holds a line break.
 * DuckDB numbers a record's lines as one: the malformed lines it kept aside are then moved to their
 * line in the file, past the lines inside quoted cells before them (the k-th such line, at file line
 * c, follows DuckDB's line c − k).
 */
async function keepNonRecordLines(engine: SqlEngine, staging: string, csvRejects: string, lines: NonRecordLines): Promise<number> {
  let quoted = lines.continued.length > 0;
  if (quoted) {
    const breaks = (await stagedColumns(engine, staging)).map((c) => `contains(CAST(${quoteIdent(c)} AS VARCHAR), chr(10))`).join(' OR ');
    [{ quoted }] = await engine.query<{ quoted: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${staging} WHERE ${breaks || 'false'}) OR EXISTS (SELECT 1 FROM ${csvRejects} WHERE contains(csv_line, chr(10))) AS quoted`,
    );
  }
  const blanks = quoted ? [...lines.blank, ...lines.continued] : lines.unquotedBlank;
  if (blanks.length > 0) await lineTable(engine, `${staging}_blank`, blanks);
  if (quoted) {
    const after = `${csvRejects}_after`;
    await lineTable(engine, after, lines.continued.map((c, k) => c - (k + 1)));
    await engine.exec(`UPDATE ${csvRejects} r SET line = r.line + (SELECT count(*) FROM ${after} a WHERE a.line < r.line); DROP TABLE ${after};`);
  }
  return blanks.length;
}

/** A temporary table of line numbers (one column, `line`), written 10,000 at a time. */
async function lineTable(engine: SqlEngine, table: string, lines: number[]): Promise<void> {
  await engine.exec(`CREATE TEMP TABLE ${table} (line BIGINT)`);
  for (let i = 0; i < lines.length; i += 10_000) await engine.exec(`INSERT INTO ${table} SELECT unnest([${lines.slice(i, i + 10_000).join(',')}])`);
}

/** The staged file's own columns (not the row and line numbers the import adds). */
async function stagedColumns(engine: SqlEngine, staging: string): Promise<string[]> {
  return (await engine.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${staging})`))
    .map((c) => c.column_name)
    .filter((c) => c !== '__rn' && c !== '__line');
}

/** how many of a file's last rows are looked at for its total rows */
const TRAILER_ROWS = 10;

async function readCsv(engine: SqlEngine, file: string, staging: string, csvRejects: string, options: string, select = '*'): Promise<void> {
  await engine.exec(
    `CREATE TEMP TABLE ${staging} AS
     SELECT row_number() OVER () AS __rn, ${select}
     FROM read_csv(${quoteLiteral(file)}, all_varchar = true, header = true${options},
                   store_rejects = true, rejects_table = '${csvRejects}', rejects_scan = '${csvRejects}_scan')`,
  );
}

/** Loads one analysed file; returns the tables its statements wrote to. */
async function load(engine: SqlEngine, plan: Plan, currency: string, terms: number, run: number, progress: (p: ImportProgress) => void): Promise<Set<string>> {
  const { layout, mapping } = plan.match;
  const tag = `${run}_${plan.index}`;
  const typed = `enc_typed_${tag}`;
  const rejects = `enc_rej_${tag}`;
  const ok = `enc_ok_${tag}`;
  const lines = `enc_lines_${tag}`;
  const fmt = plan.detected.date_format ?? 'iso';
  const fields = [...layout.required, ...layout.optional];

  // File line of each parsed row: the lines that are neither the header nor a malformed line, in
  // order (row + 1 when no line was malformed: no table needed); or the row the staging table
  // carries (sheet row, Parquet row).
  const [{ malformed }] = await engine.query<{ malformed: number }>(`SELECT count(*) AS malformed FROM ${plan.csvRejects}`);
  const csvLines = plan.detected.format === 'csv' && !plan.lineColumn;
  const direct = csvLines && malformed === 0 && plan.blanks === 0;
  if (!direct) {
    await engine.exec(
      `CREATE TEMP TABLE ${lines} AS ${csvLines ? csvLinesSql(plan.staging, plan.csvRejects, plan.skip, plan.blanks) : `SELECT __rn AS rn, __line::BIGINT AS line FROM ${plan.staging}`}`,
    );
  }
  const columns = fields.map((f) => {
    const header = mapping[f];
    const kind = FIELDS[f].kind;
    // Text fields are their own raw value: no second copy of the column.
    if (!header) return kind === 'text' ? `NULL::VARCHAR AS ${f}` : `NULL::${SQL_TYPE[kind]} AS ${f}, NULL::VARCHAR AS ${f}__raw`;
    // Typed by the reader: a cell it could not type was rejected with its line, the rest is valid.
    if (plan.pretyped[header]) return `s.${quoteIdent(header)} AS ${f}`;
    const raw = `NULLIF(trim(s.${quoteIdent(header)}), '')`;
    const parsed = parseExpr(kind, raw, fmt, plan.detected.decimal_comma);
    return kind === 'text' ? `${parsed} AS ${f}` : `${parsed} AS ${f}, ${raw} AS ${f}__raw`;
  });
  // A typed read left nothing to compute: the staging table is read through a view.
  const allPretyped = fields.every((f) => !mapping[f] || plan.pretyped[mapping[f]!]);
  await engine.exec(
    `CREATE TEMP ${allPretyped ? 'VIEW' : 'TABLE'} ${typed} AS
     SELECT s.__rn AS rn, ${direct ? `s.__rn + ${1 + plan.skip} AS line` : 'ln.line'}, ${columns.join(', ')}
     FROM ${plan.staging} s ${direct ? '' : `LEFT JOIN ${lines} ln ON ln.rn = s.__rn`}`,
  );

  const header = (f: FieldKey) => quoteLiteral(mapping[f] ?? f);
  const isPretyped = (f: FieldKey) => Boolean(mapping[f] && plan.pretyped[mapping[f]!]);
  const rawOf = (f: FieldKey) => (FIELDS[f].kind === 'text' ? `t.${f}` : isPretyped(f) ? `CAST(t.${f} AS VARCHAR)` : `t.${f}__raw`);
  const missing = (f: FieldKey) => `${isPretyped(f) ? `t.${f}` : rawOf(f)} IS NULL`;
  const required = layout.required.filter((f) => !layout.emptyAllowed?.includes(f));
  // A row set aside is rejected for that reason alone, its amount counted nowhere: the layout's own
  // (a customer ledger's subtotal lines), else a subtotal line inside any list ("Total CLI001" in a
  // row missing a required cell: an invoice list grouped by customer). The rows are found once
  // (the labels' pattern, 1.2 s over every cell of 0.9M rows, runs on the rows missing a cell only).
  const labelled = fields.filter((f) => mapping[f] && !isPretyped(f));
  const aside = layout.aside
    ? { column: header(layout.aside.field), value: layout.aside.value ?? rawOf(layout.aside.field), reason: layout.aside.reason, where: layout.aside.where }
    : required.length && labelled.length
      ? {
          column: `CASE ${labelled.map((f) => `WHEN ${totalLabelSql(rawOf(f))} THEN ${header(f)}`).join(' ')} END`,
          value: `CASE ${labelled.map((f) => `WHEN ${totalLabelSql(rawOf(f))} THEN ${rawOf(f)}`).join(' ')} END`,
          reason: 'subtotal_row' as const,
          where: `(${required.map(missing).join(' OR ')}) AND (${labelled.map((f) => `COALESCE(${totalLabelSql(rawOf(f))}, false)`).join(' OR ')})`,
        }
      : null;
  const asideRows = `enc_aside_${tag}`;
  if (aside) await engine.exec(`CREATE TEMP TABLE ${asideRows} AS SELECT t.rn, t.line, ${aside.column} AS column_name, ${aside.value} AS value FROM ${typed} t WHERE ${aside.where}`);
  const [{ nAside }] = aside ? await engine.query<{ nAside: number }>(`SELECT count(*)::INTEGER AS "nAside" FROM ${asideRows}`) : [{ nAside: 0 }];
  // (the condition that keeps a row set aside out of everything else)
  const notAside = nAside ? ` AND t.rn NOT IN (SELECT rn FROM ${asideRows})` : '';
  const reject = (f: FieldKey, reason: string, where: string, detail = 'NULL', value = rawOf(f)) =>
    `SELECT t.rn, t.line, ${header(f)} AS column_name, ${value} AS value, '${reason}' AS reason, ${detail} AS detail FROM ${typed} t
     WHERE (${where})${notAside}`;
  const checks: string[] = [];
  if (nAside) checks.push(`SELECT rn, line, column_name, value, '${aside!.reason}' AS reason, NULL AS detail FROM ${asideRows}`);
  for (const f of required) checks.push(reject(f, 'required_missing', missing(f)));
  for (const f of fields) {
    const kind = FIELDS[f].kind;
    if (!mapping[f] || kind === 'text' || isPretyped(f)) continue;
    const detail = kind === 'date' ? quoteLiteral(DATE_FORMAT_LABEL[fmt]) : kind === 'amount' ? quoteLiteral(plan.detected.decimal_comma ? 'decimal_comma' : 'decimal_point') : 'NULL';
    checks.push(reject(f, `bad_${kind}`, `t.${f}__raw IS NOT NULL AND t.${f} IS NULL`, detail));
  }
  if (layout.id && mapping[layout.id]) {
    const id = layout.id;
    // Every row of a repeated id but its first, with the first one's line. A group-by finds the few
    // repeated ids (a window partitioning every row cost 2 s of a 0.9M-row import in duckdb-wasm).
    checks.push(
      `SELECT t.rn, t.line, ${header(id)}, t.${id}, 'duplicate_in_file', CAST(d.first_line AS VARCHAR)
       FROM ${typed} t
       JOIN (SELECT ${id}, min(rn) AS first_rn, arg_min(line, rn) AS first_line FROM ${typed}
             WHERE ${id} IS NOT NULL GROUP BY ${id} HAVING count(*) > 1) d ON d.${id} = t.${id}
       WHERE t.rn <> d.first_rn`,
    );
    const stubsAreNotConflicts = layout.table === 'customers' ? ' AND x.source_row IS NOT NULL' : '';
    checks.push(reject(id, 'already_loaded', `EXISTS (SELECT 1 FROM ${layout.table} x WHERE x.${id} = t.${id}${stubsAreNotConflicts})`));
  }
  if (layout.key === 'payments' && mapping.payment_id) {
    checks.push(
      reject('payment_id', 'already_loaded', `EXISTS (SELECT 1 FROM payments x WHERE x.payment_id = t.payment_id AND x.invoice_id IS NOT DISTINCT FROM t.invoice_id)`),
    );
  }
  const ctx: LoadContext = {
    typed,
    ok,
    file: quoteLiteral(plan.source),
    idPrefix: quoteLiteral(`${plan.source}#`),
    defaultCurrency: currency,
    defaultTermsDays: terms,
    has: (f) => Boolean(mapping[f]),
    today: new Date().toISOString().slice(0, 10),
    openItemsOnly: Boolean(mapping.amount && (FIELDS.open_amount.synonyms as readonly string[]).includes(normaliseHeader(mapping.amount))),
  };
  for (const c of layout.checks?.(ctx) ?? []) checks.push(reject(c.field, c.reason, c.where));
  await engine.exec(`CREATE TEMP TABLE ${rejects} AS ${checks.join('\nUNION ALL\n')}`);
  // Materialised when some rows are rejected; when none is, the typed table itself (no copy).
  const [{ nrej }] = await engine.query<{ nrej: number }>(`SELECT count(*) AS nrej FROM ${rejects}`);
  await engine.exec(
    nrej > 0
      ? `CREATE TEMP TABLE ${ok} AS SELECT * FROM ${typed} t WHERE NOT EXISTS (SELECT 1 FROM ${rejects} r WHERE r.rn = t.rn)`
      : `CREATE TEMP VIEW ${ok} AS SELECT * FROM ${typed}`,
  );

  const warnings = layout.warnings?.(ctx) ?? [];
  if (warnings.length) {
    // Counted from this load's rows only: an earlier import of a file with the same name (another
    // sheet of the workbook) has its own.
    const flagged = `enc_warn_${tag}`;
    await engine.exec(
      `CREATE TEMP TABLE ${flagged} AS
       ${warnings.map((w) => `SELECT ${ctx.file} AS file_name, t.rn AS row_number, t.line, ${header(w.field)} AS column_name, ${rawOf(w.field)} AS value, '${w.reason}' AS reason, NULL AS detail FROM ${ok} t WHERE ${w.where}`).join('\nUNION ALL\n')};
       INSERT INTO import_warnings (file_name, row_number, line, column_name, value, reason, detail) SELECT * FROM ${flagged};`,
    );
    const found = await engine.query<{ reason: WarningReason; n: number }>(`SELECT reason, count(*) AS n FROM ${flagged} GROUP BY reason`);
    for (const w of found) plan.report.warnings[w.reason] = w.n;
    await engine.exec(`DROP TABLE ${flagged}`);
  }
  progress({ file: plan.source, phase: 'loading', rows: plan.rows });
  const statements = layout.load(ctx);
  // every table a statement inserts into, updates or deletes from (read from the SQL itself)
  const written = new Set<string>([layout.table]);
  for (const sql of [statements.main, ...Object.values(statements.derived ?? {})])
    for (const m of sql.matchAll(/\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(\w+)/gi)) written.add(m[1].toLowerCase());
  await engine.exec(statements.main);
  const report = plan.report;
  for (const [table, sql] of Object.entries(statements.derived ?? {})) {
    const before = await count(engine, table);
    await engine.exec(sql);
    report.derived[table] = (await count(engine, table)) - before;
  }
  // One scan per table for all its notes (seven notes in seven scans took 0.4 s on a 0.9M-row
  // file in duckdb-wasm, in one scan 0.2 s)
  const notes = layout.notes?.(ctx) ?? [];
  for (const from of new Set(notes.map((n) => n.from))) {
    const these = notes.filter((n) => n.from === from);
    const [row] = await engine.query<Record<string, number>>(
      `SELECT ${these.map((n, i) => `count(*) FILTER (WHERE ${n.where}) AS n${i}`).join(', ')} FROM ${from}`,
    );
    these.forEach((n, i) => {
      if (row[`n${i}`] > 0) plan.detected.notes[n.key] = row[`n${i}`];
    });
  }
  const cleanup = layout.cleanup?.(ctx);
  if (cleanup) await engine.exec(cleanup);

  const amount = layout.amount && mapping[layout.amount] ? layout.amount : null;
  // A line the typed read rejected is not in the typed table: its amount is read from its text.
  const tr = plan.typedRead;
  const amountOfReaderRejects =
    amount && tr
      ? ` + COALESCE((SELECT sum(enc_parse_amount(NULLIF(trim(split_part(csv_line, ${quoteLiteral(tr.delimiter)}, ${tr.headers.indexOf(mapping[amount]!) + 1})), ''), ${tr.decimal_comma}))::DOUBLE
                      FROM (SELECT DISTINCT line, csv_line FROM ${plan.csvRejects})), 0)`
      : '';
  // (a row set aside, a subtotal, is counted as read and rejected, its amount in neither: it has none of its own)
  const sumOf = (cond: string) =>
    !amount ? 'NULL'
    : amountOfReaderRejects ? `(COALESCE((SELECT sum(${amount})::DOUBLE FROM ${typed} t WHERE ${cond}${notAside}), 0)${amountOfReaderRejects})`
    : `(SELECT sum(${amount})::DOUBLE FROM ${typed} t WHERE ${cond}${notAside})`;
  const rejected = `t.rn IN (SELECT rn FROM ${rejects})`;
  const [totals] = await engine.query<{
    malformed: number;
    rejected_rows: number;
    amount_read: number | null;
    amount_rejected: number | null;
  }>(
    `SELECT (SELECT count(DISTINCT line) FROM ${plan.csvRejects}) AS malformed,
            (SELECT count(DISTINCT rn) FROM ${rejects}) AS rejected_rows,
            ${sumOf('true')} AS amount_read,
            ${sumOf(rejected)} AS amount_rejected`,
  );
  report.rows_read = plan.rows + totals.malformed;
  report.rows_rejected = totals.rejected_rows + totals.malformed;
  report.rows_imported = plan.rows - totals.rejected_rows;
  if (amount) {
    report.amount_read = round2(totals.amount_read ?? 0);
    report.amount_rejected = round2(totals.amount_rejected ?? 0);
    report.amount_imported = round2(report.amount_read - report.amount_rejected);
  }
  if (plan.aged?.total) {
    // an aged summary's rows whose own total is not the sum of their buckets (asOpenItems)
    const mismatched = `${plan.staging}_rowtotals`;
    await engine.exec(
      `INSERT INTO import_warnings (file_name, row_number, line, column_name, value, reason, detail)
       SELECT ${ctx.file}, NULL, line, ${quoteLiteral(plan.aged.total)}, value, 'row_total_mismatch', printf('%.2f', buckets) FROM ${mismatched}`,
    );
    const [{ n }] = await engine.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${mismatched}`);
    if (n > 0) report.warnings.row_total_mismatch = n;
  }
  const control = await controlTotals(engine, plan, typed, notAside);
  if (control.length) report.control_totals = control;

  const typedHeaders = Object.entries(plan.pretyped);
  const typedCell = typedHeaders.length
    ? `CASE WHEN error_type = 'CAST' THEN CASE column_name ${typedHeaders.map(([h, k]) => `WHEN ${quoteLiteral(h)} THEN '${k}'`).join(' ')} END END`
    : 'NULL';
  await engine.exec(
    `INSERT INTO import_rejects (file_name, row_number, line, column_name, value, reason, detail)
     SELECT ${ctx.file}, rn, line, column_name, value, reason, detail FROM ${rejects};
     INSERT INTO import_rejects (file_name, row_number, line, column_name, value, reason, detail)
     SELECT ${ctx.file}, NULL, line, column_name, csv_line, 'malformed_line', error_message FROM ${plan.csvRejects}
     WHERE ${typedCell} IS NULL
     -- DuckDB may report several errors for one broken line: the line is listed once, with the first
     QUALIFY row_number() OVER (PARTITION BY line ORDER BY column_name NULLS FIRST) = 1;
     -- a cell the typed read could not type (typed-read.ts): listed like the general path's bad cells
     INSERT INTO import_rejects (file_name, row_number, line, column_name, value, reason, detail)
     SELECT ${ctx.file}, NULL, line, column_name, COALESCE(NULLIF(regexp_extract(error_message, 'string "([^"]*)"', 1), ''), csv_line),
            'bad_' || ${typedCell}, CASE ${typedCell} WHEN 'date' THEN ${quoteLiteral(DATE_FORMAT_LABEL[fmt])} ELSE ${quoteLiteral(plan.detected.decimal_comma ? 'decimal_comma' : 'decimal_point')} END
     FROM ${plan.csvRejects} WHERE ${typedCell} IS NOT NULL;`,
  );
  await engine.query(
    `INSERT INTO import_files (file_name, layout, target_table, rows_read, rows_imported, rows_rejected, amount_read, amount_imported, amount_rejected, detected)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [plan.source, layout.key, layout.table, report.rows_read, report.rows_imported, report.rows_rejected,
     report.amount_read, report.amount_imported, report.amount_rejected, JSON.stringify(plan.detected)],
  );
  // Loaded: its staged text goes now, not after every file (memory, for large multi-file drops).
  await dropStaging(engine, plan.staging, plan.csvRejects);
  await engine.exec(`${nrej > 0 ? 'DROP TABLE' : 'DROP VIEW'} ${ok}; DROP TABLE ${rejects}; DROP ${allPretyped ? 'VIEW' : 'TABLE'} ${typed}; DROP TABLE IF EXISTS ${lines}; DROP TABLE IF EXISTS ${asideRows};`);
  progress({ file: plan.source, phase: 'done', rows: report.rows_imported });
  return written;
}

/** Removes what one file loaded (its rows in every table, its report lines). */
async function forgetFile(engine: SqlEngine, file: string): Promise<void> {
  const name = quoteLiteral(file);
  await engine.exec(
    [...CANONICAL_TABLES.map((t) => `DELETE FROM ${t} WHERE source_file = ${name};`),
     ...IMPORT_LOG_TABLES.map((t) => `DELETE FROM ${t} WHERE file_name = ${name};`)].join('\n'),
  );
}

/** The staged file and the malformed lines read_csv kept aside (its rejects and scan tables). */
function dropStaging(engine: SqlEngine, staging: string, csvRejects: string): Promise<void> {
  return engine.exec(`DROP TABLE IF EXISTS ${staging}; DROP TABLE IF EXISTS ${staging}_blank; DROP TABLE IF EXISTS ${staging}_rowtotals; DROP TABLE IF EXISTS ${csvRejects}; DROP TABLE IF EXISTS ${csvRejects}_scan;`);
}

async function count(engine: SqlEngine, table: string): Promise<number> {
  const [{ n }] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  return n;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n')[0].slice(0, 300);
}


export interface FieldPreview {
  field: FieldKey;
  kind: FieldKind;
  required: boolean;
  /** the file's header read into this field, or null */
  header: string | null;
  /** non-empty cells in that column, and how many of them parse as the field's kind */
  filled: number;
  parsed: number;
}

export interface FilePreview {
  file: string;
  headers: string[];
  /** the first rows, as text */
  sample: string[][];
  rows: number;
  layout: LayoutKey | null;
  /** every layout the user can choose, for the picker */
  layouts: { key: LayoutKey; required: FieldKey[]; optional: FieldKey[] }[];
  fields: FieldPreview[];
  missing: FieldKey[];
  remembered: boolean;
  /** what was detected (or set): the editor shows it and lets the user change it */
  date_format?: DateFormat;
  decimal_comma?: boolean;
  error?: ImportError;
}

/**
 * What the mapping screen shows: the file's first rows, the layout and mapping that would be used
 * (the given one, a remembered one, or detected), and for each field how many of its cells parse.
 * Nothing is loaded.
 */
export async function previewFile(
  engine: SqlEngine,
  source: ImportSource,
  opts: { sheet?: string; choice?: MappingChoice; saved?: Record<string, MappingChoice>; sampleRows?: number } = {},
): Promise<FilePreview> {
  const run = ++runCounter;
  const staging = `enc_stg_${run}_p`;
  const csvRejects = `enc_csvrej_${run}_p`;
  const layouts = LAYOUTS.map((l) => ({ key: l.key, required: [...l.required], optional: [...l.optional] }));
  const empty = { file: source.name, headers: [], sample: [], rows: 0, layout: null, layouts, fields: [], missing: [], remembered: false };
  try {
    const seen = await inspect(engine, source, staging, csvRejects, opts);
    if ('code' in seen) return { ...empty, error: seen };
    const { headers, found, choice } = seen;
    const sample = await engine.query<Record<string, string | null>>(
      `SELECT ${headers.map(quoteIdent).join(', ')} FROM ${staging} ORDER BY __rn LIMIT ${Math.trunc(opts.sampleRows ?? 8)}`,
    );
    const layout = isMatch(found) ? found.layout : found.closest ? layoutOf(found.closest) : null;
    const mapping: Partial<Record<FieldKey, string>> = isMatch(found) ? found.mapping : choice?.mapping ?? (layout ? mapHeaders(layout, headers) : {});
    const of = (kind: FieldKind) => Object.entries(mapping).filter(([f]) => FIELDS[f as FieldKey].kind === kind).map(([, h]) => h as string);
    const decimalComma = choice?.decimal_comma ?? (await detectDecimalComma(engine, staging, of('amount')));
    const decision = choice?.date_format ? null : await detectDateFormat(engine, staging, of('date'));
    const fmt: DateFormat =
      choice?.date_format ?? (decision?.kind === 'format' ? decision.format : decision?.kind === 'ambiguous' ? decision.candidates[0] : 'iso');
    const layoutFields = layout ? [...layout.required, ...layout.optional] : [];
    // Every mapped column's counts in one pass over the staged file.
    const mapped = layoutFields.filter((f) => mapping[f]);
    const [counts] = mapped.length
      ? await engine.query<Record<string, number>>(
          `SELECT ${mapped
            .map((f, i) => {
              const raw = `NULLIF(trim(${quoteIdent(mapping[f]!)}), '')`;
              return `count(${raw}) AS f${i}, count(${parseExpr(FIELDS[f].kind, raw, fmt, decimalComma)}) AS p${i}`;
            })
            .join(', ')} FROM ${staging}`,
        )
      : [{}];
    const fields: FieldPreview[] = layoutFields.map((field) => {
      const i = mapped.indexOf(field);
      return {
        field,
        kind: FIELDS[field].kind,
        required: layout!.required.includes(field),
        header: mapping[field] ?? null,
        filled: i < 0 ? 0 : counts[`f${i}`],
        parsed: i < 0 ? 0 : counts[`p${i}`],
      };
    });
    return {
      file: source.name,
      headers,
      sample: sample.map((r) => headers.map((h) => r[h] ?? '')),
      rows: seen.rows,
      layout: layout?.key ?? null,
      layouts,
      fields,
      missing: isMatch(found) ? [] : found.missing,
      remembered: seen.remembered,
      date_format: fmt,
      decimal_comma: decimalComma,
    };
  } finally {
    await dropStaging(engine, staging, csvRejects).catch(() => {});
    await engine.dropFile(source.name).catch(() => {});
  }
}

/**
 * Each amount column for which the file's own total rows give a figure (the last one, a grand total
 * after subtotals), against the sum of that column over the rows read: the file's control total.
 */
async function controlTotals(engine: SqlEngine, plan: Plan, typed: string, notAside: string): Promise<ControlTotal[]> {
  // each column a total can be given for, and the sum of the rows read it is checked against (the
  // rows set aside, subtotals, are not among them)
  const sums: { column: string; read: string }[] = [];
  for (const [field, header] of Object.entries(plan.match.mapping) as [FieldKey, string][]) {
    if (header && FIELDS[field].kind === 'amount' && !plan.pretyped[header]) sums.push({ column: header, read: `SELECT sum(${field}) FROM ${typed} t WHERE true${notAside}` });
  }
  // an aged summary: each bucket's total against its items, the total column against them all
  const aged = plan.aged;
  if (aged && plan.match.mapping.amount) {
    const ofBucket = (where: string) => `SELECT sum(t.amount) FROM ${typed} t JOIN ${plan.staging} s ON s.__rn = t.rn WHERE ${where}`;
    for (const b of aged.buckets) sums.push({ column: b, read: ofBucket(`s.__bucket = ${quoteLiteral(b)}`) });
    if (aged.total) sums.push({ column: aged.total, read: ofBucket('true') });
  }
  const out: ControlTotal[] = [];
  for (const { column, read } of sums) {
    const cell = plan.totalRows.map((r) => r[column]?.trim()).filter((v) => v).at(-1);
    if (!cell) continue;
    const [row] = await engine.query<{ stated: number | null; read: number | null }>(
      `SELECT ${parseExpr('amount', quoteLiteral(cell), 'iso', plan.detected.decimal_comma)}::DOUBLE AS stated, (${read})::DOUBLE AS read`,
    );
    if (row.stated !== null) out.push({ column, stated: round2(row.stated), read: round2(row.read ?? 0) });
  }
  return out;
}

/** The SQL that types one raw cell as a field of `kind` (the import's own parsers). */
function parseExpr(kind: FieldKind, raw: string, fmt: DateFormat, decimalComma: boolean): string {
  return kind === 'date' ? `enc_parse_date(${raw}, '${fmt}')`
    : kind === 'amount' ? `enc_parse_amount(${raw}, ${decimalComma})`
    : kind === 'int' ? `enc_parse_int(${raw})`
    : kind === 'flag' ? `enc_parse_flag(${raw})`
    : kind === 'rate' ? `enc_parse_rate(${raw}, ${decimalComma})`
    : raw;
}
