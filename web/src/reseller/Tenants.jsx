// The organisations (tenants) of the platform host: the operator sees every reseller's, a
// reseller admin its own (the API decides). Search by slug or name, page through, and create one
// with its plan and first administrator.
import { useEffect, useState } from 'preact/hooks';
import { api, listAll } from '../api.js';
import { formatDate } from '../format.js';
import { addStrings, t } from '../i18n.js';
import { currentUrl, navigate, queryParam } from '../router.js';
import { me } from '../session.js';
import { useSignal } from '../state.js';
import { Alert, CopyField, DataTable, Empty, Field, Link, Page, Spinner, useAsync } from '../ui.jsx';
import {
  AdminFields, adminSpec, checkRequired, CreatedCard, emptyAdmin, planOption, PlanSummary, resellerError, ResellerForm,
  TenantState, useCheckedSubmit,
} from './shared.jsx';

addStrings({
  fr: {
    'reseller.tenants.title': 'Organisations',
    'reseller.tenants.new': 'Nouvelle organisation',
    'reseller.tenants.search': 'Rechercher une organisation',
    'reseller.tenants.searchHint': 'Une partie de son identifiant ou de son nom.',
    'reseller.tenants.filterReseller': 'Revendeur',
    'reseller.tenants.allResellers': 'Tous les revendeurs',
    'reseller.tenants.caption': 'Organisations',
    'reseller.tenants.name': 'Organisation',
    'reseller.tenants.slug': 'Identifiant',
    'reseller.tenants.plan': 'Offre',
    'reseller.tenants.reseller': 'Revendeur',
    'reseller.tenants.created': 'Créée le',
    'reseller.tenants.none': 'Aucune organisation pour l’instant.',
    'reseller.tenants.noneForReseller': 'Ce revendeur n’a aucune organisation.',
    'reseller.tenants.noMatch': 'Aucune organisation ne correspond à « {q} ».',
    'reseller.tenants.clear': 'Tout afficher',
    'reseller.create.title': 'Créer une organisation',
    'reseller.create.name': 'Nom de l’organisation',
    'reseller.create.slug': 'Identifiant',
    'reseller.create.slugHint': 'Son adresse sera {host}. De 3 à 40 caractères parmi a-z, 0-9 et « - » ; il ne pourra plus changer.',
    'reseller.create.plan': 'Offre',
    'reseller.create.choosePlan': 'Choisissez une offre…',
    'reseller.create.reseller': 'Revendeur',
    'reseller.create.chooseReseller': 'Choisissez un revendeur…',
    'reseller.create.siren': 'SIREN (facultatif)',
    'reseller.create.sirenHint': '9 chiffres, par exemple 732 829 320.',
    'reseller.create.submit': 'Créer l’organisation',
    'reseller.create.done': 'L’organisation « {name} » est créée.',
    'reseller.create.doneTitle': 'Organisation créée',
    'reseller.create.url': 'Adresse de l’organisation',
    'reseller.create.open': 'Voir l’organisation',
    'reseller.create.another': 'Créer une autre organisation',
  },
  en: {
    'reseller.tenants.title': 'Organisations',
    'reseller.tenants.new': 'New organisation',
    'reseller.tenants.search': 'Search organisations',
    'reseller.tenants.searchHint': 'Part of its identifier or name.',
    'reseller.tenants.filterReseller': 'Reseller',
    'reseller.tenants.allResellers': 'All resellers',
    'reseller.tenants.caption': 'Organisations',
    'reseller.tenants.name': 'Organisation',
    'reseller.tenants.slug': 'Identifier',
    'reseller.tenants.plan': 'Plan',
    'reseller.tenants.reseller': 'Reseller',
    'reseller.tenants.created': 'Created',
    'reseller.tenants.none': 'No organisation yet.',
    'reseller.tenants.noneForReseller': 'This reseller has no organisation.',
    'reseller.tenants.noMatch': 'No organisation matches “{q}”.',
    'reseller.tenants.clear': 'Show all',
    'reseller.create.title': 'Create an organisation',
    'reseller.create.name': 'Organisation name',
    'reseller.create.slug': 'Identifier',
    'reseller.create.slugHint': 'Its address will be {host}. 3 to 40 characters among a-z, 0-9 and “-”; it can never change.',
    'reseller.create.plan': 'Plan',
    'reseller.create.choosePlan': 'Choose a plan…',
    'reseller.create.reseller': 'Reseller',
    'reseller.create.chooseReseller': 'Choose a reseller…',
    'reseller.create.siren': 'SIREN (optional)',
    'reseller.create.sirenHint': '9 digits, such as 732 829 320.',
    'reseller.create.submit': 'Create the organisation',
    'reseller.create.done': 'The organisation “{name}” was created.',
    'reseller.create.doneTitle': 'Organisation created',
    'reseller.create.url': 'Organisation address',
    'reseller.create.open': 'View the organisation',
    'reseller.create.another': 'Create another organisation',
  },
});

