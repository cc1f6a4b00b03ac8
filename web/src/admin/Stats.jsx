// Statistics of the organisation: volume and transfers over time, file types, top senders (from
// the wesend module), and usage against the plan's licences and storage quota. Chart.js loads
// only here; every chart has its figures in a table too.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { formatBytes, formatDate, formatNumber, formatPercent } from '../format.js';
import { addStrings, language, locale, t } from '../i18n.js';
import { useSignal } from '../state.js';
import { Alert, Empty, Field, ListState, Page, Spinner, useAsync } from '../ui.jsx';
import AdminTabs, { adminError } from './AdminTabs.jsx';

addStrings({
  fr: {
    'admin.stats.title': 'Statistiques',
    'admin.stats.usage': 'Consommation',
    'admin.stats.licences': 'Licences',
    'admin.stats.licencesText': '{used} sur {total} licences utilisées ({percent})',
    'admin.stats.storage': 'Stockage',
    'admin.stats.storageText': '{used} sur {total} ({percent})',
    'admin.stats.storageUnlimited': '{used} utilisés, sans limite',
    'admin.stats.last30': 'Sur les 30 derniers jours',
    'admin.stats.transfers30': 'Envois',
    'admin.stats.bytes30': 'Volume envoyé',
    'admin.stats.period': 'Période',
    'admin.stats.from': 'Du',
    'admin.stats.to': 'Au',
    'admin.stats.granularity': 'Regrouper par',
    'admin.stats.g.day': 'jour',
    'admin.stats.g.week': 'semaine',
    'admin.stats.g.month': 'mois',
    'admin.stats.show': 'Afficher',
    'admin.stats.range': 'Du {from} au {to}',
    'admin.stats.totals': 'Total de la période',
    'admin.stats.transfers': 'Envois',
    'admin.stats.files': 'Fichiers',
    'admin.stats.bytesSent': 'Volume envoyé',
    'admin.stats.downloads': 'Téléchargements',
    'admin.stats.bytesDownloaded': 'Volume téléchargé',
    'admin.stats.uploads': 'Dépôts reçus',
    'admin.stats.volumeTitle': 'Volume dans le temps',
    'admin.stats.activityTitle': 'Envois dans le temps',
    'admin.stats.typesTitle': 'Types de fichiers',
    'admin.stats.sendersTitle': 'Principaux expéditeurs',
    'admin.stats.type': 'Type',
    'admin.stats.sender': 'Expéditeur',
    'admin.stats.others': 'Autres',
    'admin.stats.unknownType': 'inconnu',
    'admin.stats.removedUser': 'compte supprimé',
    'admin.stats.data': 'Données du graphique',
    'admin.stats.noTypes': 'Aucun fichier envoyé sur la période.',
    'admin.stats.noSenders': 'Aucun envoi sur la période.',
    'admin.stats.week': 'sem. {w}',
    'admin.stats.weekLong': 'semaine {w} de {y}',
    'admin.stats.sumVolume': 'Graphique en barres du volume envoyé et téléchargé par {g}, {range}. Envoyé : {sent} au total, au plus {max} ({maxAt}). Téléchargé : {down} au total.',
    'admin.stats.sumActivity': 'Graphique en courbes des envois, téléchargements et dépôts par {g}, {range} : {transfers} envois, {downloads} téléchargements, {uploads} dépôts reçus.',
    'admin.stats.sumTypes': 'Graphique en anneau du volume par type de fichier : {list}.',
    'admin.stats.sumSenders': 'Graphique en barres du volume envoyé par expéditeur : {list}.',
    'admin.stats.invalidRange': 'La date de début doit précéder la date de fin.',
  },
  en: {
    'admin.stats.title': 'Statistics',
    'admin.stats.usage': 'Usage',
    'admin.stats.licences': 'Licences',
    'admin.stats.licencesText': '{used} of {total} licences in use ({percent})',
    'admin.stats.storage': 'Storage',
    'admin.stats.storageText': '{used} of {total} ({percent})',
    'admin.stats.storageUnlimited': '{used} used, no limit',
    'admin.stats.last30': 'Over the last 30 days',
    'admin.stats.transfers30': 'Transfers',
    'admin.stats.bytes30': 'Volume sent',
    'admin.stats.period': 'Period',
    'admin.stats.from': 'From',
    'admin.stats.to': 'To',
    'admin.stats.granularity': 'Group by',
    'admin.stats.g.day': 'day',
    'admin.stats.g.week': 'week',
    'admin.stats.g.month': 'month',
    'admin.stats.show': 'Show',
    'admin.stats.range': 'From {from} to {to}',
    'admin.stats.totals': 'Totals of the period',
    'admin.stats.transfers': 'Transfers',
    'admin.stats.files': 'Files',
    'admin.stats.bytesSent': 'Volume sent',
    'admin.stats.downloads': 'Downloads',
    'admin.stats.bytesDownloaded': 'Volume downloaded',
    'admin.stats.uploads': 'Deposits received',
    'admin.stats.volumeTitle': 'Volume over time',
    'admin.stats.activityTitle': 'Transfers over time',
    'admin.stats.typesTitle': 'File types',
    'admin.stats.sendersTitle': 'Top senders',
    'admin.stats.type': 'Type',
    'admin.stats.sender': 'Sender',
    'admin.stats.others': 'Others',
    'admin.stats.unknownType': 'unknown',
    'admin.stats.removedUser': 'deleted account',
    'admin.stats.data': 'Chart data',
    'admin.stats.noTypes': 'No files sent in the period.',
    'admin.stats.noSenders': 'Nothing sent in the period.',
    'admin.stats.week': 'wk {w}',
    'admin.stats.weekLong': 'week {w} of {y}',
    'admin.stats.sumVolume': 'Bar chart of the volume sent and downloaded per {g}, {range}. Sent: {sent} in all, at most {max} ({maxAt}). Downloaded: {down} in all.',
    'admin.stats.sumActivity': 'Line chart of transfers, downloads and deposits per {g}, {range}: {transfers} transfers, {downloads} downloads, {uploads} deposits received.',
    'admin.stats.sumTypes': 'Doughnut chart of the volume per file type: {list}.',
    'admin.stats.sumSenders': 'Bar chart of the volume sent per sender: {list}.',
    'admin.stats.invalidRange': 'The start date must come before the end date.',
  },
});

