/** The user's KPI settings that live in the database: the ageing bucket bounds. */
import type { SqlEngine } from '../engine/sql-engine';

/** Four strictly increasing whole numbers of days overdue, e.g. 15, 30, 45, 60. */
export function validAgingBounds(bounds: readonly number[]): boolean {
  return bounds.length === 4 && bounds.every((b, i) => Number.isInteger(b) && b > 0 && b <= 3650 && (i === 0 || b > bounds[i - 1]));
}

export async function setAgingBounds(engine: SqlEngine, bounds: readonly number[]): Promise<void> {
  if (!validAgingBounds(bounds)) throw new RangeError(`ageing bounds must be four increasing whole numbers of days, got ${bounds.join(', ')}`);
  await engine.exec('DELETE FROM aging_bounds');
  for (const [i, b] of bounds.entries()) await engine.query('INSERT INTO aging_bounds VALUES (?, ?)', [i + 1, b]);
}
