// The modules of the organisation: on or off, within what its plan allows.
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { refreshMe } from '../session.js';
import { Alert, Badge, DataTable, ListState, Page, useAsync } from '../ui.jsx';
import AdminTabs, { adminError, RowButton, useListPage } from './AdminTabs.jsx';

addStrings({
  fr: {
    'admin.modules.title': 'Modules',
    'admin.modules.intro': 'Activez les modules dont votre organisation a besoin. Votre offre fixe ceux qui sont disponibles.',
    'admin.modules.none': 'Aucun module.',
    'admin.modules.module': 'Module',
    'admin.modules.version': 'Version',
    'admin.modules.plan': 'Dans votre offre',
    'admin.modules.state': 'État',
    'admin.modules.on': 'Activé',
    'admin.modules.off': 'Désactivé',
    'admin.modules.notInstalled': 'pas encore disponible sur ce serveur',
    'admin.modules.enable': 'Activer',
    'admin.modules.disable': 'Désactiver',
    'admin.modules.enabled': 'Le module « {name} » est activé.',
    'admin.modules.disabled': 'Le module « {name} » est désactivé.',
    'admin.modules.notInPlan': 'Non compris',
    'admin.modules.name.wesend': 'Envoi et dépôt de fichiers',
    'admin.modules.name.sante': 'Santé (HDS)',
    'admin.modules.name.ldapsync': 'Synchronisation de l’annuaire (LDAP)',
    'admin.modules.name.branding': 'Personnalisation graphique',
    'admin.modules.name.billing': 'Facturation',
    'admin.modules.name.sla': 'Engagement de service (SLA)',
  },
  en: {
    'admin.modules.title': 'Modules',
    'admin.modules.intro': 'Turn on the modules your organisation needs. Your plan sets which are available.',
    'admin.modules.none': 'No modules.',
    'admin.modules.module': 'Module',
    'admin.modules.version': 'Version',
    'admin.modules.plan': 'In your plan',
    'admin.modules.state': 'State',
    'admin.modules.on': 'On',
    'admin.modules.off': 'Off',
    'admin.modules.notInstalled': 'not yet available on this server',
    'admin.modules.enable': 'Turn on',
    'admin.modules.disable': 'Turn off',
    'admin.modules.enabled': 'The module “{name}” is on.',
    'admin.modules.disabled': 'The module “{name}” is off.',
    'admin.modules.notInPlan': 'Not included',
    'admin.modules.name.wesend': 'File sending and upload requests',
    'admin.modules.name.sante': 'Health data (HDS)',
    'admin.modules.name.ldapsync': 'Directory synchronisation (LDAP)',
    'admin.modules.name.branding': 'Branding',
    'admin.modules.name.billing': 'Billing',
    'admin.modules.name.sla': 'Service level agreement (SLA)',
  },
});

export function moduleName(name) {
  const key = 'admin.modules.name.' + name;
  const text = t(key);
  return text === key ? name : text;
}

export default function Modules() {
  const page = useListPage();
  const list = useAsync(() => api('GET', '/api/v1/admin/modules'), [page.tick]);
  const toggle = (m) => page.act(m.name, async () => {
    const r = await api('PUT', `/api/v1/admin/modules/${encodeURIComponent(m.name)}`, { enabled: !m.enabled });
    page.notify(t(r.enabled ? 'admin.modules.enabled' : 'admin.modules.disabled', { name: moduleName(m.name) }));
    await refreshMe(); // the menu shows what the modules offer
  });

  const items = Array.isArray(list.data) ? list.data : list.data?.items || [];
  return (
    <Page title={t('admin.modules.title')}>
      <AdminTabs />
      <p class="hint">{t('admin.modules.intro')}</p>
      <Alert kind="ok">{page.notice}</Alert>
      <Alert>{adminError(page.error)}</Alert>
      <ListState state={list} formatError={adminError} isEmpty={!items.length} empty={t('admin.modules.none')}>
        <DataTable class="admin-table" rows={items} rowKey={(m) => m.name} columns={[
          { label: t('admin.modules.module'), cell: (m) => (
            <>
              <strong>{moduleName(m.name)}</strong> <code class="hint">{m.name}</code>
              {m.enabled && m.installed === false && <p class="hint">{t('admin.modules.notInstalled')}</p>}
            </>
          ) },
          { label: t('admin.modules.version'), cell: (m) => m.version || '—' },
          { label: t('admin.modules.plan'), cell: (m) => (m.allowed ? t('common.yes') : t('admin.modules.notInPlan')) },
          { label: t('admin.modules.state'), cell: (m) => (
            <Badge kind={m.enabled ? 'ok' : 'neutral'}>{m.enabled ? t('admin.modules.on') : t('admin.modules.off')}</Badge>
          ) },
          // Turning on needs the plan; turning off is always possible.
          { label: t('common.actions'), cell: (m) => (m.enabled || m.allowed) && (
            <RowButton label={m.enabled ? t('admin.modules.disable') : t('admin.modules.enable')} name={moduleName(m.name)}
              class={m.enabled ? 'button button-secondary button-small' : 'button button-small'}
              disabled={page.busy === m.name} onClick={() => toggle(m)} />
          ) },
        ]} />
      </ListState>
    </Page>
  );
}
