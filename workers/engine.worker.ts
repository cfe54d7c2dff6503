/// <reference lib="webworker" />
/**
 * The engine worker: the only owner of DuckDB in the app. Pages reach it through the typed
 * EngineApi (src/lib/engine/protocol.ts) over comlink.
 */
import * as Comlink from 'comlink';
import { bootstrap, clearLedger, compactLedger, forgetRequests, SQL_MODULES } from '../src/lib/engine/bootstrap';
import { applySettings } from '../src/lib/kpi/settings';
import { openBrowserEngine, type BrowserEngine } from '../src/lib/engine/hosts/wasm-browser';
import type { Dashboard, DashboardCards, DashboardRequest, DashboardSeries, KeptBacktest, EngineApi, EngineInfo, UrlSource } from '../src/lib/engine/protocol';
import { importFiles, MAX_BYTES, previewFile, type ImportSource } from '../src/lib/importers/import';
import type { ImportProgress, RejectRow } from '../src/lib/importers/report';
import { runQuery, scopeCurrency } from '../src/lib/kpi/queries';
import { keepMonthEndsAhead } from '../src/lib/kpi/series-days';
import { cardSeries, customerAging, splitDrawn, familySeries, kpiCards, kpiReport, requestFacts, resolveWith, type KpiRequest, type QueryRunner, type RequestFacts, type ResolvedRequest, type ScalarFamily } from '../src/lib/kpi/report';
import { createJobQueue } from '../src/lib/engine/job-queue';
import { monthEndsBefore } from '../src/lib/dates/month-ends';
import { tableXlsx } from '../src/lib/export/xlsx';
import { backtest, defaultOrigins, type BacktestResult } from '../src/lib/kpi/backtest';
import { prepareFx } from '../src/lib/kpi/fx';
import { prepareModel, prepareShifts } from '../src/lib/kpi/forecast';
import { CancelledError } from '../src/lib/engine/sql-engine';
import { canImage, ImageMismatch, loadImageEarly, readAhead, takeImagePiecewise, type LateLoad } from '../src/lib/workspace/ledger-image';
import { dashboardIsEarly, EARLY_QUERIES } from '../src/lib/engine/early-requests';
import { fnv1a } from '../src/lib/workspace/image-format';
import { seriesKey, whyNotReusable } from '../src/lib/engine/dashboard-reuse';
import type { QueryParams, QueryRow, Scope, SeriesChangeRow, SeriesRow } from '../src/lib/kpi/queries';

/** The version of the KPI definitions (their SQL): a dashboard saved by another version is not reused. */
const KPI_VERSION = fnv1a(Object.values(SQL_MODULES).join('\n'));

let enginePromise: Promise<BrowserEngine> | null = null;
/** The slice pickers' values per currency: they change only with the ledger. */
const dimensionCache = new Map<string, Dashboard['dimensions']>();
let cancelled = false;
/** Whether the job running is one that cancel() stops (an import, a backtest): only then is the
 *  statement in flight interrupted (not a reopened ledger's chunk, whose loss would empty it). */
let interruptible = false;
/** Bumped by every dashboard request: background queries asked before it are no longer wanted. */
let generation = 0;
/** One job at a time (a query waits for the import before it); work ahead once the user rests. */
const jobs = createJobQueue(1000);
/** Bumped by whatever changes the ledger or the settings: what was computed before is stale. */
let ledgerVersion = 0;
/** A reopened workspace's saved series of its overview (seedDashboard), until the ledger or the settings change. */
const seriesKept = new Map<string, SeriesRow[]>();
/** and the changes of its cards saved with them */
const changesKept = new Map<string, SeriesChangeRow[]>();
/** Backtests measured on this ledger, by currency and origins, until it changes (backtestPlan). */
const backtestsKept = new Map<string, Omit<KeptBacktest, 'key'>>();
/** Dashboards computed, by request, until the ledger or the settings change (the most recently used kept). */
const dashboards = new Map<string, Dashboard>();
const KEEP_DASHBOARDS = 64;
/** A reopened workspace's late tables (ledger-image.ts), appended while the early requests already
 *  run: how that went, once they are all in. */
