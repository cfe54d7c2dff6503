/**
 * Where an import spends its time: every SQL statement timed, the slowest listed (native, one thread).
 *   npx tsx --import ./src/cli/raw-loader.mjs bench/trace-import.ts <file>
 */
import { readFileSync } from 'node:fs';
import { bootstrap } from '../src/lib/engine/bootstrap';
import { openNativeEngine } from '../src/lib/engine/hosts/native';
import { importFiles } from '../src/lib/importers/import';
const paths = process.argv.slice(2);
const engine = process.env.ENC_WASM ? await (await import('../src/lib/engine/hosts/wasm-node')).openWasmNodeEngine() : await openNativeEngine();
await bootstrap(engine);
if (engine.host === 'native') await engine.exec('SET threads = 1');
const times: [number, string][] = [];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const wrap = <F extends (...a: any[]) => Promise<any>>(f: F): F => (async (...a: any[]) => { const t = performance.now(); try { return await f(...a); } finally { times.push([performance.now() - t, String(a[0]).replace(/\s+/g, ' ').slice(0, 160)]); } }) as F;
// Several statements in one exec are timed one by one (split where a line starts a new statement).
const exec = wrap(engine.exec.bind(engine));
engine.exec = async (sql: string) => { for (const part of sql.split(/;\s*\n(?=(?:\s*--[^\n]*\n)*\s*(?:CREATE|INSERT|DELETE|DROP|UPDATE)\b)/)) await exec(part); };
engine.query = wrap(engine.query.bind(engine));
const t = performance.now();
const r = await importFiles(engine, paths.map((p) => ({ name: p.split('/').pop()!, bytes: new Uint8Array(readFileSync(p)) })), { maxBytes: { csv: Infinity } });
console.log('total', Math.round(performance.now() - t), r.files[0].rows_read, 'in statements', Math.round(times.reduce((a, b) => a + b[0], 0)), times.length);
times.sort((a, b) => b[0] - a[0]);
for (const [ms, sql] of times.slice(0, 40)) console.log(Math.round(ms), sql);
