/**
 * The mapping screen's engine side: preview (first rows, mapping, parse rate per field), the user's
 * mapping applied, remembered by header signature, and a re-import that replaces a file's rows.
 */
import { describe, expect, it } from 'vitest';
import { headerSignature } from '../../src/lib/importers/detect-layout';
import { importFiles, previewFile, type ImportSource } from '../../src/lib/importers/import';
import { runQuery } from '../../src/lib/kpi/queries';
import { freshEngine } from './support/engine';

const text = (name: string, s: string): ImportSource => ({ name, bytes: new TextEncoder().encode(s) });
// Headers no synonym knows: "Pièce", "Tiers", "Le", "Valeur", "Échu le"
const ODD = text('odd.csv', 'Pièce;Tiers;Le;Valeur;Échu le;Note\nA1;K1;05/01/2024;1 000,00;04/02/2024;x\nA2;K2;20/02/2024;abc;21/03/2024;y\nA3;K1;01/03/2024;500,00;31/03/2024;z\n');
const CHOICE = { layout: 'invoices' as const, mapping: { invoice_id: 'Pièce', customer_id: 'Tiers', invoice_date: 'Le', amount: 'Valeur', due_date: 'Échu le' } };

describe('mapping', () => {
  it('previews the first rows and says, field by field, how many cells parse', async () => {
    const engine = await freshEngine();
    const p = await previewFile(engine, ODD, { choice: CHOICE });
    expect(p.headers).toEqual(['Pièce', 'Tiers', 'Le', 'Valeur', 'Échu le', 'Note']);
    expect(p.sample[1]).toEqual(['A2', 'K2', '20/02/2024', 'abc', '21/03/2024', 'y']);
    expect([p.rows, p.layout, p.missing]).toEqual([3, 'invoices', []]);
    const rate = Object.fromEntries(p.fields.filter((f) => f.header).map((f) => [f.field, [f.parsed, f.filled]]));
    expect(rate).toEqual({ invoice_id: [3, 3], customer_id: [3, 3], invoice_date: [3, 3], amount: [2, 3], due_date: [3, 3] });
    // nothing was loaded
    expect((await engine.query<{ n: number }>(`SELECT count(*) AS n FROM invoices`))[0].n).toBe(0);
  });

  it('without a mapping, the file is not recognised and the preview says what is missing', async () => {
    const engine = await freshEngine();
    const r = await importFiles(engine, [ODD]);
    expect(r.files[0]).toMatchObject({ status: 'failed', error: { code: 'unrecognised' } });
    const p = await previewFile(engine, ODD);
    expect(p.layout).toBe('invoices');
    expect(p.missing.length).toBeGreaterThan(0);
  });

  it('imports with the user\'s mapping, and remembers it for the same header', async () => {
    const engine = await freshEngine();
    const r = await importFiles(engine, [ODD], { mappings: { 'odd.csv': CHOICE } });
    expect(r.files[0]).toMatchObject({ status: 'imported', rows_imported: 2, rows_rejected: 1, amount_imported: 1500 });
    // a later file with the same header (case and accents aside) takes the saved mapping
    const saved = { [headerSignature(['pièce', 'TIERS', 'le', 'valeur', 'Echu le', 'note'])]: CHOICE };
    const again = text('odd-april.csv', 'Pièce;Tiers;Le;Valeur;Échu le;Note\nA9;K1;05/04/2024;10,00;05/05/2024;x\n');
    // its dates alone could be day- or month-first: the remembered mapping carries the answer
    const r2 = await importFiles(engine, [again], { savedMappings: { [Object.keys(saved)[0]]: { ...CHOICE, date_format: 'dmy' } } });
    expect(r2.files[0]).toMatchObject({ status: 'imported', rows_imported: 1 });
    expect(r2.files[0].detected?.notes.mapping_remembered).toBe(1);
    // the same header written otherwise (case, accents) is the same signature: the mapping applies
    const shouted = text('odd-mai.csv', 'PIECE;TIERS;LE;VALEUR;ECHU LE;NOTE\nA10;K1;15/05/2024;20,00;15/06/2024;x\n');
    const r3 = await importFiles(engine, [shouted], { savedMappings: saved });
    expect(r3.files[0]).toMatchObject({ status: 'imported', rows_imported: 1, amount_imported: 20 });
  });

  it('the user can override the date format and the decimal mark the import detected', async () => {
    const engine = await freshEngine();
    // "1.500" is fifteen hundred in this (German-style) file, but with no "," anywhere it reads as 1.5
    const src = text('de.csv', 'Pièce;Tiers;Le;Valeur;Échu le;Note\nD1;K1;05.01.2024;1.500;04.02.2024;x\n');
    const detected = await previewFile(engine, src, { choice: CHOICE });
    expect([detected.date_format, detected.decimal_comma]).toEqual(['dmy_dot', false]);
    const r = await importFiles(engine, [src], { mappings: { 'de.csv': { ...CHOICE, decimal_comma: true } } });
    expect(r.files[0]).toMatchObject({ status: 'imported', amount_imported: 1500 });
    expect(r.files[0].detected?.decimal_comma).toBe(true);
  });

  it('re-importing a file with another mapping replaces what it loaded, nothing else', async () => {
    const engine = await freshEngine();
    await importFiles(engine, [text('other.csv', 'invoice_id,customer_id,invoice_date,amount\nZ1,K9,2024-03-01,70\n')]);
    const { due_date: _unused, ...withoutDue } = CHOICE.mapping;
    await importFiles(engine, [ODD], { mappings: { 'odd.csv': { ...CHOICE, mapping: withoutDue } } });
    await importFiles(engine, [ODD], { mappings: { 'odd.csv': CHOICE }, replaceFiles: ['odd.csv'] });
    const ids = await engine.query<{ invoice_id: string; due: string }>(`SELECT invoice_id, strftime(due_date, '%Y-%m-%d') AS due FROM invoices ORDER BY invoice_id`);
    expect(ids).toEqual([
      { invoice_id: 'A1', due: '2024-02-04' },
      { invoice_id: 'A3', due: '2024-03-31' },
      { invoice_id: 'Z1', due: '2024-03-31' },
    ]);
    const [b] = await runQuery(engine, 'balances', { as_of: '2024-03-31', period_days: 90, currency: 'EUR' });
    expect(b.outstanding).toBe(1570);
    expect((await engine.query<{ n: number }>(`SELECT count(*) AS n FROM import_files WHERE file_name = 'odd.csv'`))[0].n).toBe(1);
  });
});