// --- Chart.js, loaded on first use ------------------------------------------------------------
let chartLib = null;
function loadChart() {
  if (!chartLib) {
    chartLib = import('chart.js/auto').then((m) => {
      const Chart = m.default;
      const css = getComputedStyle(document.documentElement);
      Chart.defaults.font.family = css.getPropertyValue('--font').trim() || Chart.defaults.font.family;
      Chart.defaults.color = css.getPropertyValue('--muted').trim() || '#475569';
      return Chart;
    });
    chartLib.catch(() => { chartLib = null; });
  }
  return chartLib;
}

const reducedMotion = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

/** A chart on a canvas; `label` is its text alternative, `children` its data as a table. */
function Chart({ config, label, children }) {
  const canvas = useRef(null);
  const [failed, setFailed] = useState(null);
  useEffect(() => {
    let chart = null;
    let live = true;
    loadChart().then((ChartJs) => {
      if (!live || !canvas.current) return;
      chart = new ChartJs(canvas.current, {
        ...config,
        options: { responsive: true, maintainAspectRatio: false, animation: reducedMotion() ? false : { duration: 300 }, ...config.options },
      });
    }, setFailed);
    return () => { live = false; chart?.destroy(); };
  }, [config]);
  return (
    <figure class="chart">
      {failed ? <Alert>{adminError(failed)}</Alert> : (
        <div class="chart-box">
          <canvas ref={canvas} role="img" aria-label={label}>{label}</canvas>
        </div>
      )}
      <details class="chart-data">
        <summary>{t('admin.stats.data')}</summary>
        <div class="table-wrap">{children}</div>
      </details>
    </figure>
  );
}

/**
 * The figures of a chart: `columns` [{ label, cell }], the first of which heads each row, the
 * others numbers; `empty` fills a row when there are none.
 */
