// The organisation's users: search, list page by page, create (the server mails the invitation),
// edit, disable or enable, invite again, reset the second factor, delete, and import a CSV file
// with a report line by line.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, listAll } from '../api.js';
import { formatDate, formatNumber } from '../format.js';
import { addStrings, language, t } from '../i18n.js';
import { me } from '../session.js';
import { Alert, Badge, ConfirmButton, DataTable, Field, ListState, Page, useAsync, useSubmit } from '../ui.jsx';
import AdminTabs, { AdminForm, adminError, Pager, RowButton, useCursorPages, useListPage } from './AdminTabs.jsx';

addStrings({
  fr: {
    'admin.users.title': 'Utilisateurs',
    'admin.users.new': 'Nouvel utilisateur',
    'admin.users.import': 'Importer un fichier CSV',
    'admin.users.search': 'Rechercher',
    'admin.users.searchLabel': 'Nom ou adresse e-mail',
    'admin.users.searchHint': 'Une partie du nom ou de l’adresse suffit.',
    'admin.users.clear': 'Tout afficher',
    'admin.users.list': 'Liste des utilisateurs',
    'admin.users.none': 'Aucun utilisateur.',
    'admin.users.noMatch': 'Aucun utilisateur ne correspond à « {q} ».',
    'admin.users.role': 'Rôle',
    'admin.users.role.user': 'Utilisateur',
    'admin.users.role.tenant_admin': 'Administrateur',
    'admin.users.profile': 'Profil',
    'admin.users.noProfile': 'Aucun (toutes les fonctions)',
    'admin.users.language': 'Langue des messages',
    'admin.users.lang.fr': 'Français',
    'admin.users.lang.en': 'Anglais',
    'admin.users.lastLogin': 'Dernière connexion',
    'admin.users.state.active': 'Actif',
    'admin.users.state.invited': 'Invité',
    'admin.users.state.disabled': 'Désactivé',
    'admin.users.totp': 'Double authentification',
    'admin.users.totpOn': 'activée',
    'admin.users.you': '(vous)',
    'admin.users.edit': 'Modifier',
    'admin.users.editTitle': 'Modifier « {name} »',
    'admin.users.disable': 'Désactiver',
    'admin.users.enable': 'Réactiver',
    'admin.users.disabledField': 'Compte désactivé (l’utilisateur ne peut plus se connecter)',
    'admin.users.invite': 'Renvoyer l’invitation',
    'admin.users.invited': 'Une nouvelle invitation a été envoyée à {email}.',
    'admin.users.resetTotp': 'Réinitialiser la double authentification',
    'admin.users.resetTotpText': '{name} devra configurer de nouveau son application d’authentification à sa prochaine connexion. Ses sessions sont fermées.',
    'admin.users.totpReset': 'La double authentification de {email} est réinitialisée.',
    'admin.users.delete': 'Supprimer le compte',
    'admin.users.deleteText': 'Le compte de {email} sera supprimé définitivement.',
    'admin.users.deleted': 'Le compte de {email} est supprimé.',
    'admin.users.created': 'Le compte de {email} est créé ; une invitation lui a été envoyée par e-mail.',
    'admin.users.updated': 'Les modifications de {email} sont enregistrées.',
    'admin.users.disabledDone': 'Le compte de {email} est désactivé.',
    'admin.users.enabledDone': 'Le compte de {email} est réactivé.',
    'admin.users.createTitle': 'Nouvel utilisateur',
    'admin.users.createHint': 'Il recevra par e-mail une invitation pour choisir son mot de passe.',
    'admin.users.importTitle': 'Importer des utilisateurs',
    'admin.users.importFile': 'Fichier CSV',
    'admin.users.importHint': 'Première ligne : email,name,role,profile (ou courriel,nom,rôle,profil). Séparateur virgule ou point-virgule, encodage UTF-8. Rôle : user ou admin ; profil : le nom d’un profil existant. Un compte existant est mis à jour.',
    'admin.users.importSubmit': 'Importer',
    'admin.users.importChoose': 'Choisissez un fichier.',
    'admin.users.importing': 'Import en cours…',
    'admin.users.report': 'Rapport d’import',
    'admin.users.reportSummary': '{created} compte(s) créé(s), {updated} mis à jour, {skipped} inchangé(s), {errors} ligne(s) en erreur.',
    'admin.import.invalid_line': 'Ligne illisible (guillemets ou nombre de colonnes).',
    'admin.import.invalid_email': 'Adresse e-mail non valable : « {value} ».',
    'admin.import.unknown_role': 'Rôle inconnu : « {value} » (utilisateur ou administrateur).',
    'admin.import.unknown_profile': 'Aucun profil ne s’appelle « {value} ».',
    'admin.users.reportLine': 'Ligne',
    'admin.users.reportContent': 'Contenu',
    'admin.users.reportStatus': 'Statut',
    'admin.users.reportMessage': 'Message',
    'admin.users.reportOk': 'Importée',
    'admin.users.reportOkText': 'Compte créé, mis à jour ou inchangé',
    'admin.users.reportError': 'Erreur',
    'admin.users.reportCaption': 'Résultat de chaque ligne du fichier',
  },
  en: {
    'admin.users.title': 'Users',
    'admin.users.new': 'New user',
    'admin.users.import': 'Import a CSV file',
    'admin.users.search': 'Search',
    'admin.users.searchLabel': 'Name or e-mail address',
    'admin.users.searchHint': 'Part of the name or address is enough.',
    'admin.users.clear': 'Show all',
    'admin.users.list': 'User list',
    'admin.users.none': 'No users.',
    'admin.users.noMatch': 'No user matches “{q}”.',
    'admin.users.role': 'Role',
    'admin.users.role.user': 'User',
    'admin.users.role.tenant_admin': 'Administrator',
    'admin.users.profile': 'Profile',
    'admin.users.noProfile': 'None (every feature)',
    'admin.users.language': 'Language of messages',
    'admin.users.lang.fr': 'French',
    'admin.users.lang.en': 'English',
    'admin.users.lastLogin': 'Last login',
    'admin.users.state.active': 'Active',
    'admin.users.state.invited': 'Invited',
    'admin.users.state.disabled': 'Disabled',
    'admin.users.totp': 'Two-factor authentication',
    'admin.users.totpOn': 'on',
    'admin.users.you': '(you)',
    'admin.users.edit': 'Edit',
    'admin.users.editTitle': 'Edit “{name}”',
    'admin.users.disable': 'Disable',
    'admin.users.enable': 'Enable',
    'admin.users.disabledField': 'Account disabled (the user can no longer log in)',
    'admin.users.invite': 'Send the invitation again',
    'admin.users.invited': 'A new invitation was sent to {email}.',
    'admin.users.resetTotp': 'Reset two-factor authentication',
    'admin.users.resetTotpText': '{name} will set up their authenticator app again at their next login. Their sessions are closed.',
    'admin.users.totpReset': 'Two-factor authentication of {email} is reset.',
    'admin.users.delete': 'Delete the account',
    'admin.users.deleteText': 'The account of {email} will be deleted for good.',
    'admin.users.deleted': 'The account of {email} is deleted.',
    'admin.users.created': 'The account of {email} is created; an invitation was sent by e-mail.',
    'admin.users.updated': 'The changes to {email} are saved.',
    'admin.users.disabledDone': 'The account of {email} is disabled.',
    'admin.users.enabledDone': 'The account of {email} is enabled again.',
    'admin.users.createTitle': 'New user',
    'admin.users.createHint': 'They will receive an invitation by e-mail to choose their password.',
    'admin.users.importTitle': 'Import users',
    'admin.users.importFile': 'CSV file',
    'admin.users.importHint': 'First line: email,name,role,profile. Comma or semicolon separated, UTF-8. Role: user or admin; profile: the name of an existing profile. An existing account is updated.',
    'admin.users.importSubmit': 'Import',
    'admin.users.importChoose': 'Choose a file.',
    'admin.users.importing': 'Importing…',
    'admin.users.report': 'Import report',
    'admin.users.reportSummary': '{created} account(s) created, {updated} updated, {skipped} unchanged, {errors} line(s) in error.',
    'admin.import.invalid_line': 'Unreadable line (quotes or number of columns).',
    'admin.import.invalid_email': 'Not a valid e-mail address: “{value}”.',
    'admin.import.unknown_role': 'Unknown role: “{value}” (user or admin).',
    'admin.import.unknown_profile': 'No profile is named “{value}”.',
    'admin.users.reportLine': 'Line',
    'admin.users.reportContent': 'Content',
    'admin.users.reportStatus': 'Status',
    'admin.users.reportMessage': 'Message',
    'admin.users.reportOk': 'Imported',
    'admin.users.reportOkText': 'Account created, updated or unchanged',
    'admin.users.reportError': 'Error',
    'admin.users.reportCaption': 'Outcome of each line of the file',
  },
});

