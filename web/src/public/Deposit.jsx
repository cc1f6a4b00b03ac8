// /r/{token}: an outside correspondent drops files for the person who asked, with resumable
// progress, gives an e-mail and a message, and gets a confirmation.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { formatBytes, formatDate } from '../format.js';
import { UploadPanel, useUploadQueue } from '../portal/UploadPanel.jsx';
import { parseRecipients } from '../portal/Send.jsx';
import { Alert, errorText, Field, Page, useSubmit } from '../ui.jsx';
import { linkProblemPage, usePublicLink } from './Unlock.jsx';

addStrings({
  fr: {
    'deposit.title': 'Déposer des fichiers',
    'deposit.for': 'Pour',
    'deposit.until': 'Ouvert jusqu’au',
    'deposit.limits': 'Limites',
    'deposit.filesLeft': '{n} fichier(s) encore possible(s)',
    'deposit.bytesLeft': '{size} encore possible(s)',
    'deposit.noLimit': 'Aucune',
    'deposit.message': 'Message de la demande',
    'deposit.yourEmail': 'Votre adresse e-mail',
    'deposit.yourMessage': 'Votre message (facultatif)',
    'deposit.submit': 'Confirmer le dépôt',
    'deposit.wait': 'Le dépôt pourra être confirmé dès que tous les fichiers seront téléversés.',
    'deposit.badEmail': 'Indiquez une adresse e-mail valable.',
    'deposit.noFiles': 'Ajoutez au moins un fichier.',
    'deposit.done': 'Dépôt confirmé',
    'deposit.doneText': '{n} fichier(s) déposé(s) le {date}. {owner} a été prévenu(e).',
    'deposit.another': 'Déposer d’autres fichiers',
    'deposit.closed': 'Cette demande de dépôt est close',
    'deposit.closedText': 'Elle a expiré ou a été fermée par son auteur. Contactez-le si vous devez encore lui transmettre des fichiers.',
  },
  en: {
    'deposit.title': 'Deposit files',
    'deposit.for': 'For',
    'deposit.until': 'Open until',
    'deposit.limits': 'Limits',
    'deposit.filesLeft': '{n} more file(s) allowed',
    'deposit.bytesLeft': '{size} more allowed',
    'deposit.noLimit': 'None',
    'deposit.message': 'Message of the request',
    'deposit.yourEmail': 'Your e-mail address',
    'deposit.yourMessage': 'Your message (optional)',
    'deposit.submit': 'Confirm the deposit',
    'deposit.wait': 'You can confirm as soon as every file is uploaded.',
    'deposit.badEmail': 'Give a valid e-mail address.',
    'deposit.noFiles': 'Add at least one file.',
    'deposit.done': 'Deposit confirmed',
    'deposit.doneText': '{n} file(s) deposited on {date}. {owner} has been told.',
    'deposit.another': 'Deposit more files',
    'deposit.closed': 'This upload request is closed',
    'deposit.closedText': 'It expired or its author closed it. Contact them if you still need to send files.',
  },
});

function DepositForm({ base, request, bearer, onDone }) {
  const { queue, items } = useUploadQueue(request.uploads_url || `${base}/uploads`, bearer);
  const [email, setEmail] = useState('');
  const [message, setMessage] = useState('');
  const [errors, setErrors] = useState({});
  const totals = queue.totals();
  const { submit, busy, error } = useSubmit(async () => {
    const errs = {};
    const { list, bad } = parseRecipients(email);
    if (list.length !== 1 || bad.length) errs.email = t('deposit.badEmail');
    if (!items.length) errs.files = t('deposit.noFiles');
    setErrors(errs);
    if (Object.keys(errs).length || !totals.done) return;
    const body = { uploads: items.map((i) => i.uploadId), sender_email: list[0] };
    if (message.trim()) body.message = message;
    const deposit = await api('POST', `${base}/deposits`, body, { bearer: bearer || undefined });
    queue.clear();
    onDone(deposit);
  });
  return (
    <form class="grid-2" onSubmit={submit} noValidate>
      <section class="card">
        <h2>{t('common.files')}</h2>
        <UploadPanel queue={queue} items={items} endpoint={request.uploads_url || `${base}/uploads`} />
        {errors.files && <p class="field-error" role="alert">{errors.files}</p>}
      </section>
      <section class="card stack">
        <Alert>{errorText(error)}</Alert>
        <Field label={t('deposit.yourEmail')} type="email" autocomplete="email" required value={email}
          error={errors.email} onInput={(e) => setEmail(e.target.value)} />
        <Field as="textarea" label={t('deposit.yourMessage')} value={message} maxLength={5000} onInput={(e) => setMessage(e.target.value)} />
        {!totals.done && items.length > 0 && <p class="hint" role="status">{t('deposit.wait')}</p>}
        <div class="actions">
          <button class="button" type="submit" disabled={busy || (items.length > 0 && !totals.done)}>{t('deposit.submit')}</button>
        </div>
      </section>
    </form>
  );
}

export default function Deposit({ params }) {
  const base = `/api/v1/public/upload-requests/${encodeURIComponent(params.token)}`;
  const link = usePublicLink(base);
  const [done, setDone] = useState(null);
  const problem = linkProblemPage({ link, base, title: t('deposit.title'), closed: () => [t('deposit.closed'), t('deposit.closedText')] });
  if (problem) return problem;

  const r = link.state.value;
  const owner = r.owner?.name || r.owner?.email || r.owner || '';
  if (done) {
    return (
      <Page title={t('deposit.done')} narrow>
        <div class="card stack">
          <Alert kind="ok">{t('deposit.doneText', { n: done.files.length, date: formatDate(done.created_at), owner })}</Alert>
          <ul>{done.files.map((f) => <li key={f.id} class="file-name">{f.name} ({formatBytes(f.size)})</li>)}</ul>
          <div class="actions"><button type="button" class="button button-secondary" onClick={() => { setDone(null); link.reload(); }}>{t('deposit.another')}</button></div>
        </div>
      </Page>
    );
  }
  const limits = [];
  if (r.files_remaining != null) limits.push(t('deposit.filesLeft', { n: r.files_remaining }));
  if (r.bytes_remaining != null) limits.push(t('deposit.bytesLeft', { size: formatBytes(r.bytes_remaining) }));
  return (
    <Page title={t('deposit.title')}>
      <div class="card">
        <dl class="meta">
          <dt>{t('deposit.for')}</dt>
          <dd>{typeof r.owner === 'object' ? (r.owner.name ? `${r.owner.name} <${r.owner.email}>` : r.owner.email) : owner}</dd>
          <dt>{t('deposit.until')}</dt>
          <dd>{formatDate(r.expires_at)}</dd>
          <dt>{t('deposit.limits')}</dt>
          <dd>{limits.length ? limits.join(' · ') : t('deposit.noLimit')}</dd>
        </dl>
        {r.message && (<><h2>{t('deposit.message')}</h2><p class="message-text">{r.message}</p></>)}
      </div>
      <DepositForm base={base} request={r} bearer={link.bearer} onDone={setDone} />
    </Page>
  );
}
