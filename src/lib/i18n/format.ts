/** Number, money and date formats per language, through Intl (1 234,56 € vs €1,234.56). */
import type { Lang } from './translate';

const LOCALE: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };
const cache = new Map<string, Intl.NumberFormat>();

function nf(lang: Lang, key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const k = `${lang}|${key}`;
  let f = cache.get(k);
  if (!f) cache.set(k, (f = new Intl.NumberFormat(LOCALE[lang], options)));
  return f;
}

export function formatMoney(lang: Lang, value: number | null | undefined, currency: string, compact = false): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const options: Intl.NumberFormatOptions = compact
    ? { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }
    : { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 };
  return nf(lang, `money|${currency}|${compact}`, options).format(value);
}

export function formatNumber(lang: Lang, value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return nf(lang, `num|${digits}`, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

export function formatPercent(lang: Lang, value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return nf(lang, 'pct', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value / 100);
}

export function formatBytes(lang: Lang, bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${formatNumber(lang, v, u === 0 ? 0 : 1)} ${lang === 'fr' ? units[u].replace('B', 'o') : units[u]}`;
}

export function formatDate(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '—';
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(LOCALE[lang], { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}
