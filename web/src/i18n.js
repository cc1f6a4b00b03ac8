// Translations: French first, English by choice. Every area adds its strings with
// addStrings({ fr: {...}, en: {...} }); a key missing in English falls back to French, and a
// key missing in French shows as itself, which the browser tests look for.
import { signal } from './state.js';

const dictionaries = { fr: {}, en: {} };
export const languages = ['fr', 'en'];
export const language = signal(initialLanguage());
document.documentElement.lang = language.get();

function initialLanguage() {
  try {
    const saved = localStorage.getItem('relais.language');
    if (languages.includes(saved)) return saved;
  } catch { /* storage may be disabled */ }
  return 'fr';
}

export function setLanguage(lang, remember = true) {
  if (!languages.includes(lang)) return;
  if (remember) {
    try { localStorage.setItem('relais.language', lang); } catch { /* ignore */ }
  }
  document.documentElement.lang = lang;
  language.set(lang);
}

/** Whether the visitor chose a language on this browser (else the organisation's is used). */
export function languageChosen() {
  try { return languages.includes(localStorage.getItem('relais.language')); } catch { return false; }
}

export function addStrings(strings) {
  for (const lang of languages) Object.assign(dictionaries[lang], strings[lang] || {});
}

/** t('send.title'), t('sent.count', { n: 3 }): {name} in the text is replaced by vars.name. */
export function t(key, vars) {
  const lang = language.get();
  let text = dictionaries[lang][key] ?? dictionaries.fr[key] ?? key;
  if (vars) text = text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  return text;
}

/** The locale for Intl formats. */
export function locale() {
  return language.get() === 'en' ? 'en-GB' : 'fr-FR';
}
