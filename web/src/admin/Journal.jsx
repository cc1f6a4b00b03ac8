// The organisation's journal: what was done, by whom, when; filtered, page by page, exported as
// CSV by the server, and its chain of hashes checked on demand.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { formatDate, formatNumber } from '../format.js';
import { addStrings, t } from '../i18n.js';
import { Alert, DataTable, Field, ListState, Page, useAsync, useSubmit } from '../ui.jsx';
import AdminTabs, { adminError, Pager, useCursorPages } from './AdminTabs.jsx';

addStrings({
  fr: {
    'admin.journal.title': 'Journal',
    'admin.journal.intro': 'Chaque action sur votre organisation est inscrite au journal. Les entrées sont chaînées : une entrée modifiée ou supprimée se voit à la vérification.',
    'admin.journal.filters': 'Filtres',
    'admin.journal.action': 'Action',
    'admin.journal.actionHint': 'Exacte (user.created) ou un préfixe terminé par un point (user.).',
    'admin.journal.actor': 'Auteur',
    'admin.journal.actorHint': 'Adresse e-mail ou identifiant.',
    'admin.journal.from': 'Du',
    'admin.journal.to': 'Au',
    'admin.journal.apply': 'Filtrer',
    'admin.journal.reset': 'Effacer les filtres',
    'admin.journal.export': 'Exporter en CSV',
    'admin.journal.exportHint': 'Toutes les entrées répondant aux filtres, pas seulement cette page.',
    'admin.journal.verify': 'Vérifier',
    'admin.journal.verifyLabel': 'Vérifier l’intégrité du journal',
    'admin.journal.verifying': 'Vérification…',
    'admin.journal.valid': 'Journal intact : {n} entrées vérifiées, aucune n’a été modifiée ni supprimée.',
    'admin.journal.broken': 'Journal altéré à partir de l’entrée n° {id} : {n} entrées vérifiées.',
    'admin.journal.brokenNoId': 'Journal altéré : {n} entrées vérifiées.',
    'admin.journal.none': 'Aucune entrée.',
    'admin.journal.noMatch': 'Aucune entrée ne répond à ces filtres.',
    'admin.journal.at': 'Date',
    'admin.journal.object': 'Objet',
    'admin.journal.ip': 'Adresse IP',
    'admin.journal.details': 'Détails',
    'admin.journal.entry': 'N°',
    'admin.journal.actor.system': 'système',
    'admin.journal.entries': 'Entrées du journal',
  },
  en: {
    'admin.journal.title': 'Journal',
    'admin.journal.intro': 'Every action on your organisation is written to the journal. Entries are chained: a changed or removed entry shows when it is checked.',
    'admin.journal.filters': 'Filters',
    'admin.journal.action': 'Action',
    'admin.journal.actionHint': 'Exact (user.created) or a prefix ending with a dot (user.).',
    'admin.journal.actor': 'Actor',
    'admin.journal.actorHint': 'E-mail address or identifier.',
    'admin.journal.from': 'From',
    'admin.journal.to': 'To',
    'admin.journal.apply': 'Filter',
    'admin.journal.reset': 'Clear the filters',
    'admin.journal.export': 'Export as CSV',
    'admin.journal.exportHint': 'Every entry the filters match, not only this page.',
    'admin.journal.verify': 'Verify',
    'admin.journal.verifyLabel': 'Verify the integrity of the journal',
    'admin.journal.verifying': 'Verifying…',
    'admin.journal.valid': 'Journal intact: {n} entries checked, none was changed or removed.',
    'admin.journal.broken': 'Journal tampered with from entry no. {id}: {n} entries checked.',
    'admin.journal.brokenNoId': 'Journal tampered with: {n} entries checked.',
    'admin.journal.none': 'No entries.',
    'admin.journal.noMatch': 'No entry matches these filters.',
    'admin.journal.at': 'Date',
    'admin.journal.object': 'Object',
    'admin.journal.ip': 'IP address',
    'admin.journal.details': 'Details',
    'admin.journal.entry': 'No.',
    'admin.journal.actor.system': 'system',
    'admin.journal.entries': 'Journal entries',
  },
});

const PAGE_SIZE = 50;
const empty = { action: '', actor: '', from: '', to: '' };

/** The query parameters of the filters: dates are whole local days. */
function filterParams(f) {
  const p = new URLSearchParams();
  if (f.action.trim()) p.set('action', f.action.trim());
  if (f.actor.trim()) p.set('actor', f.actor.trim());
  if (f.from) p.set('from', new Date(`${f.from}T00:00:00`).toISOString());
  if (f.to) p.set('to', new Date(`${f.to}T23:59:59.999`).toISOString());
  return p;
}

function Details({ value }) {
  if (value == null || value === '') return '—';
  if (typeof value !== 'object') return <span>{String(value)}</span>;
  const entries = Object.entries(value);
  if (!entries.length) return '—';
  return (
    <dl class="details">
      {entries.map(([k, v]) => (
        <div key={k}><dt>{k}</dt><dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd></div>
      ))}
    </dl>
  );
}

