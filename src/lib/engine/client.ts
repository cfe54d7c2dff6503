/** The pages' handle on the engine worker: one worker per tab, created on first use. */
import * as Comlink from 'comlink';
import type { EngineApi } from './protocol';

let remote: Comlink.Remote<EngineApi> | null = null;

export function engineClient(): Comlink.Remote<EngineApi> {
  if (!remote) {
    const worker = new Worker(new URL('../../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'encours-engine' });
    remote = Comlink.wrap<EngineApi>(worker);
  }
  return remote;
}

export { Comlink };
