import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlEngine } from '../../src/lib/engine/sql-engine';
import { prepareBytes, sniffFormat, textKind } from '../../src/lib/importers/bytes';
import { detectLayout, isMatch } from '../../src/lib/importers/detect-layout';
import { normaliseHeader } from '../../src/lib/importers/fields';
import { freshEngine } from './support/engine';

describe('amounts as finance exports write them (enc_parse_amount, on duckdb-wasm)', () => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await freshEngine();
  });
  const cases: [string, boolean, number | null][] = [
    ['1234.56', false, 1234.56],
    ['1,234.56', false, 1234.56],
    ['EUR 1,234.56', false, 1234.56],
    ['$1,234.56', false, 1234.56],
    ['1 234,56', true, 1234.56],
    ['1\u00a0234,56 €', true, 1234.56],
    ['1\u202f234,56', true, 1234.56],
    ['1.234,56', true, 1234.56],
    ["1'234.56", false, 1234.56],
    ['-12', false, -12],
    ['(12.50)', false, -12.5],
    ['12-', false, -12],
    ['12,5-', true, -12.5],
    ['0', false, 0],
    ['abc', false, null],
    ['12x', false, null],
    ['1.2.3', false, null],
    ['', false, null],
  ];
  it.each(cases)('%s (decimal comma: %s) → %s', async (text, comma, expected) => {
    const [row] = await engine.query<{ v: number | null }>(`SELECT enc_parse_amount(?, ?)::DOUBLE AS v`, [text, comma]);
    expect(row.v).toBe(expected);
  });
});

describe('dates (enc_parse_date)', () => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await freshEngine();
  });
  const cases: [string, string, string | null][] = [
    ['2024-01-31', 'iso', '2024-01-31'],
    ['2024-01-31T00:00:00', 'iso', '2024-01-31'],
    ['2024-01-31 12:30', 'iso', '2024-01-31'],
    ['31/01/2024', 'dmy', '2024-01-31'],
    ['1/3/2012', 'mdy', '2012-01-03'],
    ['1/3/2012', 'dmy', '2012-03-01'],
    ['31/01/2024', 'mdy', null],
    ['31.01.2024', 'dmy_dot', '2024-01-31'],
    ['20240131', 'ymd_compact', '2024-01-31'],
    ['03/01/12', 'dmy', null],
    ['2024-02-30', 'iso', null],
  ];
  it.each(cases)('%s as %s → %s', async (text, fmt, expected) => {
    const [row] = await engine.query<{ v: string | null }>(`SELECT strftime(enc_parse_date(?, ?), '%Y-%m-%d') AS v`, [text, fmt]);
    expect(row.v).toBe(expected);
  });
});

