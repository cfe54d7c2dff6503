/**
 * Customer contacts: a contacts file, a customers file's e-mail/phone columns and a contact recorded
 * in the app all land in `contacts`; the worklist's e-mail drafts go to the customer's addresses.
 * On the hand-worked ledger (tests/fixtures/hand), as of 2024-03-31: C1 and C3 are on the worklist.
 */
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/lib/importers/import';
import { runQuery, type Scope } from '../../src/lib/kpi/queries';
import { recordFile } from '../../src/lib/workspace/records';
import { fixture, freshEngine } from './support/engine';

const D: Scope = { as_of: '2024-03-31', period_days: 90, currency: 'EUR' };
const HAND = ['customers', 'credit_limits', 'invoices', 'payments', 'disputes', 'promises', 'actions'].map((f) => fixture('hand', `${f}.csv`));
const text = (name: string, s: string) => ({ name, bytes: new TextEncoder().encode(s) });

describe('customer contacts', () => {
  it('a contacts file is recognised and read; the worklist carries the e-mail addresses', async () => {
    const engine = await freshEngine();
    const r = await importFiles(engine, [...HAND, fixture('hand', 'contacts.csv')]);
    const f = r.files.find((x) => x.file === 'contacts.csv')!;
    expect([f.detected?.layout, f.status, f.rows_read, f.rows_imported, f.rows_rejected]).toEqual(['contacts', 'imported', 3, 3, 0]);
    expect(await runQuery(engine, 'customer_contacts', { customer: 'C3' })).toEqual([{ contact_name: 'Jan Peeters', role: 'directeur', email: null, phone: '+32 2 123 45 67' }]);
    const work = await runQuery(engine, 'worklist', D);
    expect(work.map((w) => [w.customer_id, w.emails])).toEqual([
      ['C1', 'compta@boulangerie-martin.fr,marie@boulangerie-martin.fr'],
      ['C3', null],
    ]);
  });

  it('a customers file with e-mail and phone columns stays a customers file, and gives one contact each', async () => {
    const engine = await freshEngine();
    const customers = text('clients.csv', 'Code client;Raison sociale;Contact name;Courriel;Téléphone\nK1;Fromagerie Simon;Anne Simon;anne@simon.fr;0102030405\nK2;Garage Petit;;;\n');
    const r = await importFiles(engine, [customers]);
    expect([r.files[0].detected?.layout, r.files[0].rows_imported]).toEqual(['customers', 2]);
    expect(await engine.query('SELECT customer_id, contact_name, email, phone FROM contacts')).toEqual([{ customer_id: 'K1', contact_name: 'Anne Simon', email: 'anne@simon.fr', phone: '0102030405' }]);
  });

  it('a contact recorded in the app is imported like a file and reaches the drafts', async () => {
    const engine = await freshEngine();
    await importFiles(engine, HAND);
    const file = recordFile({ kind: 'contact', customer_id: 'C3', invoice_id: null, date: '2024-03-31', contact_name: 'Eva Janssens', role: 'comptable', email: 'eva@atelier-nord.be' });
    const r = await importFiles(engine, [{ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }]);
    expect([r.files[0].detected?.layout, r.files[0].rows_imported]).toEqual(['contacts', 1]);
    expect((await runQuery(engine, 'worklist', D)).find((w) => w.customer_id === 'C3')?.emails).toBe('eva@atelier-nord.be');
  });
});
