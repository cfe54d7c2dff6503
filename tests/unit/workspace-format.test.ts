/** The workspace store's pure parts: manifests, recovery after an interrupted change, the export file. */
import { describe, expect, it } from 'vitest';
import { chooseManifest, nextFiles, packWorkspace, sealManifest, unpackWorkspace, type Manifest, type StoredFile } from '../../src/lib/workspace/format';

const file = (blob: string, name: string, size: number): StoredFile => ({ blob, name, size, options: {} });
const manifest = (seq: number, files: StoredFile[]) =>
  sealManifest({ format: 'encours-workspace/1', id: 'w', name: 'Client A', seq, created: '2026-11-01T00:00:00Z', updated: '2026-11-02T00:00:00Z', files });

describe('workspace manifests', () => {
  it('the newest sound manifest wins; a torn or edited newer one is skipped and counted, never loaded half', async () => {
    const m1 = await manifest(1, [file('file-1-0', 'invoices.csv', 10)]);
    const m2 = await manifest(2, [file('file-1-0', 'invoices.csv', 10), file('file-2-0', 'payments.csv', 20)]);
    const sizes = (s: Record<string, number>) => (b: string) => s[b] ?? null;
    const both = { 'file-1-0': 10, 'file-2-0': 20 };
    expect(await chooseManifest([{ seq: 1, text: JSON.stringify(m1) }, { seq: 2, text: JSON.stringify(m2) }], sizes(both))).toEqual({ manifest: m2, skipped: 0 });
    // the tab closed while manifest 2 was written: cut in the middle
    const torn = JSON.stringify(m2).slice(0, 40);
    expect(await chooseManifest([{ seq: 1, text: JSON.stringify(m1) }, { seq: 2, text: torn }], sizes(both))).toEqual({ manifest: m1, skipped: 1 });
    // edited by hand: the checksum no longer matches
    const edited = JSON.stringify({ ...m2, name: 'Client B' });
    expect(await chooseManifest([{ seq: 1, text: JSON.stringify(m1) }, { seq: 2, text: edited }], sizes(both))).toEqual({ manifest: m1, skipped: 1 });
    // a file it names is truncated
    expect(await chooseManifest([{ seq: 1, text: JSON.stringify(m1) }, { seq: 2, text: JSON.stringify(m2) }], sizes({ 'file-1-0': 10, 'file-2-0': 7 }))).toEqual({ manifest: m1, skipped: 1 });
    // nothing sound: an error that says why, nothing loaded
    expect(await chooseManifest([{ seq: 2, text: torn }], sizes(both))).toEqual({ error: 'corrupt', detail: 'manifest 2 is not readable' });
    expect(await chooseManifest([], sizes(both))).toEqual({ error: 'empty' });
  });

  it('an import adds its files, replaces those of the same name, or replaces all', () => {
    const a = file('b1', 'invoices.csv', 1);
    const b = file('b2', 'payments.csv', 2);
    const a2 = file('b3', 'invoices.csv', 3);
    expect(nextFiles([a], [b], { replace: false, replaceNames: [] })).toEqual([a, b]);
    expect(nextFiles([a, b], [a2], { replace: false, replaceNames: [] })).toEqual([b, a2]);
    expect(nextFiles([a, b], [], { replace: false, replaceNames: ['payments.csv'] })).toEqual([a]);
    expect(nextFiles([a, b], [a2], { replace: true, replaceNames: [] })).toEqual([a2]);
  });
});

describe('workspace export file', () => {
  it('round trip: the same files, bytes and import options; a truncated or foreign file is refused', async () => {
    const files = [new Blob(['invoice_id;montant\nF1;1 200,00\n']), new Blob([new Uint8Array([0, 1, 2, 255])])];
    const m = (await manifest(3, [
      { blob: 'x', name: 'factures.csv', size: files[0].size, options: { dateFormat: 'dmy' } },
      { blob: 'y', name: 'data.bin', size: 4, options: { sheet: 'Feuil1' } },
    ])) as Manifest;
    const packed = await packWorkspace(m, files);
    const u = await unpackWorkspace(packed);
    if ('error' in u) throw new Error(u.error);
    expect(u.name).toBe('Client A');
    expect(u.files.map((f) => [f.name, f.options])).toEqual([['factures.csv', { dateFormat: 'dmy' }], ['data.bin', { sheet: 'Feuil1' }]]);
    expect(await u.files[0].bytes.text()).toBe('invoice_id;montant\nF1;1 200,00\n');
    expect([...new Uint8Array(await u.files[1].bytes.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    expect(await unpackWorkspace(packed.slice(0, packed.size - 1))).toEqual({ error: 'damaged' });
    expect(await unpackWorkspace(new Blob(['invoice_id,amount\n']))).toEqual({ error: 'not_a_workspace' });
  });
});