describe('the fast paths read a cell exactly as the full parsers do', () => {
  // The common cells ('1 234,56', '31/01/2024') are read without regexp_replace (parse.sql); these
  // hostile cells check that the fast path never gives a value the full path would not, nor misses one.
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await freshEngine();
  });
  const amounts = [
    '1 234,56', '1\u00a0234,56', '1\u202f234,56', '-1 234,56', '+1 234,5', '1 234,56-', '(1 234,56)', '1 234,56 €',
    'EUR 1 234,56', '1e3', '1E3', '1 2e3', '1_000', '0x1F', '1 2 3,4', ' ,5', ',5', '.5', '12,', '-,5', '1,234', '12,345,6',
    '1 234.56', '1.234,56', '1..2', '1,,2', '1,2,3', '1\t234,5', '\t12', '1 234,5\t', "1'234,5", '1\u2009234,5', '--1', '+-1',
    '- 12', '12 -', 'inf', 'nan', '١٢', '12 CHF', '₹12', '1 234,567', '99999999999999999999', '0', '-0',
  ];
  it('amounts, with either decimal mark', async () => {
    for (const comma of [true, false])
      for (const a of amounts) {
        const v = comma ? a : a.replace(/[,.]/g, (m) => (m === ',' ? '.' : ','));
        const [r] = await engine.query<{ fast: string | null; full: string | null }>(
          `SELECT enc_parse_amount(?, ?)::VARCHAR AS fast, enc_amount_of(enc_amount_core(?), ?)::VARCHAR AS full`, [v, comma, v, comma]);
        expect(r.fast, `${JSON.stringify(v)} decimal comma ${comma}`).toBe(r.full);
      }
  });
  const dates = [
    '12/03/2024', '1a/03/2024', '12/03/-024', '12/03/+024', '31/02/2024', '00/01/2024', '12/13/2024', ' 2/03/2024', '2 /03/2024',
    '12/03/20a4', '99/99/9999', '01/01/0001', '+2/03/2024', '-2/03/2024', '12/-3/2024', '12/03/2-24', '12/03/ 024', '12/ 3/2024', '1/3/2024',
  ];
  it('dates, in every format with a fast path', async () => {
    for (const [fmt, sep] of [['dmy', '/'], ['mdy', '/'], ['dmy_dot', '.'], ['dmy_dash', '-']] as const)
      for (const d of dates) {
        const v = d.replaceAll('/', sep);
        const [r] = await engine.query<{ fast: string | null; full: string | null }>(
          `SELECT enc_parse_date(?, ?)::VARCHAR AS fast, enc_parse_date_full(?, ?)::VARCHAR AS full`, [v, fmt, v, fmt]);
        expect(r.fast, `${JSON.stringify(v)} as ${fmt}`).toBe(r.full);
      }
  });
});

describe('bytes before DuckDB sees them', () => {
  it('transcodes UTF-16 (with BOM) and Windows-1252 to UTF-8, strips a UTF-8 BOM', () => {
    const text = 'Client;Échéance\nC1;31/01/2024\n';
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(new Uint16Array([...text].map((c) => c.charCodeAt(0))).buffer)]);
    const a = prepareBytes(utf16);
    expect('encoding' in a && a.encoding).toBe('utf-16le');
    expect('bytes' in a && new TextDecoder().decode(a.bytes)).toBe(text);
    const said = 'Échéance 12 € : « l’œuvre », ÿ';
    const cp1252 = new Uint8Array([...said].map((c) => ({ É: 0xc9, é: 0xe9, '€': 0x80, '«': 0xab, '»': 0xbb, '’': 0x92, œ: 0x9c, ÿ: 0xff })[c] ?? c.charCodeAt(0)));
    const b = prepareBytes(cp1252);
    expect('bytes' in b && b.encoding).toBe('windows-1252');
    expect('bytes' in b && new TextDecoder().decode(b.bytes)).toBe(said);
    // 0x81 has no character in Windows-1252: the replacement character, not a silent drop
    const hole = prepareBytes(new Uint8Array([0x61, 0x81, 0x62]));
    expect('bytes' in hole && new TextDecoder().decode(hole.bytes)).toBe('a\ufffdb');
    const bom = prepareBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]));
    expect('bytes' in bom && [bom.encoding, bom.bytes.length]).toEqual(['utf-8-bom', 1]);
  });

  it('tells UTF-8, Latin-1 (read by DuckDB itself) and Windows-1252 proper apart, in one pass', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(textKind(enc('Échéance € l’œuvre 😀'))).toBe('utf-8');
    // é è à in Latin-1, no byte in 0x80–0x9F: DuckDB decodes it (read_csv encoding = 'latin-1')
    const latin = new Uint8Array([0x45, 0x74, 0xe9, 0x3b, 0xe8, 0xe0]);
    expect(textKind(latin)).toBe('latin-1');
    const p = prepareBytes(latin);
    expect('bytes' in p && [p.encoding, p.readerEncoding, p.bytes]).toEqual(['windows-1252', 'latin-1', latin]);
    // "Â€" in Windows-1252 (0xC2 0x80) looks like valid UTF-8 until a later "é" proves it is not:
    // the € must not be read as a Latin-1 control character
    expect(textKind(new Uint8Array([0xc2, 0x80, 0x20, 0xe9]))).toBe('windows-1252');
    const q = prepareBytes(new Uint8Array([0xc2, 0x80, 0x20, 0xe9]));
    expect('bytes' in q && [q.readerEncoding, new TextDecoder().decode(q.bytes)]).toEqual([undefined, 'Â€ é']);
    // what TextDecoder refuses is not UTF-8 here either: overlong, surrogate, truncated sequences
    expect(textKind(new Uint8Array([0xc0, 0xaf]))).toBe('latin-1');
    expect(textKind(new Uint8Array([0xe0, 0x80, 0xaf]))).toBe('windows-1252');
    expect(textKind(new Uint8Array([0xed, 0xa0, 0x80]))).toBe('windows-1252');
    expect(textKind(new Uint8Array([0x61, 0xe9, 0xa9]))).toBe('latin-1');
  });

  it('refuses empty and binary text files with a reason, and tells workbooks, Parquet and PDF apart', () => {
    expect(prepareBytes(new Uint8Array())).toEqual({ code: 'empty_file' });
    expect(prepareBytes(new Uint8Array([0x61, 0x00, 0x62]))).toEqual({ code: 'binary_file' });
    expect(sniffFormat(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0]))).toBe('spreadsheet');
    expect(sniffFormat(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0]))).toBe('spreadsheet');
    expect(sniffFormat(new Uint8Array([0x50, 0x41, 0x52, 0x31, 0]))).toBe('parquet');
    expect(sniffFormat(new Uint8Array([0x25, 0x50, 0x44, 0x46]))).toEqual({ code: 'unsupported_format', detail: 'pdf' });
    expect(sniffFormat(new Uint8Array([0x61, 0x3b, 0x62]))).toBe('csv');
  });
});

