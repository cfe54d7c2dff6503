import { describe, expect, it } from 'vitest';
import { en } from '../../src/lib/i18n/en';
import { fr } from '../../src/lib/i18n/fr';
import { formatMoney, formatPercent } from '../../src/lib/i18n/format';
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
});
