/**
 * The current workspace: which one, what it holds, and keeping it in step with the ledger. An
 * import that succeeds is saved into it (the files as dropped, and how each was read), then the
 * ledger built from them (its tables as Arrow, a few seconds later); at start, and when the user
 * switches, that saved ledger is loaded back, or the files imported again when there is none.
 * The demo belongs to no workspace: a drop after it starts a new one.
 */
import { browser } from '$app/environment';
import type { KeptBacktest, LoadOptions } from '../engine/protocol';
import type { ImportResult } from '../importers/report';
import { replayedReading, type FileOptions } from '../workspace/format';
import * as store from '../workspace/store';
import { IMAGE_TABLES } from '../workspace/image-format';
import type { ImagePart } from '../workspace/ledger-image';
import { defaultSettings, withDefaults, type WorkspaceSettings } from '../settings/workspace-settings';

const CURRENT = 'encours.workspace';

/** What one file's import options were (replayed as they were). */
export function optionsOf(name: string, o: LoadOptions): FileOptions {
  return {
    ...(o.dateFormats?.[name] ? { dateFormat: o.dateFormats[name] } : {}),
    ...(o.sheets?.[name] ? { sheet: o.sheets[name] } : {}),
    ...(o.mappings?.[name] ? { mapping: o.mappings[name] } : {}),
  };
}

/** The load options that replay stored files. */
export function replayOptions(files: { file: File; options: FileOptions }[]): LoadOptions {
  return { replace: true, ...replayedReading(files.map((f) => ({ name: f.file.name, options: f.options }))) };
}

class WorkspaceState {
  available = $state(browser && 'storage' in navigator && typeof navigator.storage.getDirectory === 'function');
  current = $state<{ id: string; name: string } | null>(null);
  list = $state<store.WorkspaceInfo[]>([]);
  /** said to the user: a restore that skipped an interrupted change, a damaged workspace */
  notice = $state<{ key: 'recovered' | 'damaged' | 'restored' | 'image_unused'; detail?: string } | null>(null);
  restoring = $state(false);
  /** the settings in force: the current workspace's, or the defaults (the demo, no workspace) */
  settings = $state<WorkspaceSettings>(defaultSettings());
  /** the manifest the ledger in the engine stands for (an image is saved against it) */
  private seq: number | null = null;

  async refreshList() {
    if (!this.available) return;
    this.list = await store.listWorkspaces();
  }

  /** The workspace to reopen at start (the last one used), if any. */
  async initial(): Promise<string | null> {
    if (!this.available) return null;
    await this.refreshList();
    const id = localStorage.getItem(CURRENT);
    return id && this.list.some((w) => w.id === id) ? id : null;
  }

  /** Files and options of a workspace, to be imported; null when it cannot be read (said). */
  async open(id: string): Promise<{ files: File[]; options: LoadOptions; image: store.OpenedWorkspace['image'] } | null> {
    const opened = await store.openWorkspace(id);
    if ('error' in opened) {
      this.notice = { key: 'damaged', detail: opened.error };
      return null;
    }
    this.current = { id, name: opened.manifest.name };
    this.seq = opened.manifest.seq;
    this.settings = withDefaults(opened.manifest.settings as Partial<WorkspaceSettings> | undefined);
    localStorage.setItem(CURRENT, id);
    this.notice = opened.skipped > 0 ? { key: 'recovered' } : opened.files.length ? { key: 'restored' } : null;
    return { files: opened.files.map((f) => f.file), options: replayOptions(opened.files), image: opened.image };
  }

  /** A new workspace, empty, with the settings in force (those of the workspace it was made from). */
  async create(name: string): Promise<string> {
    const id = await store.createWorkspace(name);
    this.current = { id, name };
    this.seq = await store.saveSettings(id, $state.snapshot(this.settings));
    localStorage.setItem(CURRENT, id);
    await this.refreshList();
    return id;
  }

  /** Leaves every workspace (the demo, or nothing). */
  leave() {
    this.current = null;
    this.seq = null;
    this.settings = defaultSettings();
    localStorage.removeItem(CURRENT);
  }

  /** Saves a successful import into the current workspace (a new one when there is none). */
  async saveImport(files: File[], options: LoadOptions, result: ImportResult, defaultName: string) {
    if (!this.available || result.status !== 'done') return;
    const imported = new Set(result.files.filter((f) => f.status === 'imported').map((f) => f.file));
    const kept = files.filter((f) => imported.has(f.name));
    if (!kept.length && !options.replace) return;
    if (!this.current) await this.create(defaultName);
    this.seq = await store.saveImport(
      this.current!.id,
      kept.map((file) => ({ file, options: optionsOf(file.name, options) })),
      { replace: Boolean(options.replace), replaceNames: options.replaceFiles ?? [] },
    );
    await this.refreshList();
  }

  async rename(id: string, name: string) {
    const seq = await store.renameWorkspace(id, name);
    if (this.current?.id === id) {
      this.current = { id, name };
      this.seq = seq;
    }
    await this.refreshList();
  }

  /**
   * Keeps the ledger now in the engine as the current workspace's (tables taken one at a time by
   * `part`); given up when `stillValid` turns false (the ledger changed meanwhile).
   */
  /** The ledger's tables saved into workspace `id`, if it is still the current one. */
  async saveImage(id: string, part: (table: string) => Promise<ImagePart>, stillValid: () => boolean, report: unknown, overview: unknown): Promise<boolean> {
    if (!this.available || this.current?.id !== id || this.seq === null) return false;
    const seq = await store.saveImage(
      id,
      this.seq,
      async (table) => {
        if (!stillValid()) throw new ImageGivenUp();
        return part(table);
      },
      IMAGE_TABLES,
      report,
      stillValid,
      overview,
    ).catch((e) => {
      if (e instanceof ImageGivenUp) return null;
      throw e;
    });
    if (seq === null || this.current?.id !== id) return false;
    this.seq = seq;
    await this.refreshList();
    return true;
  }

  /** New settings for the current workspace (kept in it), or for this session when there is none. */
  async saveSettings(settings: WorkspaceSettings): Promise<void> {
    this.settings = settings;
    if (!this.available || !this.current) return;
    this.seq = await store.saveSettings(this.current.id, $state.snapshot(settings));
    await this.refreshList();
  }

  /** A backtest measured on the current workspace's ledger, kept with it (see store.saveBacktest). */
  async saveBacktest(kept: KeptBacktest): Promise<void> {
    if (!this.available || !this.current) return;
    this.seq = await store.saveBacktest(this.current.id, $state.snapshot(kept) as KeptBacktest);
  }

  async remove(id: string) {
    await store.deleteWorkspace(id);
    if (this.current?.id === id) this.leave();
    await this.refreshList();
  }
}

class ImageGivenUp extends Error {}

export const workspace = new WorkspaceState();
