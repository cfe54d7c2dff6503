/**
 * The engine worker's jobs, one at a time (DuckDB takes one statement at a time): the user's first,
 * in the order asked; background work (dashboards computed ahead) only once no user job has run
 * for `restMs`, one small job at a time, so that a user's request never waits behind more than one.
 */
export interface JobQueue {
  /** A job the user waits for. */
  user<T>(job: () => Promise<T>): Promise<T>;
  /** A job nobody waits for now: runs after the user's, once they have rested. */
  background<T>(job: () => Promise<T>): Promise<T>;
  /** Background jobs not yet run. */
  readonly pending: number;
}

export function createJobQueue(restMs: number, now: () => number = () => performance.now()): JobQueue {
  type Job = () => Promise<void>;
  const userJobs: Job[] = [];
  const backgroundJobs: Job[] = [];
  let running = false;
  let lastUserEnd = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function enqueue<T>(list: Job[], job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // (a job that throws before returning its promise rejects its own promise too, and never the pump)
      list.push(() => Promise.resolve().then(job).then(resolve, reject));
      void pump();
    });
  }

  async function pump(): Promise<void> {
    if (running) return;
    running = true;
    try {
      for (;;) {
        const user = userJobs.shift();
        if (user) {
          await user();
          lastUserEnd = now();
          continue;
        }
        if (!backgroundJobs.length) break;
        const wait = lastUserEnd + restMs - now();
        if (wait > 0) {
          timer ??= setTimeout(() => {
            timer = null;
            void pump();
          }, wait);
          break;
        }
        await backgroundJobs.shift()!();
      }
    } finally {
      running = false;
    }
  }

  return {
    user: (job) => enqueue(userJobs, job),
    background: (job) => enqueue(backgroundJobs, job),
    get pending() {
      return backgroundJobs.length;
    },
  };
}