type ImageLoaded = { ok: true; elapsed_ms: number } | { ok: false; why: string };
let imageLoaded: Promise<ImageLoaded> = Promise.resolve({ ok: true, elapsed_ms: 0 });
/** A workspace's first tables read from disk while DuckDB starts (readImageAhead), for loadImage. */
let readingAhead: ReturnType<typeof readAhead> | null = null;
const readBlob = async (p: { blob: Blob }) => new Uint8Array(await p.blob.arrayBuffer());
const READ_AHEAD_HELD_MS = 120_000;

/** The late tables appended a chunk per job (`loading`: the user's early requests go in between, the
 *  others wait for the last); then the forecast learns ahead, as after an import. */
function appendLate(late: LateLoad, started: number): Promise<ImageLoaded> {
  const version = ledgerVersion;
  return new Promise<ImageLoaded>((resolve) => {
    // each chunk's job queues the next before it ends: the queue always knows loading is not over;
    // a chunk waiting for its table's bytes from disk holds none of the user's early requests
    const step = async () => {
      try {
        if (await late.next()) return void jobs.loading(step, late.ready());
        if (version === ledgerVersion) learnAhead();
        resolve({ ok: true, elapsed_ms: Math.round(performance.now() - started) });
      } catch (err) {
        // the ledger was emptied: what was computed from its first part no longer holds
        ledgerTouched();
        resolve({ ok: false, why: err instanceof Error ? err.message : String(err) });
      }
    };
    void jobs.loading(step, late.ready());
  });
}

/** How many month-ends before the date shown are computed ahead (the as-of control steps by month-end). */
const MONTHS_AHEAD = 12;
/** In a slice, how many other values of its dimension are computed ahead (most used first). */
const SIBLINGS_AHEAD = 12;

/** Requests answered since the last checkpoint: each may have written open items, series or rates
 *  at new dates, and deleted older ones (bootstrap.ts: DuckDB no longer checkpoints by itself). */
let requestsSinceCompaction = 0;
let compactionQueued = false;
const COMPACT_EVERY = 16;
/** A checkpoint cannot be stopped, and the first after a reopening compresses the whole ledger
 *  (6–11 s at 0.9M invoices, 770 → 115 MB): it waits for the user to have rested this long, the
 *  work ahead goes before it. */
const COMPACT_REST_MS = 10_000;

/** Once enough was written, a checkpoint while the user rests (a few hundred milliseconds at 0.9M
 *  invoices): the space of what was deleted comes back and what was written is compressed. */
function compactLater(): void {
  if (++requestsSinceCompaction < COMPACT_EVERY || compactionQueued) return;
  compactionQueued = true;
  jobs
    .background(
      async () => {
        compactionQueued = false;
        requestsSinceCompaction = 0;
        await compactLedger(await engine());
      },
      { restMs: COMPACT_REST_MS },
    )
    .catch((err) => console.warn('compaction:', err));
}

/**
 * What the forecast learns at the ledger's latest date (prepareModel: the shifts and the survival
 * curves, ~1.7 s at 0.9M invoices in duckdb-wasm), learned once a new ledger is in and the user
 * rests, in two background jobs: the forecast page then computes only its items' distributions.
 * Given up when the ledger changes first.
 */
function learnAhead(): void {
  const version = ledgerVersion;
  // (stoppable: a user's request stops the statement in flight, ~0.1 s, instead of waiting up to
  // 2.5 s at 0.9M invoices; the step learns again once the user rests, what it wrote rolled back)
  const step = (learn: typeof prepareShifts) =>
    jobs.background(
      async () => {
        if (version !== ledgerVersion) return;
        const e = await engine();
        await e.stoppable(async () => {
          const r = await resolveNoting(e, {});
          if (r) await learn(e, r.as_of);
        });
      },
      { stop: () => void enginePromise?.then((e) => e.cancel()) },
    );
  void step(prepareShifts)
    .then(() => step(prepareModel))
    .catch((err) => console.warn('forecast, learning ahead:', err));
}