function actorText(a) {
  if (!a) return '—';
  if (a.email) return a.email;
  if (a.type === 'system') return `${t('admin.journal.actor.system')}${a.id ? ` (${a.id})` : ''}`;
  return a.id || a.type || '—';
}

function Verify() {
  const [r, setResult] = useState(null);
  const verify = useSubmit(async () => {
    setResult(null);
    setResult(await api('GET', '/api/v1/admin/journal/verify'));
  });
  return (
    <div class="stack verify">
      <div class="actions">
        <button type="button" class="button" onClick={verify.submit} disabled={verify.busy} aria-describedby="journal-verify-label">
          {verify.busy ? t('admin.journal.verifying') : t('admin.journal.verify')}
        </button>
      </div>
      <span id="journal-verify-label" class="visually-hidden">{t('admin.journal.verifyLabel')}</span>
      <div aria-live="polite">
        <Alert>{adminError(verify.error)}</Alert>
        {r && r.ok && <Alert kind="ok">{t('admin.journal.valid', { n: formatNumber(r.entries_checked) })}</Alert>}
        {r && !r.ok && (
          <Alert>
            {r.first_bad_entry_id
              ? t('admin.journal.broken', { id: r.first_bad_entry_id, n: formatNumber(r.entries_checked) })
              : t('admin.journal.brokenNoId', { n: formatNumber(r.entries_checked) })}
            {r.problem ? <> {r.problem}</> : null}
          </Alert>
        )}
      </div>
    </div>
  );
}

export default function Journal() {
  const [form, setForm] = useState(empty);
  const [filters, setFilters] = useState(empty);
  const pages = useCursorPages();
  const list = useAsync(() => {
    const p = filterParams(filters);
    p.set('limit', String(PAGE_SIZE));
    if (pages.cursor) p.set('cursor', pages.cursor);
    return api('GET', `/api/v1/admin/journal?${p}`);
  }, [filters, pages.cursor]);
  const set = (k) => (e) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const apply = (e) => {
    e.preventDefault();
    setFilters({ ...form });
    pages.reset();
  };
  const reset = () => { setForm(empty); setFilters(empty); pages.reset(); };
  const filtered = Object.values(filters).some(Boolean);
  const csv = filterParams(filters);
  csv.set('format', 'csv');
  const items = list.data?.items || [];

  return (
    <Page title={t('admin.journal.title')}>
      <AdminTabs />
      <p class="hint">{t('admin.journal.intro')}</p>
      <Verify />
      <form class="card stack" onSubmit={apply} aria-labelledby="journal-filters">
        <h2 id="journal-filters">{t('admin.journal.filters')}</h2>
        <div class="row">
          <Field label={t('admin.journal.action')} hint={t('admin.journal.actionHint')} value={form.action}
            maxLength={100} spellcheck={false} onInput={set('action')} />
          <Field label={t('admin.journal.actor')} hint={t('admin.journal.actorHint')} value={form.actor}
            maxLength={320} spellcheck={false} onInput={set('actor')} />
        </div>
        <div class="row">
          <Field label={t('admin.journal.from')} type="date" value={form.from} max={form.to || undefined} onInput={set('from')} />
          <Field label={t('admin.journal.to')} type="date" value={form.to} min={form.from || undefined} onInput={set('to')} />
        </div>
        <div class="actions">
          {filtered && <button type="button" class="button button-secondary" onClick={reset}>{t('admin.journal.reset')}</button>}
          <button type="submit" class="button">{t('admin.journal.apply')}</button>
        </div>
      </form>

      <div class="page-head">
        <h2>{t('admin.journal.entries')}</h2>
        <div class="page-actions">
          <a class="button button-secondary" href={`/api/v1/admin/journal?${csv}`} download="journal.csv"
            title={t('admin.journal.exportHint')}>{t('admin.journal.export')}</a>
        </div>
      </div>
      <ListState state={list} formatError={adminError} isEmpty={!items.length}
        empty={filtered ? t('admin.journal.noMatch') : t('admin.journal.none')}>
        <DataTable class="admin-table journal" busy={list.loading} rows={items} columns={[
          { label: t('admin.journal.entry'), num: true, cell: (e) => e.id },
          { label: t('admin.journal.at'), cell: (e) => <time datetime={e.at}>{formatDate(e.at)}</time> },
          { label: t('admin.journal.actor'), cell: (e) => actorText(e.actor) },
          { label: t('admin.journal.action'), cell: (e) => <code>{e.action}</code> },
          { label: t('admin.journal.object'), cell: (e) => (e.object?.type ? <>{e.object.type} <code>{e.object.id}</code></> : '—') },
          { label: t('admin.journal.ip'), cell: (e) => e.ip || '—' },
          { label: t('admin.journal.details'), cell: (e) => <Details value={e.details} /> },
        ]} />
      </ListState>
      <Pager pages={pages} nextCursor={list.data?.next_cursor} />
    </Page>
  );
}
