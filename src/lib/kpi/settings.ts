/** The user's settings that live in the database: the ageing bucket bounds, the risk thresholds, the dunning scenarios. */
import type { SqlEngine } from '../engine/sql-engine';
import { validateSettings, type WorkspaceSettings } from '../settings/workspace-settings';

/** Four strictly increasing whole numbers of days overdue, e.g. 15, 30, 45, 60. */
export function validAgingBounds(bounds: readonly number[]): boolean {
  return bounds.length === 4 && bounds.every((b, i) => Number.isInteger(b) && b > 0 && b <= 3650 && (i === 0 || b > bounds[i - 1]));
}

export async function setAgingBounds(engine: SqlEngine, bounds: readonly number[]): Promise<void> {
  if (!validAgingBounds(bounds)) throw new RangeError(`ageing bounds must be four increasing whole numbers of days, got ${bounds.join(', ')}`);
  await engine.exec('DELETE FROM aging_bounds');
  for (const [i, b] of bounds.entries()) await engine.query('INSERT INTO aging_bounds VALUES (?, ?)', [i + 1, b]);
}

export const RISK_FACTORS = ['drift', 'pct_overdue', 'weighted_days_late', 'disputes', 'broken_promises', 'utilisation', 'concentration'] as const;
export type RiskFactor = (typeof RISK_FACTORS)[number];

/** Above `one` a factor scores 1 point, above `two` 2 (null: never 2); see risk.sql for the defaults. */
export async function setRiskThresholds(engine: SqlEngine, t: Partial<Record<RiskFactor, [number, number | null]>>): Promise<void> {
  for (const [factor, [one, two]] of Object.entries(t) as [RiskFactor, [number, number | null]][]) {
    if (!RISK_FACTORS.includes(factor) || !Number.isFinite(one) || (two !== null && !(two > one))) throw new RangeError(`bad risk threshold for ${factor}`);
    await engine.query('UPDATE risk_thresholds SET one_point = ?, two_points = ? WHERE factor = ?', [one, two, factor]);
  }
}

/**
 * A workspace's settings into the engine: buckets, provision rates, risk thresholds, dunning scenarios and steps
 * (their templates stay outside SQL: the drafts are made in the page). Validated first: nothing is
 * changed when anything is wrong.
 */
export async function applySettings(engine: SqlEngine, s: WorkspaceSettings): Promise<void> {
  const problems = validateSettings(s);
  if (problems.length) throw new RangeError(problems.map((p) => `${p.at}: ${p.why}`).join('; '));
  await setAgingBounds(engine, s.aging_bounds);
  await setRiskThresholds(engine, s.risk_thresholds);
  await engine.exec('DELETE FROM provision_rates');
  for (const [slot, rate] of s.provision_rates.entries()) if (rate !== null) await engine.query('INSERT INTO provision_rates VALUES (?, ?)', [slot, rate]);
  await engine.exec('DELETE FROM dunning_steps; DELETE FROM dunning_scenarios;');
  for (const sc of s.scenarios) {
    await engine.query('INSERT INTO dunning_scenarios VALUES (?, ?, ?, ?)', [sc.id, sc.name, sc.applies_to, sc.applies_to === 'default' ? null : (sc.applies_value ?? '').trim()]);
    for (const st of sc.steps) await engine.query('INSERT INTO dunning_steps VALUES (?, ?, ?, ?)', [sc.id, st.key, st.offset_days, st.channel]);
  }
}
