// Send files: drop them (they upload at once, resumably), say to whom and how, then get the link.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { formatDate } from '../format.js';
import { me } from '../session.js';
import { Alert, CopyField, errorText, Field, Link, Page, useSubmit } from '../ui.jsx';
import { UploadPanel, useUploadQueue } from './UploadPanel.jsx';

addStrings({
  fr: {
    'send.title': 'Envoyer des fichiers',
    'send.files': 'Fichiers',
    'send.details': 'Destinataires et options',
    'send.recipients': 'Destinataires',
    'send.recipientsHint': 'Une ou plusieurs adresses e-mail, séparées par des virgules ou des retours à la ligne.',
    'send.subject': 'Objet',
    'send.message': 'Message',
    'send.expiry': 'Expiration',
    'send.days': '{n} jours',
    'send.day': '1 jour',
    'send.password': 'Mot de passe du lien',
    'send.passwordHint': 'Facultatif. Transmettez-le aux destinataires par un autre moyen que l’e-mail.',
    'send.maxDownloads': 'Nombre maximal de téléchargements par fichier',
    'send.maxDownloadsHint': 'Facultatif. Vide : illimité jusqu’à l’expiration.',
    'send.notify': 'M’avertir à chaque téléchargement',
    'send.submit': 'Envoyer',
    'send.waitUploads': 'L’envoi sera possible dès que tous les fichiers seront téléversés.',
    'send.noFiles': 'Ajoutez au moins un fichier.',
    'send.badRecipients': 'Adresse e-mail non valable : {list}',
    'send.noRecipients': 'Indiquez au moins un destinataire.',
    'send.done': 'Vos fichiers sont envoyés',
    'send.doneText': 'Chaque destinataire reçoit un e-mail avec son propre lien. Le lien ci-dessous est le vôtre, valable jusqu’au {date}.',
    'send.link': 'Lien de téléchargement',
    'send.track': 'Suivre cet envoi',
    'send.again': 'Nouvel envoi',
  },
  en: {
    'send.title': 'Send files',
    'send.files': 'Files',
    'send.details': 'Recipients and options',
    'send.recipients': 'Recipients',
    'send.recipientsHint': 'One or more e-mail addresses, separated by commas or new lines.',
    'send.subject': 'Subject',
    'send.message': 'Message',
    'send.expiry': 'Expires after',
    'send.days': '{n} days',
    'send.day': '1 day',
    'send.password': 'Link password',
    'send.passwordHint': 'Optional. Give it to the recipients by another way than e-mail.',
    'send.maxDownloads': 'Most downloads per file',
    'send.maxDownloadsHint': 'Optional. Empty: unlimited until it expires.',
    'send.notify': 'Tell me at each download',
    'send.submit': 'Send',
    'send.waitUploads': 'You can send as soon as every file is uploaded.',
    'send.noFiles': 'Add at least one file.',
    'send.badRecipients': 'Not a valid e-mail address: {list}',
    'send.noRecipients': 'Give at least one recipient.',
    'send.done': 'Your files are sent',
    'send.doneText': 'Each recipient gets an e-mail with a link of their own. The link below is yours, valid until {date}.',
    'send.link': 'Download link',
    'send.track': 'Track this transfer',
    'send.again': 'Send more files',
  },
});

const emailPattern = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export function parseRecipients(text) {
  const list = text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
  return { list, bad: list.filter((a) => !emailPattern.test(a)) };
}

export function expiryChoices(max, current) {
  const choices = [1, 2, 3, 7, 14, 30, 60, 90, 180, 365].filter((d) => d <= max);
  if (!choices.includes(current)) choices.push(current);
  return choices.sort((a, b) => a - b);
}

/** How long a link lives, in days, within the organisation's bounds. */
export function ExpiryField({ tenant, value, onChange }) {
  return (
    <Field as="select" label={t('send.expiry')} value={value} onChange={(e) => onChange(e.target.value)}>
      {expiryChoices(tenant.max_expiry_days || 30, tenant.default_expiry_days || 7).map((d) => (
        <option value={d} key={d}>{d === 1 ? t('send.day') : t('send.days', { n: d })}</option>
      ))}
    </Field>
  );
}

