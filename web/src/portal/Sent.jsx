// My transfers, newest first.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { formatBytes, formatShortDate } from '../format.js';
import { Alert, Badge, DataTable, Empty, errorText, Link, ListState, Page, useAsync } from '../ui.jsx';
import { stateKind, stateText } from './tracking.js';

addStrings({
  fr: {
    'sent.title': 'Mes envois',
    'sent.new': 'Nouvel envoi',
    'sent.empty': 'Vous n’avez encore rien envoyé.',
    'sent.what': 'Envoi',
    'sent.to': 'Destinataires',
    'sent.when': 'Envoyé le',
    'sent.expires': 'Expire le',
    'sent.files': '{n} fichier(s), {size}',
  },
  en: {
    'sent.title': 'Sent',
    'sent.new': 'New transfer',
    'sent.empty': 'You have not sent anything yet.',
    'sent.what': 'Transfer',
    'sent.to': 'Recipients',
    'sent.when': 'Sent',
    'sent.expires': 'Expires',
    'sent.files': '{n} file(s), {size}',
  },
});

export function transferTitle(tr) {
  return tr.subject || (tr.files || []).map((f) => f.name).join(', ') || tr.id;
}

export default function Sent() {
  const [extra, setExtra] = useState({ items: [], cursor: null, error: null });
  const first = useAsync(() => api('GET', '/api/v1/transfers?limit=50'), []);
  const more = async () => {
    try {
      const page = await api('GET', `/api/v1/transfers?limit=50&cursor=${encodeURIComponent(extra.cursor || first.data.next_cursor)}`);
      setExtra({ items: [...extra.items, ...page.items], cursor: page.next_cursor || '', error: null });
    } catch (e) {
      setExtra({ ...extra, error: e });
    }
  };
  const actions = <Link class="button" href="/send">{t('sent.new')}</Link>;
  if (!first.data) return <Page title={t('sent.title')} actions={actions}><ListState state={first} /></Page>;
  const items = [...first.data.items, ...extra.items];
  const cursor = extra.cursor === null ? first.data.next_cursor : extra.cursor;
  return (
    <Page title={t('sent.title')} actions={actions}>
      {items.length === 0 ? <Empty>{t('sent.empty')}</Empty> : (
        <DataTable rows={items} columns={[
          { label: t('sent.what'), cell: (tr) => (
            <>
              <Link href={`/sent/${tr.id}`}>{transferTitle(tr)}</Link>
              <div class="hint">{t('sent.files', { n: tr.files?.length ?? tr.file_count ?? 0, size: formatBytes(tr.total_bytes) })}</div>
            </>
          ) },
          { label: t('sent.to'), cell: (tr) => (tr.recipients || []).join(', ') },
          { label: t('sent.when'), cell: (tr) => formatShortDate(tr.created_at) },
          { label: t('sent.expires'), cell: (tr) => formatShortDate(tr.expires_at) },
          { label: t('common.state'), cell: (tr) => <Badge kind={stateKind(tr.state)}>{stateText(tr.state)}</Badge> },
        ]} />
      )}
      <Alert>{errorText(extra.error)}</Alert>
      {cursor && <div class="actions"><button type="button" class="button button-secondary" onClick={more}>{t('common.more')}</button></div>}
    </Page>
  );
}
