/**
 * A workspace's settings: how its ledger is read and analysed (ageing buckets, the payment term
 * given to items without a due date, risk thresholds) and how it is dunned (scenarios, templates,
 * the sender). Plain data, kept in the workspace's manifest and applied to the engine by
 * kpi/settings.ts; validated here, each problem located (which scenario, which step, which field).
 */
import { RISK_FACTORS, type RiskFactor, validAgingBounds } from '../kpi/settings';
import type { MappingChoice } from '../importers/detect-layout';
import { BLANK_TEMPLATES, STANDARD_TEMPLATES, unknownFields, type Templates } from '../dunning/templates';

export const CHANNELS = ['email', 'letter', 'phone', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface DunningStep {
  /** the action_type an action must have to settle this step (worklist.sql) */
  key: string;
  /** days relative to the due date (negative: before it) */
  offset_days: number;
  channel: Channel;
  templates: Templates;
}

export interface DunningScenario {
  id: string;
  name: string;
  /** which customers follow it: the default one, those of a risk grade, those of a category */
  applies_to: 'default' | 'grade' | 'category';
  applies_value: string | null;
  steps: DunningStep[];
}

export interface WorkspaceSettings {
  /** upper bounds (days overdue) of the four first overdue buckets */
  aging_bounds: number[];
  /** payment term (days) for items without a due date, e.g. a FEC's invoices */
  default_terms_days: number;
  /** above `one` a factor scores 1 point, above `two` 2 (null: never 2) */
  risk_thresholds: Record<RiskFactor, [number, number | null]>;
  /** provision rate (%) typed per ageing bucket slot (0 = not due … 5 = beyond the last bound);
   *  null: the ledger's historical loss rate for that bucket (provisions.sql) */
  provision_rates: (number | null)[];
  /** signs the letters and e-mails ({company}) */
  company: string;
  /** column mappings remembered in this workspace, by header signature (state/mappings.ts) */
  mappings: Record<string, MappingChoice>;
  scenarios: DunningScenario[];
}

/** risk.sql's defaults, repeated here so that a workspace's settings are whole on their own. */
export const DEFAULT_RISK: Record<RiskFactor, [number, number | null]> = {
  drift: [5, 10],
  pct_overdue: [25, 50],
  weighted_days_late: [30, 60],
  disputes: [0, null],
  broken_promises: [0, 1],
  utilisation: [80, 100],
  concentration: [10, null],
};

const STANDARD_STEPS: [string, number, Channel][] = [
  ['courtesy_reminder', -5, 'email'],
  ['reminder_1', 5, 'email'],
  ['reminder_2', 15, 'email'],
  ['formal_notice', 30, 'letter'],
  ['litigation', 45, 'letter'],
];

export function defaultSettings(): WorkspaceSettings {
  return {
    aging_bounds: [30, 60, 90, 120],
    default_terms_days: 30,
    provision_rates: [null, null, null, null, null, null],
    risk_thresholds: structuredClone(DEFAULT_RISK),
    company: '',
    mappings: {},
    scenarios: [
      {
        id: 'standard',
        name: 'Standard',
        applies_to: 'default',
        applies_value: null,
        steps: STANDARD_STEPS.map(([key, offset_days, channel]) => ({ key, offset_days, channel, templates: structuredClone(STANDARD_TEMPLATES[key]) })),
      },
    ],
  };
}

export function blankStep(after: DunningStep | undefined, n: number): DunningStep {
  return { key: `step_${n}`, offset_days: (after?.offset_days ?? 0) + 10, channel: 'email', templates: structuredClone(BLANK_TEMPLATES) };
}

/** Settings read from a manifest: missing parts (an older workspace) take their defaults. */
export function withDefaults(s: Partial<WorkspaceSettings> | undefined | null): WorkspaceSettings {
  const d = defaultSettings();
  if (!s) return d;
  return {
    ...d,
    ...s,
    risk_thresholds: { ...d.risk_thresholds, ...(s.risk_thresholds ?? {}) },
    scenarios: s.scenarios?.length ? s.scenarios : d.scenarios,
  };
}

export interface SettingsProblem {
  /** where: 'aging_bounds', 'scenarios[1].steps[2].offset_days', … */
  at: string;
  /** what, as a key the UI translates (settings.problem.<code>) */
  code: ProblemCode;
  /** what, in English (the engine's error, the CLI) */
  why: string;
}

export const PROBLEMS = {
  bounds: 'four increasing whole numbers of days, 1 to 3650',
  terms: 'a whole number of days, 0 to 365',
  provision: 'a rate in %, 0 to 100, or empty for the historical one',
  risk: 'a number, and a larger one for 2 points (or none)',
  one_default: 'exactly one scenario must be the default',
  key: 'a unique key: lower-case letters, digits, _',
  name: 'a name',
  grade: 'a grade, A to E',
  category: 'a category',
  taken: 'another scenario already applies to it',
  no_steps: 'at least one step',
  offset: 'a whole number of days from the due date, not the same as another step',
  channel: 'email, letter, phone, sms',
  fields: 'unknown merge field(s)',
} as const;
export type ProblemCode = keyof typeof PROBLEMS;

const KEY = /^[a-z0-9_]{1,40}$/;

function problem(code: ProblemCode, detail?: string): { code: ProblemCode; why: string } {
  return { code, why: detail ? `${PROBLEMS[code]}: ${detail}` : PROBLEMS[code] };
}

export function validateSettings(s: WorkspaceSettings): SettingsProblem[] {
  const out: SettingsProblem[] = [];
  if (!validAgingBounds(s.aging_bounds)) out.push({ at: 'aging_bounds', ...problem('bounds') });
  if (!Number.isInteger(s.default_terms_days) || s.default_terms_days < 0 || s.default_terms_days > 365)
    out.push({ at: 'default_terms_days', ...problem('terms') });
  s.provision_rates.forEach((r, i) => {
    if (r !== null && !(Number.isFinite(r) && r >= 0 && r <= 100)) out.push({ at: `provision_rates[${i}]`, ...problem('provision') });
  });
  if (s.provision_rates.length !== 6) out.push({ at: 'provision_rates', ...problem('provision') });
  for (const f of RISK_FACTORS) {
    const [one, two] = s.risk_thresholds[f] ?? [];
    if (!Number.isFinite(one) || (two !== null && !(Number.isFinite(two) && (two as number) > one)))
      out.push({ at: `risk_thresholds.${f}`, ...problem('risk') });
  }
  const defaults = s.scenarios.filter((x) => x.applies_to === 'default');
  if (defaults.length !== 1) out.push({ at: 'scenarios', ...problem('one_default') });
  const ids = new Set<string>();
  const targets = new Set<string>();
  s.scenarios.forEach((sc, i) => {
    const at = `scenarios[${i}]`;
    if (!KEY.test(sc.id) || ids.has(sc.id)) out.push({ at: `${at}.id`, ...problem('key') });
    ids.add(sc.id);
    if (!sc.name.trim()) out.push({ at: `${at}.name`, ...problem('name') });
    if (sc.applies_to !== 'default') {
      const v = (sc.applies_value ?? '').trim();
      if (!v) out.push({ at: `${at}.applies_value`, ...problem(sc.applies_to === 'grade' ? 'grade' : 'category') });
      else if (sc.applies_to === 'grade' && !/^[A-E]$/.test(v)) out.push({ at: `${at}.applies_value`, ...problem('grade') });
      if (targets.has(`${sc.applies_to}:${v}`)) out.push({ at: `${at}.applies_value`, ...problem('taken') });
      targets.add(`${sc.applies_to}:${v}`);
    }
    if (!sc.steps.length) out.push({ at: `${at}.steps`, ...problem('no_steps') });
    const keys = new Set<string>();
    const offsets = new Set<number>();
    sc.steps.forEach((st, j) => {
      const sat = `${at}.steps[${j}]`;
      if (!KEY.test(st.key) || keys.has(st.key)) out.push({ at: `${sat}.key`, ...problem('key') });
      keys.add(st.key);
      if (!Number.isInteger(st.offset_days) || Math.abs(st.offset_days) > 3650 || offsets.has(st.offset_days))
        out.push({ at: `${sat}.offset_days`, ...problem('offset') });
      offsets.add(st.offset_days);
      if (!(CHANNELS as readonly string[]).includes(st.channel)) out.push({ at: `${sat}.channel`, ...problem('channel') });
      for (const lang of ['fr', 'en'] as const) {
        const t = st.templates[lang];
        const bad = unknownFields(`${t.subject}\n${t.body}`);
        if (bad.length) out.push({ at: `${sat}.templates.${lang}`, ...problem('fields', bad.map((b) => `{${b}}`).join(', ')) });
      }
    });
  });
  return out;
}
