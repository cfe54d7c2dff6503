/** The risk reasons of risk.sql ('[pct_overdue, utilisation]') in the user's words. */
import type { MessageKey } from '../i18n/en';
import { translate, type Lang } from '../i18n/translate';

export function riskReasons(lang: Lang, reasons: string): string {
  const keys = reasons.replace(/^\[|\]$/g, '').split(',').map((s) => s.trim()).filter(Boolean);
  return keys.map((k) => translate(lang, `risk.reason.${k}` as MessageKey)).join(', ');
}
