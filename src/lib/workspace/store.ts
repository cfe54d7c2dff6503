/**
 * Workspaces in the browser's origin-private file system (OPFS): one folder per workspace with its
 * source files as they were dropped and numbered manifests. A change writes the new files, then a
 * new manifest; only then are the old ones removed. A tab closed in between leaves the previous
 * manifest, which is what the next start loads (format.ts chooses it). DuckDB's own opfs:// files
 * do not survive a reload in this version: the ledger's tables are kept as Arrow next to the sources
 * (ledger-image.ts) and loaded back at start; the sources are imported again when that image is
 * missing, damaged or from another version of the schema.
 */
import { chooseManifest, nextFiles, packWorkspace, sealManifest, unpackWorkspace, usableImage, type FileOptions, type Manifest, type StoredFile, type StoredImage } from './format';
import { IMAGE_VERSION } from './image-format';
import type { ImagePart } from './ledger-image';

export interface WorkspaceInfo {
  id: string;
  name: string;
  files: number;
  bytes: number;
  updated: string;
  /** its ledger is saved (it reopens without importing its files) */
  image: boolean;
  /** a damaged workspace: listed so that it can be deleted, never loaded half */
  error?: string;
}

export interface OpenedWorkspace {
  manifest: Manifest;
  files: { file: File; options: FileOptions }[];
  /** the saved ledger, when there is one this version can load */
  image: { parts: { table: string; rows: number; blob: Blob }[]; report: unknown; overview: unknown } | null;
  /** newer manifests that could not be used (an interrupted change) */
  skipped: number;
}

const ROOT = 'workspaces';

/** Changes to workspaces one at a time: two writers reading the same manifest would both write n + 1. */
let writing: Promise<unknown> = Promise.resolve();
function serialised<A extends unknown[], R>(change: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) => {
    const next = writing.then(() => change(...args)); // `writing` never rejects
    writing = next.catch(() => undefined);
    return next;
  };
}

async function root(): Promise<FileSystemDirectoryHandle> {
  const opfs = await navigator.storage.getDirectory();
  return opfs.getDirectoryHandle(ROOT, { create: true });
}

async function folder(id: string, create = false): Promise<FileSystemDirectoryHandle> {
  return (await root()).getDirectoryHandle(id, { create });
}

async function entries(dir: FileSystemDirectoryHandle): Promise<Map<string, FileSystemFileHandle>> {
  const out = new Map<string, FileSystemFileHandle>();
  // TS's DOM types lack the async iterator of directory handles in this version
  for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    if (handle.kind === 'file') out.set(name, handle as FileSystemFileHandle);
  }
  return out;
}

async function writeFile(dir: FileSystemDirectoryHandle, name: string, data: Blob | string): Promise<void> {
  const handle = await dir.getFileHandle(name, { create: true });
  const w = await handle.createWritable();
  await w.write(data);
  await w.close();
}

async function load(id: string): Promise<{
  chosen: Awaited<ReturnType<typeof chooseManifest>>;
  files: Map<string, FileSystemFileHandle>;
  sizes: Map<string, number>;
}> {
  const files = await entries(await folder(id));
  const sizes = new Map<string, number>();
  const candidates: { seq: number; text: string }[] = [];
  for (const [name, handle] of files) {
    const f = await handle.getFile();
    sizes.set(name, f.size);
    const m = /^manifest-(\d+)\.json$/.exec(name);
    if (m) candidates.push({ seq: Number(m[1]), text: await f.text() });
  }
  return { chosen: await chooseManifest(candidates, (blob) => sizes.get(blob) ?? null), files, sizes };
}

