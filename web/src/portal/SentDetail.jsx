// One transfer: its files, recipients and what happened to it, live: a download shows up here
// as it happens (Server-Sent Events). Revoke from here.
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { formatBytes, formatDate } from '../format.js';
import { Alert, Badge, ConfirmButton, DataTable, Empty, Link, ListState, Page, useAsync } from '../ui.jsx';
import { useLiveEvents } from './live.js';
import { transferTitle } from './Sent.jsx';
import { eventText, stateKind, stateText } from './tracking.js';

addStrings({
  fr: {
    'detail.back': 'Mes envois',
    'detail.summary': 'Résumé',
    'detail.state': 'État',
    'detail.created': 'Envoyé le',
    'detail.expires': 'Expire le',
    'detail.protected': 'Mot de passe',
    'detail.limit': 'Limite par fichier',
    'detail.unlimited': 'Illimitée',
    'detail.recipients': 'Destinataires',
    'detail.files': 'Fichiers',
    'detail.downloads': 'Téléchargements',
    'detail.activity': 'Activité',
    'detail.live': 'Mise à jour en direct',
    'detail.noActivity': 'Aucune activité pour le moment.',
    'detail.revoke': 'Révoquer les liens',
    'detail.revokeText': 'Plus personne ne pourra télécharger ces fichiers, immédiatement. Cette action est définitive.',
    'detail.revoked': 'Les liens de cet envoi sont révoqués.',
    'detail.deleted': 'Les fichiers ont été supprimés à la fin de leur conservation.',
    'detail.message': 'Message',
    'detail.by': 'par {who}',
  },
  en: {
    'detail.back': 'Sent',
    'detail.summary': 'Summary',
    'detail.state': 'State',
    'detail.created': 'Sent',
    'detail.expires': 'Expires',
    'detail.protected': 'Password',
    'detail.limit': 'Limit per file',
    'detail.unlimited': 'Unlimited',
    'detail.recipients': 'Recipients',
    'detail.files': 'Files',
    'detail.downloads': 'Downloads',
    'detail.activity': 'Activity',
    'detail.live': 'Updated live',
    'detail.noActivity': 'No activity yet.',
    'detail.revoke': 'Revoke the links',
    'detail.revokeText': 'Nobody will be able to download these files any more, at once. This cannot be undone.',
    'detail.revoked': 'This transfer’s links are revoked.',
    'detail.deleted': 'The files were deleted at the end of their retention.',
    'detail.message': 'Message',
    'detail.by': 'by {who}',
  },
});

export function Timeline({ events, files = [] }) {
  if (!events?.length) return <Empty>{t('detail.noActivity')}</Empty>;
  const fileName = (id) => files.find((f) => f.id === id)?.name;
  return (
    <ol class="timeline" aria-label={t('detail.activity')}>
      {[...events].reverse().map((e) => (
        <li key={e.id} data-action={e.action}>
          <time dateTime={e.at}>{formatDate(e.at)}</time>
          <strong>{eventText(e.action)}</strong>
          {e.file_id && fileName(e.file_id) && <span class="file-name">{fileName(e.file_id)}</span>}
          {e.recipient && <span>{t('detail.by', { who: e.recipient })}</span>}
          {e.ip && <span class="hint">{e.ip}</span>}
          {e.user_agent && <span class="hint" title={e.user_agent}>{e.user_agent.slice(0, 60)}</span>}
        </li>
      ))}
    </ol>
  );
}

export default function SentDetail({ params }) {
  const { data: tr, error: loadError, loading, reload } = useAsync(() => api('GET', `/api/v1/transfers/${encodeURIComponent(params.id)}`), [params.id]);
  useLiveEvents({ transfer_id: params.id }, () => reload());

  const back = <Link class="button button-secondary" href="/sent">{t('detail.back')}</Link>;
  if (!tr || loadError) return <Page title={t('detail.summary')} actions={back}><ListState state={{ data: tr, error: loadError, loading }} /></Page>;

  const revoke = async () => {
    await api('DELETE', `/api/v1/transfers/${encodeURIComponent(tr.id)}`);
    reload();
  };
  return (
    <Page title={transferTitle(tr)} actions={<>{back}{tr.state === 'active' && <ConfirmButton label={t('detail.revoke')} message={t('detail.revokeText')} onConfirm={revoke} />}</>}>
      {tr.state === 'revoked' && <Alert kind="warn">{t('detail.revoked')}</Alert>}
      {tr.files_deleted && <Alert kind="info">{t('detail.deleted')}</Alert>}
      <div class="grid-2">
        <section class="card">
          <h2>{t('detail.summary')}</h2>
          <dl class="meta">
            <dt>{t('detail.state')}</dt><dd><Badge kind={stateKind(tr.state)}>{stateText(tr.state)}</Badge></dd>
            <dt>{t('detail.created')}</dt><dd>{formatDate(tr.created_at)}</dd>
            <dt>{t('detail.expires')}</dt><dd>{formatDate(tr.expires_at)}</dd>
            <dt>{t('detail.protected')}</dt><dd>{tr.password_protected ? t('common.yes') : t('common.no')}</dd>
            <dt>{t('detail.limit')}</dt><dd>{tr.max_downloads ?? t('detail.unlimited')}</dd>
            <dt>{t('detail.recipients')}</dt><dd>{(tr.recipients || []).join(', ')}</dd>
          </dl>
          {tr.message && (<><h3>{t('detail.message')}</h3><p class="message-text">{tr.message}</p></>)}
        </section>
        <section class="card">
          <h2>{t('detail.files')}</h2>
          <DataTable rows={tr.files} columns={[
            { label: t('common.file'), class: 'file-name', cell: (f) => f.name },
            { label: t('common.size'), num: true, cell: (f) => formatBytes(f.size) },
            { label: t('detail.downloads'), num: true, cell: (f) => f.downloads },
          ]} />
        </section>
      </div>
      <section class="card">
        <div class="page-head"><h2>{t('detail.activity')}</h2><span class="badge badge-ok">{t('detail.live')}</span></div>
        <Timeline events={tr.events} files={tr.files} />
      </section>
    </Page>
  );
}
