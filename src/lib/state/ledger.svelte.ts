/**
 * The app's view of the engine: is it ready, what does the ledger hold, which import is running.
 * KPIs are not kept here: screens ask the engine for them with their own parameters.
 */
import { browser } from '$app/environment';
import { savedMappings } from './mappings.svelte';
import { workspace } from './workspace.svelte';
import { i18n } from './i18n.svelte';
import { Comlink, engineClient, engineQuery } from '../engine/client';
import type { Dashboard, EngineInfo, LoadOptions, UrlSource } from '../engine/protocol';
import type { ImportProgress, ImportResult } from '../importers/report';
import type { LedgerSummaryRow } from '../kpi/queries';
import { OVERVIEW_FAMILIES } from '../ui/kpi-cards';
import { peekImage, type OpenedWorkspace } from '../workspace/store';
import type { WorkspaceSettings } from '../settings/workspace-settings';

/** How long the ledger must stay unchanged before it is saved (a burst of recorded events saves once). */
const IMAGE_DELAY_MS = 3000;
/** customers listed on the overview's first page (its PAGE) */
export const OVERVIEW_ROWS = 50;

export type EngineStatus = 'idle' | 'starting' | 'ready' | 'failed';

class LedgerState {
  status = $state<EngineStatus>('idle');
  info = $state<EngineInfo | null>(null);
  error = $state<string | null>(null);
  summary = $state<LedgerSummaryRow | null>(null);
  /** true while the ledger is the bundled demo: a user's first drop replaces it */
  isDemo = $state(false);
  busy = $state(false);
  progress = $state<Record<string, ImportProgress>>({});
  lastResult = $state<ImportResult | null>(null);
  /** The engine has the files dropped; they are being kept in the workspace (nothing left to cancel). */
  keepingFiles = $state(false);
  /**
   * The overview the engine computed for the workspace's ledger when it was saved (default request):
   * shown at opening, read from the manifest alone, until the engine has the ledger back and the
   * page its own figures. Dropped on any change of the ledger.
   */
  savedOverview = $state<{ workspace: string; dashboard: Dashboard } | null>(null);
  /** how the current workspace's ledger came back at its opening: its saved tables, or its files imported again */
  reopenedFrom = $state<'image' | 'files' | null>(null);
  /** bumps after every change of the ledger, so that screens re-query */
  version = $state(0);

  private starting: Promise<void> | null = null;
  /**
   * Imports and clearings run one after the other, in the order asked: a new workspace's clearing
   * still on its way must not empty the ledger of files dropped right after it was created.
   */
  private changes: Promise<unknown> = Promise.resolve();
  private inTurn<T>(change: () => Promise<T>): Promise<T> {
    const run = this.changes.then(change, change);
    this.changes = run.catch(() => {});
    return run;
  }

  /** Starts the engine once; every caller waits for the same start. */
  start(): Promise<void> {
    if (this.starting) return this.starting;
    // the workspace to reopen, read while the engine starts: its saved overview can show at once,
    // and the engine reads its saved tables from disk meanwhile
    const initial = workspace.initial().catch(() => null);
    void initial.then(async (id) => {
      const img = id ? await peekImage(id).catch(() => null) : null;
      if (!id || !img || this.hasData || this.busy) return;
      if (img.overview) this.savedOverview = { workspace: id, dashboard: img.overview as Dashboard };
      void engineClient().readImageAhead(img.parts);
    });
    this.starting = (async () => {
      this.status = 'starting';
      try {
        this.info = await engineClient().init();
        // (for benchmarks, as data-engine-pending: when the engine was up, ms from the page's start)
        if (browser) {
          document.documentElement.dataset.engineStartedAt = String(Math.round(performance.now()));
          // (and, in the worker, DuckDB opened then the SQL set up, ms)
          document.documentElement.dataset.engineStart = `${this.info.started.open_ms}+${this.info.started.setup_ms}`;
        }
        this.status = 'ready';
        await this.refresh();
      } catch (e) {
        this.status = 'failed';
        this.error = e instanceof Error ? e.message : String(e);
      }
    })();
    // the workspace used last comes back (its files imported again), once the engine is up: not
    // inside the start itself, which the import waits for
    void this.starting.then(async () => {
      if (this.status !== 'ready') return;
      const id = await initial;
      if (id && !this.hasData && !this.busy) await this.openWorkspace(id);
    });
    return this.starting;
  }

  async refresh() {
    const [s] = await engineQuery('ledger_summary', {});
    this.refreshed(s ?? null);
  }

  private refreshed(summary: LedgerSummaryRow | null) {
    this.summary = summary;
    this.version++;
  }

  get hasData(): boolean {
    return (this.summary?.invoices ?? 0) > 0;
  }

