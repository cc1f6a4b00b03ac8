// The password prompt of a protected link (transfer or upload request). The unlock answer also
// sets a cookie scoped to the link, so downloads work as plain links.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { Alert, errorText, Field, Page, Spinner, useSubmit } from '../ui.jsx';

addStrings({
  fr: {
    'unlock.title': 'Ce lien est protégé par un mot de passe',
    'unlock.text': 'L’expéditeur vous a communiqué ce mot de passe séparément.',
    'unlock.submit': 'Déverrouiller',
    'link.notFound': 'Lien introuvable',
    'link.notFoundText': 'Ce lien n’existe pas. Vérifiez qu’il a été copié en entier.',
  },
  en: {
    'unlock.title': 'This link is protected by a password',
    'unlock.text': 'The sender gave you this password separately.',
    'unlock.submit': 'Unlock',
    'link.notFound': 'Link not found',
    'link.notFoundText': 'This link does not exist. Check that it was copied whole.',
  },
});

export function Unlock({ path, onUnlocked }) {
  const [password, setPassword] = useState('');
  const { submit, busy, error } = useSubmit(async () => {
    const r = await api('POST', path + '/unlock', { password });
    onUnlocked(r.access_token);
  });
  return (
    <form class="card stack" onSubmit={submit}>
      <h2>{t('unlock.title')}</h2>
      <p>{t('unlock.text')}</p>
      <Alert>{errorText(error)}</Alert>
      <Field label={t('common.password')} type="password" autocomplete="off" required value={password}
        onInput={(e) => setPassword(e.target.value)} autoFocus />
      <div class="actions"><button class="button" type="submit" disabled={busy || !password}>{t('unlock.submit')}</button></div>
    </form>
  );
}

/**
 * A public link's object (GET `base`), for /d/ and /r/: { state: {loading} | {value} | {error},
 * bearer, reload(token) }. The unlock's access token is kept as bearer (the cookie it sets serves
 * plain links).
 */
export function usePublicLink(base) {
  const [state, setState] = useState({ loading: true });
  const [bearer, setBearer] = useState('');
  const reload = async (token = bearer) => {
    if (token !== bearer) setBearer(token);
    try {
      setState({ value: await api('GET', base, undefined, { bearer: token || undefined }) });
    } catch (error) {
      setState({ error });
    }
  };
  useEffect(() => { reload(); }, [base]);
  return { state, bearer, reload };
}

/**
 * The page of a link that cannot be shown yet or any more: the password prompt, its closed
 * page (`closed(problem)` gives [title, text]), not found, or the error; null when it can be.
 */
export function linkProblemPage({ link, base, title, closed }) {
  const { state } = link;
  if (state.loading) return <Spinner />;
  const e = state.error;
  if (!e) return null;
  if (e.code === 'password_required') return <Page title={title} narrow><Unlock path={base} onUnlocked={link.reload} /></Page>;
  if (e.status === 410) {
    const [closedTitle, text] = closed(e.problem);
    return <Page title={closedTitle} narrow><p class="closed-link" data-reason={e.problem.reason}>{text}</p></Page>;
  }
  if (e.status === 404) return <Page title={t('link.notFound')} narrow><p>{t('link.notFoundText')}</p></Page>;
  return <Page title={title} narrow><Alert>{errorText(e)}</Alert></Page>;
}
