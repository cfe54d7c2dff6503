/**
 * One small ledger (tests/fixtures/same-ledger), exported the ways finance people receive it:
 * canonical CSV, a French export (Windows-1252, ';', dd/mm/yyyy, "1 234,56 €"), a FEC, and the
 * formats built from them in the test (XLSX, Parquet). Every one must give the hand-worked figures.
 *
 * As of 2024-03-31, P = 90 (period 2024-01-02 … 03-31), terms 30 days:
 *   F2023-118 1200 (opening balance, paid 01-20, 6 days late), F2024-001 2400 (paid 03-05, due
 *   02-09: 25 days late), F2024-002 3600 (1000 paid 03-10, due 03-02: 8 days late; 2600 open,
 *   29 days overdue), AV2024-001 −600 (open credit note of 02-15: "overdue" 45 days),
 *   F2024-003 1800 (due 04-14, not due), 500 unapplied (03-20).
 *   sales = 2400 + 3600 − 600 + 1800 = 7200; outstanding = 2600 − 600 + 1800 = 3800;
 *   overdue = 2000; DSO = 3800 / 7200 × 90 = 47.5; countback: 31 d (March 1800) + 2000 / 3000 × 29
 *   (February 3000) = 50.333; CEI = (1200 + 7200 − 3800) / (1200 + 7200 − 1800) × 100 = 69.697;
 *   DBT = (1200 × 6 + 2400 × 25 + 1000 × 8) / 4600 = 16.348.
 */
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import type { SqlEngine } from '../../src/lib/engine/sql-engine';
import { importFiles, type ImportSource } from '../../src/lib/importers/import';
import { describeControlTotal } from '../../src/lib/importers/describe';
import { csvTitleLines, headerIndex, isTotalRow } from '../../src/lib/importers/header-row';
import { bucketDays, reportDate } from '../../src/lib/importers/aged-summary';
import { runQuery, type Scope } from '../../src/lib/kpi/queries';
import { parquetOf, workbook } from '../support/same-ledger';
import { fixture, freshEngine } from './support/engine';

const D: Scope = { as_of: '2024-03-31', period_days: 90, currency: 'EUR' };
const HAND = { sales: 7200, outstanding: 3800, overdue: 2000, not_due: 1800, unapplied_cash: 500, dso: 47.5 };

async function figures(sources: ImportSource[], then?: (engine: SqlEngine) => Promise<void>) {
  const engine = await freshEngine();
  const result = await importFiles(engine, sources);
  expect(result.status).toBe('done');
  for (const f of result.files) expect([f.file, f.status, f.rows_rejected, f.error]).toEqual([f.file, 'imported', 0, undefined]);
  await then?.(engine);
  const [b] = await runQuery(engine, 'balances', D);
  const [d] = await runQuery(engine, 'dso', D);
  const [c] = await runQuery(engine, 'cei', D);
  const [p] = await runQuery(engine, 'payment_behaviour', D);
  return { engine, result, b, d, c, p };
}

function expectHand(r: Awaited<ReturnType<typeof figures>>) {
  expect(r.b).toMatchObject(HAND.dso ? { sales: HAND.sales, outstanding: HAND.outstanding, overdue: HAND.overdue, not_due: HAND.not_due, unapplied_cash: HAND.unapplied_cash } : {});
  expect(r.d.dso).toBeCloseTo(HAND.dso, 9);
  expect(r.d.dso_countback).toBeCloseTo(31 + (2000 / 3000) * 29, 9);
  expect(r.c.cei).toBeCloseTo(((1200 + 7200 - 3800) / (1200 + 7200 - 1800)) * 100, 9);
  expect(r.p.dbt).toBeCloseTo((1200 * 6 + 2400 * 25 + 1000 * 8) / 4600, 9);
}

const SAME = (f: string) => fixture('same-ledger', f);
const text = (name: string, s: string): ImportSource => ({ name, bytes: new TextEncoder().encode(s) });