export async function listWorkspaces(): Promise<WorkspaceInfo[]> {
  const out: WorkspaceInfo[] = [];
  for await (const [id, handle] of (await root() as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    if (handle.kind !== 'directory') continue;
    const { chosen } = await load(id);
    if ('manifest' in chosen) {
      const m = chosen.manifest;
      const bytes = [...m.files, ...(m.image?.tables ?? [])].reduce((a, f) => a + f.size, 0);
      out.push({ id, name: m.name, files: m.files.length, bytes, updated: m.updated, image: Boolean(m.image) });
    } else out.push({ id, name: id, files: 0, bytes: 0, updated: '', image: false, error: chosen.error === 'corrupt' ? chosen.detail : 'empty' });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const now = () => new Date().toISOString();
const newId = () => `ws-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

async function writeManifest(dir: FileSystemDirectoryHandle, m: Omit<Manifest, 'checksum'>): Promise<Manifest> {
  const sealed = await sealManifest(m);
  await writeFile(dir, `manifest-${m.seq}.json`, JSON.stringify(sealed));
  return sealed;
}

/** Removes what the current manifest no longer references (older manifests, replaced files). */
async function sweep(dir: FileSystemDirectoryHandle, m: Manifest): Promise<void> {
  const keep = new Set([`manifest-${m.seq}.json`, ...m.files.map((f) => f.blob), ...(m.image?.tables.map((t) => t.blob) ?? [])]);
  for (const name of (await entries(dir)).keys()) if (!keep.has(name)) await dir.removeEntry(name);
}

export async function createWorkspace(name: string): Promise<string> {
  const id = newId();
  const dir = await folder(id, true);
  await writeManifest(dir, { format: 'encours-workspace/1', id, name, seq: 1, created: now(), updated: now(), files: [] });
  return id;
}

export async function openWorkspace(id: string): Promise<OpenedWorkspace | { error: string }> {
  const { chosen, files, sizes } = await load(id);
  if (!('manifest' in chosen)) return { error: chosen.error === 'corrupt' ? chosen.detail : 'empty' };
  const out: OpenedWorkspace['files'] = [];
  for (const f of chosen.manifest.files) {
    const blob = await files.get(f.blob)!.getFile();
    out.push({ file: new File([blob], f.name, { type: blob.type }), options: f.options });
  }
  const img = usableImage(chosen.manifest, IMAGE_VERSION, (blob) => sizes.get(blob) ?? null);
  const image = img && { report: img.report, overview: img.overview ?? null, parts: await imageParts(img, files) };
  return { manifest: chosen.manifest, files: out, skipped: chosen.skipped, image };
}

/**
 * Keeps the ledger built from manifest `seq`'s files (its tables, one at a time from `next`). Not
 * kept if the workspace changed meanwhile (another manifest): that change will bring its own.
 * Returns the new manifest's seq, or null.
 */
export const saveImage = serialised(async function saveImage(
  id: string,
  seq: number,
  next: (table: string) => Promise<ImagePart>,
  tables: readonly string[],
  report: unknown,
  stillValid: () => boolean,
  overview: unknown,
): Promise<number | null> {
  const dir = await folder(id);
  const { chosen } = await load(id);
  if (!('manifest' in chosen) || chosen.manifest.seq !== seq) return null;
  const m = chosen.manifest;
  const stored: NonNullable<Manifest['image']>['tables'] = [];
  for (const table of tables) {
    const part = await next(table);
    const blob = `image-${seq + 1}-${table}.arrow`;
    await writeFile(dir, blob, new Blob([part.bytes as Uint8Array<ArrayBuffer>]));
    stored.push({ table, blob, size: part.bytes.length, rows: part.rows });
  }
  // written new, then switched: a tab closed before this line leaves manifest `seq` in charge
  const again = await load(id);
  if (!('manifest' in again.chosen) || again.chosen.manifest.seq !== seq || !stillValid()) {
    for (const t of stored) await dir.removeEntry(t.blob).catch(() => {});
    return null;
  }
  const sealed = await writeManifest(dir, { ...m, seq: seq + 1, image: { version: IMAGE_VERSION, tables: stored, report, overview } });
  await sweep(dir, sealed);
  return sealed.seq;
});

/** After a successful import: the files and how each was read, added to (or replacing) the workspace's. */
export const saveImport = serialised(async function saveImport(
  id: string,
  added: { file: File; options: FileOptions }[],
  mode: { replace: boolean; replaceNames: string[] },
): Promise<number> {
  const dir = await folder(id, true);
  const { chosen } = await load(id);
  const base = 'manifest' in chosen ? chosen.manifest : null;
  const seq = (base?.seq ?? 0) + 1;
  const stored: StoredFile[] = [];
  for (const [i, a] of added.entries()) {
    const blob = `file-${seq}-${i}`;
    await writeFile(dir, blob, a.file);
    stored.push({ blob, name: a.file.name, size: a.file.size, options: a.options });
  }
  const m = await writeManifest(dir, {
    format: 'encours-workspace/1',
    id,
    name: base?.name ?? id,
    seq,
    created: base?.created ?? now(),
    updated: now(),
    files: nextFiles(base?.files ?? [], stored, mode),
    settings: base?.settings,
    // no image: it was the ledger of the previous files
  });
  await sweep(dir, m);
  return m.seq;
});

/** A new manifest that changes only what `change` says (the files and the saved ledger stay). */
const amendManifest = serialised(async (id: string, change: (m: Manifest) => Partial<Manifest>): Promise<number> => {
  const dir = await folder(id);
  const { chosen } = await load(id);
  if (!('manifest' in chosen)) throw new Error('workspace not readable');
  const old = chosen.manifest;
  const m = await writeManifest(dir, { ...old, ...change(old), seq: old.seq + 1, updated: now() });
  await sweep(dir, m);
  return m.seq;
});

export function renameWorkspace(id: string, name: string): Promise<number> {
  return amendManifest(id, () => ({ name }));
}

/** New settings; the saved overview was computed with the old ones (buckets, rates): not shown any more. */
export function saveSettings(id: string, settings: unknown): Promise<number> {
  return amendManifest(id, (old) => ({ settings, image: old.image && { ...old.image, overview: undefined } }));
}

/**
 * A backtest measured on the ledger the workspace saved: kept with its saved overview (one per key,
 * the latest), so that the workspace reopens with it. Not when the saved overview is of another
 * ledger or of other KPI definitions (the ledger changed since, its new image not yet saved).
 */
export function saveBacktest(id: string, kept: { key: string; result: unknown; summary: unknown; kpi_version: string }): Promise<number> {
  return amendManifest(id, (old) => {
    const overview = old.image?.overview as { summary?: unknown; kpi_version?: string; backtests?: { key: string }[] } | undefined;
    if (!old.image || !overview || overview.kpi_version !== kept.kpi_version || JSON.stringify(overview.summary) !== JSON.stringify(kept.summary)) return {};
    const backtests = [...(overview.backtests ?? []).filter((b) => b.key !== kept.key), { key: kept.key, result: kept.result }];
    return { image: { ...old.image, overview: { ...overview, backtests } } };
  });
}

export const deleteWorkspace = serialised(async (id: string): Promise<void> => {
  await (await root()).removeEntry(id, { recursive: true });
});

export async function exportWorkspace(id: string): Promise<{ name: string; blob: Blob }> {
  const opened = await openWorkspace(id);
  if ('error' in opened) throw new Error(opened.error);
  return { name: opened.manifest.name, blob: await packWorkspace(opened.manifest, opened.files.map((f) => f.file)) };
}

export async function importWorkspace(file: Blob): Promise<string | { error: string }> {
  const u = await unpackWorkspace(file);
  if ('error' in u) return u;
  const id = await createWorkspace(u.name);
  await saveImport(id, u.files.map((f) => ({ file: new File([f.bytes], f.name), options: f.options })), { replace: true, replaceNames: [] });
  if (u.settings) await saveSettings(id, u.settings);
  return id;
}

/** The saved overview of a workspace, read from its manifest alone (before the engine is up). */
/** A workspace's saved ledger as its opening will use it (its overview, its tables' files), read
 *  without opening it: while the engine starts, the overview shows and the tables are read ahead. */
export async function peekImage(id: string): Promise<{ overview: unknown; parts: NonNullable<OpenedWorkspace['image']>['parts'] } | null> {
  const { chosen, files, sizes } = await load(id);
  if (!('manifest' in chosen)) return null;
  const img = usableImage(chosen.manifest, IMAGE_VERSION, (blob) => sizes.get(blob) ?? null);
  return img && { overview: img.overview ?? null, parts: await imageParts(img, files) };
}

/** The files of a saved ledger's tables. */
function imageParts(img: StoredImage, files: Map<string, FileSystemFileHandle>): Promise<NonNullable<OpenedWorkspace['image']>['parts']> {
  return Promise.all(img.tables.map(async (t) => ({ table: t.table, rows: t.rows, blob: await files.get(t.blob)!.getFile() })));
}

export interface StorageInfo {
  usage: number | null;
  quota: number | null;
  persisted: boolean;
}

export async function storageInfo(): Promise<StorageInfo> {
  const e = await navigator.storage.estimate?.();
  return { usage: e?.usage ?? null, quota: e?.quota ?? null, persisted: (await navigator.storage.persisted?.()) ?? false };
}

/** Asks the browser not to evict the workspaces under storage pressure. */
export async function askPersistence(): Promise<boolean> {
  return (await navigator.storage.persist?.()) ?? false;
}
