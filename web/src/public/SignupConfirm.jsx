// /signup/confirm?token=: the self-service trial's confirmation link. Confirming creates the
// organisation; then the way to its own address.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { queryParam } from '../router.js';
import { Alert, errorText, Page, Spinner } from '../ui.jsx';

addStrings({
  fr: {
    'signup.title': 'Confirmation de votre essai',
    'signup.done': 'Votre organisation « {name} » est prête. Un e-mail vous invite à choisir votre mot de passe.',
    'signup.open': 'Ouvrir mon espace',
    'signup.noToken': 'Ce lien est incomplet. Ouvrez-le de nouveau depuis l’e-mail reçu.',
  },
  en: {
    'signup.title': 'Confirming your trial',
    'signup.done': 'Your organisation “{name}” is ready. An e-mail invites you to choose your password.',
    'signup.open': 'Open my space',
    'signup.noToken': 'This link is incomplete. Open it again from the e-mail you received.',
  },
});

export default function SignupConfirm() {
  const [token] = useState(queryParam('token'));
  const [state, setState] = useState({ loading: !!token });
  useEffect(() => {
    if (!token) return;
    history.replaceState(null, '', window.location.pathname);
    api('POST', '/api/v1/signup/confirm', { token }).then((tenant) => setState({ tenant }), (error) => setState({ error }));
  }, []);
  if (!token) return <Page title={t('signup.title')} narrow><Alert>{t('signup.noToken')}</Alert></Page>;
  if (state.loading) return <Page title={t('signup.title')} narrow><Spinner /></Page>;
  if (state.error) return <Page title={t('signup.title')} narrow><Alert>{errorText(state.error)}</Alert></Page>;
  return (
    <Page title={t('signup.title')} narrow>
      <Alert kind="ok">{t('signup.done', { name: state.tenant.name })}</Alert>
      <div class="actions"><a class="button" href={state.tenant.url}>{t('signup.open')}</a></div>
    </Page>
  );
}
