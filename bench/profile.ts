/**
 * Where the full catalogue's time goes, family by family (native, one thread).
 *   npx tsx --import ./src/cli/raw-loader.mjs bench/profile.ts [size]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, forgetRequests } from '../src/lib/engine/bootstrap';
import { openNativeEngine } from '../src/lib/engine/hosts/native';
import { importFiles } from '../src/lib/importers/import';
import { runQuery, SCALAR_FAMILIES } from '../src/lib/kpi/queries';
import { resolveRequest } from '../src/lib/kpi/report';
import { prepareSnapshots } from '../src/lib/kpi/snapshots';

const size = process.argv[2] ?? '1000000';
const dir = join('bench', 'out', size);
const engine = await openNativeEngine();
await bootstrap(engine);
await importFiles(engine, readdirSync(dir).map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) })));
await engine.exec('SET threads = 1');
const req = (await resolveRequest(engine, {}))!;
for (let run = 0; run < 2; run++) {
  await forgetRequests(engine);
  const times: Record<string, number> = {};
  let t = performance.now();
  await prepareSnapshots(engine, [req.as_of]);
  times.snapshots = performance.now() - t;
  for (const f of [...SCALAR_FAMILIES, 'aging', 'top_late', 'series'] as const) {
    t = performance.now();
    await runQuery(engine, f as 'balances', { ...req, limit: 20 } as never);
    times[f] = performance.now() - t;
  }
  console.log(Object.entries(times).map(([k, v]) => `${k} ${Math.round(v)}`).join(' | '), '| total', Math.round(Object.values(times).reduce((a, b) => a + b, 0)));
}
