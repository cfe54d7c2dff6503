/**
 * The engine worker's jobs, one at a time (DuckDB takes one statement at a time): the user's first,
 * in the order asked; background work (dashboards computed ahead) only once no user job has run
 * for `restMs`, one small job at a time, so that a user's request never waits behind more than one.
 *
 * A reopened workspace's ledger comes back in two parts (ledger-image.ts): what the overview reads,
 * then the rest, appended by `loading` jobs while the user already works. A user job waits for
 * those unless it is `early` (it reads only the first part): then it runs between two of them.
 */
export interface JobQueue {
  /** A job the user waits for; `early`: it needs none of the tables still loading. With `stop`, one
   *  the page can wait longer for (a chart's series): a user or loading job asked while it runs calls
   *  `stop()`; if the job then fails, it runs again from its start after the user jobs asked by then. */
  user<T>(job: () => Promise<T>, options?: { early?: boolean; stop?: () => void }): Promise<T>;
  /** The rest of a ledger being loaded: before any background job and any user job not early. Until
   *  `ready` (its bytes read from disk) it cannot run, but those jobs still wait for it; early ones do not. */
  loading<T>(job: () => Promise<T>, ready?: Promise<unknown>): Promise<T>;
  /** A job nobody waits for now: runs after the user's, once they have rested. With `stop`, a long
   *  one: a user or loading job asked while it runs calls `stop()`; if the job then fails, it is run
   *  again from its start once the user rests (so it must be one that can be). With `restMs`, one
   *  that waits for a longer rest than the others (which run before it meanwhile): a long job that
   *  cannot be stopped. */
  background<T>(job: () => Promise<T>, options?: { stop?: () => void; restMs?: number }): Promise<T>;
  /** Background jobs not yet run. */
  readonly pending: number;
  /** The user's jobs asked and not yet done (running included). */
  readonly userJobs: number;
}

export function createJobQueue(restMs: number, now: () => number = () => performance.now()): JobQueue {
  type Job = () => Promise<void>;
  type UserJob = { run: Job; early: boolean; stop?: () => void; stopped?: boolean };
  const userJobs: UserJob[] = [];
  /** the user's job running, if any */
  let currentUser: UserJob | null = null;
  const loadingJobs: { run: Job; ready: boolean }[] = [];
  type Background = { run: () => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void; stop?: () => void; stopped?: boolean; restMs: number };
  const backgroundJobs: Background[] = [];
  /** the background job running, if any */
  let current: Background | null = null;
  let running = false;
  /** the user's jobs asked and not yet done */
  let userPending = 0;
  let lastUserEnd = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let timerDue = 0;

  function enqueue<T>(add: (run: Job) => void, job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // (a job that throws before returning its promise rejects its own promise too, and never the pump)
      add(() => Promise.resolve().then(job).then(resolve, reject));
      void pump();
    });
  }

  /** A job the user waits for was asked: a long background job running gives way, and so does a
   *  user's job that can wait. */
  function interrupt(): void {
    for (const job of [current, currentUser]) {
      if (job?.stop && !job.stopped) {
        job.stopped = true;
        job.stop();
      }
    }
  }

  async function pump(): Promise<void> {
    if (running) return;
    running = true;
    try {
      for (;;) {
        // the user's jobs stay in the order asked: one that needs the whole ledger lets the
        // loading finish first, and the early ones behind it wait with it
        const head = userJobs[0];
        if (head && (head.early || !loadingJobs.length)) {
          userJobs.shift();
          currentUser = head;
          try {
            await head.run();
          } finally {
            currentUser = null;
          }
          lastUserEnd = now();
          continue;
        }
        if (loadingJobs.length) {
          // (waiting for the disk: its readiness pumps again)
          if (!loadingJobs[0].ready) break;
          await loadingJobs.shift()!.run();
          continue;
        }
        if (!backgroundJobs.length) break;
        // the first job whose rest is over (a job waiting for a longer rest lets those behind it go)
        const rested = now() - lastUserEnd;
        const i = backgroundJobs.findIndex((j) => rested >= j.restMs);
        if (i < 0) {
          const due = now() + Math.min(...backgroundJobs.map((j) => j.restMs)) - rested;
          if (timer && timerDue > due) {
            clearTimeout(timer);
            timer = null;
          }
          if (!timer) {
            timerDue = due;
            timer = setTimeout(() => {
              timer = null;
              void pump();
            }, due - now());
          }
          break;
        }
        const b = (current = backgroundJobs.splice(i, 1)[0]);
        try {
          b.resolve(await Promise.resolve().then(b.run));
        } catch (err) {
          // stopped for a user's job: again, from its start, once the user rests
          if (b.stopped) {
            b.stopped = false;
            backgroundJobs.unshift(b);
          } else b.reject(err);
        } finally {
          current = null;
        }
      }
    } finally {
      running = false;
    }
  }

  return {
    user: <T>(job: () => Promise<T>, options?: { early?: boolean; stop?: () => void }) => {
      userPending++;
      return new Promise<T>((resolve, reject) => {
        const entry: UserJob = {
          early: options?.early ?? false,
          stop: options?.stop,
          run: async () => {
            try {
              // (a job that throws before returning its promise rejects its own promise too, and never the pump)
              resolve(await Promise.resolve().then(job));
            } catch (err) {
              // stopped for a job asked after it: again, from its start, after the jobs asked by then
              if (entry.stopped) userJobs.push(entry);
              else reject(err);
            } finally {
              entry.stopped = false;
            }
          },
        };
        userJobs.push(entry);
        interrupt();
        void pump();
      }).finally(() => userPending--);
    },
    loading: (job, ready) =>
      enqueue((run) => {
        interrupt();
        const entry = { run, ready: !ready };
        loadingJobs.push(entry);
        // (a failed read is the job's to report when it runs)
        ready?.catch(() => {}).then(() => {
          entry.ready = true;
          void pump();
        });
      }, job),
    background: <T>(job: () => Promise<T>, options?: { stop?: () => void; restMs?: number }) =>
      new Promise<T>((resolve, reject) => {
        backgroundJobs.push({ run: job, resolve: resolve as (v: unknown) => void, reject, stop: options?.stop, restMs: options?.restMs ?? restMs });
        void pump();
      }),
    get pending() {
      return backgroundJobs.length;
    },
    get userJobs() {
      return userPending;
    },
  };
}
