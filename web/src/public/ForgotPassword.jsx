// "Forgot your password?": the server mails a reset link if the account exists, and answers the
// same either way, so this page says the same either way too.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { Alert, errorText, Field, Link, Page, useSubmit } from '../ui.jsx';

addStrings({
  fr: {
    'forgot.title': 'Mot de passe oublié',
    'forgot.text': 'Indiquez l’adresse e-mail de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.',
    'forgot.submit': 'Envoyer le lien',
    'forgot.sent': 'Si un compte existe pour cette adresse, un e-mail vient de lui être envoyé. Le lien est valable peu de temps.',
    'forgot.back': 'Retour à la connexion',
  },
  en: {
    'forgot.title': 'Forgotten password',
    'forgot.text': 'Give your account’s e-mail address: we will send you a link to choose a new password.',
    'forgot.submit': 'Send the link',
    'forgot.sent': 'If an account exists for this address, an e-mail was just sent to it. The link is valid for a short time.',
    'forgot.back': 'Back to log in',
  },
});

export default function ForgotPassword() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { submit, busy, error } = useSubmit(async () => {
    setSent(false);
    await api('POST', '/api/v1/auth/password-reset', { email });
    setSent(true);
  });
  return (
    <Page title={t('forgot.title')} narrow>
      <form class="card stack" onSubmit={submit}>
        <p>{t('forgot.text')}</p>
        {sent && <Alert kind="ok">{t('forgot.sent')}</Alert>}
        <Alert>{errorText(error)}</Alert>
        <Field label={t('common.email')} type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.target.value)} />
        <div class="actions">
          <Link href="/login">{t('forgot.back')}</Link>
          <button class="button" type="submit" disabled={busy}>{t('forgot.submit')}</button>
        </div>
      </form>
    </Page>
  );
}
