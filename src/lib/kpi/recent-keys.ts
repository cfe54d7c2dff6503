/**
 * The bookkeeping of the caches of derived tables (open items per date, series per scope, forecasts
 * per request): which of the keys a cache holds to keep — those just used, then the most recently
 * used before them, `keep` in all (more if more were just used) — and so which to drop. Remembered
 * per engine.
 */
import type { SqlEngine } from '../engine/sql-engine';

export function recentKeys(keep: number) {
  const recent = new WeakMap<SqlEngine, string[]>();
  /** Records that `used` were just used; returns the keys of `held` to drop. */
  return function touch(engine: SqlEngine, used: readonly string[], held: Iterable<string>): string[] {
    const heldKeys = new Set(held);
    const fresh = [...new Set(used)];
    const before = (recent.get(engine) ?? []).filter((k) => heldKeys.has(k) && !fresh.includes(k));
    const kept = [...fresh, ...before].slice(0, Math.max(keep, fresh.length));
    recent.set(engine, kept);
    return [...heldKeys].filter((k) => !kept.includes(k));
  };
}
