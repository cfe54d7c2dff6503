/**
 * A page's data from the worker: the latest request wins when several overlap; a skeleton only
 * after a short grace period (quick answers do not flicker); errors kept to be shown.
 */
export class Loader<T> {
  data = $state<T | null>(null);
  loading = $state(false);
  skeleton = $state(false);
  error = $state<string | null>(null);
  #ticket = 0;

  run(job: () => Promise<T>): void {
    const mine = ++this.#ticket;
    this.loading = true;
    this.error = null;
    const grace = setTimeout(() => mine === this.#ticket && (this.skeleton = true), 250);
    job()
      .then((d) => {
        if (mine === this.#ticket) this.data = d;
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
