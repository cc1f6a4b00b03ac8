// Upload requests: invite someone to deposit files, copy the link, see the list.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { formatShortDate } from '../format.js';
import { me } from '../session.js';
import { Alert, Badge, CopyField, DataTable, errorText, Field, Link, ListState, Page, useAsync, useSubmit } from '../ui.jsx';
import { ExpiryField, parseRecipients } from './Send.jsx';
import { stateKind, stateText } from './tracking.js';

addStrings({
  fr: {
    'requests.title': 'Demandes de dépôt',
    'requests.new': 'Nouvelle demande',
    'requests.newText': 'Invitez un correspondant à vous déposer des fichiers, sans compte.',
    'requests.recipients': 'Inviter par e-mail (facultatif)',
    'requests.recipientsHint': 'Chacun reçoit le lien par e-mail. Vide : vous transmettez le lien vous-même.',
    'requests.message': 'Message pour le déposant',
    'requests.maxFiles': 'Nombre maximal de fichiers',
    'requests.maxMb': 'Taille maximale totale (Mo)',
    'requests.optional': 'Facultatif.',
    'requests.create': 'Créer la demande',
    'requests.created': 'Demande créée. Transmettez ce lien à votre correspondant :',
    'requests.link': 'Lien de dépôt',
    'requests.list': 'Mes demandes',
    'requests.empty': 'Aucune demande pour le moment.',
    'requests.what': 'Demande',
    'requests.deposits': 'Dépôts',
    'requests.expires': 'Expire le',
    'requests.untitled': 'Demande du {date}',
  },
  en: {
    'requests.title': 'Upload requests',
    'requests.new': 'New request',
    'requests.newText': 'Invite a correspondent to deposit files for you, with no account.',
    'requests.recipients': 'Invite by e-mail (optional)',
    'requests.recipientsHint': 'Each gets the link by e-mail. Empty: you pass the link on yourself.',
    'requests.message': 'Message for the depositor',
    'requests.maxFiles': 'Most files',
    'requests.maxMb': 'Largest total size (MB)',
    'requests.optional': 'Optional.',
    'requests.create': 'Create the request',
    'requests.created': 'Request created. Give this link to your correspondent:',
    'requests.link': 'Deposit link',
    'requests.list': 'My requests',
    'requests.empty': 'No request yet.',
    'requests.what': 'Request',
    'requests.deposits': 'Deposits',
    'requests.expires': 'Expires',
    'requests.untitled': 'Request of {date}',
  },
});

export function requestTitle(r) {
  return r.message ? (r.message.length > 80 ? r.message.slice(0, 80) + '…' : r.message) : t('requests.untitled', { date: formatShortDate(r.created_at) });
}

function NewRequest({ onCreated }) {
  const tenant = me.get().tenant || {};
  const [recipients, setRecipients] = useState('');
  const [message, setMessage] = useState('');
  const [days, setDays] = useState(tenant.default_expiry_days || 7);
  const [maxFiles, setMaxFiles] = useState('');
  const [maxMb, setMaxMb] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState({});
  const [created, setCreated] = useState(null);
  const { submit, busy, error } = useSubmit(async () => {
    const { list, bad } = parseRecipients(recipients);
    setErrors(bad.length ? { recipients: t('send.badRecipients', { list: bad.join(', ') }) } : {});
    if (bad.length) return;
    const body = { expires_in_days: Number(days) };
    if (list.length) body.recipients = list;
    if (message.trim()) body.message = message;
    if (maxFiles) body.max_files = Number(maxFiles);
    if (maxMb) body.max_bytes = Math.round(Number(maxMb) * 1000 * 1000);
    if (password) body.password = password;
    setCreated(await api('POST', '/api/v1/upload-requests', body));
    setRecipients('');
    setMessage('');
    setPassword('');
    onCreated();
  });
  return (
    <form class="card stack" onSubmit={submit} noValidate>
      <h2>{t('requests.new')}</h2>
      <p class="hint">{t('requests.newText')}</p>
      <Alert>{errorText(error)}</Alert>
      {created && (
        <div class="stack">
          <Alert kind="ok">{t('requests.created')}</Alert>
          <CopyField label={t('requests.link')} value={created.link} />
        </div>
      )}
      <Field as="textarea" rows={2} label={t('requests.recipients')} hint={t('requests.recipientsHint')} value={recipients}
        error={errors.recipients} onInput={(e) => setRecipients(e.target.value)} />
      <Field as="textarea" label={t('requests.message')} value={message} maxLength={5000} onInput={(e) => setMessage(e.target.value)} />
      <div class="row">
        <ExpiryField tenant={tenant} value={days} onChange={setDays} />
        <Field label={t('requests.maxFiles')} hint={t('requests.optional')} type="number" min="1" inputMode="numeric" value={maxFiles} onInput={(e) => setMaxFiles(e.target.value)} />
        <Field label={t('requests.maxMb')} hint={t('requests.optional')} type="number" min="1" inputMode="numeric" value={maxMb} onInput={(e) => setMaxMb(e.target.value)} />
      </div>
      <Field label={t('send.password')} hint={t('send.passwordHint')} type="password" autocomplete="new-password" value={password} onInput={(e) => setPassword(e.target.value)} />
      <div class="actions"><button class="button" type="submit" disabled={busy}>{t('requests.create')}</button></div>
    </form>
  );
}

export default function Requests() {
  const list = useAsync(() => api('GET', '/api/v1/upload-requests?limit=100'), []);
  return (
    <Page title={t('requests.title')}>
      <div class="grid-2">
        <NewRequest onCreated={list.reload} />
        <section class="card">
          <h2>{t('requests.list')}</h2>
          <ListState state={list} empty={t('requests.empty')} isEmpty={list.data?.items.length === 0}>
            <DataTable rows={list.data?.items || []} columns={[
              { label: t('requests.what'), cell: (r) => <Link href={`/requests/${r.id}`}>{requestTitle(r)}</Link> },
              { label: t('requests.deposits'), num: true, cell: (r) => r.deposit_count },
              { label: t('requests.expires'), cell: (r) => formatShortDate(r.expires_at) },
              { label: t('common.state'), cell: (r) => <Badge kind={stateKind(r.state)}>{stateText(r.state)}</Badge> },
            ]} />
          </ListState>
        </section>
      </div>
    </Page>
  );
}
