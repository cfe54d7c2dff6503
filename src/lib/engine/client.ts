/** The pages' handle on the engine worker: one worker per tab, created on first use. */
import * as Comlink from 'comlink';
import type { EngineApi, QueryOptions } from './protocol';
import type { QueryName, QueryParams, QueryRow } from '../kpi/queries';

let remote: Comlink.Remote<EngineApi> | null = null;

export function engineClient(): Comlink.Remote<EngineApi> {
  if (!remote) {
    const worker = new Worker(new URL('../../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'encours-engine' });
    remote = counted(Comlink.wrap<EngineApi>(worker));
  }
  return remote;
}

/**
 * The calls in flight, on <html data-engine-pending="n">: what a benchmark waits on to know the
 * engine is idle (the worker takes calls one at a time; a page's timing would otherwise include the
 * previous page's queued work).
 */
let pending = 0;
function counted(api: Comlink.Remote<EngineApi>): Comlink.Remote<EngineApi> {
  const mark = (d: number) => {
    pending += d;
    if (typeof document !== 'undefined') document.documentElement.dataset.enginePending = String(pending);
  };
  return new Proxy(api, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      // ('then' stays as comlink has it: the remote must not look like a promise)
      if (typeof value !== 'function' || typeof prop !== 'string' || prop === 'then') return value;
      return (...args: unknown[]) => {
        mark(1);
        return (value as (...a: unknown[]) => Promise<unknown>)(...args).finally(() => mark(-1));
      };
    },
  });
}

export { Comlink };

/** comlink's Remote<> flattens generic methods; this keeps query() typed by its name. */
export function engineQuery<N extends QueryName>(name: N, params: QueryParams<N>, options?: QueryOptions): Promise<QueryRow<N>[]> {
  const query = engineClient().query as unknown as (n: N, p: QueryParams<N>, o?: QueryOptions) => Promise<QueryRow<N>[]>;
  return query(name, params, options);
}
