// The tab bar of the tenant admin console, and the few helpers its pages share: the message of
// an API error (with the admin codes translated), previous/next pagination over cursors, the
// state of a list page (its open panel, its notice, its row actions), a form in a card and a
// button in a table row.
import { useEffect, useRef, useState } from 'preact/hooks';
import { addStrings, t } from '../i18n.js';
import { currentUrl } from '../router.js';
import { useSignal } from '../state.js';
import { Alert, errorText, Link } from '../ui.jsx';

addStrings({
  fr: {
    'admin.tabs': 'Administration de l’organisation',
    'admin.tab.users': 'Utilisateurs',
    'admin.tab.profiles': 'Profils',
    'admin.tab.modules': 'Modules',
    'admin.tab.journal': 'Journal',
    'admin.tab.stats': 'Statistiques',
    'admin.tab.settings': 'Paramètres',
    'admin.pager': 'Pagination',
    'admin.pager.previous': 'Page précédente',
    'admin.pager.next': 'Page suivante',
    'admin.pager.page': 'Page {n}',
    'admin.error.module_not_in_plan': 'Votre offre ne comprend pas ce module. Contactez votre revendeur pour en changer.',
    'admin.error.profile_in_use': 'Des utilisateurs ont ce profil : donnez-leur-en un autre avant de le supprimer.',
    'admin.error.name_taken': 'Un profil porte déjà ce nom.',
    'admin.error.invalid_state': 'Cet utilisateur a déjà choisi son mot de passe : il n’y a plus d’invitation à renvoyer.',
    'admin.error.invalid_encoding': 'Le fichier n’est pas encodé en UTF-8. Dans Excel, enregistrez-le au format « CSV UTF-8 (délimité par des virgules) ».',
    'admin.error.unsupported_media_type': 'Le fichier doit être un fichier CSV.',
    'admin.error.module_disabled': 'Le module nécessaire à cette page n’est pas activé pour votre organisation.',
  },
  en: {
    'admin.tabs': 'Organisation administration',
    'admin.tab.users': 'Users',
    'admin.tab.profiles': 'Profiles',
    'admin.tab.modules': 'Modules',
    'admin.tab.journal': 'Journal',
    'admin.tab.stats': 'Statistics',
    'admin.tab.settings': 'Settings',
    'admin.pager': 'Pagination',
    'admin.pager.previous': 'Previous page',
    'admin.pager.next': 'Next page',
    'admin.pager.page': 'Page {n}',
    'admin.error.module_not_in_plan': 'Your plan does not include this module. Ask your reseller to change it.',
    'admin.error.profile_in_use': 'Users hold this profile: give them another one before deleting it.',
    'admin.error.name_taken': 'A profile already has this name.',
    'admin.error.invalid_state': 'This user has already chosen a password: there is no invitation to send again.',
    'admin.error.invalid_encoding': 'The file is not UTF-8. In Excel, save it as “CSV UTF-8 (comma delimited)”.',
    'admin.error.unsupported_media_type': 'The file must be a CSV file.',
    'admin.error.module_disabled': 'The module this page needs is not enabled for your organisation.',
  },
});

const tabs = [
  ['/admin/users', 'admin.tab.users'],
  ['/admin/profiles', 'admin.tab.profiles'],
  ['/admin/modules', 'admin.tab.modules'],
  ['/admin/journal', 'admin.tab.journal'],
  ['/admin/stats', 'admin.tab.stats'],
  ['/admin/settings', 'admin.tab.settings'],
];

export default function AdminTabs() {
  const url = useSignal(currentUrl);
  let path = url.split('?')[0].replace(/\/+$/, '');
  if (path === '/admin') path = '/admin/users';
  return (
    <nav class="tabs" aria-label={t('admin.tabs')}>
      {tabs.map(([href, key]) => (
        <Link key={href} href={href} aria-current={path === href ? 'page' : undefined}>{t(key)}</Link>
      ))}
    </nav>
  );
}

/** The message of an error for an administrator: the admin codes in French, else errorText. */
export function adminError(e) {
  if (!e) return '';
  const key = 'admin.error.' + e.code;
  const text = t(key);
  return text !== key ? text : errorText(e);
}

/**
 * Previous/next over a cursor-paginated list: `cursor` is the current page's cursor ('' for the
 * first); `next(c)` moves on, `previous()` back, `reset()` to the first page.
 */
export function useCursorPages() {
  const [stack, setStack] = useState(['']);
  return {
    cursor: stack[stack.length - 1],
    page: stack.length,
    next: (c) => setStack((s) => [...s, c]),
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack(['']),
  };
}

export function Pager({ pages, nextCursor }) {
  if (pages.page === 1 && !nextCursor) return null;
  return (
    <nav class="actions pager" aria-label={t('admin.pager')}>
      <span class="pager-page">{t('admin.pager.page', { n: pages.page })}</span>
      <button type="button" class="button button-secondary button-small" disabled={pages.page === 1}
        onClick={pages.previous}>{t('admin.pager.previous')}</button>
      <button type="button" class="button button-secondary button-small" disabled={!nextCursor}
        onClick={() => pages.next(nextCursor)}>{t('admin.pager.next')}</button>
    </nav>
  );
}

/**
 * What a list page keeps besides its list: the panel open above it (a form), the notice of what
 * was just done and the error of an action on a row. `tick` changes when the list must reload.
 * `open(p)` shows a panel, `close()` hides it, `notify(message)` shows the notice and reloads,
 * `done(message)` does both after closing the panel; `act(key, action)` runs an action on a row,
 * with `busy` set to `key` meanwhile and its error kept in `error`.
 */
export function useListPage() {
  const [panel, setPanel] = useState(null);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState('');
  const [tick, setTick] = useState(0);
  const clear = () => { setNotice(''); setError(null); };
  const notify = (message) => { setNotice(message); setTick((n) => n + 1); };
  return {
    panel, notice, error, busy, tick, notify,
    refresh: () => setTick((n) => n + 1),
    open: (p) => { clear(); setPanel(p); },
    close: () => setPanel(null),
    done: (message) => { setPanel(null); notify(message); },
    act: async (key, action) => {
      clear();
      setBusy(key);
      try {
        await action();
      } catch (err) {
        setError(err);
      } finally {
        setBusy('');
      }
    },
  };
}

/** Focuses the heading of a panel when it opens. */
export function useFocusOnOpen() {
  const ref = useRef(null);
  useEffect(() => { ref.current?.focus(); }, []);
  return ref;
}

/**
 * A form in a card: its heading (focused when it opens), `intro`, the error of `form` (a
 * useSubmit), the fields, then Cancel and the submit button.
 */
export function AdminForm({ title, intro, form, submitLabel, cancelLabel, onCancel, class: cls = 'card stack', children }) {
  const heading = useFocusOnOpen();
  return (
    <form class={cls} onSubmit={form.submit} noValidate>
      <h2 tabIndex={-1} ref={heading}>{title}</h2>
      {intro}
      <Alert>{adminError(form.error)}</Alert>
      {children}
      <div class="actions">
        <button type="button" class="button button-secondary" onClick={onCancel}>{cancelLabel || t('common.cancel')}</button>
        <button type="submit" class="button" disabled={form.busy}>{submitLabel}</button>
      </div>
    </form>
  );
}

/** A small button in a table row: its label, and for screen readers the name of the row. */
export function RowButton({ label, name, class: cls = 'button button-secondary button-small', ...rest }) {
  return <button type="button" class={cls} {...rest}>{label}<span class="visually-hidden"> {name}</span></button>;
}
