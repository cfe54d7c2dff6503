/**
 * Several dunning scenarios, assigned by risk grade, by customer category or by default, on the
 * hand-worked ledger (tests/fixtures/hand) as of 2024-03-31: C1 is graded E, C3 C (risk.sql);
 * I1 (C1) is 77 days overdue, I5 (C3) 152 days, I6 (C3) due on the day. Also: the settings'
 * validation, the templates' merge fields and the .eml draft.
 */
import { describe, expect, it } from 'vitest';
import { emlMessage } from '../../src/lib/dunning/eml';
import { mergeTemplate, STANDARD_TEMPLATES } from '../../src/lib/dunning/templates';
import { importFiles } from '../../src/lib/importers/import';
import { runQuery, type Scope } from '../../src/lib/kpi/queries';
import { applySettings } from '../../src/lib/kpi/settings';
import { blankStep, DEFAULT_RISK, defaultSettings, validateSettings, type DunningScenario, type WorkspaceSettings } from '../../src/lib/settings/workspace-settings';
import { fixture, freshEngine } from './support/engine';

const D: Scope = { as_of: '2024-03-31', period_days: 90, currency: 'EUR' };
const HAND = ['customers', 'credit_limits', 'invoices', 'payments', 'disputes', 'promises', 'actions'].map((f) => fixture('hand', `${f}.csv`));

function scenario(id: string, applies_to: DunningScenario['applies_to'], applies_value: string | null, steps: [string, number][]): DunningScenario {
  return { id, name: id, applies_to, applies_value, steps: steps.map(([key, offset_days]) => ({ ...blankStep(undefined, 0), key, offset_days })) };
}

async function handLedger() {
  const engine = await freshEngine();
  await importFiles(engine, HAND);
  return engine;
}

describe('dunning scenarios by grade and category', () => {
  it('the default settings are the engine\'s own defaults (risk.sql, ledger.sql, worklist.sql)', async () => {
    const engine = await freshEngine();
    const risk = await engine.query<{ factor: string; one_point: number; two_points: number | null }>('SELECT * FROM risk_thresholds');
    expect(Object.fromEntries(risk.map((r) => [r.factor, [r.one_point, r.two_points]]))).toEqual(DEFAULT_RISK);
    const bounds = await engine.query<{ max_days: number }>('SELECT max_days FROM aging_bounds ORDER BY slot');
    expect(bounds.map((b) => b.max_days)).toEqual(defaultSettings().aging_bounds);
    const steps = await engine.query<{ step_key: string; offset_days: number; channel: string }>('SELECT step_key, offset_days, channel FROM dunning_steps ORDER BY offset_days');
    expect(steps.map((s) => [s.step_key, s.offset_days, s.channel])).toEqual(defaultSettings().scenarios[0].steps.map((s) => [s.key, s.offset_days, s.channel]));
  });

  it('a scenario for grade E takes C1; a category scenario takes C3; the grade wins over the category', async () => {
    const engine = await handLedger();
    const s: WorkspaceSettings = defaultSettings();
    // grade E: a short scenario, reminder at D+1, formal notice at D+10 (no litigation step)
    s.scenarios.push(scenario('strict', 'grade', 'E', [['reminder_1', 1], ['formal_notice', 10]]));
    await applySettings(engine, s);
    let due = await runQuery(engine, 'dunning_due', D);
    expect(due.map((r) => [r.invoice_id, r.scenario_id, r.step_key])).toEqual([
      ['I1', 'strict', 'formal_notice'], // 77 days ≥ 10; C1 is E
      ['I2', 'strict', 'formal_notice'],
      ['I5', 'standard', 'litigation'], // C3 is C: the default
      ['I6', 'standard', 'courtesy_reminder'],
    ]);

    // C3 in the 'public' category, whose scenario starts at D−10 and has a reminder at D+60 only
    await engine.exec(`UPDATE customers SET category = 'public' WHERE customer_id = 'C3'`);
    s.scenarios.push(scenario('public', 'category', 'public', [['courtesy_reminder', -10], ['reminder_1', 60]]));
    await applySettings(engine, s);
    due = await runQuery(engine, 'dunning_due', D);
    expect(due.filter((r) => r.customer_id === 'C3').map((r) => [r.invoice_id, r.scenario_id, r.step_key])).toEqual([
      ['I5', 'public', 'reminder_1'], // 152 ≥ 60
      ['I6', 'public', 'courtesy_reminder'], // 0 ≥ −10
    ]);
    // a scenario for grade C as well: C3's grade beats its category. Its step 'visit' at D+20 is
    // due on I5; its 'call' at D+10 was done by A2 (a call on I5 on 03-01) — I6 reached neither
    s.scenarios.push(scenario('watch', 'grade', 'C', [['call', 10], ['visit', 20]]));
    await applySettings(engine, s);
    due = await runQuery(engine, 'dunning_due', D);
    expect(due.filter((r) => r.customer_id === 'C3').map((r) => [r.invoice_id, r.scenario_id, r.step_key])).toEqual([['I5', 'watch', 'visit']]);
    s.scenarios[3].steps = s.scenarios[3].steps.slice(0, 1);
    await applySettings(engine, s);
    expect((await runQuery(engine, 'dunning_due', D)).filter((r) => r.customer_id === 'C3')).toEqual([]);
    s.scenarios[3].steps.push({ ...blankStep(undefined, 0), key: 'visit', offset_days: 20 });
    await applySettings(engine, s);
    // the worklist follows: C1 formal notice (I2 paused by its dispute), C3 the visit
    const work = await runQuery(engine, 'worklist', D);
    expect(work.map((w) => [w.customer_id, w.scenario_id, w.step_key, w.invoice_ids])).toEqual([
      ['C1', 'strict', 'formal_notice', 'I1'],
      ['C3', 'watch', 'visit', 'I5'],
    ]);
  });

  it('settings with a problem are refused, each problem located, and nothing is changed', async () => {
    const engine = await handLedger();
    const s = defaultSettings();
    s.aging_bounds = [30, 20, 90, 120];
    s.scenarios.push(scenario('x', 'grade', 'F', [['a', 5], ['b', 5]]));
    s.scenarios.push({ ...scenario('y', 'default', null, [['c', 1]]) });
    s.scenarios[0].steps[1].templates.fr.body += ' {montant}';
    expect(validateSettings(s).map(({ at, why }) => ({ at, why }))).toEqual([
      { at: 'aging_bounds', why: 'four increasing whole numbers of days, 1 to 3650' },
      { at: 'scenarios', why: 'exactly one scenario must be the default' },
      { at: 'scenarios[0].steps[1].templates.fr', why: 'unknown merge field(s): {montant}' },
      { at: 'scenarios[1].applies_value', why: 'a grade, A to E' },
      { at: 'scenarios[1].steps[1].offset_days', why: 'a whole number of days from the due date, not the same as another step' },
    ]);
    await expect(applySettings(engine, s)).rejects.toThrow(/aging_bounds/);
    const [{ n }] = await engine.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM dunning_scenarios');
    expect(n).toBe(1);
  });
});

