// The two mailed links that set a password: /invitation?token= (a new account) and
// /reset-password?token= (a forgotten password). Then on to the login page.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { currentUrl, navigate, queryParam } from '../router.js';
import { Alert, errorText, Field, Link, Page, useSubmit } from '../ui.jsx';

addStrings({
  fr: {
    'setpw.invitation': 'Bienvenue : choisissez votre mot de passe',
    'setpw.reset': 'Choisissez un nouveau mot de passe',
    'setpw.submit': 'Enregistrer le mot de passe',
    'setpw.done': 'Votre mot de passe est enregistré. Vous pouvez vous connecter.',
    'setpw.login': 'Se connecter',
    'setpw.noToken': 'Ce lien est incomplet. Ouvrez-le de nouveau depuis l’e-mail reçu.',
  },
  en: {
    'setpw.invitation': 'Welcome: choose your password',
    'setpw.reset': 'Choose a new password',
    'setpw.submit': 'Save the password',
    'setpw.done': 'Your password is saved. You can log in.',
    'setpw.login': 'Log in',
    'setpw.noToken': 'This link is incomplete. Open it again from the e-mail you received.',
  },
});

export default function SetPassword() {
  const invitation = currentUrl.get().startsWith('/invitation');
  const [token] = useState(queryParam('token'));
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  // The token leaves the address bar (and the history) once read.
  if (token && window.location.search) history.replaceState(null, '', window.location.pathname);
  const { submit, busy, error } = useSubmit(async () => {
    setMismatch(password !== again);
    if (password !== again) return;
    await api('POST', invitation ? '/api/v1/auth/invitation/accept' : '/api/v1/auth/password-reset/complete', { token, password });
    setDone(true);
  });
  const title = invitation ? t('setpw.invitation') : t('setpw.reset');
  if (!token) return <Page title={title} narrow><Alert>{t('setpw.noToken')}</Alert></Page>;
  if (done) {
    return (
      <Page title={title} narrow>
        <Alert kind="ok">{t('setpw.done')}</Alert>
        <div class="actions"><button type="button" class="button" onClick={() => navigate('/login')}>{t('setpw.login')}</button></div>
      </Page>
    );
  }
  return (
    <Page title={title} narrow>
      <form class="card stack" onSubmit={submit}>
        <Alert>{errorText(error)}</Alert>
        <Field label={t('password.new')} hint={t('password.newHint')} type="password" autocomplete="new-password" required minLength={12}
          value={password} onInput={(e) => setPassword(e.target.value)} />
        <Field label={t('password.confirm')} type="password" autocomplete="new-password" required value={again}
          error={mismatch ? t('password.mismatch') : null} onInput={(e) => setAgain(e.target.value)} />
        <div class="actions">
          <Link href="/login">{t('setpw.login')}</Link>
          <button class="button" type="submit" disabled={busy}>{t('setpw.submit')}</button>
        </div>
      </form>
    </Page>
  );
}
