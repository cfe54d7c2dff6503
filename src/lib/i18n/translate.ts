/** Message lookup with {name} parameters; shared by the app (through i18n.svelte.ts) and the CLI. */
import { en, type MessageKey } from './en';
import { fr } from './fr';

export type Lang = 'fr' | 'en';
export const LANGS: readonly Lang[] = ['fr', 'en'];
const DICTS: Record<Lang, Record<MessageKey, string>> = { en, fr };

export type Params = Record<string, string | number>;

const PLURALS: Record<Lang, Intl.PluralRules> = { en: new Intl.PluralRules('en'), fr: new Intl.PluralRules('fr') };

/**
 * {name} is the parameter; {name|one|other} the word that agrees with it ("{n} {n|ligne|lignes}"):
 * the first form where the language's plural rules say "one" (French: 0 and 1; English: 1), the
 * second otherwise.
 */
export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  const text = DICTS[lang][key] ?? en[key] ?? key;
  return text
    .replace(/\{(\w+)\|([^|}]*)\|([^}]*)\}/g, (m, name: string, one: string, other: string) =>
      name in params ? (PLURALS[lang].select(Number(params[name])) === 'one' ? one : other) : m,
    )
    .replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function isMessageKey(key: string): key is MessageKey {
  return key in en;
}
