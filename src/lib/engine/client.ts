/** The pages' handle on the engine worker: one worker per tab, created on first use. */
import * as Comlink from 'comlink';
import type { EngineApi } from './protocol';
import type { QueryName, QueryParams, QueryRow } from '../kpi/queries';

let remote: Comlink.Remote<EngineApi> | null = null;

export function engineClient(): Comlink.Remote<EngineApi> {
  if (!remote) {
    const worker = new Worker(new URL('../../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'encours-engine' });
    remote = Comlink.wrap<EngineApi>(worker);
  }
  return remote;
}

export { Comlink };

/** comlink's Remote<> flattens generic methods; this keeps query() typed by its name. */
export function engineQuery<N extends QueryName>(name: N, params: QueryParams<N>): Promise<QueryRow<N>[]> {
  const query = engineClient().query as unknown as (n: N, p: QueryParams<N>) => Promise<QueryRow<N>[]>;
  return query(name, params);
}