  /** Switches to a workspace: the ledger becomes its saved tables, or its files imported again. */
  async openWorkspace(id: string): Promise<void> {
    if (this.savedOverview?.workspace !== id) this.savedOverview = null;
    workspace.restoring = true;
    try {
      const opened = await workspace.open(id);
      if (!opened) return;
      this.reopenedFrom = null;
      await this.start();
      if (this.status !== 'ready') return;
      await engineClient().applySettings($state.snapshot(workspace.settings));
      if (opened.image && (await this.loadImage(opened.image, id))) {
        this.reopenedFrom = 'image';
        void this.afterImage(opened, id);
        return;
      }
      // imported again: the saved overview was not of what is coming
      this.savedOverview = null;
      if (opened.files.length) {
        await this.load(opened.files, opened.options, false, true);
        this.reopenedFrom = 'files';
      } else await this.clear();
    } finally {
      workspace.restoring = false;
    }
  }

  /**
   * The image's late tables (invoices, payments…) are appended after loadImage answered, while the
   * overview already works: if one of them does not fit, the ledger is empty again and the
   * workspace is imported from its files, as when the image is refused at once.
   */
  private async afterImage(opened: { files: File[]; options: LoadOptions }, id: string): Promise<void> {
    const r = await engineClient().imageLoaded();
    // (for benchmarks: the whole ledger back, ms from the page's start)
    if (browser) document.documentElement.dataset.imageWhole = String(r.ok ? Math.round(performance.now()) : -1);
    if (r.ok || workspace.current?.id !== id) return;
    workspace.notice = { key: 'image_unused', detail: r.why };
    this.savedOverview = null;
    this.reopenedFrom = null;
    await this.refresh();
    if (opened.files.length) {
      await this.load(opened.files, opened.options, false, true);
      this.reopenedFrom = 'files';
    } else await this.clear();
  }

  /** The workspace's saved ledger into the engine; false when it did not fit (then imported from its files). */
  private async loadImage(image: NonNullable<OpenedWorkspace['image']>, id: string): Promise<boolean> {
    await this.start();
    if (this.status !== 'ready') return false;
    this.busy = true;
    try {
      const loadStarted = performance.now();
      const r = await engineClient().loadImage(image.parts);
      if (browser) {
        // (for benchmarks: the saved ledger's loading, ms from the page's start, and its time in the worker)
        document.documentElement.dataset.imageLoad = `${Math.round(loadStarted)}+${r.ok ? r.elapsed_ms : -1}`;
      }
      if (!r.ok) {
        workspace.notice = { key: 'image_unused', detail: r.why };
        return false;
      }
      // the overview saved with this ledger stands for the engine's own, when nothing it depends on
      // changed (the worker checks): not computed again while the user waits to act
      const saved = this.savedOverview?.workspace === id ? this.savedOverview.dashboard : null;
      const seeded = saved ? await engineClient().seedDashboard($state.snapshot(saved), OVERVIEW_FAMILIES, OVERVIEW_ROWS).catch(() => null) : null;
      this.isDemo = false;
      this.progress = {};
      this.ledgerReport = (image.report as ImportResult | null) ?? null;
      this.lastResult = this.ledgerReport && { ...this.ledgerReport, elapsed_ms: r.elapsed_ms };
      // (the summary the worker read to check the saved overview: not asked for a second time)
      if (seeded?.summary) this.refreshed(seeded.summary);
      else await this.refresh();
      return true;
    } catch (e) {
      workspace.notice = { key: 'image_unused', detail: e instanceof Error ? e.message : String(e) };
      return false;
    } finally {
      this.busy = false;
    }
  }

  private imageTimer: ReturnType<typeof setTimeout> | null = null;
  /** the import report of every file in the ledger (kept with its saved image) */
  private ledgerReport: ImportResult | null = null;