describe('dunning drafts', () => {
  it('merge fields are filled; an unknown one stays visible', () => {
    const t = STANDARD_TEMPLATES.reminder_1.fr;
    const body = mergeTemplate(t.body, { customer: 'Boulangerie Martin', invoices: '- I1 · 600,00 €', total: '600,00 €', date: '31/03/2024', company: 'Encours SA' });
    expect(body).toContain('les factures suivantes restent impayées à ce jour (31/03/2024) :\n- I1 · 600,00 €\n\nTotal dû : 600,00 €.');
    expect(body.endsWith('Cordialement,\nEncours SA')).toBe(true);
    expect(mergeTemplate('{customer} {montant}', { customer: 'X' })).toBe('X {montant}');
  });

  it('the formal notice carries the late-payment mentions of art. L441-10 (40 € indemnity)', () => {
    expect(STANDARD_TEMPLATES.formal_notice.fr.body).toMatch(/L441-10.*40 €/s);
    expect(STANDARD_TEMPLATES.formal_notice.en.body).toMatch(/L441-10.*40 €/s);
  });

  it('.eml: a draft with a UTF-8 subject and body, CRLF lines, readable back', () => {
    const eml = emlMessage({ subject: 'Relance — Boulangerie Martin', body: 'Madame, Monsieur,\nTotal dû : 600,00 €.', date: new Date('2024-03-31T08:00:00Z') });
    const [head, body] = eml.split('\r\n\r\n');
    const headers = head.split('\r\n');
    expect(headers).toContain('Date: Sun, 31 Mar 2024 08:00:00 +0000');
    expect(headers).toContain('X-Unsent: 1');
    expect(headers).toContain('Content-Type: text/plain; charset=UTF-8');
    const subject = headers.find((h) => h.startsWith('Subject: '))!.slice(9);
    expect(subject).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    expect(Buffer.from(subject.slice(10, -2), 'base64').toString('utf8')).toBe('Relance — Boulangerie Martin');
    expect(body.split('\r\n').every((l) => l.length <= 76)).toBe(true);
    expect(Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8')).toBe('Madame, Monsieur,\r\nTotal dû : 600,00 €.');
  });
});
