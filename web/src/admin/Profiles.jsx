// Profiles: what their users may do (features) and from which networks (IP ranges), whether they
// need a second factor. Create, edit, delete.
import { useState } from 'preact/hooks';
import { api, listAll } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { Alert, ConfirmButton, DataTable, Field, ListState, Page, useAsync, useSubmit } from '../ui.jsx';
import AdminTabs, { AdminForm, adminError, RowButton, useListPage } from './AdminTabs.jsx';

addStrings({
  fr: {
    'admin.profiles.title': 'Profils',
    'admin.profiles.intro': 'Un profil fixe les fonctions permises à ses utilisateurs et les réseaux depuis lesquels ils peuvent se connecter.',
    'admin.profiles.new': 'Nouveau profil',
    'admin.profiles.none': 'Aucun profil : chaque utilisateur a toutes les fonctions, depuis n’importe quel réseau.',
    'admin.profiles.createTitle': 'Nouveau profil',
    'admin.profiles.editTitle': 'Modifier le profil « {name} »',
    'admin.profiles.name': 'Nom du profil',
    'admin.profiles.features': 'Fonctions permises',
    'admin.profiles.feature.send': 'Envoyer des fichiers',
    'admin.profiles.feature.upload_requests': 'Demandes de dépôt',
    'admin.profiles.feature.storage': 'Espace de stockage',
    'admin.profiles.feature.share_internal': 'Partage interne',
    'admin.profiles.feature.share_external': 'Partage externe',
    'admin.profiles.ips': 'Plages d’adresses IP autorisées',
    'admin.profiles.ipsHint': 'Une adresse ou une plage CIDR par ligne, par exemple 192.0.2.0/24 ou 2001:db8::/32. Vide : tous les réseaux.',
    'admin.profiles.ipLine': 'Ligne {n} : {message}',
    'admin.profiles.totp': 'Exiger la double authentification',
    'admin.profiles.allIps': 'Tous les réseaux',
    'admin.profiles.noFeature': 'Aucune',
    'admin.profiles.created': 'Le profil « {name} » est créé.',
    'admin.profiles.updated': 'Le profil « {name} » est enregistré.',
    'admin.profiles.deleted': 'Le profil « {name} » est supprimé.',
    'admin.profiles.delete': 'Supprimer',
    'admin.profiles.deleteTitle': 'Supprimer le profil « {name} »',
    'admin.profiles.deleteText': 'Ce profil sera supprimé. Un profil encore attribué à des utilisateurs ne peut pas l’être.',
  },
  en: {
    'admin.profiles.title': 'Profiles',
    'admin.profiles.intro': 'A profile sets the features its users may use and the networks they may log in from.',
    'admin.profiles.new': 'New profile',
    'admin.profiles.none': 'No profiles: every user has every feature, from any network.',
    'admin.profiles.createTitle': 'New profile',
    'admin.profiles.editTitle': 'Edit the profile “{name}”',
    'admin.profiles.name': 'Profile name',
    'admin.profiles.features': 'Allowed features',
    'admin.profiles.feature.send': 'Send files',
    'admin.profiles.feature.upload_requests': 'Upload requests',
    'admin.profiles.feature.storage': 'Storage space',
    'admin.profiles.feature.share_internal': 'Internal sharing',
    'admin.profiles.feature.share_external': 'External sharing',
    'admin.profiles.ips': 'Allowed IP address ranges',
    'admin.profiles.ipsHint': 'One address or CIDR range per line, such as 192.0.2.0/24 or 2001:db8::/32. Empty: every network.',
    'admin.profiles.ipLine': 'Line {n}: {message}',
    'admin.profiles.totp': 'Require two-factor authentication',
    'admin.profiles.allIps': 'Every network',
    'admin.profiles.noFeature': 'None',
    'admin.profiles.created': 'The profile “{name}” is created.',
    'admin.profiles.updated': 'The profile “{name}” is saved.',
    'admin.profiles.deleted': 'The profile “{name}” is deleted.',
    'admin.profiles.delete': 'Delete',
    'admin.profiles.deleteTitle': 'Delete the profile “{name}”',
    'admin.profiles.deleteText': 'This profile will be deleted. A profile still given to users cannot be.',
  },
});

// The features the server knows (kernel/src/tenancy/routes/AdminRoutes.cpp, kFeatures).
const FEATURES = ['send', 'upload_requests', 'storage', 'share_internal', 'share_external'];

const featureName = (f) => {
  const key = 'admin.profiles.feature.' + f;
  const text = t(key);
  return text === key ? f : text;
};

