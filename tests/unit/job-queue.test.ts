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
});
