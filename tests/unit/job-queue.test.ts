import { describe, expect, it, vi } from 'vitest';
import { createJobQueue } from '../../src/lib/engine/job-queue';

describe("the engine worker's job queue", () => {
  it("runs the user's jobs in order, one at a time, before any background job", async () => {
    const q = createJobQueue(0);
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`${name} start`);
      await new Promise((r) => setTimeout(r, 5));
      log.push(`${name} end`);
      return name;
    };
    const all = Promise.all([q.user(job('u1')), q.background(job('b1')), q.user(job('u2'))]);
    expect(await all).toEqual(['u1', 'b1', 'u2']);
    expect(log).toEqual(['u1 start', 'u1 end', 'u2 start', 'u2 end', 'b1 start', 'b1 end']);
  });

  it('holds background work until the user has rested, and lets a user job in between two', async () => {
    vi.useFakeTimers();
    try {
      let t = 0;
      const q = createJobQueue(1000, () => t);
      const log: string[] = [];
      await q.user(async () => log.push('u1'));
      const b1 = q.background(async () => log.push('b1'));
      const b2 = q.background(async () => log.push('b2'));
      await vi.advanceTimersByTimeAsync(10);
      expect(log).toEqual(['u1']); // rested 0 ms of 1000
      expect(q.pending).toBe(2);
      t = 1000;
      await vi.advanceTimersByTimeAsync(1000);
      await b1;
      await b2;
      expect(log).toEqual(['u1', 'b1', 'b2']);
      const u2 = q.user(async () => log.push('u2'));
      const b3 = q.background(async () => log.push('b3'));
      await u2;
      await vi.advanceTimersByTimeAsync(10);
      expect(log).toEqual(['u1', 'b1', 'b2', 'u2']); // the rest starts again after u2
      t = 2100;
      await vi.advanceTimersByTimeAsync(1000);
      await b3;
      expect(log.at(-1)).toBe('b3');
    } finally {
      vi.useRealTimers();
    }
  });

  it('holds a background job that asks for a longer rest while the others behind it run, and counts the user jobs not yet done', async () => {
    vi.useFakeTimers();
    try {
      let t = 0;
      const q = createJobQueue(1000, () => t);
      const log: string[] = [];
      let release!: () => void;
      const u1 = q.user(() => new Promise<void>((r) => (release = () => (log.push('u1'), r()))));
      expect(q.userJobs).toBe(1);
      await vi.advanceTimersByTimeAsync(0);
      release();
      await u1;
      expect(q.userJobs).toBe(0);
      const long = q.background(async () => log.push('long'), { restMs: 10_000 });
      const b1 = q.background(async () => log.push('b1'));
      t = 1000;
      await vi.advanceTimersByTimeAsync(1000);
      await b1;
      expect(log).toEqual(['u1', 'b1']); // b1 went first: the long one waits for 10 s of rest
      expect(q.pending).toBe(1);
      const b2 = q.background(async () => log.push('b2'));
      await vi.advanceTimersByTimeAsync(0);
      await b2;
      t = 9999;
      await vi.advanceTimersByTimeAsync(8999);
      expect(log).toEqual(['u1', 'b1', 'b2']);
      t = 10_000;
      await vi.advanceTimersByTimeAsync(1);
      await long;
      expect(log).toEqual(['u1', 'b1', 'b2', 'long']);
      // a user job resets the rest: the long job waits 10 s again after it
      await q.user(async () => log.push('u2'));
      const long2 = q.background(async () => log.push('long2'), { restMs: 10_000 });
      t = 15_000;
      await vi.advanceTimersByTimeAsync(5000);
      expect(log.at(-1)).toBe('u2');
      t = 20_000;
      await vi.advanceTimersByTimeAsync(5000);
      await long2;
      expect(log.at(-1)).toBe('long2');
    } finally {
      vi.useRealTimers();
    }
  });

  it("stops a user's job that can wait for a job asked after it, and runs it again after that one", async () => {
    const q = createJobQueue(1000);
    const log: string[] = [];
    let fail: ((e: Error) => void) | null = null;
    let runs = 0;
    const series = q.user(
      () => {
        runs++;
        log.push(`series ${runs}`);
        // the first run waits until it is stopped; the second ends
        return runs === 1 ? new Promise<string>((_, reject) => (fail = reject)) : Promise.resolve('drawn');
      },
      { stop: () => fail?.(new Error('stopped')) },
    );
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(['series 1']);
    const cards = q.user(async () => log.push('cards'));
    await cards;
    expect(await series).toBe('drawn');
    expect(log).toEqual(['series 1', 'cards', 'series 2']);
    expect(q.userJobs).toBe(0);
    // a job without `stop` is never stopped, and one that fails by itself rejects
    const plain = q.user(() => new Promise<string>((r) => setTimeout(() => r('whole'), 20)));
    const after = q.user(async () => log.push('after'));
    expect(await plain).toBe('whole');
    await after;
    await expect(q.user(async () => { throw new Error('bad request'); }, { stop: () => {} })).rejects.toThrow('bad request');
  });

  it('runs the loading of a ledger before background work and before a user job that needs it, and early user jobs between its steps', async () => {
    const q = createJobQueue(0);
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(name);
      await new Promise((r) => setTimeout(r, 2));
    };
    // as the worker does: the first part of the ledger is a user job, which queues the rest
    const first = q.user(async () => {
      log.push('first part');
      void q.loading(job('late 1'));
      void q.loading(job('late 2'));
      void q.loading(job('late 3'));
    });
    const b = q.background(job('background'));
    const early = q.user(job('overview'), { early: true });
    await first;
    await early;
    // the early job asked before the loading went first; a whole-ledger job waits for every step
    const whole = q.user(job('customer page'));
    const early2 = q.user(job('another date'), { early: true });
    await Promise.all([whole, early2, b]);
    expect(log.slice(0, 2)).toEqual(['first part', 'overview']);
    expect(log.indexOf('customer page')).toBeGreaterThan(log.indexOf('late 3'));
    // FIFO among the user's jobs: the early one asked after the whole-ledger one comes after it
    expect(log.indexOf('another date')).toBeGreaterThan(log.indexOf('customer page'));
    expect(log.at(-1)).toBe('background');
  });

  it('lets an early user job in between two loading steps', async () => {
    const q = createJobQueue(0);
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const step1 = q.loading(async () => {
      log.push('late 1');
      await gate;
    });
    const step2 = q.loading(async () => void log.push('late 2'));
    await Promise.resolve();
    const early = q.user(async () => void log.push('early'), { early: true });
    release();
    await Promise.all([step1, step2, early]);
    expect(log).toEqual(['late 1', 'early', 'late 2']);
  });

  it('while a loading step waits for the disk, early user jobs run and the others still wait', async () => {
    const q = createJobQueue(0);
    const log: string[] = [];
    let read!: () => void;
    const bytes = new Promise<void>((r) => (read = r));
    const step = q.loading(async () => void log.push('late'), bytes);
    const whole = q.user(async () => void log.push('customer page'));
    await new Promise((r) => setTimeout(r, 5));
    const early = q.user(async () => void log.push('overview'), { early: true });
    await new Promise((r) => setTimeout(r, 5));
    // the whole-ledger job heads the queue and waits for the step; the early one waits behind it (FIFO)
    expect(log).toEqual([]);
    read();
    await Promise.all([step, whole, early]);
    expect(log).toEqual(['late', 'customer page', 'overview']);

    const log2: string[] = [];
    let read2!: () => void;
    const step2 = q.loading(async () => void log2.push('late'), new Promise<void>((r) => (read2 = r)));
    const early2 = q.user(async () => void log2.push('overview'), { early: true });
    await early2;
    expect(log2).toEqual(['overview']); // not held by a step waiting for the disk
    read2();
    await step2;
    expect(log2).toEqual(['overview', 'late']);
  });

  it("a failing job rejects its own promise only", async () => {
    const q = createJobQueue(0);
    const bad = q.user(async () => {
      throw new Error('boom');
    });
    const good = q.user(async () => 'ok');
    await expect(bad).rejects.toThrow('boom');
    expect(await good).toBe('ok');
    // one that throws before returning a promise, in the background too
    const early = q.background((() => {
      throw new Error('early');
    }) as () => Promise<string>);
    const after = q.background(async () => 'after');
    await expect(early).rejects.toThrow('early');
    expect(await after).toBe('after');
  });

  it('stops a long background job for a user job, runs it again from its start once the user rests, and never stops one that cannot be', async () => {
    const q = createJobQueue(0);
    const log: string[] = [];
    let release: (() => void) | null = null;
    let runs = 0;
    // a long job: its first run is stopped (its statement fails), its second runs to the end
    const learn = q.background(
      async () => {
        runs++;
        log.push(`learn ${runs}`);
        await new Promise<void>((resolve, reject) => {
          release = runs === 1 ? () => reject(new Error('cancelled')) : resolve;
          if (runs > 1) resolve();
        });
        return 'learned';
      },
      { stop: () => release?.() },
    );
    await new Promise((r) => setTimeout(r, 5));
    expect(log).toEqual(['learn 1']);
    expect(await q.user(async () => (log.push('user'), 'answer'))).toBe('answer');
    expect(await learn).toBe('learned');
    expect(log).toEqual(['learn 1', 'user', 'learn 2']);

    // a job without `stop` runs to its end before the user's; an error of a job not stopped is its own
    const slow = q.background(async () => {
      await new Promise((r) => setTimeout(r, 20));
      log.push('slow');
    });
    const failing = q.background(async () => { throw new Error('its own'); }, { stop: () => {} });
    await new Promise((r) => setTimeout(r, 5));
    await q.user(async () => log.push('user 2'));
    await slow;
    await expect(failing).rejects.toThrow('its own');
    expect(log.slice(3)).toEqual(['slow', 'user 2']);
  });
});
