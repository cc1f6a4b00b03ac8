// The password prompt of a protected link (transfer or upload request). The unlock answer also
// sets a cookie scoped to the link, so downloads work as plain links.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { Alert, errorText, Field } from '../ui.jsx';

addStrings({
  fr: {
    'unlock.title': 'Ce lien est protégé par un mot de passe',
    'unlock.text': 'L’expéditeur vous a communiqué ce mot de passe séparément.',
    'unlock.submit': 'Déverrouiller',
  },
  en: {
    'unlock.title': 'This link is protected by a password',
    'unlock.text': 'The sender gave you this password separately.',
    'unlock.submit': 'Unlock',
  },
});

export function Unlock({ path, onUnlocked }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api('POST', path + '/unlock', { password });
      onUnlocked(r.access_token);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
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