addStrings({
  fr: { 'admin.error.own_account': 'Pour votre propre compte, passez par « Mon compte ».' },
  en: { 'admin.error.own_account': 'For your own account, use “My account”.' },
});

const PAGE_SIZE = 25;
const stateKinds = { active: 'ok', invited: 'warn', disabled: 'danger' };

function roleName(role) { return t('admin.users.role.' + role); }
function stateName(state) {
  const key = 'admin.users.state.' + state;
  const text = t(key);
  return text === key ? state : text;
}

const lastLogin = (u) => (u.last_login_at ? formatDate(u.last_login_at) : t('common.never'));

/** The profile's name, for the list. */
function profileName(profiles, id) {
  if (!id) return '—';
  return profiles.find((p) => p.id === id)?.name || id;
}

/** A select whose choice goes to `onChange`; `options` are [value, text] pairs. */
function Choice({ label, value, onChange, options }) {
  return (
    <Field as="select" label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      {options.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
    </Field>
  );
}

function ProfileSelect({ profiles, value, onChange }) {
  return (
    <Choice label={t('admin.users.profile')} value={value || ''} onChange={onChange}
      options={[['', t('admin.users.noProfile')], ...profiles.map((p) => [p.id, p.name])]} />
  );
}

function RoleSelect({ value, onChange }) {
  return <Choice label={t('admin.users.role')} value={value} onChange={onChange} options={['user', 'tenant_admin'].map((r) => [r, roleName(r)])} />;
}

function LanguageSelect({ value, onChange }) {
  return (
    <Choice label={t('admin.users.language')} value={value} onChange={onChange}
      options={['fr', 'en'].map((l) => [l, t('admin.users.lang.' + l)])} />
  );
}

function CreateUser({ profiles, onDone, onCancel }) {
  const [form, setForm] = useState({ email: '', name: '', role: 'user', profile_id: '', language: language.get() });
  const set = (k) => (v) => setForm((f) => ({ ...f, [k]: v }));
  const submission = useSubmit(async () => {
    const body = { email: form.email.trim(), name: form.name.trim(), role: form.role, language: form.language };
    if (form.profile_id) body.profile_id = form.profile_id;
    const u = await api('POST', '/api/v1/admin/users', body);
    onDone(t('admin.users.created', { email: u.email }));
  });
  const fieldError = (name) => submission.error?.problem?.errors?.find((e) => e.field === name)?.message;
  return (
    <AdminForm title={t('admin.users.createTitle')} intro={<p class="hint">{t('admin.users.createHint')}</p>}
      form={submission} submitLabel={t('common.create')} onCancel={onCancel}>
      <div class="row">
        <Field label={t('common.email')} type="email" required autocomplete="off" value={form.email}
          onInput={(e) => set('email')(e.target.value)} error={fieldError('email')} />
        <Field label={t('common.name')} required value={form.name} onInput={(e) => set('name')(e.target.value)}
          error={fieldError('name')} />
      </div>
      <div class="row">
        <RoleSelect value={form.role} onChange={set('role')} />
        <ProfileSelect profiles={profiles} value={form.profile_id} onChange={set('profile_id')} />
        <LanguageSelect value={form.language} onChange={set('language')} />
      </div>
    </AdminForm>
  );
}

function EditUser({ user, profiles, self, onDone, onCancel }) {
  const [form, setForm] = useState({
    name: user.name, role: user.role, profile_id: user.profile_id || '', language: user.language || 'fr',
    disabled: user.state === 'disabled',
  });
  const set = (k) => (v) => setForm((f) => ({ ...f, [k]: v }));
  const id = encodeURIComponent(user.id);
  const submission = useSubmit(async () => {
    const body = { name: form.name.trim(), role: form.role, profile_id: form.profile_id || null, language: form.language };
    const wasDisabled = user.state === 'disabled';
    if (form.disabled !== wasDisabled) body.state = form.disabled ? 'disabled' : 'active';
    await api('PATCH', `/api/v1/admin/users/${id}`, body);
    onDone(t('admin.users.updated', { email: user.email }));
  });
  const invite = async () => {
    submission.setError(null);
    try {
      await api('POST', `/api/v1/admin/users/${id}/invitation`);
      onDone(t('admin.users.invited', { email: user.email }));
    } catch (err) {
      submission.setError(err);
    }
  };
  return (
    <AdminForm title={t('admin.users.editTitle', { name: user.name || user.email })} form={submission}
      submitLabel={t('common.save')} onCancel={onCancel} intro={
        <dl class="meta">
          <dt>{t('common.email')}</dt><dd>{user.email}</dd>
          <dt>{t('common.state')}</dt><dd><Badge kind={stateKinds[user.state]}>{stateName(user.state)}</Badge></dd>
          <dt>{t('common.created')}</dt><dd>{formatDate(user.created_at)}</dd>
          <dt>{t('admin.users.lastLogin')}</dt><dd>{lastLogin(user)}</dd>
          <dt>{t('admin.users.totp')}</dt><dd>{user.totp_enabled ? t('common.yes') : t('common.no')}</dd>
        </dl>
      }>
      <div class="row">
        <Field label={t('common.name')} required value={form.name} onInput={(e) => set('name')(e.target.value)} />
        <RoleSelect value={form.role} onChange={set('role')} />
      </div>
      <div class="row">
        <ProfileSelect profiles={profiles} value={form.profile_id} onChange={set('profile_id')} />
        <LanguageSelect value={form.language} onChange={set('language')} />
      </div>
      <Field type="checkbox" label={t('admin.users.disabledField')} checked={form.disabled} disabled={self}
        onChange={(e) => set('disabled')(e.target.checked)} />
      <div class="actions">
        {user.state === 'invited' && (
          <button type="button" class="button button-secondary" onClick={invite}>{t('admin.users.invite')}</button>
        )}
        {user.totp_enabled && !self && (
          <ConfirmButton label={t('admin.users.resetTotp')} class="button button-secondary"
            message={t('admin.users.resetTotpText', { name: user.name || user.email })}
            onConfirm={async () => {
              await api('POST', `/api/v1/admin/users/${id}/totp/reset`);
              onDone(t('admin.users.totpReset', { email: user.email }));
            }} />
        )}
        {!self && (
          <ConfirmButton label={t('admin.users.delete')} message={t('admin.users.deleteText', { email: user.email })}
            onConfirm={async () => {
              await api('DELETE', `/api/v1/admin/users/${id}`);
              onDone(t('admin.users.deleted', { email: user.email }));
            }} />
        )}
      </div>
    </AdminForm>
  );
}

/**
 * The lines of a CSV text where records begin (1-based, as the server counts them: CRLF, LF or
 * CR end a line; a line break inside quotes does not end the record), without blank lines; the
 * first is the header. Only for showing the report: the server does the real parsing.
 */
export function csvRecordLines(text) {
  const out = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let quoted = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!quoted && line.trim() !== '') out.push({ line: i + 1, text: line });
    for (const ch of line) if (ch === '"') quoted = !quoted;
  }
  return out;
}