  /**
   * A few seconds after the ledger of a workspace changed (and nothing else since), its tables are
   * saved into it, so that the next opening loads them instead of importing the files again.
   */
  private scheduleImage(report: ImportResult) {
    if (this.imageTimer) clearTimeout(this.imageTimer);
    // the workspace whose ledger this is: another one made current meanwhile (created, then cleared
    // a moment later) must not receive it — its own files would then reopen as this ledger
    const owner = workspace.current?.id;
    this.imageTimer = setTimeout(() => {
      this.imageTimer = null;
      const version = this.version;
      const stillValid = () => !this.busy && this.version === version && !this.isDemo && workspace.current?.id === owner;
      if (!stillValid()) return;
      const client = engineClient();
      void (async () => {
        // the overview of the default request, shown at the next opening while the ledger loads
        const overview = await client.dashboard({ customer_limit: OVERVIEW_ROWS, families: OVERVIEW_FAMILIES }).catch(() => null);
        // and its sparklines: at the next opening the engine answers them at once, instead of
        // spending its first second after the ledger on them (computed once the user rests: a page's
        // request must not wait for them)
        // (none to ask when the dashboard came with them)
        if (overview && !overview.series) {
          overview.series = await engineQuery('series', overview.request, { idle: true }).catch(() => undefined);
          if (overview.series) overview.changes = await engineQuery('series_changes', overview.request, { idle: true }).catch(() => undefined);
        }
        if (!stillValid()) return;
        // (every table of the ledger its first table was taken from: the worker refuses another)
        let ledger: number | undefined;
        const part = async (table: string) => {
          const p = await client.imagePart(table, ledger);
          ledger = p.ledger;
          return p;
        };
        if (owner) await workspace.saveImage(owner, part, stillValid, $state.snapshot(report), overview);
      })().catch((e) => console.warn('the workspace keeps its files; its ledger could not be saved:', e));
    }, IMAGE_DELAY_MS);
  }

  load(files: (File | UrlSource)[], options: LoadOptions = {}, demo = false, restoring = false): Promise<ImportResult | null> {
    return this.inTurn(() => this.loadNow(files, options, demo, restoring));
  }

  private async loadNow(files: (File | UrlSource)[], options: LoadOptions, demo: boolean, restoring: boolean): Promise<ImportResult | null> {
    await this.start();
    if (this.status !== 'ready') return null;
    this.busy = true;
    if (!restoring) this.savedOverview = null;
    this.progress = Object.fromEntries(files.map((f) => [f.name, { file: f.name, phase: 'reading' } as ImportProgress]));
    try {
      const replace = options.replace ?? (demo || this.isDemo);
      // Snapshots: reactive proxies cannot be structured-cloned to the worker.
      const result = await engineClient().load(
        [...files],
        $state.snapshot({
          ...options,
          replace,
          savedMappings: options.savedMappings ?? savedMappings(),
          defaultTermsDays: options.defaultTermsDays ?? workspace.settings.default_terms_days,
        }),
        Comlink.proxy((p: ImportProgress) => {
          this.progress[p.file] = p;
        }),
      );
      this.lastResult = result;
      if (result.status === 'done') this.ledgerReport = replace ? result : mergedReport(this.ledgerReport, result);
      if (result.status === 'done') this.isDemo = demo;
      if (demo && result.status === 'done' && workspace.current) {
        workspace.leave();
        await engineClient().applySettings($state.snapshot(workspace.settings));
      }
      // the new ledger shown at once; then what the user dropped is kept in the workspace (not the
      // demo, not a replay of it): 2–3 s for 200 MB of files, during which no other import starts
      await this.refresh();
      const dropped = files.filter((f): f is File => f instanceof File);
      if (!demo && !restoring && dropped.length) {
        this.keepingFiles = true;
        await workspace
          .saveImport(dropped, { ...options, replace }, result, defaultWorkspaceName())
          .catch((e) => {
            this.error = e instanceof Error ? e.message : String(e);
          })
          .finally(() => (this.keepingFiles = false));
      }
      if (!demo && result.status === 'done' && workspace.current) this.scheduleImage(this.ledgerReport!);
      return result;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return null;
    } finally {
      this.busy = false;
    }
  }

  async cancel() {
    await engineClient().cancel();
  }

  /** New settings: checked and applied by the engine first (nothing kept if refused), then kept. */
  async saveSettings(settings: WorkspaceSettings): Promise<void> {
    await this.start();
    await engineClient().applySettings($state.snapshot(settings));
    await workspace.saveSettings(settings);
    await this.refresh();
  }

  clear(): Promise<void> {
    return this.inTurn(() => this.clearNow());
  }

  private async clearNow() {
    this.savedOverview = null;
    await engineClient().clear();
    this.isDemo = false;
    this.lastResult = null;
    this.ledgerReport = null;
    this.progress = {};
    await this.refresh();
  }
}

export const ledger = new LedgerState();

export const DEMO_FILES = ['customers', 'credit_limits', 'contacts', 'fx_rates', 'invoices', 'payments', 'disputes', 'promises', 'actions'] as const;

/** The report of a ledger after files were added: a file imported again replaces its earlier report. */
export function mergedReport(before: ImportResult | null, added: ImportResult): ImportResult {
  const names = new Set(added.files.map((f) => f.file));
  return { status: 'done', files: [...(before?.files.filter((f) => !names.has(f.file)) ?? []), ...added.files] };
}

function defaultWorkspaceName(): string {
  return i18n.t('workspace.default_name', { date: new Date().toLocaleDateString(i18n.lang === 'fr' ? 'fr-FR' : 'en-GB') });
}
