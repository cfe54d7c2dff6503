/**
 * The typed API between the pages and the engine worker (through comlink). The worker owns DuckDB;
 * pages only ever call these methods, with plain data in and plain rows out.
 */
import type { DateFormat } from '../importers/dates';
import type { MappingChoice } from '../importers/detect-layout';
import type { FilePreview } from '../importers/import';
import type { ImportProgress, ImportResult, RejectRow } from '../importers/report';
import type { QueryName, QueryParams, QueryRow, LedgerSummaryRow } from '../kpi/queries';
import type { CardSeries, KpiCards, KpiReport, KpiRequest, ResolvedRequest, ScalarFamily } from '../kpi/report';
import type { CustomerAgingRow, Dimension, SeriesChangeRow, SeriesRow } from '../kpi/queries';
import type { ExportTable } from '../export/table';
import type { BacktestResult } from '../kpi/backtest';
import type { ImagePart } from '../workspace/ledger-image';
import type { WorkspaceSettings } from '../settings/workspace-settings';

export interface EngineInfo {
  duckdb_version: string;
  bundle: string;
  /** how the engine's start went, ms (for benchmarks): DuckDB opened (its worker, its .wasm
   *  compiled or taken from the browser's code cache), then the SQL of every module run */
  started: { open_ms: number; setup_ms: number };
}

export interface LoadOptions {
  defaultCurrency?: string;
  defaultTermsDays?: number;
  dateFormats?: Record<string, DateFormat>;
  /** the sheet to read in a workbook, by file name */
  sheets?: Record<string, string>;
  /** the user's mapping, by file name; and the ones remembered, by header signature */
  mappings?: Record<string, MappingChoice>;
  savedMappings?: Record<string, MappingChoice>;
  /** files whose earlier import is replaced by this one */
  replaceFiles?: string[];
  /** Replace the current ledger instead of adding to it. */
  replace?: boolean;
}

/** A file the worker fetches itself from the app's own origin (the bundled demo). */
export interface UrlSource {
  name: string;
  url: string;
}

export interface Dashboard {
  request: ResolvedRequest;
  report: KpiReport;
  customers: CustomerAgingRow[];
  summary: LedgerSummaryRow;
  /** the dimensions the ledger fills, and their values (most used first), for the slice pickers */
  dimensions: Partial<Record<Dimension, string[]>>;
  /** the version of the KPI definitions that computed it: a saved one of another version is never reused */
  kpi_version: string;
  /** the overview's 24-month series (its sparklines): computed with it when that cost little (a
   *  scope whose points were kept), or saved with it in a workspace and reused with it */
  series?: SeriesRow[];
  /** and each card's change over the period (series_changes), saved and reused with them */
  changes?: SeriesChangeRow[];
  /** the backtests measured on this ledger, saved with it in a workspace (keptBacktest) */
  backtests?: { key: string; result: BacktestResult }[];
}

/** A backtest's result with what it was measured on: its key (currency and month-ends replayed),
 *  the ledger (its summary) and the KPI definitions' version. */
export interface KeptBacktest {
  key: string;
  result: BacktestResult;
  summary: LedgerSummaryRow;
  kpi_version: string;
}

/** A dashboard's cards and aged balance, handed over before its tables (the top late payers, the
 *  customers' ageing: a third of a new date's time at a million invoices) are computed. */
export interface DashboardCards {
  request: ResolvedRequest;
  report: KpiCards;
  summary: LedgerSummaryRow;
}

/** The sparklines of a dashboard's request, handed over after its cards when they cost little more
 *  (report.ts, cardSeries), before its tables. */
export interface DashboardSeries extends CardSeries {
  request: ResolvedRequest;
}

/** What every page needs around its own figures: the resolved request, the ledger, the pickers. */
export interface PageContext {
  request: ResolvedRequest;
  summary: LedgerSummaryRow;
  dimensions: Partial<Record<Dimension, string[]>>;
  /** bucket keys in slot order (b0 = not due …) */
  buckets: string[];
}

export interface TableInfo {
  table: string;
  rows: number;
  columns: { name: string; type: string }[];
}

export interface QueryOptions {
  background?: boolean;
  idle?: boolean;
}

/** The overview's request: its scope, how many customers its ageing lists, which KPI families. */
export type DashboardRequest = KpiRequest & {
  customer_limit: number;
  families?: readonly ScalarFamily[];
  /** the sparklines too (the overview's: 24 points), when they cost little more than the cards */
  series_points?: number;
};

