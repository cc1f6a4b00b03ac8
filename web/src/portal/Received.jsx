// What reached me: transfers colleagues addressed to my e-mail (downloaded here through my own
// link, without its password: my login stands for it), and the deposits into my upload requests.
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { formatBytes, formatDate } from '../format.js';
import { Badge, Empty, ListState, Page, useAsync } from '../ui.jsx';
import { DepositList } from './RequestDetail.jsx';
import { stateKind, stateText } from './tracking.js';

addStrings({
  fr: {
    'received.title': 'Reçus',
    'received.transfers': 'Envois qui me sont adressés',
    'received.noTransfer': 'Aucun envoi ne vous a été adressé.',
    'received.deposits': 'Dépôts dans mes demandes',
    'received.noDeposit': 'Aucun dépôt reçu.',
    'received.from': 'De {who}, le {date}',
    'received.until': 'disponible jusqu’au {date}',
    'received.zip': 'Tout télécharger (ZIP)',
    'state.files_deleted': 'Fichiers supprimés',
  },
  en: {
    'received.title': 'Received',
    'received.transfers': 'Transfers addressed to me',
    'received.noTransfer': 'No transfer was addressed to you.',
    'received.deposits': 'Deposits into my requests',
    'received.noDeposit': 'No deposit received.',
    'received.from': 'From {who}, on {date}',
    'received.until': 'available until {date}',
    'received.zip': 'Download all (ZIP)',
    'state.files_deleted': 'Files deleted',
  },
});

function ReceivedTransfer({ tr }) {
  const base = `/api/v1/received/transfers/${encodeURIComponent(tr.id)}`;
  const active = tr.state === 'active';
  return (
    <li class="card">
      <div class="page-head">
        <h3>{tr.subject || tr.files.map((f) => f.name).join(', ')}</h3>
        <Badge kind={stateKind(tr.state)}>{stateText(tr.state)}</Badge>
      </div>
      <p>{t('received.from', { who: tr.sender.name || tr.sender.email, date: formatDate(tr.created_at) })}
        {active && <> · {t('received.until', { date: formatDate(tr.expires_at) })}</>}</p>
      {tr.message && <p class="message-text">{tr.message}</p>}
      <ul>
        {tr.files.map((f) => (
          <li key={f.id}>
            {active ? <a href={`${base}/files/${encodeURIComponent(f.id)}`} download="">{f.name}</a> : <span>{f.name}</span>}{' '}
            <span class="hint">({formatBytes(f.size)})</span>
          </li>
        ))}
      </ul>
      {active && tr.files.length > 1 && <a class="button button-secondary button-small" href={`${base}/zip`} download="">{t('received.zip')}</a>}
    </li>
  );
}

export default function Received() {
  const data = useAsync(() => Promise.all([api('GET', '/api/v1/received/transfers?limit=50'), api('GET', '/api/v1/received/deposits?limit=50')]), []);
  if (!data.data || data.error) return <Page title={t('received.title')}><ListState state={data} /></Page>;
  const [transfers, deposits] = data.data;
  return (
    <Page title={t('received.title')}>
      <div class="grid-2">
        <section>
          <h2>{t('received.transfers')}</h2>
          {transfers.items.length === 0 ? <Empty>{t('received.noTransfer')}</Empty> : (
            <ul class="file-list">{transfers.items.map((tr) => <ReceivedTransfer key={tr.id} tr={tr} />)}</ul>
          )}
        </section>
        <section>
          <h2>{t('received.deposits')}</h2>
          {deposits.items.length === 0 ? <Empty>{t('received.noDeposit')}</Empty> : (
            <DepositList deposits={deposits.items} linkToRequest />
          )}
        </section>
      </div>
    </Page>
  );
}