class Superseded extends Error {}

/** The ledger or the settings changed: nothing computed before holds. */
function ledgerTouched(): void {
  ledgerVersion++;
  dashboards.clear();
  seriesKept.clear();
  changesKept.clear();
  backtestsKept.clear();
  dimensionCache.clear();
}

/** What resolving a request read of the ledger (its latest date, its currencies), and for which
 *  version of it: a dashboard kept for a request is found again without the engine (keptDashboard). */
let factsRead: { version: number; facts: RequestFacts } | null = null;

/** resolveRequest for every job of the worker: what it reads of the ledger is kept, for keptDashboard
 *  and for the next request, until the ledger changes (two queries, 5–17 ms of a change of date in
 *  Chromium at 0.9M invoices). */
async function resolveNoting(e: BrowserEngine, request: KpiRequest): Promise<ResolvedRequest | null> {
  if (factsRead?.version !== ledgerVersion) {
    const version = ledgerVersion;
    factsRead = { version, facts: await requestFacts(e) };
  }
  return resolveWith(factsRead.facts, request);
}

/**
 * A dashboard computed before (shown, or computed ahead: the month-ends before the date shown, a
 * slice's neighbours), answered at once, without waiting for the engine: the engine may be busy
 * with a job that cannot be stopped (a compaction, a chunk of a reopened ledger, the sparklines'
 * totals). Only when none of the user's earlier jobs is still to run (one may change the ledger).
 */
function keptDashboard(request: DashboardRequest): Dashboard | null {
  if (jobs.userJobs > 0 || factsRead?.version !== ledgerVersion) return null;
  let r: ResolvedRequest | null;
  try {
    r = resolveWith(factsRead.facts, request);
  } catch {
    return null; // (the engine's job reports a bad request)
  }
  const key = r && dashboardKey(r, request.families, request.customer_limit);
  const d = key ? dashboards.get(key) : undefined;
  if (!key || !d) return null;
  remember(key, d);
  void engine().then((e) => computeAhead(e, d, request.families, request.customer_limit, request.series_points));
  return d;
}

function dashboardKey(r: ResolvedRequest, families: readonly ScalarFamily[] | undefined, limit: number): string {
  return JSON.stringify([r.as_of, r.period_days, r.currency, r.convert, r.dim, r.val, families ?? 'all', limit]);
}

function remember(key: string, d: Dashboard): void {
  dashboards.delete(key);
  dashboards.set(key, d);
  if (dashboards.size > KEEP_DASHBOARDS) dashboards.delete(dashboards.keys().next().value!);
}

async function computeDashboard(
  e: BrowserEngine,
  r: ResolvedRequest,
  families: readonly ScalarFamily[] | undefined,
  limit: number,
  run: QueryRunner,
  hand?: { cards?: (cards: DashboardCards) => void; series?: (series: DashboardSeries) => void; points?: number },
): Promise<Dashboard> {
  const [summary] = await run(e, 'ledger_summary', {});
  // The cards first: they prepare the exchange rates the converted pickers read. Handed over at
  // once: the page shows them while the tables are computed.
  const cards = await kpiCards(e, r, families, run);
  if (hand?.cards) {
    Promise.resolve(hand.cards({ request: r, report: cards, summary })).catch(() => {});
  }
  // Then the sparklines, when their scope's points are kept: ~30 ms more (the user's job only: it
  // runs its statements directly; the dashboards computed ahead ask for theirs as background work)
  const drawn = hand?.points ? await cardSeries(e, r, cards, hand.points) : null;
  if (drawn && hand?.series) {
    Promise.resolve(hand.series({ request: r, ...drawn })).catch(() => {});
  }
  const report = await kpiReport(e, r, families, run, cards);
  const dimensions = await dimensionValues(e, r, run);
  return {
    request: r, report, customers: await customerAging(e, r, limit, run), summary, dimensions, kpi_version: KPI_VERSION,
    ...(drawn ?? {}),
  };
}