/** "Cabinet Émile & Fils" → "cabinet-emile-fils": a suggestion the server still checks. */
export function slugify(name) {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
}

/** The host a slug gets, as the browser reaches this platform host. */
function hostOf(slug) {
  const { hostname, port } = window.location;
  return `${slug || '…'}.${hostname}${port ? ':' + port : ''}`;
}

function CreateTenant({ plans, resellers, operator, onCreated, onCancel }) {
  const [form, setForm] = useState({ name: '', slug: '', plan: '', reseller: '', siren: '' });
  const [slugTouched, setSlugTouched] = useState(false);
  const [admin, setAdmin] = useState(emptyAdmin());
  const plan = plans.find((p) => p.id === form.plan);

  const set = (k) => (e) => setForm({ ...form, [k]: e.target.value });
  const onName = (e) => {
    const name = e.target.value;
    setForm({ ...form, name, slug: slugTouched ? form.slug : slugify(name) });
  };

  const submission = useCheckedSubmit(
    () => checkRequired([
      ['name', form.name], ['slug', form.slug], ['plan', form.plan], ...(operator ? [['reseller_id', form.reseller]] : []),
      ['adminName', admin.name], ['adminEmail', admin.email, 'email'],
    ]),
    async () => {
      const body = { slug: form.slug.trim(), name: form.name.trim(), plan: form.plan, admin: adminSpec(admin) };
      if (operator) body.reseller_id = form.reseller;
      if (form.siren.trim()) body.siren = form.siren.trim();
      onCreated(await api('POST', '/api/v1/tenants', body));
    },
  );
  const { errors } = submission;

  return (
    <ResellerForm id="create-tenant-title" title={t('reseller.create.title')} form={submission}
      submitLabel={t('reseller.create.submit')} onCancel={onCancel}>
      <div class="row reseller-row">
        <Field label={t('reseller.create.name')} required maxLength={200} autocomplete="organization"
          value={form.name} onInput={onName} error={errors.name} />
        <Field label={t('reseller.create.slug')} required maxLength={40} autocomplete="off" spellcheck={false}
          hint={t('reseller.create.slugHint', { host: hostOf(form.slug) })} value={form.slug}
          onInput={(e) => { setSlugTouched(true); set('slug')(e); }} error={errors.slug} />
      </div>
      <div class="row reseller-row">
        {operator && (
          <Field as="select" label={t('reseller.create.reseller')} required value={form.reseller}
            onChange={set('reseller')} error={errors.reseller_id}>
            <option value="">{t('reseller.create.chooseReseller')}</option>
            {resellers.filter((r) => r.state === 'active').map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
          </Field>
        )}
        <Field as="select" label={t('reseller.create.plan')} required value={form.plan} onChange={set('plan')}
          error={errors.plan}>
          <option value="">{t('reseller.create.choosePlan')}</option>
          {plans.map((p) => <option key={p.id} value={p.id}>{planOption(p)}</option>)}
        </Field>
        <Field label={t('reseller.create.siren')} hint={t('reseller.create.sirenHint')} inputMode="numeric"
          maxLength={20} autocomplete="off" value={form.siren} onInput={set('siren')} error={errors.siren} />
      </div>
      {plan && <PlanSummary plan={plan} />}
      <AdminFields value={admin} onChange={setAdmin} errors={errors} idPrefix="tenant-admin" />
    </ResellerForm>
  );
}

function Created({ tenant, onAnother }) {
  return (
    <CreatedCard id="created-tenant-title" title={t('reseller.create.doneTitle')} admin={tenant.admin}
      text={t('reseller.create.done', { name: tenant.name })} actions={
        <>
          <button type="button" class="button button-secondary" onClick={onAnother}>{t('reseller.create.another')}</button>
          <Link class="button" href={`/tenants/${encodeURIComponent(tenant.id)}`}>{t('reseller.create.open')}</Link>
        </>
      }>
      {tenant.url && <CopyField label={t('reseller.create.url')} value={tenant.url} />}
    </CreatedCard>
  );
}

export default function Tenants() {
  const operator = me.get()?.role === 'operator';
  const [filter, setFilter] = useState({ q: queryParam('q'), reseller: operator ? queryParam('reseller_id') : '' });
  const [q, setQ] = useState(filter.q);
  const [reseller, setReseller] = useState(filter.reseller);
  const [list, setList] = useState({ items: [], next: '', loading: true, error: null });
  const [version, setVersion] = useState(0);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState(null);

  // The menu's link, or the browser's back button, may change the query under this page.
  const url = useSignal(currentUrl);
  useEffect(() => {
    const next = { q: queryParam('q'), reseller: operator ? queryParam('reseller_id') : '' };
    if (next.q === filter.q && next.reseller === filter.reseller) return;
    setFilter(next);
    setQ(next.q);
    setReseller(next.reseller);
  }, [url]);

  const plans = useAsync(() => api('GET', '/api/v1/plans'), []);
  const resellers = useAsync(() => (operator ? listAll('/api/v1/resellers') : Promise.resolve([])), [operator]);

  const path = (cursor) => {
    const p = new URLSearchParams();
    if (filter.q) p.set('q', filter.q);
    if (filter.reseller) p.set('reseller_id', filter.reseller);
    if (cursor) p.set('cursor', cursor);
    const s = p.toString();
    return '/api/v1/tenants' + (s ? '?' + s : '');
  };

  useEffect(() => {
    let live = true;
    setList((l) => ({ ...l, loading: true, error: null }));
    api('GET', path('')).then(
      (page) => live && setList({ items: page.items || [], next: page.next_cursor || '', loading: false, error: null }),
      (error) => live && setList({ items: [], next: '', loading: false, error }),
    );
    return () => { live = false; };
  }, [filter.q, filter.reseller, version]);

  const more = async () => {
    setList((l) => ({ ...l, loading: true }));
    try {
      const page = await api('GET', path(list.next));
      setList((l) => ({ items: [...l.items, ...(page.items || [])], next: page.next_cursor || '', loading: false, error: null }));
    } catch (error) {
      setList((l) => ({ ...l, loading: false, error }));
    }
  };

  const search = (e) => {
    e.preventDefault();
    const next = { q: q.trim(), reseller };
    setFilter(next);
    const p = new URLSearchParams();
    if (next.q) p.set('q', next.q);
    if (next.reseller) p.set('reseller_id', next.reseller);
    navigate('/tenants' + (p.toString() ? '?' + p : ''), { replace: true });
  };
  const clear = () => {
    setQ('');
    setReseller('');
    setFilter({ q: '', reseller: '' });
    navigate('/tenants', { replace: true });
  };

  const planName = (id) => plans.data?.find((p) => p.id === id)?.name || id;
  const resellerName = (id) => resellers.data?.find((r) => r.id === id)?.name || id;
  const filtered = !!(filter.q || filter.reseller);

  return (
    <Page title={t('reseller.tenants.title')} actions={!creating && !created && (
      <button type="button" class="button" onClick={() => setCreating(true)} disabled={!plans.data}>
        {t('reseller.tenants.new')}
      </button>
    )}>
      <Alert>{resellerError(plans.error || resellers.error)}</Alert>
      {creating && plans.data && (
        <CreateTenant plans={plans.data} resellers={resellers.data || []} operator={operator}
          onCancel={() => setCreating(false)}
          onCreated={(tenant) => { setCreating(false); setCreated(tenant); setVersion((v) => v + 1); }} />
      )}
      {created && <Created tenant={created} onAnother={() => { setCreated(null); setCreating(true); }} />}

      <form class="card row" role="search" onSubmit={search}>
        <Field label={t('reseller.tenants.search')} hint={t('reseller.tenants.searchHint')} type="search"
          maxLength={100} value={q} onInput={(e) => setQ(e.target.value)} />
        {operator && (
          <Field as="select" label={t('reseller.tenants.filterReseller')} value={reseller}
            onChange={(e) => setReseller(e.target.value)}>
            <option value="">{t('reseller.tenants.allResellers')}</option>
            {(resellers.data || []).map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
          </Field>
        )}
        <div class="actions">
          {filtered && <button type="button" class="button button-secondary" onClick={clear}>{t('reseller.tenants.clear')}</button>}
          <button type="submit" class="button">{t('common.search')}</button>
        </div>
      </form>

      <Alert>{resellerError(list.error)}</Alert>
      {list.items.length > 0 ? (
        <DataTable class="reseller-table" caption={t('reseller.tenants.caption')} rows={list.items} columns={[
          { label: t('reseller.tenants.name'), cell: (tn) => <Link href={`/tenants/${encodeURIComponent(tn.id)}`}>{tn.name}</Link> },
          { label: t('reseller.tenants.slug'), cell: (tn) => <code>{tn.slug}</code> },
          { label: t('reseller.tenants.plan'), cell: (tn) => planName(tn.plan) },
          operator && { label: t('reseller.tenants.reseller'), cell: (tn) => resellerName(tn.reseller_id) },
          { label: t('common.state'), cell: (tn) => <TenantState state={tn.state} /> },
          { label: t('reseller.tenants.created'), cell: (tn) => formatDate(tn.created_at, false) },
        ].filter(Boolean)} />
      ) : !list.loading && !list.error ? (
        <Empty>{filter.q ? t('reseller.tenants.noMatch', { q: filter.q })
          : filter.reseller ? t('reseller.tenants.noneForReseller') : t('reseller.tenants.none')}</Empty>
      ) : null}
      {list.loading && <Spinner />}
      {list.next && !list.loading && (
        <div class="actions"><button type="button" class="button button-secondary" onClick={more}>{t('common.more')}</button></div>
      )}
    </Page>
  );
}
