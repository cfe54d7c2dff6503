/**
 * A page's data from the worker: the latest request wins when several overlap; a skeleton only
 * after a short grace period (quick answers do not flicker); errors kept to be shown.
 */
import { engineClient } from '../engine/client';
import type { PageContext } from '../engine/protocol';
import type { KpiRequest } from '../kpi/report';
import { i18n } from './i18n.svelte';
import { ledger } from './ledger.svelte';

/** The request resolved against the ledger, with its pickers; an error when there is no ledger. */
export async function pageContext(req: KpiRequest): Promise<PageContext> {
  const context = await engineClient().context(req);
  if (!context) throw new Error(i18n.t('overview.empty'));
  return context;
}

export class Loader<T> {
  data = $state<T | null>(null);
  loading = $state(false);
  skeleton = $state(false);
  error = $state<string | null>(null);
  #ticket = 0;
  /** which request `data` answers, when it was asked with runFor */
  #of = $state<string | null>(null);

  /** From a page's $effect: runs `job` once there is a ledger, and again after each change of it. */
  forLedger(job: () => Promise<T>): void {
    if (ledger.status !== 'ready' || !ledger.hasData) return;
    void ledger.version;
    this.run(job);
  }

  /**
   * Runs `job` for the request `key` names (a page's second query, asked once its first answers):
   * dataFor(key) gives its answer only beside that same request, never beside the next one's.
   */
  runFor(key: string, job: () => Promise<T>): void {
    this.run(job, key);
  }

  dataFor(key: string): T | null {
    return this.#of === key ? this.data : null;
  }

  run(job: () => Promise<T>, key: string | null = null): void {
    const mine = ++this.#ticket;
    this.loading = true;
    this.error = null;
    const grace = setTimeout(() => mine === this.#ticket && (this.skeleton = true), 250);
    job()
      .then((d) => {
        if (mine === this.#ticket) {
          this.data = d;
          this.#of = key;
        }
      })
      .catch((e) => {
        if (mine === this.#ticket) this.error = e instanceof Error ? e.message : String(e);
      })
      .finally(() => {
        clearTimeout(grace);
        if (mine === this.#ticket) this.loading = this.skeleton = false;
      });
  }
}