/** A line's error in the page's language, from its stable code (the server's English otherwise). */
function importErrorText(e) {
  const key = 'admin.import.' + e.code;
  const text = t(key, { value: e.value ?? '' });
  if (text !== key) return text;
  const general = t('error.' + e.code);
  return general !== 'error.' + e.code ? general : e.message;
}

/** The rows of the import report: each line of the file read here, with the server's errors. */
function reportRows(report) {
  const rows = [];
  const errors = new Map();
  for (const e of report.result.errors || []) {
    if (!errors.has(e.line)) errors.set(e.line, []);
    errors.get(e.line).push(importErrorText(e));
  }
  const seen = new Set();
  for (const l of report.lines) {
    seen.add(l.line);
    rows.push({ line: l.line, text: l.text, messages: errors.get(l.line) || null });
  }
  // Errors on lines the local reading did not see (it is only an approximation).
  for (const [line, messages] of errors) if (!seen.has(line)) rows.push({ line, text: '', messages });
  return rows.sort((a, b) => a.line - b.line);
}

function ImportUsers({ onImported, onCancel }) {
  const [file, setFile] = useState(null);
  const [report, setReport] = useState(null);
  const reportHeading = useRef(null);
  useEffect(() => { if (report) reportHeading.current?.focus(); }, [report]);

  const submission = useSubmit(async () => {
    setReport(null);
    if (!file) throw new Error(t('admin.users.importChoose'));
    // The file goes as it is (the server checks its encoding); the text only labels the report.
    const result = await api('POST', '/api/v1/admin/users/import', file, { type: 'text/csv; charset=utf-8' });
    const text = new TextDecoder('utf-8').decode(await file.arrayBuffer());
    setReport({ result, lines: csvRecordLines(text).slice(1) });
    onImported();
  });

  const r = report?.result;
  const nErrors = r?.errors?.length || 0;

  return (
    <div class="card stack">
      <AdminForm class="stack" title={t('admin.users.importTitle')} form={submission} onCancel={onCancel}
        cancelLabel={t('common.close')} submitLabel={submission.busy ? t('admin.users.importing') : t('admin.users.importSubmit')}>
        <Field label={t('admin.users.importFile')} hint={t('admin.users.importHint')} type="file"
          accept=".csv,text/csv,text/plain" onChange={(e) => { setFile(e.target.files[0] || null); setReport(null); }} />
      </AdminForm>
      {report && (
        <section class="stack" aria-labelledby="import-report">
          <h3 id="import-report" tabIndex={-1} ref={reportHeading}>{t('admin.users.report')}</h3>
          <Alert kind={nErrors ? 'warn' : 'ok'}>
            {t('admin.users.reportSummary', {
              created: formatNumber(r.created), updated: formatNumber(r.updated), skipped: formatNumber(r.skipped),
              errors: formatNumber(nErrors),
            })}
          </Alert>
          <DataTable class="admin-table import-report" caption={t('admin.users.reportCaption')} rows={reportRows(report)}
            rowKey={(row) => row.line} columns={[
              { label: t('admin.users.reportLine'), num: true, cell: (row) => row.line },
              { label: t('admin.users.reportContent'), cell: (row) => <code>{row.text}</code> },
              { label: t('admin.users.reportStatus'), cell: (row) => (row.messages
                ? <Badge kind="danger">{t('admin.users.reportError')}</Badge>
                : <Badge kind="ok">{t('admin.users.reportOk')}</Badge>) },
              { label: t('admin.users.reportMessage'), cell: (row) => (row.messages ? row.messages.join(' ; ') : t('admin.users.reportOkText')) },
            ]} />
        </section>
      )}
    </div>
  );
}