describe('the same ledger in every format gives the same hand-worked figures', () => {
  it('canonical CSV', async () => {
    expectHand(await figures([SAME('invoices.csv'), SAME('payments.csv')]));
  });

  it('French CSV in Windows-1252: ";", dd/mm/yyyy, "1 200,00 €", "Avoir"', async () => {
    const r = await figures([SAME('factures.csv'), SAME('reglements.csv')]);
    expectHand(r);
    const detected = r.result.files.find((f) => f.file === 'factures.csv')!.detected!;
    expect(detected).toMatchObject({ encoding: 'windows-1252', delimiter: ';', date_format: 'dmy', decimal_comma: true, layout: 'invoices' });
  });

  it('French headers as billing and bank tools write them: "N° de facture", "Net à payer", "Date règlement", "Montant réglé"', async () => {
    const invoices = [
      'N° de facture;Client;Raison sociale;Date de facture;Échéance;Montant HT;TVA;Net à payer',
      'F2023-118;CLI001;Dupont SA;15/12/2023;14/01/2024;1 000,00;200,00;1 200,00',
      'F2024-001;CLI001;Dupont SA;10/01/2024;09/02/2024;2 000,00;400,00;2 400,00',
      'F2024-002;CLI002;Martin SARL;01/02/2024;02/03/2024;3 000,00;600,00;3 600,00',
      'AV2024-001;CLI002;Martin SARL;15/02/2024;15/02/2024;-500,00;-100,00;-600,00',
      'F2024-003;CLI001;Dupont SA;15/03/2024;14/04/2024;1 500,00;300,00;1 800,00',
    ];
    const payments = [
      'Date règlement;Client;N° facture;Montant réglé;Mode de règlement',
      '20/01/2024;CLI001;F2023-118;1 200,00;Virement',
      '05/03/2024;CLI001;F2024-001;2 400,00;Virement',
      '10/03/2024;CLI002;F2024-002;1 000,00;Chèque',
      '20/03/2024;CLI002;;500,00;Virement',
    ];
    const r = await figures([text('factures.csv', invoices.join('\n') + '\n'), text('reglements.csv', payments.join('\n') + '\n')]);
    expectHand(r);
    expect(r.result.files.map((f) => [f.detected?.layout, f.detected?.mapping.amount])).toEqual([['invoices', 'Net à payer'], ['payments', 'Montant réglé']]);
  });

  it('XLSX: a title above the header, a total row below, real dates and numbers, a formula cell, two sheets', async () => {
    // the invoices sheet by default (the first whose header is recognised), then the payments
    // sheet, asked for by name
    const r = await figures([{ name: 'ledger.xlsx', bytes: workbook() }], async (engine) => {
      const p = await importFiles(engine, [{ name: 'ledger.xlsx', bytes: workbook() }], { sheets: { 'ledger.xlsx': 'Règlements' } });
      expect(p.files[0]).toMatchObject({ status: 'imported', rows_imported: 4, amount_read: 5100 });
      expect(p.files[0].detected).toMatchObject({ sheet: 'Règlements', layout: 'payments', header_row: 1 });
    });
    expectHand(r);
    const f = r.result.files[0];
    expect(f.detected).toMatchObject({ format: 'spreadsheet', sheet: 'Factures', sheets: ['Factures', 'Règlements'], header_row: 3, layout: 'invoices' });
    expect(f.detected?.notes).toMatchObject({ title_rows_skipped: 2, total_rows_dropped: 1, other_sheets: 1 });
    // the total row's 8400 is the file's control total: the rows read add up to it
    expect(f.control_totals).toEqual([{ column: 'amount', stated: 8400, read: 8400 }]);
    // 5 invoices read: the total row is neither imported nor rejected, it is reported
    expect([f.rows_read, f.rows_imported, f.amount_read]).toEqual([5, 5, 8400]);
  });

  it('XLSX: a bad cell is rejected with its sheet row', async () => {
    const engine = await freshEngine();
    const ws = XLSX.utils.aoa_to_sheet([
      ['Invoice', 'Customer', 'Invoice date', 'Amount'],
      ['X1', 'K', new Date(Date.UTC(2024, 0, 10)), 100],
      ['X2', 'K', 'not a date', 200],
    ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'Sheet1');
    const result = await importFiles(engine, [{ name: 'bad.xlsx', bytes: new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' })) }]);
    expect(result.files[0]).toMatchObject({ rows_read: 2, rows_imported: 1, rows_rejected: 1 });
    const rejects = await engine.query(`SELECT line, column_name, value, reason FROM import_rejects`);
    expect(rejects).toEqual([{ line: 3, column_name: 'Invoice date', value: 'not a date', reason: 'bad_date' }]);
  });

  it('a customer ledger (grand livre clients: titles, a subtotal per customer, a grand total; kinds from journal codes, lettrage, due dates)', async () => {
    const engine = await freshEngine();
    const result = await importFiles(engine, [SAME('grand-livre-clients.csv')]);
    const f = result.files[0];
    expect([f.status, f.detected?.layout]).toEqual(['imported', 'customer_ledger']);
    // 9 entries imported; "Total CLI001" inside the file rejected for that reason alone (listed, its
    // amount counted nowhere); "Total CLI002" and "Total général" close the file: left out, checked
    expect([f.rows_read, f.rows_imported, f.rows_rejected, f.amount_read, f.amount_rejected]).toEqual([10, 9, 1, 9000, 0]);
    expect(await engine.query(`SELECT line, reason, value FROM import_rejects`)).toEqual([{ line: 10, reason: 'subtotal_row', value: 'Total CLI001' }]);
    expect(f.detected?.notes).toMatchObject({ title_rows_skipped: 3, total_rows_dropped: 2, gl_lines: 9, fec_invoices: 3, fec_credit_notes: 1, fec_opening_balances: 1, fec_payments: 4 });
    expect(f.control_totals).toEqual([
      { column: 'Débit', stated: 9000, read: 9000 },
      { column: 'Crédit', stated: 5700, read: 5700 },
    ]);
    const [b] = await runQuery(engine, 'balances', D);
    const [d] = await runQuery(engine, 'dso', D);
    const [c] = await runQuery(engine, 'cei', D);
    const [p] = await runQuery(engine, 'payment_behaviour', D);
    expectHand({ engine, result, b, d, c, p });
    // the due dates are the ledger's own (Échéance), the opening balance is not a sale
    const due = await engine.query<{ invoice_id: string; due_date: string; document_type: string }>(
      `SELECT invoice_id, strftime(due_date, '%Y-%m-%d') AS due_date, document_type FROM invoices ORDER BY invoice_id`,
    );
    expect(due.map((r) => [r.invoice_id, r.due_date, r.document_type])).toEqual([
      ['AV2024-001', '2024-02-15', 'credit_note'],
      ['F2023-118', '2024-01-14', 'opening_balance'],
      ['F2024-001', '2024-02-09', 'invoice'],
      ['F2024-002', '2024-03-02', 'invoice'],
      ['F2024-003', '2024-04-14', 'invoice'],
    ]);
  });

  it('a customer ledger without journal codes: a debit is an invoice, a credit a payment, "avoir" a credit note', async () => {
    const engine = await freshEngine();
    const gl = [
      'Client;Date;Pièce;Libellé;Lettrage;Débit;Crédit',
      'K1;15/01/2024;F1;Facture F1;A;1 000,00;',
      'K1;20/01/2024;AV1;Avoir sur F1;A;;200,00',
      'K1;25/01/2024;R1;Règlement;A;;800,00',
      'K1;13/02/2024;F2;Facture F2;;500,00;',
    ].join('\n');
    const f = (await importFiles(engine, [text('gl.csv', gl + '\n')])).files[0];
    expect([f.detected?.layout, f.rows_imported, f.rows_rejected]).toEqual(['customer_ledger', 4, 0]);
    const rows = await engine.query<{ invoice_id: string; document_type: string; amount: number }>(`SELECT invoice_id, document_type, amount::DOUBLE AS amount FROM invoices ORDER BY invoice_id`);
    expect(rows.map((r) => [r.invoice_id, r.document_type, r.amount])).toEqual([['AV1', 'credit_note', -200], ['F1', 'invoice', 1000], ['F2', 'invoice', 500]]);
    // F1 settled by the credit note and the payment (lettrage A); F2 open, due on terms (30 days)
    const [b] = await runQuery(engine, 'balances', { as_of: '2024-03-31', period_days: 90, currency: 'EUR' });
    expect([b.outstanding, b.overdue, b.unapplied_cash]).toEqual([500, 500, 0]);
  });

  it('Parquet (typed columns: DATE, DECIMAL-like doubles, text), through parquet-wasm as in the browser', async () => {
    expectHand(await figures([{ name: 'invoices.parquet', bytes: parquetOf('invoices.csv') }, { name: 'payments.parquet', bytes: parquetOf('payments.csv') }]));
  });

  it('FEC: entries classified by counterpart, allocated through lettrage', async () => {
    const r = await figures([SAME('123456789FEC20241231.txt')]);
    expectHand(r);
    const f = r.result.files[0];
    expect(f.detected?.layout).toBe('fec');
    // 22 lines; debits 1200 + 2400 + 3600 + 500 + 100 + 1200 + 2400 + 1000 + 500 + 1800 = 14700
    expect([f.rows_read, f.rows_imported, f.amount_read, f.amount_imported]).toEqual([22, 22, 14700, 14700]);
    expect(f.detected?.notes).toMatchObject({
      fec_invoices: 3, fec_credit_notes: 1, fec_opening_balances: 1, fec_payments: 4,
      fec_receivable_lines: 9, fec_lettered_lines: 6, fec_unlettered_credits: 2, fec_other_account_lines: 13,
    });
    // the opening balance is a receivable, not a sale of the year
    const [ob] = await r.engine.query<{ document_type: string; invoice_date: string }>(
      `SELECT document_type, strftime(invoice_date, '%Y-%m-%d') AS invoice_date FROM invoices WHERE invoice_id = 'F2023-118'`,
    );
    expect(ob).toEqual({ document_type: 'opening_balance', invoice_date: '2023-12-15' });
  });
});

/** A FEC written line by line: [journal, entry, date, account, aux, piece, debit, credit, let, dateLet]. */
type Line = [string, string, string, string, string, string, number, number, string, string];
const HEAD = 'JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|';
function fec(lines: Line[], signed: boolean): string {
  const amount = (n: number) => n.toFixed(2).replace('.', ',');
  const rows = lines.map(([j, e, d, acc, aux, piece, deb, cred, lt, dl]) =>
    [j, j, e, d, acc, acc, aux, aux ? `Client ${aux}` : '', piece, d, piece,
     ...(signed ? [amount(deb || cred), deb ? 'D' : 'C'] : [amount(deb), amount(cred)]), lt, dl, d, '', ''].join('|'),
  );
  const head = HEAD + (signed ? 'Montant|Sens|' : 'Debit|Credit|') + 'EcritureLet|DateLet|ValidDate|Montantdevise|Idevise';
  return [head, ...rows].join('\n') + '\n';
}

const CASES: Line[] = [
  // F1 1000 on 01-10 (due 02-09), paid 02-01, matched only on 02-20
  ['VT', '1', '20240110', '411000', 'K1', 'F1', 1000, 0, 'A', '20240220'],
  ['VT', '1', '20240110', '706000', '', 'F1', 0, 1000, '', ''],
  ['BQ', '2', '20240201', '411000', 'K1', 'R1', 0, 1000, 'A', '20240220'],
  ['BQ', '2', '20240201', '512000', '', 'R1', 1000, 0, '', ''],
  // F2 500 on 01-15, moved to doubtful receivables (416) on 03-01
  ['VT', '3', '20240115', '411000', 'K2', 'F2', 500, 0, 'B', '20240301'],
  ['VT', '3', '20240115', '706000', '', 'F2', 0, 500, '', ''],
  ['OD', '4', '20240301', '416000', 'K2', 'T2', 500, 0, '', ''],
  ['OD', '4', '20240301', '411000', 'K2', 'T2', 0, 500, 'B', '20240301'],
  // F3 300 on 01-20, written off on 03-15
  ['VT', '5', '20240120', '411000', 'K3', 'F3', 300, 0, 'C', '20240315'],
  ['VT', '5', '20240120', '706000', '', 'F3', 0, 250, '', ''],
  ['VT', '5', '20240120', '445710', '', 'F3', 0, 50, '', ''],
  ['OD', '6', '20240315', '654000', '', 'P3', 250, 0, '', ''],
  ['OD', '6', '20240315', '445710', '', 'P3', 50, 0, '', ''],
  ['OD', '6', '20240315', '411000', 'K3', 'P3', 0, 300, 'C', '20240315'],
  // a credit of 100 on K1 against another debtor account: a miscellaneous entry, unapplied
  ['OD', '7', '20240325', '411000', 'K1', 'M7', 0, 100, '', ''],
  ['OD', '7', '20240325', '467000', '', 'M7', 100, 0, '', ''],
];

describe('FEC rebuild', () => {
  for (const signed of [false, true]) {
    it(`${signed ? 'Montant + Sens' : 'Debit / Credit'}: lettrage dates, transfers, write-offs and miscellaneous entries`, async () => {
      const engine = await freshEngine();
      const result = await importFiles(engine, [text('123456789FEC20241231.txt', fec(CASES, signed))]);
      const f = result.files[0];
      expect([f.status, f.detected?.layout, f.detected?.delimiter, f.rows_rejected]).toEqual(['imported', signed ? 'fec_signed' : 'fec', '|', 0]);
      expect(f.detected?.notes).toMatchObject({ fec_transfers: 2, fec_write_offs: 1, fec_misc_lines: 1, fec_payments: 1 });
      const at = async (as_of: string) => (await runQuery(engine, 'balances', { ...D, as_of }))[0];
      // 02-10: the payment of 02-01 is not matched yet: F1 still open (1 day overdue), the cash unapplied
      expect(await at('2024-02-10')).toMatchObject({ outstanding: 1800, overdue: 1000, unapplied_cash: 1000 });
      // 02-25: matched on 02-20
      expect(await at('2024-02-25')).toMatchObject({ outstanding: 800, overdue: 800, unapplied_cash: 0 });
      // 03-31: F2 is now a doubtful receivable of 500 (dated 03-01, due 03-31: not due), F3 written off;
      // sales are the three invoices only; 100 unapplied from the miscellaneous entry
      const end = await at('2024-03-31');
      expect(end).toMatchObject({ sales: 1800, outstanding: 500, overdue: 0, unapplied_cash: 100 });
      const [loss] = await runQuery(engine, 'losses', D);
      expect(loss).toEqual({ written_off: 300, bad_debt_rate: (300 / 1800) * 100 });
    });
  }

  it('a FEC in its legal formats is typed by the reader: a bad cell past the sampled lines is rejected at its line and column, padded cells are trimmed', async () => {
    // 2,000 sales of 10,00 to K9 on 01-05 (due 02-04, never paid) fill the first 256 KB the
    // formats are checked on; the hand-built entries come after, then entry X1 whose two lines
    // are broken (a date that is not AAAAMMJJ, an amount that is not a number).
    const filler: Line[] = [];
    for (let i = 1; i <= 2000; i++) {
      filler.push(['VT', `9${i}`, '20240105', '411000', 'K9', `G${i}`, 10, 0, '', ''], ['VT', `9${i}`, '20240105', '706000', '', `G${i}`, 0, 10, '', '']);
    }
    let body = fec([...filler, ...CASES], false);
    // padding as fixed-width exports write it
    body = body.replace('|411000|411000|K9|Client K9|G1|', '| 411000 |411000|K9  |Client K9|G1|');
    const lines = body.trimEnd().split('\n');
    const bad = ['VT|VT|X1|31/01/2024|411000|411000|K1|Client K1|X1|20240131|X1|50,00|0,00||||||', 'VT|VT|X1|20240131|706000|706000|||X1|20240131|X1|0,00|5O,00||||||'];
    body = [...lines, ...bad].join('\n') + '\n';
    expect(body.indexOf('|F1|')).toBeGreaterThan(256 * 1024);
    const engine = await freshEngine();
    const result = await importFiles(engine, [text('123456789FEC20241231.txt', body)]);
    const f = result.files[0];
    expect([f.status, f.detected?.layout, f.detected?.typed_read]).toEqual(['imported', 'fec', true]);
    expect([f.rows_read, f.rows_imported, f.rows_rejected]).toEqual([4018, 4016, 2]);
    // debits: 2,000 × 10 + the entries' 3,700 + the broken date line's 50 (read from its text)
    expect([f.amount_read, f.amount_rejected, f.amount_imported]).toEqual([23750, 50, 23700]);
    const rejects = await engine.query<{ line: number; column_name: string; value: string; reason: string }>(
      `SELECT line::INTEGER AS line, column_name, value, reason FROM import_rejects ORDER BY line`,
    );
    expect(rejects).toEqual([
      { line: 4018, column_name: 'EcritureDate', value: '31/01/2024', reason: 'bad_date' },
      { line: 4019, column_name: 'Credit', value: '5O,00', reason: 'bad_amount' },
    ]);
    const [c] = await engine.query<{ n: number; k9: number }>(`SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE customer_id = 'K9')::INTEGER AS k9 FROM customers`);
    expect(c).toEqual({ n: 4, k9: 1 });
    // the FEC rebuild test's figures at 03-31, plus the 2,000 unpaid sales of K9: 20,000 overdue
    const [b] = await runQuery(engine, 'balances', D);
    expect(b).toMatchObject({ sales: 21800, outstanding: 20500, overdue: 20000, unapplied_cash: 100 });
  });

  it('a FEC that strays from the legal formats (dd/mm/yyyy dates) is read by the general path, with the same figures', async () => {
    const dmyOf = (v: string) => (v ? `${v.slice(6)}/${v.slice(4, 6)}/${v.slice(0, 4)}` : v);
    const dmy = CASES.map(([j, e, d, acc, aux, piece, deb, cred, lt, dl]): Line => [j, e, dmyOf(d), acc, aux, piece, deb, cred, lt, dmyOf(dl)]);
    const engine = await freshEngine();
    const result = await importFiles(engine, [text('FEC.txt', fec(dmy, false))]);
    const f = result.files[0];
    expect([f.status, f.detected?.layout, f.detected?.typed_read, f.detected?.date_format, f.rows_rejected]).toEqual(['imported', 'fec', undefined, 'dmy', 0]);
    const [b] = await runQuery(engine, 'balances', D);
    expect(b).toMatchObject({ sales: 1800, outstanding: 500, overdue: 0, unapplied_cash: 100 });
  });

  it('takes the due dates of a second file (invoice number and due date) instead of the terms', async () => {
    const engine = await freshEngine();
    const r = await importFiles(engine, [
      text('FEC.txt', fec(CASES.slice(0, 2), false)),
      text('echeances.csv', 'N° facture;Date d\'échéance\nF1;25/02/2024\nF9;01/03/2024\n'),
    ]);
    const dues = r.files.find((f) => f.file === 'echeances.csv')!;
    expect(dues).toMatchObject({ status: 'imported', rows_imported: 1, rows_rejected: 1 });
    expect(dues.detected?.layout).toBe('due_dates');
    const [i] = await engine.query<{ due: string }>(`SELECT strftime(due_date, '%Y-%m-%d') AS due FROM invoices WHERE invoice_id = 'F1'`);
    expect(i.due).toBe('2024-02-25');
    // the ledger facts follow: F1 is overdue from 02-26, not from 02-10
    const [b] = await runQuery(engine, 'balances', { ...D, as_of: '2024-02-20' });
    expect([b.outstanding, b.overdue]).toEqual([1000, 0]);
  });

  it('takes the customer\'s own payment terms when a customers file comes with the FEC', async () => {
    const engine = await freshEngine();
    await importFiles(engine, [
      text('clients.csv', 'customer_id,customer_name,payment_terms_days\nK1,Client K1,60\n'),
      text('FEC.txt', fec(CASES.slice(0, 2), false)),
    ]);
    const [i] = await engine.query<{ due: string }>(`SELECT strftime(due_date, '%Y-%m-%d') AS due FROM invoices WHERE invoice_id = 'F1'`);
    expect(i.due).toBe('2024-03-10');
  });
});

/**
 * ERP receivables exports (tests/fixtures/erp, one per ERP, headers as each ERP writes them), all
 * holding the same open items at 2024-03-31: Dupont 2400 (due 02-09, 51 days overdue) and 1800
 * (due 04-14, not due); Martin 3600 of which 1000 paid (2600 open, due 03-02, 29 days), and a −600
 * credit note of 02-15 (45 days). SAP lists the 1000 payment as its own open credit item (DZ, 21
 * days). Outstanding 6200, overdue 4400, aged: not due 1800, 1–30 2600, 31–60 1800.
 */
describe('ERP receivables exports recognised by their headers', () => {
  const cases: [string, string, boolean][] = [
    ['sap-fbl5n.csv', 'SAP FBL5N / BSID field names, S/H indicator, net due date from ZFBDT + ZBD*T', false],
    ['quickbooks-ar-aging-detail.csv', 'QuickBooks A/R Aging Detail', true],
    ['xero-aged-receivables-detail.csv', 'Xero Aged Receivables Detail', true],
    ['sage50-aged-debtors.csv', 'Sage 50 Aged Debtors (balance only, no due date: terms)', true],
    ['sage100-echeancier-clients.csv', 'A French échéancier clients (Sage 100: "N° compte tiers", "Intitulé", "N° pièce", Windows-1252, \\r\\n)', true],
    ['erpnext-accounts-receivable.csv', 'ERPNext Accounts Receivable', true],
    ['odoo-journal-items.csv', 'Odoo journal items (date_maturity, amount_residual)', true],
    ['invoice-ninja-invoices.csv', 'Invoice Ninja invoices', true],
    ['balance-agee-fr.csv', 'A French balance âgée (Windows-1252, ";", title lines above the header, a total row below)', true],
    ['balance-agee-par-client.csv', 'A French balance âgée by customer (one column per bucket, no invoice): its buckets as open items', true],
  ];
  for (const [file, label, openItems] of cases) {
    it(label, async () => {
      const engine = await freshEngine();
      const result = await importFiles(engine, [fixture('erp', file)]);
      const f = result.files[0];
      expect([f.status, f.detected?.layout, f.rows_rejected, f.error]).toEqual(['imported', 'invoices', 0, undefined]);
      expect(Boolean(f.detected?.notes.open_items_only)).toBe(openItems);
      const [b] = await runQuery(engine, 'balances', D);
      expect([b.outstanding, b.overdue, b.not_due]).toEqual([6200, 4400, 1800]);
      const aging = await runQuery(engine, 'aging', D);
      expect(aging.map((a) => a.amount)).toEqual([1800, 2600, 1800, 0, 0, 0]);
    });
  }
});

/**
 * A report exported as CSV, as French ERPs write it: title lines above the header, a total row at
 * the bottom (tests/fixtures/erp/balance-agee-fr.csv: the ERP ledger above, Montant TTC 7 200,00,
 * Solde restant 6 200,00).
 */
describe('a CSV report: title lines above the header, total rows below', () => {
  const HEAD = 'Balance âgée clients au 31/03/2024\n\nCode client;Raison sociale;N° facture;Date facture;Date échéance;Montant TTC;Solde restant\n';
  const ROWS = [
    'CLI001;Dupont SA;F2024-001;15/01/2024;14/02/2024;2 400,00;2 400,00',
    'CLI002;Martin SARL;F2024-002;20/02/2024;21/03/2024;3 600,00;2 600,00',
  ];

  it('skips the titles, leaves the total row out, and checks the file\'s totals against its rows', async () => {
    const engine = await freshEngine();
    const f = (await importFiles(engine, [fixture('erp', 'balance-agee-fr.csv')])).files[0];
    expect(f.detected).toMatchObject({ encoding: 'windows-1252', delimiter: ';', date_format: 'dmy', decimal_comma: true });
    expect(f.detected?.notes).toMatchObject({ title_rows_skipped: 3, total_rows_dropped: 1 });
    // 4 invoices read (neither the blank ";;;;;;" row nor the total is one), their amounts 7200
    expect([f.rows_read, f.rows_imported, f.rows_rejected, f.amount_read]).toEqual([4, 4, 0, 7200]);
    expect(f.control_totals).toEqual([
      { column: 'Montant TTC', stated: 7200, read: 7200 },
      { column: 'Solde restant', stated: 6200, read: 6200 },
    ]);
    expect(f.control_totals!.map((c) => describeControlTotal('fr', c).ok)).toEqual([true, true]);
  });

  it('a rejected cell is located at its line of the file, titles counted', async () => {
    const engine = await freshEngine();
    // line 1 title, 2 blank, 3 header, 4 and 5 the rows, 6 the bad date
    const bad = 'CLI001;Dupont SA;F2024-003;31/02/2024;14/04/2024;1 800,00;1 800,00';
    const f = (await importFiles(engine, [text('r.csv', HEAD + [...ROWS, bad].join('\n') + '\n')])).files[0];
    expect(f.detected?.notes.title_rows_skipped).toBe(2);
    expect([f.rows_read, f.rows_imported, f.rows_rejected]).toEqual([3, 2, 1]);
    expect(await engine.query(`SELECT line, column_name, value, reason FROM import_rejects`)).toEqual([
      { line: 6, column_name: 'Date facture', value: '31/02/2024', reason: 'bad_date' },
    ]);
  });

  it('empty lines inside the file (which the reader skips) do not shift the lines of the rows after them', async () => {
    const engine = await freshEngine();
    // line 1 title, 2 blank, 3 header, 4 a row, 5 and 6 empty, 7 a row, 8 a bad row,
    // 9 a malformed line, 10 empty, 11 a bad row
    const lines = [
      'Balance âgée clients au 31/03/2024', '', 'Code client;Raison sociale;N° facture;Date facture;Date échéance;Montant TTC;Solde restant',
      ROWS[0], '', '', ROWS[1],
      'CLI003;Durand;F2024-009;15/03/2024;14/04/2024;douze;12,00',
      'x;y;z;1;2;3;4;5', '',
      'CLI004;Petit;F2024-010;15/03/2024;31/02/2024;10,00;10,00',
    ];
    const f = (await importFiles(engine, [text('blank.csv', lines.join('\n') + '\n')])).files[0];
    expect([f.rows_read, f.rows_imported, f.rows_rejected]).toEqual([5, 2, 3]);
    const rejects = await engine.query<{ line: number; reason: string }>(`SELECT line, reason FROM import_rejects ORDER BY line`);
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([[8, 'bad_amount'], [9, 'malformed_line'], [11, 'bad_date']]);
    // and with no malformed line (the direct path otherwise): the row after the empty lines is line 7
    const engine2 = await freshEngine();
    const bad = ROWS[1].replace('20/02/2024', '30/02/2024');
    await importFiles(engine2, [text('blank2.csv', [...lines.slice(0, 6), bad].join('\n') + '\n')]);
    expect(await engine2.query(`SELECT line, reason FROM import_rejects`)).toEqual([{ line: 7, reason: 'bad_date' }]);
  });

  it('a list grouped by customer: its subtotal lines are set aside, not rejected as broken invoices nor counted twice', async () => {
    const engine = await freshEngine();
    const lines = [
      ROWS[0], 'Total CLI001;;;;;2 400,00;2 400,00', //                                   4, 5
      ROWS[1], 'CLI002;Martin SARL;F2024-004;20/02/2024;21/03/2024;1 200,00;1 200,00', // 6, 7
      'Total client CLI002;;;;;4 800,00;3 800,00', //                                     8
      'CLI003;Durand;;15/03/2024;14/04/2024;50,00;50,00', //                              9: no invoice number
      'Total Dupont;;;;;1,00;1,00', //                                                    10: not a total's label (a name)
      'TOTAL ENERGIES;Total Energies;F2024-005;15/03/2024;14/04/2024;100,00;100,00', //    11: a customer
    ];
    const f = (await importFiles(engine, [text('grouped.csv', HEAD + lines.join('\n') + '\nTotal général;;;;;7 351,00;6 351,00\n')])).files[0];
    expect([f.rows_read, f.rows_imported, f.rows_rejected]).toEqual([8, 4, 4]);
    expect(await engine.query(`SELECT line, column_name, value, reason FROM import_rejects ORDER BY line, column_name`)).toEqual([
      { line: 5, column_name: 'Code client', value: 'Total CLI001', reason: 'subtotal_row' },
      { line: 8, column_name: 'Code client', value: 'Total client CLI002', reason: 'subtotal_row' },
      { line: 9, column_name: 'N° facture', value: null, reason: 'required_missing' },
      { line: 10, column_name: 'Date facture', value: null, reason: 'required_missing' },
      { line: 10, column_name: 'N° facture', value: null, reason: 'required_missing' },
    ]);
    // the subtotals' amounts are in nothing: read = the four invoices + the two rows rejected for a
    // missing number (2 400 + 3 600 + 1 200 + 100 + 50 + 1 = 7 351), as the file's own total says
    expect([f.amount_read, f.amount_imported, f.amount_rejected]).toEqual([7351, 7300, 51]);
    expect(f.control_totals).toEqual([
      { column: 'Montant TTC', stated: 7351, read: 7351 },
      { column: 'Solde restant', stated: 6351, read: 6351 },
    ]);
  });

  it('says so when the total row does not match the rows (a row missing from the export)', async () => {
    const engine = await freshEngine();
    const f = (await importFiles(engine, [text('r.csv', HEAD + ROWS.join('\n') + '\nTOTAL :;;;;;6 000,00;6 000,00\n')])).files[0];
    expect(f.control_totals).toEqual([
      { column: 'Montant TTC', stated: 6000, read: 6000 },
      { column: 'Solde restant', stated: 6000, read: 5000 },
    ]);
    const off = describeControlTotal('en', f.control_totals![1]);
    expect(off.ok).toBe(false);
    expect(off.text).toContain('5,000.00');
    expect(off.text).toContain('−1,000.00'.replace('−', '-'));
  });

  it('a customer named Total is a customer, and a total followed by a malformed line is a row like any other', async () => {
    const engine = await freshEngine();
    const energies = 'CLI009;TOTAL ENERGIES MARKETING;F2024-009;20/03/2024;19/04/2024;100,00;100,00';
    const kept = (await importFiles(engine, [text('a.csv', HEAD + [...ROWS, energies].join('\n') + '\n')])).files[0];
    expect([kept.rows_read, kept.rows_imported, kept.detected?.notes.total_rows_dropped]).toEqual([3, 3, undefined]);
    // after the total row, a line with too many cells: the total is not the end of the file, so it
    // is read as a row (set aside as a subtotal: no invoice number, a total's label), the malformed
    // line too, both listed
    const engine2 = await freshEngine();
    const f = (await importFiles(engine2, [text('b.csv', HEAD + ROWS.join('\n') + '\nTotal;;;;;6 000,00;5 000,00\nx;y;z;1;2;3;4;5\n')])).files[0];
    expect([f.rows_read, f.rows_imported, f.rows_rejected, f.detected?.notes.total_rows_dropped, f.control_totals]).toEqual([4, 2, 2, undefined, undefined]);
    expect((await engine2.query<{ line: number; reason: string }>(`SELECT line, reason FROM import_rejects ORDER BY line`)).map((r) => [r.line, r.reason])).toEqual(
      expect.arrayContaining([[6, 'subtotal_row'], [7, 'malformed_line']]),
    );
  });

  it('finds the header: recognised, else the first all-text row as wide as the others', () => {
    expect(headerIndex([['Balance âgée au 31/03/2024'], [], ['Code client', 'Raison sociale', 'N° facture', 'Date facture', 'Montant TTC'], ['C1', 'A', 'F1', '01/01/2024', '10,00']])).toBe(2);
    expect(headerIndex([['Edition du', '01/04/2024'], ['Compte', 'Libellé', 'Pièce'], ['411DUP', 'Dupont', '12']])).toBe(1);
    expect(csvTitleLines('invoice_id,customer_id,invoice_date,amount\nA1,K,2024-01-10,100\n')).toBeNull();
    expect(csvTitleLines(HEAD + ROWS.join('\r\n'))).toEqual({ skip: 2, delimiter: ';' });
    for (const label of ['Total', 'TOTAL :', 'Total général', 'Totaux', 'Sous-total', 'Grand total', 'total TTC', 'Total compte 411', 'Total client DUP001 :'])
      expect([label, isTotalRow(['', label, '12,00'])]).toEqual([label, true]);
    for (const name of ['TotalEnergies', 'TOTAL ENERGIES MARKETING', 'Total Fina Elf', 'Totalisator'])
      expect([name, isTotalRow(['C1', name, '12,00'])]).toEqual([name, false]);
  });
});

/**
 * Line endings and quoted cells: a row's line in the file, whatever the reader counts (it numbers a
 * record's lines as one), and files mixing `\r\n` and `\n` (which DuckDB's sniffer refuses).
 */
describe('line breaks: quoted cells over several lines, mixed line endings', () => {
  const HEAD = 'N° facture;Code client;Date facture;Date échéance;Montant TTC;Commentaire';
  const row = (n: number, due = '30/04/2024', note = 'ok') => `F${n};CLI00${n};01/03/2024;${due};${n}00,00;${note}`;

  it('a note written over several lines does not shift the lines of the rows after it', async () => {
    const engine = await freshEngine();
    const lines = [
      HEAD, //                                              1
      row(1, undefined, '"relancé le 02/04\nrappeler"'), //  2–3
      '', //                                                4
      row(2, undefined, '"litige :\n\nvoir mail"'), //      5–7 (an empty line inside the cell)
      'x;y;z;1;2;3;4;5', //                                 8: malformed
      row(3, '31/02/2024'), //                              9: bad date
      row(4, undefined, '"a\n""b"""') + ';extra', //        10–11: malformed, over two lines
      row(5, '32/04/2024', 'pouce 12" HD'), //              12: bad date (a stray quote inside a cell)
      row(6, 'xx'), //                                       13: bad date
    ];
    const f = (await importFiles(engine, [text('notes.csv', lines.join('\n') + '\n')])).files[0];
    expect([f.rows_read, f.rows_imported, f.rows_rejected]).toEqual([7, 2, 5]);
    const rejects = await engine.query<{ line: number; reason: string }>(`SELECT DISTINCT line, reason FROM import_rejects ORDER BY line`);
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([[8, 'malformed_line'], [9, 'bad_date'], [10, 'malformed_line'], [12, 'bad_date'], [13, 'bad_date']]);
    // the notes are read whole, line breaks included
    expect(await engine.query(`SELECT invoice_id FROM invoices ORDER BY 1`)).toEqual([{ invoice_id: 'F1' }, { invoice_id: 'F2' }]);
  });

  it('no malformed line: the rows after a note over several lines keep their lines too', async () => {
    const engine = await freshEngine();
    const lines = [HEAD, row(1, undefined, '"deux\nlignes"'), row(2), row(3, '31/02/2024')];
    await importFiles(engine, [text('notes2.csv', lines.join('\r\n') + '\r\n')]);
    expect(await engine.query(`SELECT line, reason FROM import_rejects`)).toEqual([{ line: 5, reason: 'bad_date' }]);
  });

  it('an unbalanced quote that the reader does not take as quoting leaves the numbering alone', async () => {
    const engine = await freshEngine();
    const lines = [HEAD, row(1, undefined, '"pas fermé'), row(2), row(3, '31/02/2024')];
    await importFiles(engine, [text('open-quote.csv', lines.join('\n') + '\n')]);
    expect(await engine.query(`SELECT line, reason FROM import_rejects`)).toEqual([{ line: 4, reason: 'bad_date' }]);
  });

  for (const [name, ends] of [
    ['\\r\\n with a \\n line', ['\r\n', '\n', '\r\n', '\r\n']],
    ['\\n with a \\r\\n line', ['\n', '\r\n', '\n', '\n']],
    ['\\r alone (an old Mac export), an empty line among them', ['\r', '\r\r', '\r', '\r']],
  ] as const) {
    it(`reads a file whose lines end in ${name}`, async () => {
      const engine = await freshEngine();
      const lines = [HEAD, row(1), row(2), row(3, '31/02/2024')];
      const body = lines.map((l, i) => l + ends[i]).join('');
      const f = (await importFiles(engine, [text('ends.csv', body)])).files[0];
      expect([f.status, f.rows_read, f.rows_imported, f.rows_rejected]).toEqual(['imported', 3, 2, 1]);
      const blank = ends[1] === '\r\r' ? 1 : 0;
      expect(await engine.query(`SELECT line, reason FROM import_rejects`)).toEqual([{ line: 4 + blank, reason: 'bad_date' }]);
      expect(await engine.query(`SELECT invoice_id, amount::DOUBLE AS amount FROM invoices ORDER BY 1`)).toEqual([
        { invoice_id: 'F1', amount: 100 },
        { invoice_id: 'F2', amount: 200 },
      ]);
    });
  }
});

/**
 * An aged balance by customer (tests/fixtures/erp/balance-agee-par-client.csv, the ERP ledger above
 * at 2024-03-31: Dupont not due 1800, 31–60 days 2400; Martin 1–30 days 2600, 31–60 days −600).
 */
describe('an aged balance by customer, one column per bucket', () => {
  it('reads the buckets from their headers, French and English', () => {
    const cases: [string, number | null][] = [
      ['Non échu', -15], ['À échoir', -15], ['Current', -15], ['Not due', -15],
      ['1 à 30 j', 16], ['0-30', 16], ['31-60', 46], ['31 à 60 jours', 46], ['61 - 90 days', 76],
      ['Plus de 90 j', 105], ['+ de 90 jours', 105], ['> 90', 105], ['+90', 105], ['90+', 105], ['Over 90 days', 105], ['120 et plus', 135],
      ['Total', null], ['Client', null], ['Échu', null], ['2024', null],
    ];
    for (const [h, days] of cases) expect([h, bucketDays(h)]).toEqual([h, days]);
  });

  it('finds the report\'s date in its title, else its file name, else takes the day of the import', () => {
    expect(reportDate('Balance âgée au 31/10/2026', 'x.csv', '2026-11-24')).toEqual({ date: '2026-10-31', source: 'title' });
    expect(reportDate('Période du 01/01/2026 au 30/09/2026', 'x.csv', '2026-11-24')).toEqual({ date: '2026-09-30', source: 'title' });
    expect(reportDate('Aged debtors 2026-06-30', 'x.csv', '2026-11-24')).toEqual({ date: '2026-06-30', source: 'title' });
    expect(reportDate('Balance au 31/10/2026, éditée le 24/11/2026', 'x.csv', '2026-11-30')).toEqual({ date: '2026-10-31', source: 'title' });
    expect(reportDate('Edité le 24/11/2026\nSituation arrêtée au : 30/09/2026', 'x.csv', '2026-11-30')).toEqual({ date: '2026-09-30', source: 'title' });
    expect(reportDate('', 'balance_20260831.xlsx', '2026-11-24')).toEqual({ date: '2026-08-31', source: 'file_name' });
    expect(reportDate('ACME Inc.\nA/R Aging Summary\nAs of October 31, 2026', 'x.csv', '2026-11-24')).toEqual({ date: '2026-10-31', source: 'title' });
    expect(reportDate('Balance âgée au 1er février 2026', 'x.csv', '2026-11-24')).toEqual({ date: '2026-02-01', source: 'title' });
    expect(reportDate('Société ACME', 'balance.csv', '2026-11-24')).toEqual({ date: '2026-11-24', source: 'today' });
    expect(reportDate('au 31/02/2026', 'balance.csv', '2026-11-24').source).toBe('today');
  });

  it('each bucket becomes one open item due at its middle: the aged balance and the balances are the report\'s', async () => {
    const engine = await freshEngine();
    const f = (await importFiles(engine, [fixture('erp', 'balance-agee-par-client.csv')])).files[0];
    expect([f.detected?.layout, f.rows_read, f.rows_imported, f.amount_read]).toEqual(['invoices', 4, 4, 6200]);
    expect(f.detected?.notes).toMatchObject({ aged_summary: 2, title_rows_skipped: 2, total_rows_dropped: 1, open_items_only: 4 });
    expect(f.detected?.report_date).toEqual({ date: '2024-03-31', source: 'title' });
    expect(f.detected?.ignored).toEqual(['Total']);
    // the total row, bucket by bucket and in its Total column, against the items
    expect(f.control_totals?.map((c) => [c.column, c.stated, c.read])).toEqual([
      ['Non échu', 1800, 1800], ['1 à 30 jours', 2600, 2600], ['31 à 60 jours', 1800, 1800], ['61 à 90 jours', 0, 0], ['+ de 90 jours', 0, 0], ['Total', 6200, 6200],
    ]);
    const items = await engine.query<{ invoice_id: string; due: string; amount: number }>(
      `SELECT invoice_id, strftime(due_date, '%Y-%m-%d') AS due, amount::DOUBLE AS amount FROM invoices ORDER BY invoice_id`,
    );
    // not due: due 15 days after the report; 1–30: 16 days before it; 31–60: 46 days before
    expect(items.map((i) => [i.invoice_id, i.due, i.amount])).toEqual([
      ['CLI001 · 31 à 60 jours', '2024-02-14', 2400],
      ['CLI001 · Non échu', '2024-04-15', 1800],
      ['CLI002 · 1 à 30 jours', '2024-03-15', 2600],
      ['CLI002 · 31 à 60 jours', '2024-02-14', -600],
    ]);
    // the ledger's latest date is the report's (the not-due items are invoiced that day)
    const [s] = await runQuery(engine, 'ledger_summary', {});
    expect(s.latest_date).toBe('2024-03-31');
    const top = await runQuery(engine, 'top_late', { ...D, limit: 5 });
    expect(top.map((t) => [t.customer_id, t.customer_name, t.overdue])).toEqual([['CLI001', 'Dupont SA', 2400], ['CLI002', 'Martin SARL', 2000]]);
  });

  it('a row whose own total is not the sum of its buckets is imported from its buckets and flagged', async () => {
    const engine = await freshEngine();
    const body = [
      'Balance âgée par client au 31/03/2024', '',
      'Code client;Client;Non échu;1 à 30 jours;31 à 60 jours;Total', //  line 3
      'CLI001;Dupont SA;1 800,00;0,00;2 400,00;4 200,00', //               4: adds up
      'CLI002;Martin SARL;;2 600,00;-600,00;2 100,00', //                  5: 2 000,00, not 2 100,00
      'CLI003;Durand;500,00;;;', //                                        6: no total given
      'CLI004;Petit;;;;75,00', //                                          7: a total, no bucket
    ].join('\n') + '\n';
    const f = (await importFiles(engine, [text('balance.csv', body)])).files[0];
    expect([f.rows_imported, f.amount_read]).toEqual([5, 6700]);
    expect(f.warnings).toMatchObject({ row_total_mismatch: 2 });
    expect(await engine.query(`SELECT line, column_name, value, reason, detail FROM import_warnings ORDER BY line`)).toEqual([
      { line: 5, column_name: 'Total', value: '2 100,00', reason: 'row_total_mismatch', detail: '2000.00' },
      { line: 7, column_name: 'Total', value: '75,00', reason: 'row_total_mismatch', detail: '0.00' },
    ]);
  });

  it('the same report as an Excel sheet: title row, numbers as numbers, the items at their sheet rows', async () => {
    const engine = await freshEngine();
    const ws = XLSX.utils.aoa_to_sheet([
      ['Balance âgée par client au 31/03/2024'],
      [],
      ['Code client', 'Client', 'Non échu', '1 à 30 jours', '31 à 60 jours', 'Total'],
      ['CLI001', 'Dupont SA', 1800, 0, 2400, 4200],
      ['CLI002', 'Martin SARL', null, 2600, -600, 2000],
      ['Total', null, 1800, 2600, 1800, 6200],
    ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'Balance');
    const f = (await importFiles(engine, [{ name: 'balance.xlsx', bytes: new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' })) }])).files[0];
    expect([f.detected?.layout, f.rows_imported, f.amount_read, f.detected?.report_date?.date]).toEqual(['invoices', 4, 6200, '2024-03-31']);
    const [b] = await runQuery(engine, 'balances', D);
    expect([b.outstanding, b.overdue, b.not_due]).toEqual([6200, 4400, 1800]);
  });

  it('a bad cell is rejected at its customer\'s line, with the other buckets of that customer imported', async () => {
    const engine = await freshEngine();
    const csv = 'Code client;Client;Non échu;1-30;31-60\nK1;A;100,00;;\nK2;B;50,00;abc;20,00\nTotal;;150,00;7,00;20,00\n';
    const f = (await importFiles(engine, [text('aged_2024-03-31.csv', csv)])).files[0];
    expect(f.detected?.report_date).toEqual({ date: '2024-03-31', source: 'file_name' });
    expect([f.rows_read, f.rows_imported, f.rows_rejected]).toEqual([4, 3, 1]);
    expect(await engine.query(`SELECT line, value, reason FROM import_rejects`)).toEqual([{ line: 3, value: 'abc', reason: 'bad_amount' }]);
    // the total row says 7 in 1–30 days: the rows read (the bad cell read as nothing) do not add up to it
    expect(f.control_totals?.map((c) => [c.column, c.stated, c.read])).toEqual([['Non échu', 150, 150], ['1-30', 7, 0], ['31-60', 20, 20]]);
  });
});
