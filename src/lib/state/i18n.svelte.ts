/** The UI language: French by default (most users), English on request; remembered on the device. */
import { browser } from '$app/environment';
import type { MessageKey } from '../i18n/en';
import { translate, type Lang, type Params } from '../i18n/translate';

const STORAGE_KEY = 'encours.lang';

function initialLang(): Lang {
  if (!browser) return 'fr';
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'fr' || saved === 'en') return saved;
  return navigator.language?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

class I18n {
  lang = $state<Lang>(initialLang());

  t = (key: MessageKey, params?: Params): string => translate(this.lang, key, params);

  set(lang: Lang) {
    this.lang = lang;
    if (browser) {
      localStorage.setItem(STORAGE_KEY, lang);
      document.documentElement.lang = lang;
    }
  }
}

export const i18n = new I18n();