export default function Users() {
  const user = me.get();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const pages = useCursorPages();
  const page = useListPage(); // panel: 'create' | 'import' | { user }
  const profiles = useAsync(() => listAll('/api/v1/admin/profiles'), []);
  const list = useAsync(() => {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (query) params.set('q', query);
    if (pages.cursor) params.set('cursor', pages.cursor);
    return api('GET', `/api/v1/admin/users?${params}`);
  }, [query, pages.cursor, page.tick]);
  const profileList = profiles.data || [];

  const search = (e) => {
    e.preventDefault();
    setQuery(q.trim());
    pages.reset();
  };
  const clear = () => { setQ(''); setQuery(''); pages.reset(); };
  const toggle = (u) => page.act('', async () => {
    const disable = u.state !== 'disabled';
    await api('PATCH', `/api/v1/admin/users/${encodeURIComponent(u.id)}`, { state: disable ? 'disabled' : 'active' });
    page.notify(t(disable ? 'admin.users.disabledDone' : 'admin.users.enabledDone', { email: u.email }));
  });

  const items = list.data?.items || [];
  return (
    <Page title={t('admin.users.title')} actions={
      <>
        <button type="button" class="button" onClick={() => page.open('create')}>{t('admin.users.new')}</button>
        <button type="button" class="button button-secondary" onClick={() => page.open('import')}>{t('admin.users.import')}</button>
      </>
    }>
      <AdminTabs />
      <Alert kind="ok">{page.notice}</Alert>
      <Alert>{adminError(page.error)}</Alert>
      {page.panel === 'create' && <CreateUser profiles={profileList} onDone={page.done} onCancel={page.close} />}
      {page.panel === 'import' && <ImportUsers onImported={page.refresh} onCancel={page.close} />}
      {page.panel?.user && (
        <EditUser key={page.panel.user.id} user={page.panel.user} profiles={profileList} self={page.panel.user.id === user?.id}
          onDone={page.done} onCancel={page.close} />
      )}

      <form class="row" role="search" onSubmit={search}>
        <Field label={t('admin.users.searchLabel')} type="search" value={q} maxLength={100}
          onInput={(e) => setQ(e.target.value)} />
        <div class="actions">
          {query && <button type="button" class="button button-secondary" onClick={clear}>{t('admin.users.clear')}</button>}
          <button type="submit" class="button">{t('admin.users.search')}</button>
        </div>
      </form>

      <h2>{t('admin.users.list')}</h2>
      <ListState state={list} formatError={adminError} isEmpty={!items.length}
        empty={query ? t('admin.users.noMatch', { q: query }) : t('admin.users.none')}>
        <DataTable class="admin-table" busy={list.loading} rows={items} columns={[
          { label: t('common.name'), cell: (u) => <>{u.name} {u.id === user?.id && <span class="hint">{t('admin.users.you')}</span>}</> },
          { label: t('common.email'), cell: (u) => u.email },
          { label: t('admin.users.role'), cell: (u) => roleName(u.role) },
          { label: t('admin.users.profile'), cell: (u) => profileName(profileList, u.profile_id) },
          { label: t('common.state'), cell: (u) => <Badge kind={stateKinds[u.state]}>{stateName(u.state)}</Badge> },
          { label: t('admin.users.lastLogin'), cell: lastLogin },
          { label: t('common.actions'), cell: (u) => (
            <div class="actions row-actions">
              <RowButton label={t('admin.users.edit')} name={u.name || u.email} onClick={() => page.open({ user: u })} />
              {u.id !== user?.id && (
                <RowButton label={t(u.state === 'disabled' ? 'admin.users.enable' : 'admin.users.disable')}
                  name={u.name || u.email} onClick={() => toggle(u)} />
              )}
            </div>
          ) },
        ]} />
      </ListState>
      <Pager pages={pages} nextCursor={list.data?.next_cursor} />
    </Page>
  );
}