function ProfileForm({ profile, onDone, onCancel }) {
  const [name, setName] = useState(profile?.name || '');
  const [features, setFeatures] = useState(profile ? [...profile.features] : ['send', 'upload_requests']);
  const [ips, setIps] = useState(profile ? profile.allowed_ips.join('\n') : '');
  const [totp, setTotp] = useState(profile?.require_totp || false);

  const lines = ips.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const submission = useSubmit(async () => {
    const body = {
      name: name.trim(),
      features: FEATURES.filter((f) => features.includes(f)).concat(features.filter((f) => !FEATURES.includes(f))),
      allowed_ips: lines,
      require_totp: totp,
    };
    const saved = profile
      ? await api('PATCH', `/api/v1/admin/profiles/${encodeURIComponent(profile.id)}`, body)
      : await api('POST', '/api/v1/admin/profiles', body);
    onDone(t(profile ? 'admin.profiles.updated' : 'admin.profiles.created', { name: saved.name }));
  });
  const fieldErrors = submission.error?.problem?.errors || [];
  const nameError = fieldErrors.find((e) => e.field === 'name')?.message;
  const ipError = fieldErrors
    .filter((e) => e.field.startsWith('allowed_ips'))
    .map((e) => {
      const m = e.field.match(/\[(\d+)\]/);
      return m ? t('admin.profiles.ipLine', { n: Number(m[1]) + 1, message: e.message }) : e.message;
    })
    .join(' ') || undefined;
  const toggle = (f, on) => setFeatures((list) => (on ? [...list.filter((x) => x !== f), f] : list.filter((x) => x !== f)));

  // Features the server has that this page does not name still show, so that saving keeps them.
  const shown = FEATURES.concat(features.filter((f) => !FEATURES.includes(f)));
  return (
    <AdminForm title={profile ? t('admin.profiles.editTitle', { name: profile.name }) : t('admin.profiles.createTitle')}
      form={submission} submitLabel={profile ? t('common.save') : t('common.create')} onCancel={onCancel}>
      <Field label={t('admin.profiles.name')} required maxLength={100} value={name}
        onInput={(e) => setName(e.target.value)} error={nameError} />
      <fieldset class="checks">
        <legend>{t('admin.profiles.features')}</legend>
        {shown.map((f) => (
          <Field key={f} type="checkbox" label={featureName(f)} checked={features.includes(f)}
            onChange={(e) => toggle(f, e.target.checked)} />
        ))}
      </fieldset>
      <Field as="textarea" label={t('admin.profiles.ips')} hint={t('admin.profiles.ipsHint')} value={ips}
        rows={4} spellcheck={false} class="mono" onInput={(e) => setIps(e.target.value)} error={ipError} />
      <Field type="checkbox" label={t('admin.profiles.totp')} checked={totp} onChange={(e) => setTotp(e.target.checked)} />
    </AdminForm>
  );
}

export default function Profiles() {
  const page = useListPage(); // panel: 'create' | { profile }
  const list = useAsync(() => listAll('/api/v1/admin/profiles'), [page.tick]);
  const items = list.data || [];
  const remove = (p) => async () => {
    try {
      await api('DELETE', `/api/v1/admin/profiles/${encodeURIComponent(p.id)}`);
    } catch (err) {
      // The dialog shows err.text: give it the admin wording.
      throw Object.assign(new Error(adminError(err)), { code: err.code });
    }
    page.done(t('admin.profiles.deleted', { name: p.name }));
  };
  return (
    <Page title={t('admin.profiles.title')} actions={
      <button type="button" class="button" onClick={() => page.open('create')}>{t('admin.profiles.new')}</button>
    }>
      <AdminTabs />
      <p class="hint">{t('admin.profiles.intro')}</p>
      <Alert kind="ok">{page.notice}</Alert>
      {page.panel === 'create' && <ProfileForm onDone={page.done} onCancel={page.close} />}
      {page.panel?.profile && (
        <ProfileForm key={page.panel.profile.id} profile={page.panel.profile} onDone={page.done} onCancel={page.close} />
      )}
      <ListState state={list} formatError={adminError} isEmpty={!items.length} empty={t('admin.profiles.none')}>
        <DataTable class="admin-table" rows={items} columns={[
          { label: t('admin.profiles.name'), cell: (p) => p.name },
          { label: t('admin.profiles.features'), cell: (p) => (p.features.length ? p.features.map(featureName).join(', ') : t('admin.profiles.noFeature')) },
          { label: t('admin.profiles.ips'), cell: (p) => (p.allowed_ips.length
            ? <ul class="plain-list">{p.allowed_ips.map((ip) => <li key={ip}><code>{ip}</code></li>)}</ul>
            : t('admin.profiles.allIps')) },
          { label: t('admin.profiles.totp'), cell: (p) => (p.require_totp ? t('common.yes') : t('common.no')) },
          { label: t('common.actions'), cell: (p) => (
            <div class="actions row-actions">
              <RowButton label={t('common.edit')} name={p.name} onClick={() => page.open({ profile: p })} />
              <ConfirmButton label={<>{t('admin.profiles.delete')}<span class="visually-hidden"> {p.name}</span></>}
                confirmLabel={t('admin.profiles.delete')} class="button button-danger button-small"
                title={t('admin.profiles.deleteTitle', { name: p.name })} message={t('admin.profiles.deleteText')}
                onConfirm={remove(p)} />
            </div>
          ) },
        ]} />
      </ListState>
    </Page>
  );
}