export default function Send() {
  const tenant = me.get().tenant || {};
  const { queue, items } = useUploadQueue('/api/v1/uploads');
  const [recipients, setRecipients] = useState('');
  const [subject, setSubject] = useState('');
  const [message, setMessage] = useState('');
  const [days, setDays] = useState(tenant.default_expiry_days || 7);
  const [password, setPassword] = useState('');
  const [maxDownloads, setMaxDownloads] = useState('');
  const [notify, setNotify] = useState(true);
  const [errors, setErrors] = useState({});
  const [sent, setSent] = useState(null);

  const totals = queue.totals();
  const { submit, busy, error } = useSubmit(async () => {
    const { list, bad } = parseRecipients(recipients);
    const errs = {};
    if (!list.length) errs.recipients = t('send.noRecipients');
    else if (bad.length) errs.recipients = t('send.badRecipients', { list: bad.join(', ') });
    if (!items.length) errs.files = t('send.noFiles');
    setErrors(errs);
    if (Object.keys(errs).length || !totals.done) return;
    const body = {
      recipients: list,
      uploads: items.map((i) => i.uploadId),
      expires_in_days: Number(days),
      notify_on_download: notify,
    };
    if (subject.trim()) body.subject = subject.trim();
    if (message.trim()) body.message = message;
    if (password) body.password = password;
    if (maxDownloads) body.max_downloads = Number(maxDownloads);
    setSent(await api('POST', '/api/v1/transfers', body));
  });

  const again = () => {
    queue.clear();
    setSent(null);
    setRecipients('');
    setSubject('');
    setMessage('');
    setPassword('');
    setMaxDownloads('');
  };

  if (sent) {
    return (
      <Page title={t('send.done')}>
        <div class="card stack">
          <Alert kind="ok">{t('send.doneText', { date: formatDate(sent.expires_at) })}</Alert>
          <CopyField label={t('send.link')} value={sent.link} />
          <div class="actions">
            <button type="button" class="button button-secondary" onClick={again}>{t('send.again')}</button>
            <Link class="button" href={`/sent/${sent.id}`}>{t('send.track')}</Link>
          </div>
        </div>
      </Page>
    );
  }

  return (
    <Page title={t('send.title')}>
      <form class="grid-2" onSubmit={submit} noValidate>
        <section class="card" aria-labelledby="send-files">
          <h2 id="send-files">{t('send.files')}</h2>
          <UploadPanel queue={queue} items={items} endpoint="/api/v1/uploads" />
          {errors.files && <p class="field-error" role="alert">{errors.files}</p>}
        </section>
        <section class="card stack" aria-labelledby="send-details">
          <h2 id="send-details">{t('send.details')}</h2>
          <Alert>{errorText(error)}</Alert>
          <Field as="textarea" label={t('send.recipients')} hint={t('send.recipientsHint')} required rows={2}
            value={recipients} error={errors.recipients} onInput={(e) => setRecipients(e.target.value)} autocomplete="email" />
          <Field label={t('send.subject')} value={subject} maxLength={200} onInput={(e) => setSubject(e.target.value)} />
          <Field as="textarea" label={t('send.message')} value={message} maxLength={5000} onInput={(e) => setMessage(e.target.value)} />
          <div class="row">
            <ExpiryField tenant={tenant} value={days} onChange={setDays} />
            <Field label={t('send.maxDownloads')} hint={t('send.maxDownloadsHint')} type="number" min="1" max="1000"
              inputMode="numeric" value={maxDownloads} onInput={(e) => setMaxDownloads(e.target.value)} />
          </div>
          <Field label={t('send.password')} hint={t('send.passwordHint')} type="password" autocomplete="new-password"
            value={password} onInput={(e) => setPassword(e.target.value)} />
          <Field label={t('send.notify')} type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} />
          {!totals.done && items.length > 0 && <p class="hint" role="status">{t('send.waitUploads')}</p>}
          <div class="actions">
            <button class="button" type="submit" disabled={busy || (items.length > 0 && !totals.done)}>{t('send.submit')}</button>
          </div>
        </section>
      </form>
    </Page>
  );
}
