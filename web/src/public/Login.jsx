// Log in, with the second factor when the account has one, then back to where the visitor was
// going (?next=, same-origin paths only).
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { navigate, queryParam } from '../router.js';
import { refreshMe, site } from '../session.js';
import { Alert, errorText, Field, Link, Page, useSubmit } from '../ui.jsx';

addStrings({
  fr: {
    'login.title': 'Connexion',
    'login.platformTitle': 'Connexion à la plateforme',
    'login.submit': 'Se connecter',
    'login.totp': 'Code de vérification',
    'login.totpHint': 'Les 6 chiffres de votre application d’authentification, ou un code de secours.',
    'login.forgot': 'Mot de passe oublié ?',
  },
  en: {
    'login.title': 'Log in',
    'login.platformTitle': 'Log in to the platform',
    'login.submit': 'Log in',
    'login.totp': 'Verification code',
    'login.totpHint': 'The 6 digits from your authenticator app, or a recovery code.',
    'login.forgot': 'Forgot your password?',
  },
});

/** Where to go after logging in: a local path only, never another site. */
export function safeNext(next, fallback = '/') {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback;
}

export default function Login() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const { submit, busy, error } = useSubmit(async () => {
    const body = { email, password };
    if (needTotp) body.totp = totp.replace(/\s/g, '');
    let r;
    try {
      r = await api('POST', '/api/v1/auth/login', body);
    } catch (err) {
      if (err.code !== 'totp_required') throw err;
      setNeedTotp(true);  // the password was right: now the code
      return;
    }
    await refreshMe();
    navigate(r.totp_enrollment_required ? '/account?enrol=1' : safeNext(queryParam('next')), { replace: true });
  });

  const platform = site.get()?.kind === 'platform';
  return (
    <Page title={platform ? t('login.platformTitle') : t('login.title')} narrow>
      <form class="card stack" onSubmit={submit} noValidate>
        <Alert>{errorText(error)}</Alert>
        <Field label={t('common.email')} type="email" autocomplete="username" required value={email}
          onInput={(e) => setEmail(e.target.value)} disabled={needTotp} />
        <Field label={t('common.password')} type="password" autocomplete="current-password" required value={password}
          onInput={(e) => setPassword(e.target.value)} disabled={needTotp} />
        {needTotp && (
          <Field label={t('login.totp')} hint={t('login.totpHint')} inputMode="numeric" autocomplete="one-time-code"
            required value={totp} onInput={(e) => setTotp(e.target.value)} autoFocus />
        )}
        <div class="actions">
          <Link href="/forgot-password">{t('login.forgot')}</Link>
          <button class="button" type="submit" disabled={busy}>{t('login.submit')}</button>
        </div>
      </form>
    </Page>
  );
}