/** Background work a job at a time (`step`), given up (Superseded) once the user asks for another
 *  dashboard or the ledger changes (`stale`). */
function workAhead(): { stale: () => boolean; step: <T>(job: () => Promise<T>) => Promise<T>; stoppable: <T>(job: () => Promise<T>) => Promise<T> } {
  const asked = generation;
  const version = ledgerVersion;
  const stale = () => asked !== generation || version !== ledgerVersion;
  const step = <T>(job: () => Promise<T>) =>
    jobs.background(async () => {
      if (stale()) throw new Superseded();
      return job();
    });
  // (a step of one statement, rolled back when stopped: a user's request stops it instead of
  // waiting for it, and it runs again once the user rests)
  const stoppable = <T>(job: () => Promise<T>) =>
    jobs.background(
      async () => {
        if (stale()) throw new Superseded();
        return (await engine()).stoppable(job);
      },
      { stop: () => void enginePromise?.then((e) => e.cancel()) },
    );
  return { stale, step, stoppable };
}

/**
 * What the user is likely to ask next, computed while the user reads: the month-ends before the
 * date shown, in the same scope (stepping back a month then answers at once), then, in a slice, the
 * other values of the same dimension at the same date (the next division, the next collector…).
 * One query per background job, so a request of the user's waits at most for one; given up as soon
 * as the user asks for another dashboard or the ledger changes. Not when converting (the rates are
 * prepared per date outside the named queries).
 */
async function computeAhead(e: BrowserEngine, shown: Dashboard, families: readonly ScalarFamily[] | undefined, limit: number, points?: number) {
  const r = shown.request;
  if (r.convert) return;
  const { stale, step, stoppable } = workAhead();
  const run: QueryRunner = (eng, name, params) => step(() => runQuery(eng, name, params));
  const siblings = r.dim ? (shown.dimensions[r.dim] ?? []).filter((v) => v !== r.val).slice(0, SIBLINGS_AHEAD) : [];
  const ahead: ResolvedRequest[] = [
    ...monthEndsBefore(r.as_of, MONTHS_AHEAD, shown.summary.earliest_date ?? undefined).map((as_of) => ({ ...r, as_of })),
    ...siblings.map((val) => ({ ...r, val })),
  ];
  try {
    // the dashboards first, as they were before any sparkline: the cards of the next click
    for (const req of ahead) {
      const key = dashboardKey(req, families, limit);
      if (dashboards.has(key)) continue;
      const d = await computeDashboard(e, req, families, limit, run);
      compactLater();
      if (stale()) return;
      remember(key, d);
    }
    if (points === undefined) return;
    // then the month-ends of the scope's series (any date the user picks in it then draws its
    // sparklines with its cards), and the sparklines of the dashboards ahead: at the month-ends of
    // the same scope from those points, cheap; in a neighbouring slice from its own daily totals
    // and points, built as one step that a request of the user's stops (~1.5 s in duckdb-wasm at
    // 0.9M invoices)
    await seriesAhead(e, r, stoppable);
    for (const req of ahead) {
      const key = dashboardKey(req, families, limit);
      const had = dashboards.get(key);
      if (!had || had.series) continue;
      const p = { ...req, points };
      const drawn = splitDrawn(await (req.val === r.val ? run(e, 'series_drawn', p) : stoppable(() => runQuery(e, 'series_drawn', p))));
      compactLater();
      if (stale()) return;
      // (the dashboard as kept now, if still kept: the sparklines added to it)
      const now = dashboards.get(key);
      if (now) remember(key, { ...now, ...drawn });
    }
  } catch (err) {
    if (!(err instanceof Superseded)) console.warn('dashboards ahead:', err);
  }
}

/**
 * The month-ends of a scope's series not kept yet, computed ahead a few at a time (series-days.ts,
 * keepMonthEndsAhead), once its daily totals are built: after its first series, or with the
 * dashboards ahead. Each step a background job, given up when `step` says the user moved on.
 */
