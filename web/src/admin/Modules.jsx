// The modules of the organisation: on or off, within what its plan allows.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { refreshMe } from '../session.js';
import { Alert, Badge, Empty, Page, Spinner, useAsync } from '../ui.jsx';
import AdminTabs, { adminError } from './AdminTabs.jsx';

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
  const [tick, setTick] = useState(0);
  const list = useAsync(() => api('GET', '/api/v1/admin/modules'), [tick]);
  const [busy, setBusy] = useState('');
  const [notice, setNotice] = useState('');
  const [error, setError] = useState(null);

  const toggle = async (m) => {
    setBusy(m.name);
    setNotice('');
    setError(null);
    try {
      const r = await api('PUT', `/api/v1/admin/modules/${encodeURIComponent(m.name)}`, { enabled: !m.enabled });
      setNotice(t(r.enabled ? 'admin.modules.enabled' : 'admin.modules.disabled', { name: moduleName(m.name) }));
      setTick((n) => n + 1);
      await refreshMe(); // the menu shows what the modules offer
    } catch (err) {
      setError(err);
    } finally {
      setBusy('');
    }
  };

  const items = Array.isArray(list.data) ? list.data : list.data?.items || [];
  return (
    <Page title={t('admin.modules.title')}>
      <AdminTabs />
      <p class="hint">{t('admin.modules.intro')}</p>
      <Alert kind="ok">{notice}</Alert>
      <Alert>{adminError(error)}</Alert>
      {list.error && <Alert>{adminError(list.error)}</Alert>}
      {list.loading && !list.data && <Spinner />}
      {list.data && items.length === 0 && <Empty>{t('admin.modules.none')}</Empty>}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="responsive admin-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.modules.module')}</th>
                <th scope="col">{t('admin.modules.version')}</th>
                <th scope="col">{t('admin.modules.plan')}</th>
                <th scope="col">{t('admin.modules.state')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => {
                const label = moduleName(m.name);
                // Turning on needs the plan; turning off is always possible.
                const canToggle = m.enabled || m.allowed;
                return (
                  <tr key={m.name} data-module={m.name}>
                    <td data-label={t('admin.modules.module')}>
                      <strong>{label}</strong> <code class="hint">{m.name}</code>
                      {m.enabled && m.installed === false && <p class="hint">{t('admin.modules.notInstalled')}</p>}
                    </td>
                    <td data-label={t('admin.modules.version')}>{m.version || '—'}</td>
                    <td data-label={t('admin.modules.plan')}>{m.allowed ? t('common.yes') : t('admin.modules.notInPlan')}</td>
                    <td data-label={t('admin.modules.state')}>
                      <Badge kind={m.enabled ? 'ok' : 'neutral'}>{m.enabled ? t('admin.modules.on') : t('admin.modules.off')}</Badge>
                    </td>
                    <td data-label={t('common.actions')}>
                      {canToggle && (
                        <button type="button" class={m.enabled ? 'button button-secondary button-small' : 'button button-small'}
                          disabled={busy === m.name} onClick={() => toggle(m)}>
                          {m.enabled ? t('admin.modules.disable') : t('admin.modules.enable')}
                          <span class="visually-hidden"> {label}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
