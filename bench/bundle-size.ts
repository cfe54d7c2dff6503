/**
 * The app's own JavaScript, gzipped, as the browser downloads it (target: ≤ 250 KB for the pages).
 *   npm run build && npx tsx bench/bundle-size.ts
 * pages  = everything the pages load (SvelteKit entry, chunks, route nodes);
 * engine = the engine worker (our import/KPI code, DuckDB's JS API, Arrow, SheetJS) — loaded in the
 *          background by the worker, like DuckDB's own worker and the .wasm (listed apart).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = join('build', '_app', 'immutable');
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}
const gz = (p: string) => gzipSync(readFileSync(p), { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const all = files(ROOT);
const pages = all.filter((p) => p.endsWith('.js') && !p.includes(`${join(ROOT, 'workers')}`));
const engine = all.filter((p) => /workers\/engine\.worker-.*\.js$/.test(p) || (p.includes(join(ROOT, 'workers', 'chunks')) && p.endsWith('.js')));
const duckdbWorker = all.filter((p) => /duckdb-browser-eh\.worker-.*\.js$/.test(p));
const wasm = all.filter((p) => p.endsWith('.wasm'));
const sum = (xs: string[]) => xs.reduce((a, p) => a + gz(p), 0);
console.log(`| part | files | gzip |`);
console.log(`|---|---:|---:|`);
console.log(`| pages (all routes) | ${pages.length} | ${kb(sum(pages))} |`);
console.log(`| engine worker (ours + DuckDB API + Arrow + SheetJS) | ${engine.length} | ${kb(sum(engine))} |`);
console.log(`| DuckDB's own worker (eh) | ${duckdbWorker.length} | ${kb(sum(duckdbWorker))} |`);
console.log(`| wasm (DuckDB eh + mvp, parquet-wasm; one DuckDB bundle is fetched) | ${wasm.length} | ${kb(sum(wasm))} |`);
