// One upload request: its deposits (live), each file downloadable, and closing it.
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { formatBytes, formatDate } from '../format.js';
import { Badge, ConfirmButton, Empty, Link, ListState, Page, useAsync } from '../ui.jsx';
import { useLiveEvents } from './live.js';
import { requestTitle } from './Requests.jsx';
import { Timeline } from './SentDetail.jsx';
import { stateKind, stateText } from './tracking.js';

addStrings({
  fr: {
    'request.back': 'Demandes de dépôt',
    'request.close': 'Fermer la demande',
    'request.closeText': 'Le lien ne permettra plus de déposer. Les dépôts reçus restent disponibles.',
    'request.deposits': 'Dépôts reçus',
    'request.noDeposit': 'Aucun dépôt pour le moment.',
    'request.from': 'De {email}, le {date}',
    'request.received': 'Reçus',
    'request.fileLabel': 'Télécharger {name}',
    'request.see': 'Voir la demande',
    'request.receivedValue': '{files} fichier(s), {size}',
  },
  en: {
    'request.back': 'Upload requests',
    'request.close': 'Close the request',
    'request.closeText': 'The link will no longer accept deposits. What was deposited stays available.',
    'request.deposits': 'Deposits received',
    'request.noDeposit': 'No deposit yet.',
    'request.from': 'From {email}, on {date}',
    'request.received': 'Received',
    'request.fileLabel': 'Download {name}',
    'request.see': 'See the request',
    'request.receivedValue': '{files} file(s), {size}',
  },
});

export function DepositList({ deposits, linkToRequest = false }) {
  if (!deposits.length) return <Empty>{t('request.noDeposit')}</Empty>;
  return (
    <ul class="file-list">
      {deposits.map((d) => (
        <li key={d.id} class="card deposit">
          <p><strong>{t('request.from', { email: d.sender_email, date: formatDate(d.created_at) })}</strong>
            {linkToRequest && <> · <Link href={`/requests/${d.request_id}`}>{t('request.see')}</Link></>}</p>
          {d.message && <p class="message-text">{d.message}</p>}
          <ul>
            {d.files.map((f) => (
              <li key={f.id}>
                <a href={f.download_url} download="" aria-label={t('request.fileLabel', { name: f.name })}>{f.name}</a>{' '}
                <span class="hint">({formatBytes(f.size)})</span>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

export default function RequestDetail({ params }) {
  const id = encodeURIComponent(params.id);
  const req = useAsync(() => Promise.all([api('GET', `/api/v1/upload-requests/${id}`), api('GET', `/api/v1/upload-requests/${id}/deposits?limit=100`)]), [params.id]);
  useLiveEvents({ upload_request_id: params.id }, () => req.reload());
  const back = <Link class="button button-secondary" href="/requests">{t('request.back')}</Link>;
  if (!req.data || req.error) return <Page title={t('requests.title')} actions={back}><ListState state={req} /></Page>;
  const [r, deposits] = req.data;
  const close = async () => {
    await api('DELETE', `/api/v1/upload-requests/${id}`);
    req.reload();
  };
  return (
    <Page title={requestTitle(r)} actions={<>{back}{r.state === 'open' && <ConfirmButton label={t('request.close')} message={t('request.closeText')} onConfirm={close} />}</>}>
      <div class="grid-2">
        <section class="card">
          <dl class="meta">
            <dt>{t('common.state')}</dt><dd><Badge kind={stateKind(r.state)}>{stateText(r.state)}</Badge></dd>
            <dt>{t('common.created')}</dt><dd>{formatDate(r.created_at)}</dd>
            <dt>{t('requests.expires')}</dt><dd>{formatDate(r.expires_at)}</dd>
            <dt>{t('request.received')}</dt><dd>{t('request.receivedValue', { files: r.files_received, size: formatBytes(r.bytes_received) })}</dd>
            {r.recipients?.length > 0 && <><dt>{t('detail.recipients')}</dt><dd>{r.recipients.join(', ')}</dd></>}
          </dl>
          {r.message && <p class="message-text">{r.message}</p>}
          <h2>{t('detail.activity')}</h2>
          <Timeline events={r.events} />
        </section>
        <section>
          <h2>{t('request.deposits')}</h2>
          <DepositList deposits={deposits.items} />
        </section>
      </div>
    </Page>
  );
}