describe('headers in English and French', () => {
  it('normalises accents, case and punctuation', () => {
    expect(normaliseHeader('Date de règlement')).toBe('datedereglement');
    expect(normaliseHeader('N° Facture')).toBe('nfacture');
    expect(normaliseHeader('customerID')).toBe('customerid');
  });

  it('maps an ERP export and the IBM sample layout to the invoice list', () => {
    const ibm = detectLayout(['countryCode', 'customerID', 'PaperlessDate', 'invoiceNumber', 'InvoiceDate', 'DueDate', 'InvoiceAmount', 'Disputed', 'SettledDate', 'PaperlessBill', 'DaysToSettle', 'DaysLate']);
    expect(isMatch(ibm) && ibm.layout.key).toBe('invoices');
    expect(isMatch(ibm) && ibm.mapping).toEqual({
      invoice_id: 'invoiceNumber', customer_id: 'customerID', invoice_date: 'InvoiceDate', amount: 'InvoiceAmount',
      due_date: 'DueDate', country: 'countryCode', settled_date: 'SettledDate', disputed: 'Disputed', billing_channel: 'PaperlessBill',
    });
    expect(isMatch(ibm) && ibm.ignored).toEqual(['PaperlessDate', 'DaysToSettle', 'DaysLate']);
    const fr = detectLayout(['Code client', 'Raison sociale', 'Délai de paiement', 'Plafond']);
    expect(isMatch(fr) && [fr.layout.key, fr.mapping]).toEqual(['customers', { customer_id: 'Code client', customer_name: 'Raison sociale', payment_terms_days: 'Délai de paiement', credit_limit: 'Plafond' }]);
    const pay = detectLayout(['Date de règlement', 'N° facture', 'Montant', 'Client']);
    expect(isMatch(pay) && pay.layout.key).toBe('payments');
  });

  it('prefers the most specific header when two could fit', () => {
    const m = detectLayout(['Date', 'Invoice Date', 'Invoice', 'Customer', 'Amount']);
    expect(isMatch(m) && m.mapping.invoice_date).toBe('Invoice Date');
  });
});
