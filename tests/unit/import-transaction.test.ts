import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/lib/importers/import';
import type { ImportProgress } from '../../src/lib/importers/report';
import { fixture, freshEngine } from './support/engine';

const count = async (engine: Awaited<ReturnType<typeof freshEngine>>) =>
  (await engine.query<{ n: number }>(`SELECT (SELECT count(*) FROM invoices) * 1000 + (SELECT count(*) FROM payments) AS n`))[0].n;

describe('an import is all or nothing', () => {
  it('a cancelled import, even one replacing the ledger, leaves the previous ledger intact', async () => {
    const engine = await freshEngine();
    await importFiles(engine, [fixture('hand', 'customers.csv'), fixture('hand', 'invoices.csv'), fixture('hand', 'payments.csv')]);
    expect(await count(engine)).toBe(8004);
    // Cancel once the second file has started loading: the first one is already inserted by then.
    const seen: ImportProgress[] = [];
    const result = await importFiles(engine, [fixture('hand', 'rejects.csv'), fixture('hand', 'ambiguous-dates.csv')], {
      replace: true,
      dateFormats: { 'ambiguous-dates.csv': 'dmy' },
      onProgress: (p) => seen.push(p),
      isCancelled: () => seen.filter((p) => p.phase === 'loading').length >= 2,
    });
    expect(result.status).toBe('cancelled');
    expect(seen.some((p) => p.file === 'rejects.csv' && p.phase === 'done')).toBe(true);
    expect(await count(engine)).toBe(8004);
    const [r] = await engine.query<{ n: number }>(`SELECT count(*) n FROM import_rejects`);
    expect(r.n).toBe(0);
  });

  it('replace swaps the ledger for the new files', async () => {
    const engine = await freshEngine();
    await importFiles(engine, [fixture('hand', 'invoices.csv'), fixture('hand', 'payments.csv')]);
    await importFiles(engine, [fixture('hand', 'rejects.csv')], { replace: true });
    const ids = await engine.query<{ invoice_id: string }>(`SELECT invoice_id FROM invoices ORDER BY 1`);
    expect(ids.map((r) => r.invoice_id)).toEqual(['B1', 'B6']);
    expect(await count(engine)).toBe(2000);
  });
});