async function seriesAhead(e: BrowserEngine, r: Scope, step: <T>(job: () => Promise<T>) => Promise<T>): Promise<void> {
  const earliest = factsRead?.version === ledgerVersion ? factsRead.facts.summary?.earliest_date : null;
  if (!earliest || r.convert) return;
  await keepMonthEndsAhead(e, r.as_of, scopeCurrency(r), r.dim ?? null, r.dim ? (r.val ?? null) : null, r.period_days, earliest, step);
}

/** What a backtest of this request replays: the default origins up to its date, in its currency
 *  (the whole ledger: the backtest reads no slice); null when there is nothing to replay. */
async function backtestPlan(e: BrowserEngine, request: KpiRequest): Promise<{ currency: string; origins: string[]; key: string } | null> {
  const resolved = await resolveNoting(e, request);
  if (!resolved) return null;
  const origins = (await defaultOrigins(e)).filter((o) => o <= resolved.as_of);
  return origins.length ? { currency: resolved.currency, origins, key: JSON.stringify([resolved.currency, origins]) } : null;
}

/** A job that cancel() may interrupt: between two statements, or with `stoppable` in the middle of
 *  one (the backtest). An import's statements run whole, as before: the one unexplained failure of
 *  the end-to-end suite, with them stoppable, was an import that never reported. */
function interruptibleJob<T>(job: () => Promise<T>, opts: { stoppable?: boolean } = {}): () => Promise<T> {
  return async () => {
    interruptible = true;
    try {
      const e = await engine();
      return await (opts.stoppable ? e.stoppable(job) : job());
    } finally {
      interruptible = false;
    }
  };
}

/** How the engine's start went (EngineInfo.started). */
const started = { open_ms: 0, setup_ms: 0 };

function engine(): Promise<BrowserEngine> {
  if (!enginePromise) {
    const t0 = performance.now();
    enginePromise = openBrowserEngine().then(async (e) => {
      const t1 = performance.now();
      await bootstrap(e);
      started.open_ms = Math.round(t1 - t0);
      started.setup_ms = Math.round(performance.now() - t1);
      return e;
    });
  }
  return enginePromise;
}

/** The values of every dimension the ledger fills, most used first (cached per currency; per date too when converting). */
async function dimensionValues(e: BrowserEngine, r: ResolvedRequest, run: QueryRunner = runQuery): Promise<Dashboard['dimensions']> {
  // The values do not depend on the date (dimension_values reads every invoice of the currency),
  // except when converting: then the rates held for the request's date decide what is in.
  const cacheKey = r.convert ? `*${r.currency}@${r.as_of}` : r.currency;
  let dimensions = dimensionCache.get(cacheKey);
  if (!dimensions) {
    const values = await run(e, 'dimension_values', { currency: r.currency, convert: r.convert });
    dimensions = {};
    for (const { dimension } of await run(e, 'dimensions_present', {})) {
      dimensions[dimension] = values.filter((v) => v.dimension === dimension).map((v) => v.value);
    }
    dimensionCache.set(cacheKey, dimensions);
  }
  return dimensions;
}

/** Reads a File in chunks, reporting bytes, so that a large file shows progress and can be cancelled. */
async function readWithProgress(file: File, report: (p: ImportProgress) => void): Promise<Uint8Array> {
  const bytes = new Uint8Array(file.size);
  const reader = file.stream().getReader();
  let offset = 0;
  let last = 0;
  report({ file: file.name, phase: 'reading', bytes: 0, total_bytes: file.size });
  for (;;) {
    if (cancelled) {
      await reader.cancel();
      throw new CancelledError();
    }
    const { done, value } = await reader.read();
    if (done) break;
    bytes.set(value, offset);
    offset += value.length;
    const now = performance.now();
    if (now - last > 50) {
      last = now;
      report({ file: file.name, phase: 'reading', bytes: offset, total_bytes: file.size });
    }
  }
  report({ file: file.name, phase: 'reading', bytes: offset, total_bytes: file.size });
  return offset === bytes.length ? bytes : bytes.subarray(0, offset);
}

