/** Exports of on-screen tables: CSV in the user's conventions, formulas neutralised; XLSX typed. */
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { fileName, tableCsv, type ExportTable } from '../../src/lib/export/table';
import { tableXlsx } from '../../src/lib/export/xlsx';

const TABLE: ExportTable = {
  name: 'Balance âgée',
  columns: [
    { key: 'name', label: 'Client', kind: 'text' },
    { key: 'due', label: 'Échéance', kind: 'date' },
    { key: 'open', label: 'Reste dû', kind: 'money' },
    { key: 'rate', label: '% échu', kind: 'pct' },
  ],
  rows: [
    { name: '=HYPERLINK("http://x","clic")', due: '2024-02-09', open: 2000.5, rate: 43.9 },
    { name: 'Dupont; fils', due: null, open: -200, rate: null },
    { name: '@SUM(A1)', due: '2024-03-31', open: 0.1 + 0.2, rate: 0 },
  ],
};

describe('table exports', () => {
  it('CSV: French with ";" and a decimal comma, English with "," and a point; BOM; formula cells neutralised; numbers stay numbers', () => {
    const fr = tableCsv('fr', TABLE).split('\r\n');
    expect(fr[0]).toBe('\ufeffClient;Échéance;Reste dû;% échu');
    expect(fr[1]).toBe(`"'=HYPERLINK(""http://x"",""clic"")";2024-02-09;2000,5;43,9`);
    expect(fr[2]).toBe('"Dupont; fils";;-200;');
    // a negative number is a number, not a formula; 0.1 + 0.2 is written as the cents it is
    expect(fr[3]).toBe("'@SUM(A1);2024-03-31;0,3;0");
    const en = tableCsv('en', TABLE).split('\r\n');
    expect(en[1]).toBe(`"'=HYPERLINK(""http://x"",""clic"")",2024-02-09,2000.5,43.9`);
    expect(en[2]).toBe('Dupont; fils,,-200,');
  });

  it('XLSX: numbers as numbers, dates as dates, text never a formula', () => {
    const book = XLSX.read(tableXlsx(TABLE), { cellDates: true });
    const sheet = book.Sheets[book.SheetNames[0]];
    expect(book.SheetNames[0]).toBe('Balance âgée');
    expect(sheet.A2.t).toBe('s');
    expect(sheet.A2.f).toBeUndefined();
    expect(sheet.A2.v).toBe('=HYPERLINK("http://x","clic")');
    expect(sheet.B2.t).toBe('d');
    expect((sheet.B2.v as Date).toISOString().slice(0, 10)).toBe('2024-02-09');
    expect([sheet.C2.t, sheet.C2.v, sheet.C3.v]).toEqual(['n', 2000.5, -200]);
    expect(sheet.B3).toBeUndefined();
  });

  it('file names keep letters and digits only', () => {
    expect(fileName('Balance âgée / 31-03', 'xlsx')).toBe('Balance-agee-31-03.xlsx');
    expect(fileName('%%%', 'csv')).toBe('encours.csv');
  });
});