function ChartTable({ columns, rows, rowKey, empty }) {
  const [head, ...figures] = columns;
  return (
    <table class="admin-table">
      <thead><tr>
        {columns.map((c, i) => <th key={i} scope="col" class={i ? 'num' : undefined}>{c.label}</th>)}
      </tr></thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            <th scope="row">{head.cell(row)}</th>
            {figures.map((c, i) => <td key={i} class="num">{c.cell(row)}</td>)}
          </tr>
        ))}
        {!rows.length && empty && <tr><td colSpan={columns.length}>{empty}</td></tr>}
      </tbody>
    </table>
  );
}

/** A card with its heading and a chart with its table, or `empty` when there is nothing to draw. */
function ChartCard({ id, title, empty, config, label, table }) {
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {empty ? <Empty>{empty}</Empty> : <Chart config={config} label={label}><ChartTable {...table} /></Chart>}
    </section>
  );
}

// --- Periods ------------------------------------------------------------------------------------
const DAY = 86400000;
const dayMs = (d) => Date.parse(`${d}T00:00:00Z`);
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

function isoWeek(ms) {
  const d = new Date(ms);
  const weekday = d.getUTCDay() || 7;
  const thursday = new Date(ms + (4 - weekday) * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.ceil(((thursday - Date.UTC(year, 0, 1)) / DAY + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The period key of a day, as the server groups them (Statistics.cpp periodOf). */
function periodOf(ms, granularity) {
  if (granularity === 'month') return isoDay(ms).slice(0, 7);
  if (granularity === 'week') return isoWeek(ms);
  return isoDay(ms);
}

/** Every period from `from` to `to`, the missing ones with zeros. */
export function fillSeries(stats) {
  const byPeriod = new Map((stats.series || []).map((s) => [s.period, s]));
  const out = [];
  const seen = new Set();
  const end = dayMs(stats.to);
  for (let ms = dayMs(stats.from); ms <= end && out.length < 4000; ms += DAY) {
    const p = periodOf(ms, stats.granularity);
    if (seen.has(p)) continue;
    seen.add(p);
    out.push(byPeriod.get(p) || { period: p, transfers: 0, files: 0, bytes_sent: 0, downloads: 0, bytes_downloaded: 0, uploads_received: 0 });
  }
  // Periods the server has that the walk did not produce (should not happen) are kept too.
  for (const s of stats.series || []) if (!seen.has(s.period)) out.push(s);
  return out;
}

function periodLabel(period, granularity, long = false) {
  if (granularity === 'week') {
    const [y, w] = period.split('-W');
    return long ? t('admin.stats.weekLong', { w: Number(w), y }) : t('admin.stats.week', { w: Number(w) });
  }
  if (granularity === 'month') {
    const d = new Date(`${period}-01T12:00:00Z`);
    return new Intl.DateTimeFormat(locale(), { month: long ? 'long' : 'short', year: 'numeric', timeZone: 'UTC' }).format(d);
  }
  const d = new Date(`${period}T12:00:00Z`);
  return long
    ? new Intl.DateTimeFormat(locale(), { dateStyle: 'long', timeZone: 'UTC' }).format(d)
    : new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(d);
}

// "Label : value" in French, "Label: value" in English.
const colon = () => (language.get() === 'fr' ? '\u00a0: ' : ': ');
const sum = (list, k) => list.reduce((n, x) => n + (x[k] || 0), 0);

function brand() {
  const css = getComputedStyle(document.documentElement);
  return css.getPropertyValue('--brand-primary').trim() || '#1d4ed8';
}
// Distinct colours, readable on white, for the series and the slices.
const PALETTE = ['#1d4ed8', '#b45309', '#047857', '#7c3aed', '#be123c', '#0e7490', '#4d7c0f', '#a21caf', '#475569'];

// --- Usage --------------------------------------------------------------------------------------
function UsageBar({ used, total, label, text }) {
  const ratio = total > 0 ? used / total : 0;
  return (
    <div class="usage-item">
      <div class="usage-head"><strong>{label}</strong> <span>{text}</span></div>
      <div class={ratio > 1 ? 'bar over' : 'bar'} role="meter" aria-label={label} aria-valuemin={0}
        aria-valuemax={total} aria-valuenow={Math.min(used, total)} aria-valuetext={text}>
        <span style={{ width: `${Math.min(100, Math.round(ratio * 1000) / 10)}%` }} />
      </div>
    </div>
  );
}

function Usage() {
  const usage = useAsync(() => api('GET', '/api/v1/admin/usage'), []);
  const u = usage.data;
  return (
    <section class="card stack" aria-labelledby="stats-usage">
      <h2 id="stats-usage">{t('admin.stats.usage')}</h2>
      <ListState state={usage} formatError={adminError}>
        {u && (
          <>
            <UsageBar label={t('admin.stats.licences')} used={u.users} total={u.licences}
              text={t('admin.stats.licencesText', {
                used: formatNumber(u.users), total: formatNumber(u.licences),
                percent: formatPercent(u.licences ? u.users / u.licences : 0),
              })} />
            {u.storage_bytes_quota != null ? (
              <UsageBar label={t('admin.stats.storage')} used={u.storage_bytes_used} total={u.storage_bytes_quota}
                text={t('admin.stats.storageText', {
                  used: formatBytes(u.storage_bytes_used), total: formatBytes(u.storage_bytes_quota),
                  percent: formatPercent(u.storage_bytes_quota ? u.storage_bytes_used / u.storage_bytes_quota : 0),
                })} />
            ) : (
              <p><strong>{t('admin.stats.storage')}</strong> {t('admin.stats.storageUnlimited', { used: formatBytes(u.storage_bytes_used) })}</p>
            )}
            <h3>{t('admin.stats.last30')}</h3>
            <dl class="meta">
              <dt>{t('admin.stats.transfers30')}</dt><dd>{formatNumber(u.transfers_30d)}</dd>
              <dt>{t('admin.stats.bytes30')}</dt><dd>{formatBytes(u.bytes_sent_30d)}</dd>
            </dl>
          </>
        )}
      </ListState>
    </section>
  );
}

// --- The charts ---------------------------------------------------------------------------------
function OverTime({ stats, lang }) {
  const series = useMemo(() => fillSeries(stats), [stats]);
  const g = stats.granularity;
  const labels = series.map((s) => periodLabel(s.period, g));
  const range = t('admin.stats.range', { from: formatDate(`${stats.from}T12:00:00Z`, false), to: formatDate(`${stats.to}T12:00:00Z`, false) });
  const gName = t('admin.stats.g.' + g);
  const peak = series.reduce((best, s) => (s.bytes_sent > (best?.bytes_sent ?? -1) ? s : best), null);

  const volume = useMemo(() => ({
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: t('admin.stats.bytesSent'), data: series.map((s) => s.bytes_sent), backgroundColor: brand() },
        { label: t('admin.stats.bytesDownloaded'), data: series.map((s) => s.bytes_downloaded), backgroundColor: PALETTE[1] },
      ],
    },
    options: {
      scales: { y: { beginAtZero: true, ticks: { callback: (v) => formatBytes(v) } } },
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}${colon()}${formatBytes(c.parsed.y)}` } } },
    },
  }), [series, lang]);

  const activity = useMemo(() => ({
    type: 'line',
    data: {
      labels,
      datasets: [
        { label: t('admin.stats.transfers'), data: series.map((s) => s.transfers), borderColor: brand(), backgroundColor: brand(), tension: 0.2 },
        { label: t('admin.stats.downloads'), data: series.map((s) => s.downloads), borderColor: PALETTE[1], backgroundColor: PALETTE[1], tension: 0.2 },
        { label: t('admin.stats.uploads'), data: series.map((s) => s.uploads_received), borderColor: PALETTE[2], backgroundColor: PALETTE[2], tension: 0.2 },
      ],
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0, callback: (v) => formatNumber(v) } } } },
  }), [series, lang]);

  const volumeLabel = t('admin.stats.sumVolume', {
    g: gName, range, sent: formatBytes(sum(series, 'bytes_sent')), down: formatBytes(sum(series, 'bytes_downloaded')),
    max: formatBytes(peak?.bytes_sent || 0), maxAt: peak ? periodLabel(peak.period, g, true) : '—',
  });
  const activityLabel = t('admin.stats.sumActivity', {
    g: gName, range, transfers: formatNumber(sum(series, 'transfers')), downloads: formatNumber(sum(series, 'downloads')),
    uploads: formatNumber(sum(series, 'uploads_received')),
  });
  // The tables list only the periods with activity, not hundreds of empty days.
  const active = series.filter((s) => s.transfers || s.files || s.bytes_sent || s.downloads || s.bytes_downloaded || s.uploads_received);
  const period = { label: t('admin.stats.period'), cell: (s) => periodLabel(s.period, g, true) };
  const rows = { rows: active, rowKey: (s) => s.period, empty: t('admin.stats.noSenders') };
  return (
    <div class="grid-2">
      <ChartCard id="stats-volume" title={t('admin.stats.volumeTitle')} config={volume} label={volumeLabel} table={{
        ...rows, columns: [
          period,
          { label: t('admin.stats.bytesSent'), cell: (s) => formatBytes(s.bytes_sent) },
          { label: t('admin.stats.bytesDownloaded'), cell: (s) => formatBytes(s.bytes_downloaded) },
        ],
      }} />
      <ChartCard id="stats-activity" title={t('admin.stats.activityTitle')} config={activity} label={activityLabel} table={{
        ...rows, columns: [
          period,
          { label: t('admin.stats.transfers'), cell: (s) => formatNumber(s.transfers) },
          { label: t('admin.stats.files'), cell: (s) => formatNumber(s.files) },
          { label: t('admin.stats.downloads'), cell: (s) => formatNumber(s.downloads) },
          { label: t('admin.stats.uploads'), cell: (s) => formatNumber(s.uploads_received) },
        ],
      }} />
    </div>
  );
}

function FileTypes({ types, lang }) {
  const top = types.slice(0, 8);
  const rest = types.slice(8);
  const slices = rest.length
    ? [...top, { type: t('admin.stats.others'), files: sum(rest, 'files'), bytes: sum(rest, 'bytes') }]
    : top;
  const name = (x) => x.type || t('admin.stats.unknownType');
  const config = useMemo(() => ({
    type: 'doughnut',
    data: {
      labels: slices.map(name),
      datasets: [{ label: t('admin.stats.bytesSent'), data: slices.map((x) => x.bytes), backgroundColor: slices.map((_, i) => PALETTE[i % PALETTE.length]) }],
    },
    options: {
      plugins: {
        legend: { position: 'right' },
        tooltip: { callbacks: { label: (c) => `${c.label}${colon()}${formatBytes(c.parsed)}` } },
      },
    },
  }), [types, lang]);
  const total = sum(types, 'bytes');
  const label = t('admin.stats.sumTypes', {
    list: slices.map((x) => `${name(x)} ${formatBytes(x.bytes)} (${formatPercent(total ? x.bytes / total : 0)})`).join(', '),
  });
  return (
    <ChartCard id="stats-types" title={t('admin.stats.typesTitle')} empty={!types.length && t('admin.stats.noTypes')}
      config={config} label={label} table={{
        rows: types, rowKey: (x) => x.type, columns: [
          { label: t('admin.stats.type'), cell: (x) => <code>{name(x)}</code> },
          { label: t('admin.stats.files'), cell: (x) => formatNumber(x.files) },
          { label: t('admin.stats.bytesSent'), cell: (x) => formatBytes(x.bytes) },
        ],
      }} />
  );
}

function TopSenders({ senders, lang }) {
  const name = (s) => s.name || s.email || t('admin.stats.removedUser');
  const config = useMemo(() => ({
    type: 'bar',
    data: {
      labels: senders.map(name),
      datasets: [{ label: t('admin.stats.bytesSent'), data: senders.map((s) => s.bytes_sent), backgroundColor: brand() }],
    },
    options: {
      indexAxis: 'y',
      scales: { x: { beginAtZero: true, ticks: { callback: (v) => formatBytes(v) } } },
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => formatBytes(c.parsed.x) } } },
    },
  }), [senders, lang]);
  const label = t('admin.stats.sumSenders', {
    list: senders.map((s) => `${name(s)} ${formatBytes(s.bytes_sent)}`).join(', '),
  });
  return (
    <ChartCard id="stats-senders" title={t('admin.stats.sendersTitle')} empty={!senders.length && t('admin.stats.noSenders')}
      config={config} label={label} table={{
        rows: senders, rowKey: (s) => s.user_id, columns: [
          { label: t('admin.stats.sender'), cell: (s) => <>{name(s)}{s.name && s.email ? <span class="hint"> {s.email}</span> : null}</> },
          { label: t('admin.stats.transfers'), cell: (s) => formatNumber(s.transfers) },
          { label: t('admin.stats.bytesSent'), cell: (s) => formatBytes(s.bytes_sent) },
        ],
      }} />
  );
}

export default function Stats() {
  const lang = useSignal(language);
  const [form, setForm] = useState({ from: '', to: '', granularity: 'day' });
  const [query, setQuery] = useState({ from: '', to: '', granularity: 'day' });
  const [formError, setFormError] = useState('');
  const stats = useAsync(() => {
    const p = new URLSearchParams({ granularity: query.granularity });
    if (query.from) p.set('from', query.from);
    if (query.to) p.set('to', query.to);
    return api('GET', `/api/v1/admin/stats?${p}`);
  }, [query]);
  // The server's default period fills the empty date fields.
  useEffect(() => {
    if (stats.data) setForm((f) => ({ ...f, from: f.from || stats.data.from, to: f.to || stats.data.to }));
  }, [stats.data]);

  const set = (k) => (e) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = (e) => {
    e.preventDefault();
    if (form.from && form.to && form.from > form.to) {
      setFormError(t('admin.stats.invalidRange'));
      return;
    }
    setFormError('');
    setQuery({ ...form });
  };
  const s = stats.data;
  const series = s?.series || [];
  return (
    <Page title={t('admin.stats.title')}>
      <AdminTabs />
      <Usage />
      <form class="card stack" onSubmit={submit} noValidate aria-labelledby="stats-period">
        <h2 id="stats-period">{t('admin.stats.period')}</h2>
        <div class="row">
          <Field label={t('admin.stats.from')} type="date" value={form.from} max={form.to || undefined} onInput={set('from')}
            error={formError || undefined} />
          <Field label={t('admin.stats.to')} type="date" value={form.to} min={form.from || undefined} onInput={set('to')} />
          <Field as="select" label={t('admin.stats.granularity')} value={form.granularity} onChange={set('granularity')}>
            <option value="day">{t('admin.stats.g.day')}</option>
            <option value="week">{t('admin.stats.g.week')}</option>
            <option value="month">{t('admin.stats.g.month')}</option>
          </Field>
          <div class="actions"><button type="submit" class="button">{t('admin.stats.show')}</button></div>
        </div>
      </form>
      {stats.error && <Alert kind={stats.error.code === 'module_disabled' ? 'info' : 'error'}>{adminError(stats.error)}</Alert>}
      {stats.loading && !s && <Spinner />}
      {s && (
        <div aria-busy={stats.loading ? 'true' : undefined}>
          <section class="card" aria-labelledby="stats-totals">
            <h2 id="stats-totals">{t('admin.stats.totals')}</h2>
            <p class="hint">{t('admin.stats.range', { from: formatDate(`${s.from}T12:00:00Z`, false), to: formatDate(`${s.to}T12:00:00Z`, false) })}</p>
            <dl class="meta">
              <dt>{t('admin.stats.transfers')}</dt><dd>{formatNumber(sum(series, 'transfers'))}</dd>
              <dt>{t('admin.stats.files')}</dt><dd>{formatNumber(sum(series, 'files'))}</dd>
              <dt>{t('admin.stats.bytesSent')}</dt><dd>{formatBytes(sum(series, 'bytes_sent'))}</dd>
              <dt>{t('admin.stats.downloads')}</dt><dd>{formatNumber(sum(series, 'downloads'))}</dd>
              <dt>{t('admin.stats.bytesDownloaded')}</dt><dd>{formatBytes(sum(series, 'bytes_downloaded'))}</dd>
              <dt>{t('admin.stats.uploads')}</dt><dd>{formatNumber(sum(series, 'uploads_received'))}</dd>
            </dl>
          </section>
          <OverTime stats={s} lang={lang} />
          <div class="grid-2">
            <FileTypes types={s.by_type || []} lang={lang} />
            <TopSenders senders={s.top_senders || []} lang={lang} />
          </div>
        </div>
      )}
    </Page>
  );
}
