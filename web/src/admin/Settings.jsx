// The organisation's settings its administrators choose: default language, default and maximum
// lifetime of links. What the reseller sets (name, plan, addresses) is shown, not edited.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { Alert, Field, ListState, Page, useAsync, useSubmit } from '../ui.jsx';
import AdminTabs, { adminError } from './AdminTabs.jsx';

addStrings({
  fr: {
    'admin.settings.title': 'Paramètres',
    'admin.settings.general': 'Paramètres de l’organisation',
    'admin.settings.language': 'Langue par défaut',
    'admin.settings.languageHint': 'La langue des pages et des e-mails pour qui n’en a pas choisi.',
    'admin.settings.lang.fr': 'Français',
    'admin.settings.lang.en': 'Anglais',
    'admin.settings.defaultExpiry': 'Durée de validité des liens par défaut (jours)',
    'admin.settings.maxExpiry': 'Durée de validité maximale des liens (jours)',
    'admin.settings.expiryHint': 'De 1 à 365 jours.',
    'admin.settings.defaultOverMax': 'La durée par défaut ne peut pas dépasser la durée maximale.',
    'admin.settings.range': 'Saisissez un nombre entier de 1 à 365.',
    'admin.settings.saved': 'Les paramètres sont enregistrés.',
    'admin.settings.reseller': 'Fixé par votre revendeur',
    'admin.settings.name': 'Nom',
    'admin.settings.plan': 'Offre',
    'admin.settings.hostnames': 'Adresses',
  },
  en: {
    'admin.settings.title': 'Settings',
    'admin.settings.general': 'Organisation settings',
    'admin.settings.language': 'Default language',
    'admin.settings.languageHint': 'The language of pages and e-mails for those who have not chosen one.',
    'admin.settings.lang.fr': 'French',
    'admin.settings.lang.en': 'English',
    'admin.settings.defaultExpiry': 'Default link lifetime (days)',
    'admin.settings.maxExpiry': 'Maximum link lifetime (days)',
    'admin.settings.expiryHint': 'From 1 to 365 days.',
    'admin.settings.defaultOverMax': 'The default lifetime cannot exceed the maximum.',
    'admin.settings.range': 'Enter a whole number from 1 to 365.',
    'admin.settings.saved': 'The settings are saved.',
    'admin.settings.reseller': 'Set by your reseller',
    'admin.settings.name': 'Name',
    'admin.settings.plan': 'Plan',
    'admin.settings.hostnames': 'Addresses',
  },
});

const validDays = (v) => /^\d+$/.test(String(v).trim()) && Number(v) >= 1 && Number(v) <= 365;

export default function Settings() {
  const loaded = useAsync(() => api('GET', '/api/v1/admin/settings'), []);
  const [tenant, setTenant] = useState(null);
  const [form, setForm] = useState(null);
  const [checks, setChecks] = useState({});
  const [saved, setSaved] = useState(false);

  const fill = (s) => {
    setTenant(s);
    setForm({ language: s.language || 'fr', default_expiry_days: String(s.default_expiry_days), max_expiry_days: String(s.max_expiry_days) });
  };
  useEffect(() => { if (loaded.data) fill(loaded.data); }, [loaded.data]);

  const set = (k) => (e) => { setSaved(false); setForm((f) => ({ ...f, [k]: e.target.value })); };
  const submission = useSubmit(async () => {
    setSaved(false);
    const c = {};
    if (!validDays(form.default_expiry_days)) c.default_expiry_days = t('admin.settings.range');
    if (!validDays(form.max_expiry_days)) c.max_expiry_days = t('admin.settings.range');
    if (!c.default_expiry_days && !c.max_expiry_days && Number(form.default_expiry_days) > Number(form.max_expiry_days))
      c.default_expiry_days = t('admin.settings.defaultOverMax');
    setChecks(c);
    if (Object.keys(c).length) return;
    try {
      fill(await api('PATCH', '/api/v1/admin/settings', {
        language: form.language,
        default_expiry_days: Number(form.default_expiry_days),
        max_expiry_days: Number(form.max_expiry_days),
      }));
      setSaved(true);
    } catch (err) {
      const fields = {};
      for (const fe of err.problem?.errors || []) fields[fe.field] = fe.message;
      setChecks(fields);
      throw err;
    }
  });

  return (
    <Page title={t('admin.settings.title')}>
      <AdminTabs />
      <ListState state={loaded} formatError={adminError}>
        {form && (
          <div class="grid-2">
            <form class="card stack" onSubmit={submission.submit} noValidate aria-labelledby="settings-general">
              <h2 id="settings-general">{t('admin.settings.general')}</h2>
              <Alert kind="ok">{saved ? t('admin.settings.saved') : ''}</Alert>
              <Alert>{adminError(submission.error)}</Alert>
              <Field as="select" label={t('admin.settings.language')} hint={t('admin.settings.languageHint')}
                value={form.language} onChange={set('language')}>
                <option value="fr">{t('admin.settings.lang.fr')}</option>
                <option value="en">{t('admin.settings.lang.en')}</option>
              </Field>
              <Field label={t('admin.settings.defaultExpiry')} hint={t('admin.settings.expiryHint')} type="number"
                inputMode="numeric" min={1} max={365} required value={form.default_expiry_days}
                onInput={set('default_expiry_days')} error={checks.default_expiry_days} />
              <Field label={t('admin.settings.maxExpiry')} hint={t('admin.settings.expiryHint')} type="number"
                inputMode="numeric" min={1} max={365} required value={form.max_expiry_days}
                onInput={set('max_expiry_days')} error={checks.max_expiry_days} />
              <div class="actions">
                <button type="submit" class="button" disabled={submission.busy}>{t('common.save')}</button>
              </div>
            </form>
            {tenant && (
              <section class="card" aria-labelledby="settings-reseller">
                <h2 id="settings-reseller">{t('admin.settings.reseller')}</h2>
                <dl class="meta">
                  <dt>{t('admin.settings.name')}</dt><dd>{tenant.name}</dd>
                  <dt>{t('admin.settings.plan')}</dt><dd>{tenant.plan}</dd>
                  <dt>{t('admin.settings.hostnames')}</dt>
                  <dd>{(tenant.hostnames || []).map((h) => <div key={h}><code>{h}</code></div>)}</dd>
                </dl>
              </section>
            )}
          </div>
        )}
      </ListState>
    </Page>
  );
}
