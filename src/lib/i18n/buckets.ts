/** Words for an ageing bucket key (which follows the user's bounds: '1-30', '16-30', '>120', …). */
import { translate, type Lang } from './translate';

export function bucketLabel(lang: Lang, key: string): string {
  if (key === 'not_due') return translate(lang, 'bucket.not_due');
  const unit = lang === 'fr' ? 'j' : 'd';
  const range = /^(\d+)-(\d+)$/.exec(key);
  if (range) return `${range[1]}–${range[2]} ${unit}`;
  const over = /^>(\d+)$/.exec(key);
  if (over) return `> ${over[1]} ${unit}`;
  return key;
}