async function fetchWithProgress(source: UrlSource, report: (p: ImportProgress) => void): Promise<Uint8Array> {
  const response = await fetch(source.url);
  if (!response.ok) throw new Error(`${source.name}: HTTP ${response.status}`);
  const blob = await response.blob();
  return readWithProgress(new File([blob], source.name), report);
}

const api: EngineApi = {
  async init(): Promise<EngineInfo> {
    const e = await engine();
    return { duckdb_version: e.version, bundle: e.bundle, started: { ...started } };
  },

  load(files, options, onProgress) {
    cancelled = false;
    readingAhead = null;
    return jobs.user(interruptibleJob(async () => {
      const e = await engine();
      const started = performance.now();
      const sources: ImportSource[] = [];
      try {
        for (const f of files) {
          // A file beyond what the tab can hold is not read at all: its first bytes say its format,
          // and the import refuses it with its size and the CLI as the way out.
          if (f instanceof File && f.size > Math.max(...Object.values(MAX_BYTES))) {
            sources.push({ name: f.name, bytes: new Uint8Array(await f.slice(0, 16).arrayBuffer()), size: f.size });
            continue;
          }
          const bytes = f instanceof File ? await readWithProgress(f, onProgress) : await fetchWithProgress(f, onProgress);
          sources.push({ name: f.name, bytes });
        }
      } catch (err) {
        if (err instanceof CancelledError) {
          for (const f of files) onProgress({ file: f.name, phase: 'cancelled' });
          return { status: 'cancelled' as const, files: [] };
        }
        throw err;
      }
      ledgerTouched();
      const result = await importFiles(e, sources, { ...options, onProgress, isCancelled: () => cancelled });
      // the new tables compressed and the ledger they replaced reclaimed: 678 → 107 MiB in 5 s at
      // 0.9M invoices; the overview and the forecast read them as fast (money kept DECIMAL(18,2))
      await compactLedger(e);
      requestsSinceCompaction = 0;
      if (result.status === 'done') learnAhead();
      return { ...result, elapsed_ms: Math.round(performance.now() - started) };
    }));
  },

  preview(file, options) {
    return jobs.user(
      async () => {
        const e = await engine();
        const bytes = new Uint8Array(await file.arrayBuffer());
        return previewFile(e, { name: file.name, bytes }, options);
      },
      { early: true },
    );
  },

  async cancel() {
    cancelled = true;
    // The import checks the flag between statements; this also interrupts a statement in flight
    // where duckdb-wasm can (a streamed query). Failing to interrupt is not an error.
    if (!interruptible) return;
    const e = await engine();
    await e.cancel().catch(() => {});
  },

  clear() {
    readingAhead = null;
    // (inside the job: a dashboard queued before the clear must not be kept as the cleared ledger's)
    return jobs.user(async () => {
      ledgerTouched();
      const e = await engine();
      await clearLedger(e);
      await compactLedger(e);
    });
  },

  query(name, params, options) {
    const asked = generation;
    const job = async () => {
      if (options?.background && asked !== generation) throw new Error('superseded');
      if (name === 'series' || name === 'series_changes') {
        const kept = (name === 'series' ? seriesKept : changesKept).get(seriesKey(params as QueryParams<'series'>));
        if (kept) return kept as QueryRow<typeof name>[];
      }
      compactLater();
      const e = await engine();
      const rows = await runQuery(e, name, params);
      // a scope's first series built its daily totals: its other month-ends follow, in the background
      if (name === 'series') {
        const { stoppable } = workAhead();
        void seriesAhead(e, params as Scope, stoppable).catch((err) => err instanceof Superseded || console.warn('series ahead:', err));
      }
      return rows;
    };
    if (options?.idle) return jobs.background(job);
    // a page's `background` query (the overview's sparklines, 0.3–0.8 s at 0.9M invoices) gives way
    // to the user's next request: its statement in flight is stopped (what it wrote rolled back: the
    // open items, daily totals and rates it prepares are marked once whole), and it runs again after
    // that request, or is dropped as superseded if that was a dashboard
    if (options?.background) {
      return jobs.user(async () => (await engine()).stoppable(job), {
        early: EARLY_QUERIES.has(name),
        stop: () => void enginePromise?.then((e) => e.cancel()),
      });
    }
    return jobs.user(job, { early: EARLY_QUERIES.has(name) });
  },

  dashboard(request, onCards, onSeries): Promise<Dashboard | null> {
    generation++;
    const kept = keptDashboard(request);
    if (kept) return Promise.resolve(kept);
    return jobs.user(async () => {
      const e = await engine();
      const resolved = await resolveNoting(e, request);
      if (!resolved) return null;
      const key = dashboardKey(resolved, request.families, request.customer_limit);
      // (kept again when read: the page being read is the last to go)
      const d =
        dashboards.get(key) ??
        (await computeDashboard(e, resolved, request.families, request.customer_limit, runQuery, { cards: onCards, series: onSeries, points: request.series_points }));
      remember(key, d);
      compactLater();
      void computeAhead(e, d, request.families, request.customer_limit, request.series_points);
      return d;
    }, { early: dashboardIsEarly(request.families) });
  },

  context(request) {
    return jobs.user(async () => {
      const e = await engine();
      const resolved = await resolveNoting(e, request);
      if (!resolved) return null;
      const [summary] = await runQuery(e, 'ledger_summary', {});
      // the converted pickers read the rates held for this request
      if (resolved.convert) await prepareFx(e, resolved.currency, resolved.as_of);
      const buckets = (await runQuery(e, 'aging_buckets', {})).map((b) => b.bucket);
      return { request: resolved, summary, dimensions: await dimensionValues(e, resolved), buckets };
    }, { early: true });
  },

  keptBacktest(request) {
    return jobs.user(async () => {
      const plan = await backtestPlan(await engine(), request);
      const kept = plan && backtestsKept.get(plan.key);
      return kept ? { key: plan.key, ...kept } : null;
    });
  },

  backtest(request, onProgress) {
    cancelled = false;
    return jobs.user(interruptibleJob(async () => {
      const e = await engine();
      const plan = await backtestPlan(e, request);
      if (!plan) return null;
      const { origins, currency, key } = plan;
      const version = ledgerVersion;
      try {
        const result = await backtest(e, {
          currency,
          origins,
          onOrigin: (origin, done) => onProgress?.({ done, total: origins.length, origin }),
          isCancelled: () => cancelled,
        });
        // (kept only if measured on the ledger there is now: its summary, read when the plan resolved
        // the request)
        const summary = version === ledgerVersion && factsRead?.version === version ? factsRead.facts.summary : null;
        const kept = summary ? { result, summary, kpi_version: KPI_VERSION } : null;
        if (kept) backtestsKept.set(key, kept);
        return { result, kept: kept && { key, ...kept } };
      } catch (err) {
        if (err instanceof CancelledError || cancelled) return 'cancelled' as const;
        throw err;
      }
    }, { stoppable: true }));
  },

  async exportXlsx(table) {
    const bytes = tableXlsx(table);
    return Comlink.transfer(bytes, [bytes.buffer]);
  },

  familySeries(request, family) {
    return jobs.user(async () => {
      const e = await engine();
      const resolved = await resolveNoting(e, request);
      if (!resolved) return [];
      return (await familySeries(e, resolved, family)) as unknown as ({ date: string } & Record<string, number | boolean | null>)[];
    });
  },

  rejects(file, limit, kind = 'rejects') {
    const table = kind === 'warnings' ? 'import_warnings' : 'import_rejects';
    return jobs.user(async () => {
      const e = await engine();
      const rows = await e.query<RejectRow>(
        `SELECT file_name, row_number, line, column_name, value, reason, detail FROM ${table} WHERE file_name = ? ORDER BY line NULLS LAST LIMIT ?`,
        [file, limit],
      );
      const [{ n }] = await e.query<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE file_name = ?`, [file]);
      return { rows, total: n };
    });
  },

  applySettings(settings) {
    return jobs.user(async () => {
      const e = await engine();
      await applySettings(e, settings);
      // what was prepared for requests was computed with the old buckets and thresholds
      await forgetRequests(e);
      ledgerTouched();
    }, { early: true });
  },

  async imagePart(table, since) {
    // background work, a slice of rows at a time: the user's requests go first and wait for one
    // slice at most (a whole table was a job of up to 2 s at 0.9M invoices)
    const e = await engine();
    if (!canImage(e)) throw new Error('this engine cannot save its tables');
    const version = since ?? ledgerVersion;
    const part = await takeImagePiecewise(e, table, (job) => jobs.background(job), () => version === ledgerVersion);
    return Comlink.transfer({ ...part, ledger: version }, [part.bytes.buffer]);
  },

  loadImage(parts) {
    return jobs.user(async () => {
      const e = await engine();
      if (!canImage(e)) return { ok: false as const, why: 'this engine cannot load saved tables' };
      const started = performance.now();
      ledgerTouched();
      let late: LateLoad;
      const ahead = readingAhead;
      readingAhead = null;
      try {
        late = await loadImageEarly(e, parts.map((p) => ({ table: p.table, rows: p.rows, bytes: () => ahead?.take(p.table, p.blob.size) ?? readBlob(p) })));
      } catch (err) {
        if (err instanceof ImageMismatch) return { ok: false as const, why: err.message };
        throw err;
      }
      imageLoaded = appendLate(late, started);
      return { ok: true as const, elapsed_ms: Math.round(performance.now() - started) };
    });
  },

  readImageAhead(parts) {
    // not a job: the engine is still starting, and this only reads files
    const ahead = (readingAhead = readAhead(parts.map((p) => ({ ...p, size: p.blob.size })), readBlob));
    // (not held for ever if no loading comes to take it: up to 256 MB)
    setTimeout(() => readingAhead === ahead && (readingAhead = null), READ_AHEAD_HELD_MS);
  },

  imageLoaded() {
    return imageLoaded;
  },

  seedDashboard(saved, families, customer_limit) {
    return jobs.user(async () => {
      const e = await engine();
      const request = await resolveNoting(e, {});
      // (the summary the request was resolved from, read once: the page takes it too)
      const summary = factsRead?.facts.summary ?? null;
      const why = request && summary ? whyNotReusable(saved, { kpi_version: KPI_VERSION, request, summary }) : 'empty';
      if (why || !summary) return { reused: false, summary };
      const { series, changes, backtests, ...dashboard } = saved;
      remember(dashboardKey(saved.request, families, customer_limit), dashboard);
      // the sparklines saved with it too: the engine's first job after a reopening was computing them
      if (series) seriesKept.set(seriesKey(saved.request), series);
      if (changes) changesKept.set(seriesKey(saved.request), changes);
      // and the backtests measured on the same ledger (the overview's checks are theirs)
      for (const b of backtests ?? []) backtestsKept.set(b.key, { result: b.result, summary, kpi_version: KPI_VERSION });
      return { reused: true, summary };
    }, { early: true });
  },

  describe() {
    return jobs.user(async () => {
      const e = await engine();
      const cols = await e.query<{ table_name: string; column_name: string; data_type: string }>(
        `SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' AND NOT internal ORDER BY table_name, column_index`,
      );
      const tables = [...new Set(cols.map((c) => c.table_name))];
      const out = [];
      for (const t of tables) {
        const [{ n }] = await e.query<{ n: number }>(`SELECT count(*) AS n FROM "${t.replace(/"/g, '""')}"`);
        out.push({ table: t, rows: n, columns: cols.filter((c) => c.table_name === t).map((c) => ({ name: c.column_name, type: c.data_type })) });
      }
      return out;
    });
  },
};

Comlink.expose(api);