export interface EngineApi {
  init(): Promise<EngineInfo>;
  /** Loads files; progress is reported per file; cancel() stops it and leaves the ledger as it was. */
  load(files: (File | UrlSource)[], options: LoadOptions, onProgress: (p: ImportProgress) => void): Promise<ImportResult>;
  /** The mapping screen's view of one file (first rows, mapping, parse rate per field); loads nothing. */
  preview(file: File, options: { sheet?: string; choice?: MappingChoice; saved?: Record<string, MappingChoice> }): Promise<FilePreview>;
  cancel(): Promise<void>;
  clear(): Promise<void>;
  /** `background`: work a page can do without (a chart's series): dropped, rejected with
   *  'superseded', when a dashboard request comes in before it has started. `idle`: work nobody
   *  waits for (what a workspace saves): run with the worker's background work, once the user rests. */
  query<N extends QueryName>(name: N, params: QueryParams<N>, options?: QueryOptions): Promise<QueryRow<N>[]>;
  /** The report of `families` (all when absent) with the customers' ageing, the ledger summary and
   *  the slice pickers' values. */
  /** The overview's figures; `onCards` receives the cards and the aged balance as soon as they are
   *  computed, before the tables (not called when the dashboard was kept or computed ahead). */
  dashboard(request: DashboardRequest, onCards?: (cards: DashboardCards) => void, onSeries?: (series: DashboardSeries) => void): Promise<Dashboard | null>;
  /** The resolved request, ledger summary, dimension values and buckets (no KPI computed). */
  context(request: KpiRequest): Promise<PageContext | null>;
  /** The forecast's backtest on this ledger (the last 12 month-ends with enough history around them);
   *  progress is reported per origin; cancel() stops it between origins ('cancelled'). */
  /** The backtest measured before for this request's origins and currency, kept until the ledger
   *  changes (null: none): the forecast page shows it again without replaying the month-ends, and
   *  a workspace keeps it with its saved overview (the same ledger, the same KPI definitions). */
  keptBacktest(request: KpiRequest): Promise<KeptBacktest | null>;
  /** (with what it was measured on, when that is the ledger there is now: `kept`, as keptBacktest answers it) */
  backtest(
    request: KpiRequest, onProgress?: (p: { done: number; total: number; origin: string }) => void,
  ): Promise<{ result: BacktestResult; kept: KeptBacktest | null } | null | 'cancelled'>;
  /** A table as an XLSX file (real numbers and dates). */
  exportXlsx(table: ExportTable): Promise<Uint8Array>;
  /** One scalar KPI family over the 24 monthly points ending at the request's date. */
  familySeries(request: KpiRequest, family: ScalarFamily): Promise<({ date: string } & Record<string, number | boolean | null>)[]>;
  /** The rows of a file that were rejected, or (kind 'warnings') imported with a warning. */
  rejects(file: string, limit: number, kind?: 'rejects' | 'warnings'): Promise<{ rows: RejectRow[]; total: number }>;
  describe(): Promise<TableInfo[]>;
  /** A workspace's settings into the engine (buckets, risk thresholds, dunning scenarios); refused whole if not valid. */
  applySettings(settings: WorkspaceSettings): Promise<void>;
  /** One table of the ledger as Arrow (a workspace keeps them all, to reopen without importing),
   *  with the ledger it was taken from (`ledger`): given `since`, the one of the tables taken before,
   *  it fails if the ledger has changed since (an image is of one ledger). */
  imagePart(table: string, since?: number): Promise<ImagePart & { ledger: number }>;
  /** Starts reading a saved image's first tables from disk (while the engine starts); the
   *  loadImage that follows takes them. Answers at once. */
  readImageAhead(parts: { table: string; rows: number; blob: Blob }[]): void;
  /**
   * Replaces the ledger with a saved image; when it does not fit, the ledger is left empty and why is
   * said. Answers once the tables the overview reads are in: the others (LATE_TABLES) are appended
   * after, while the early requests (early-requests.ts) already run and the others wait for them.
   */
  loadImage(parts: { table: string; rows: number; blob: Blob }[]): Promise<{ ok: true; elapsed_ms: number } | { ok: false; why: string }>;
  /** Once the last image's late tables are in (ms since its loading started), or why they could not
   *  be (the ledger is then empty). */
  imageLoaded(): Promise<{ ok: true; elapsed_ms: number } | { ok: false; why: string }>;
  /**
   * A workspace's saved overview, right after its ledger was loaded back, kept as the engine's
   * answer to the same request (dashboard-reuse.ts says when it may be); false, with nothing kept,
   * when it may not.
   */
  seedDashboard(
    saved: Dashboard, families: readonly ScalarFamily[] | undefined, customer_limit: number,
  ): Promise<{ reused: boolean; summary: LedgerSummaryRow | null }>;
}
