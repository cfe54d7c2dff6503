/**
 * Workspaces on the device: the pure parts (no storage API here, so that they are unit-tested):
 * the manifest that says which source files make a workspace and how each was imported, how the
 * valid manifest is chosen after an interruption, and the single-file export format.
 */
import type { DateFormat } from '../importers/dates';
import type { MappingChoice } from '../importers/detect-layout';

/** How one file was imported (replayed as is when the workspace is reopened). */
export interface FileOptions {
  dateFormat?: string;
  sheet?: string;
  mapping?: unknown;
}

export interface StoredFile {
  /** the blob's name in the workspace folder */
  blob: string;
  name: string;
  size: number;
  options: FileOptions;
}

/** The ledger built from the files, kept as Arrow tables (ledger-image.ts) to reopen without importing. */
export interface StoredImage {
  /** the schema it was saved with: another version of the app imports the files instead */
  version: string;
  tables: { table: string; blob: string; size: number; rows: number }[];
  /** the import report of the files, shown again when the image is loaded */
  report: unknown;
  /** the overview of the default request (latest date, default period and currency) computed by
   *  the engine on this ledger and these settings: shown at the next opening while the ledger loads */
  overview?: unknown;
}

export interface Manifest {
  format: 'encours-workspace/1';
  id: string;
  name: string;
  seq: number;
  created: string;
  updated: string;
  files: StoredFile[];
  /** optional: a manifest without it (or whose image is damaged) reopens by importing the files */
  image?: StoredImage;
  /** the workspace's settings (settings/workspace-settings.ts); absent: the defaults */
  settings?: unknown;
  /** SHA-256 (hex) of the manifest without this field: a torn or edited manifest is not loaded */
  checksum: string;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const body = (m: Omit<Manifest, 'checksum'>) => JSON.stringify({ ...m, checksum: undefined });

export async function sealManifest(m: Omit<Manifest, 'checksum'>): Promise<Manifest> {
  return { ...m, checksum: await sha256(body(m)) };
}

/** Async type guards do not exist: the caller casts after a true. */
export async function manifestIsSound(m: unknown): Promise<boolean> {
  if (!m || typeof m !== 'object') return false;
  const x = m as Manifest;
  if (x.format !== 'encours-workspace/1' || typeof x.seq !== 'number' || !Array.isArray(x.files) || typeof x.checksum !== 'string') return false;
  const { checksum, ...rest } = x;
  return checksum === (await sha256(body(rest)));
}

export type Chosen =
  | { manifest: Manifest; skipped: number }
  | { error: 'corrupt'; detail: string }
  | { error: 'empty' };

/**
 * The newest manifest that is sound and whose files are all there with their sizes. A newer one
 * that is not (a write interrupted by closing the tab, a damaged store) is skipped and counted:
 * the previous state is loaded and the user is told; if none is sound, nothing is loaded.
 */
export async function chooseManifest(
  candidates: { seq: number; text: string }[],
  blobSize: (blob: string) => number | null,
): Promise<Chosen> {
  if (candidates.length === 0) return { error: 'empty' };
  const sorted = [...candidates].sort((a, b) => b.seq - a.seq);
  let skipped = 0;
  let why = '';
  for (const c of sorted) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(c.text);
    } catch {
      skipped++;
      why = `manifest ${c.seq} is not readable`;
      continue;
    }
    if (!(await manifestIsSound(parsed))) {
      skipped++;
      why = `manifest ${c.seq} does not match its checksum`;
      continue;
    }
    const m = parsed as Manifest;
    const missing = m.files.find((f) => blobSize(f.blob) !== f.size);
    if (missing) {
      skipped++;
      why = `file ${missing.name} is missing or truncated`;
      continue;
    }
    return { manifest: m, skipped };
  }
  return { error: 'corrupt', detail: why };
}

/** The manifest's image if it can be used: this version of the schema, every blob there at its size. */
export function usableImage(m: Manifest, version: string, blobSize: (blob: string) => number | null): StoredImage | null {
  const img = m.image;
  if (!img || img.version !== version) return null;
  return img.tables.every((t) => blobSize(t.blob) === t.size) ? img : null;
}

/** How stored files are read again: each with its date format, sheet and mapping, as first imported. */
export function replayedReading(files: { name: string; options: FileOptions }[]): {
  dateFormats: Record<string, DateFormat>;
  sheets: Record<string, string>;
  mappings: Record<string, MappingChoice>;
} {
  const o = { dateFormats: {} as Record<string, DateFormat>, sheets: {} as Record<string, string>, mappings: {} as Record<string, MappingChoice> };
  for (const { name, options } of files) {
    if (options.dateFormat) o.dateFormats[name] = options.dateFormat as DateFormat;
    if (options.sheet) o.sheets[name] = options.sheet;
    if (options.mapping) o.mappings[name] = options.mapping as MappingChoice;
  }
  return o;
}

/** The files a workspace holds after an import: replaced all, replaced by name, or added. */
export function nextFiles(current: StoredFile[], added: StoredFile[], mode: { replace: boolean; replaceNames: string[] }): StoredFile[] {
  if (mode.replace) return added;
  const gone = new Set([...mode.replaceNames, ...added.map((a) => a.name)]);
  return [...current.filter((f) => !gone.has(f.name)), ...added];
}

const MAGIC = new TextEncoder().encode('ENCOURS-WORKSPACE-1\n');

/** One file holding a workspace: a header (its manifest, without storage names) then the files' bytes. */
export async function packWorkspace(m: Manifest, files: Blob[]): Promise<Blob> {
  const header = new TextEncoder().encode(
    JSON.stringify({
      name: m.name,
      created: m.created,
      updated: m.updated,
      settings: m.settings,
      files: m.files.map(({ name, size, options }) => ({ name, size, options })),
    }),
  );
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, header.length);
  return new Blob([MAGIC, len, header, ...files]);
}

export interface Unpacked {
  name: string;
  settings?: unknown;
  files: { name: string; options: FileOptions; bytes: Blob }[];
}

export async function unpackWorkspace(file: Blob): Promise<Unpacked | { error: string }> {
  const head = new Uint8Array(await file.slice(0, MAGIC.length + 4).arrayBuffer());
  if (head.length < MAGIC.length + 4 || !MAGIC.every((b, i) => head[i] === b)) return { error: 'not_a_workspace' };
  const len = new DataView(head.buffer).getUint32(MAGIC.length);
  let header: { name: string; settings?: unknown; files: { name: string; size: number; options: FileOptions }[] };
  try {
    header = JSON.parse(await file.slice(MAGIC.length + 4, MAGIC.length + 4 + len).text());
  } catch {
    return { error: 'damaged' };
  }
  let at = MAGIC.length + 4 + len;
  const total = header.files.reduce((a, f) => a + f.size, 0);
  if (at + total !== file.size) return { error: 'damaged' };
  const files = header.files.map((f) => {
    const bytes = file.slice(at, at + f.size);
    at += f.size;
    return { name: f.name, options: f.options ?? {}, bytes };
  });
  return { name: header.name, settings: header.settings, files };
}
