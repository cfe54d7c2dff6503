/**
 * Writes the demo ledger as canonical CSV files.
 *   npm run demo -- [--out static/demo] [--seed 42] [--invoices 20000] [--end 2026-10-31] [--months 36]
 * Runs before every build, so the app always ships the demo that this generator makes.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { csvLine, DEFAULT_DEMO, DEMO_TABLES, generateDemoLedger, type Cell, type DemoTable } from '../src/lib/demo/generator';

export function writeDemo(out: string, options = DEFAULT_DEMO) {
  mkdirSync(out, { recursive: true });
  const files = new Map<DemoTable, { fd: number; buffer: string[] }>();
  for (const table of Object.keys(DEMO_TABLES) as DemoTable[]) {
    const fd = openSync(join(out, `${table}.csv`), 'w');
    writeSync(fd, DEMO_TABLES[table].join(',') + '\n');
    files.set(table, { fd, buffer: [] });
  }
  const stats = generateDemoLedger(options, (table: DemoTable, row: Cell[]) => {
    const f = files.get(table)!;
    f.buffer.push(csvLine(row));
    if (f.buffer.length >= 50_000) {
      writeSync(f.fd, f.buffer.join('\n') + '\n');
      f.buffer = [];
    }
  });
  for (const f of files.values()) {
    if (f.buffer.length) writeSync(f.fd, f.buffer.join('\n') + '\n');
    closeSync(f.fd);
  }
  return stats;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'static/demo' },
      seed: { type: 'string', default: String(DEFAULT_DEMO.seed) },
      invoices: { type: 'string', default: String(DEFAULT_DEMO.invoices) },
      end: { type: 'string', default: DEFAULT_DEMO.end },
      months: { type: 'string', default: String(DEFAULT_DEMO.months) },
    },
  });
  const t0 = performance.now();
  const stats = writeDemo(values.out!, {
    seed: Number(values.seed),
    invoices: Number(values.invoices),
    end: values.end!,
    months: Number(values.months),
  });
  console.log(`demo ledger: ${stats.customers} customers, ${stats.invoices} invoices → ${values.out} (${Math.round(performance.now() - t0)} ms)`);
}
