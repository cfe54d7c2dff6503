import { describe, expect, it } from 'vitest';
import { en } from '../../src/lib/i18n/en';
import { fr } from '../../src/lib/i18n/fr';
import { formatMoney, formatPercent } from '../../src/lib/i18n/format';
import { codeLabel } from '../../src/lib/i18n/codes';
import { DEMO_TABLES, generateDemoLedger } from '../../src/lib/demo/generator';
import { isMessageKey, translate } from '../../src/lib/i18n/translate';
import { OVERVIEW_CARDS, explainKey, labelKey } from '../../src/lib/ui/kpi-cards';

describe('French and English, both first-class', () => {
  it('every English string has a French one, with the same {parameters}', () => {
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(fr[key], key).toBeTruthy();
      expect(params(fr[key]), key).toEqual(params(en[key]));
    }
  });

  it('every KPI card has a label and an explanation in both languages', () => {
    for (const card of OVERVIEW_CARDS) {
      expect(isMessageKey(labelKey(card.key)), `label of ${card.key}`).toBe(true);
      expect(isMessageKey(explainKey(card.key)), `explanation of ${card.key}`).toBe(true);
    }
  });

  it('formats money the way each language writes it', () => {
    expect(formatMoney('fr', 1234.56, 'EUR')).toBe('1\u202f234,56\u00a0€');
    expect(formatMoney('en', 1234.56, 'EUR')).toBe('€1,234.56');
    expect(formatMoney('fr', null, 'EUR')).toBe('—');
    expect(formatPercent('fr', 43.9393)).toBe('43,9\u00a0%');
    expect(translate('fr', 'kpi.days', { n: '12,5' })).toBe('12,5 jours');
  });

  it("makes the words agree with the counts, by each language's plural rules", () => {
    expect(translate('fr', 'note.title_rows_skipped', { n: 1 })).toBe('1 ligne de titre au-dessus de l’en-tête a été ignorée.');
    expect(translate('fr', 'note.title_rows_skipped', { n: 3 })).toBe('3 lignes de titre au-dessus de l’en-tête ont été ignorées.');
    expect(translate('en', 'note.title_rows_skipped', { n: 1 })).toBe('1 title row above the header was skipped.');
    expect(translate('en', 'note.title_rows_skipped', { n: 0 })).toBe('0 title rows above the header were skipped.');
    // French: 0 is singular
    expect(translate('fr', 'settings.problems', { n: 0 })).toBe('0 problème à corriger : rien n’a été changé.');
    // a count already formatted ("1 234") is plural
    expect(translate('en', 'worklist.covers', { n: '1,234', amount: '€5', days: 3 })).toBe('1,234 invoices, €5, oldest 3 days overdue');
    // every {n|one|other} of a message names a parameter of the same message, in both languages
    for (const dict of [en, fr])
      for (const [key, text] of Object.entries(dict))
        for (const m of text.matchAll(/\{(\w+)\|[^|}]*\|[^}]*\}/g)) expect([key, text.includes(`{${m[1]}}`)]).toEqual([key, true]);
  });

  it("shows the ledger's codes in words: action types, payment methods, outcomes, dispute reasons", () => {
    expect(codeLabel('fr', 'action', 'reminder_2')).toBe('Deuxième relance');
    expect(codeLabel('en', 'action', 'reminder_2')).toBe('Second reminder');
    // files write codes in any case
    expect(codeLabel('fr', 'action', 'CALL')).toBe('Appel');
    expect(codeLabel('fr', 'method', 'direct_debit')).toBe('Prélèvement');
    expect(codeLabel('en', 'method', 'Transfer')).toBe('Transfer');
    expect(codeLabel('fr', 'outcome', 'no_answer')).toBe('pas de réponse');
    // the engine's own state of an action without an outcome
    expect(codeLabel('fr', 'outcome', 'automated')).toBe('automatique');
    // a code of the user's own stays as written; nothing stays nothing
    expect(codeLabel('fr', 'action', 'Relance spéciale')).toBe('Relance spéciale');
    expect(codeLabel('fr', 'method', null)).toBe('');
    expect(codeLabel('fr', 'dispute_reason', 'not_ordered')).toBe('Non commandé');
    expect(codeLabel('en', 'owner', 'billing')).toBe('Billing');
  });

  it('has words for every code the demo ledger writes, in both languages', () => {
    const seen = { action: new Set<string>(), method: new Set<string>(), outcome: new Set<string>(), dispute_reason: new Set<string>(), owner: new Set<string>() };
    const col = (t: keyof typeof DEMO_TABLES, name: string) => (DEMO_TABLES[t] as readonly string[]).indexOf(name);
    generateDemoLedger({ seed: 3, invoices: 3000, end: '2025-06-30', months: 24 }, (t, row) => {
      if (t === 'actions') {
        seen.action.add(String(row[col('actions', 'action_type')]));
        if (row[col('actions', 'outcome')]) seen.outcome.add(String(row[col('actions', 'outcome')]));
      }
      if (t === 'payments' && row[col('payments', 'method')]) seen.method.add(String(row[col('payments', 'method')]));
      if (t === 'disputes') {
        seen.dispute_reason.add(String(row[col('disputes', 'reason')]));
        seen.owner.add(String(row[col('disputes', 'owner')]));
      }
    });
    for (const [kind, codes] of Object.entries(seen) as [keyof typeof seen, Set<string>][]) {
      expect(codes.size, kind).toBeGreaterThan(2);
      for (const code of codes) for (const lang of ['fr', 'en'] as const) expect([kind, code, codeLabel(lang, kind, code) !== code]).toEqual([kind, code, true]);
    }
  });
});
