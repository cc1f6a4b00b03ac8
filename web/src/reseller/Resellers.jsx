// The resellers, for the operator: list, create one with its first administrator, add an
// administrator, suspend (its trial and active organisations go down with it) and resume.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, listAll } from '../api.js';
import { formatDate } from '../format.js';
import { addStrings, t } from '../i18n.js';
import { Alert, ConfirmButton, Empty, Field, Link, Page, Spinner, useAsync } from '../ui.jsx';
import {
  AdminFields, adminSpec, checkRequired, CreatedAdmin, emptyAdmin, fieldErrors, reasonText, resellerError, ResellerState,
} from './shared.jsx';

addStrings({
  fr: {
    'reseller.resellers.title': 'Revendeurs',
    'reseller.resellers.new': 'Nouveau revendeur',
    'reseller.resellers.caption': 'Revendeurs',
    'reseller.resellers.name': 'Revendeur',
    'reseller.resellers.contact': 'Contact',
    'reseller.resellers.created': 'Créé le',
    'reseller.resellers.none': 'Aucun revendeur pour l’instant.',
    'reseller.resellers.tenants': 'Organisations',
    'reseller.resellers.tenantsOf': 'Organisations de {name}',
    'reseller.resellers.addAdmin': 'Ajouter un administrateur',
    'reseller.resellers.addAdminOf': 'Ajouter un administrateur à {name}',
    'reseller.resellers.suspend': 'Suspendre',
    'reseller.resellers.suspendTitle': 'Suspendre le revendeur « {name} » ?',
    'reseller.resellers.suspendText': 'Ses administrateurs ne pourront plus gérer leurs organisations, et toutes ses organisations actives ou en essai seront suspendues avec lui : personne ne pourra plus y entrer jusqu’à sa réactivation. Les données sont conservées.',
    'reseller.resellers.suspendConfirm': 'Suspendre le revendeur',
    'reseller.resellers.suspended': 'Le revendeur « {name} » est suspendu, avec ses organisations actives.',
    'reseller.resellers.resume': 'Réactiver',
    'reseller.resellers.resumeTitle': 'Réactiver le revendeur « {name} » ?',
    'reseller.resellers.resumeText': 'Ses administrateurs retrouvent leur accès, et les organisations suspendues avec lui reviennent à leur état précédent. Celles qui ont été suspendues pour leur propre compte le restent.',
    'reseller.resellers.resumeConfirm': 'Réactiver le revendeur',
    'reseller.resellers.resumed': 'Le revendeur « {name} » est réactivé.',
    'reseller.resellers.reason': 'Motif : {reason}',
    'reseller.rcreate.title': 'Créer un revendeur',
    'reseller.rcreate.name': 'Nom du revendeur',
    'reseller.rcreate.contact': 'Adresse e-mail de contact',
    'reseller.rcreate.contactHint': 'L’adresse de la société, pour la facturation et les avis de l’opérateur.',
    'reseller.rcreate.submit': 'Créer le revendeur',
    'reseller.rcreate.done': 'Le revendeur « {name} » est créé.',
    'reseller.rcreate.doneTitle': 'Revendeur créé',
    'reseller.addAdmin.legend': 'Nouvel administrateur',
    'reseller.addAdmin.submit': 'Ajouter l’administrateur',
    'reseller.addAdmin.done': 'L’administrateur {email} est ajouté à « {name} ».',
  },
  en: {
    'reseller.resellers.title': 'Resellers',
    'reseller.resellers.new': 'New reseller',
    'reseller.resellers.caption': 'Resellers',
    'reseller.resellers.name': 'Reseller',
    'reseller.resellers.contact': 'Contact',
    'reseller.resellers.created': 'Created',
    'reseller.resellers.none': 'No reseller yet.',
    'reseller.resellers.tenants': 'Organisations',
    'reseller.resellers.tenantsOf': 'Organisations of {name}',
    'reseller.resellers.addAdmin': 'Add an administrator',
    'reseller.resellers.addAdminOf': 'Add an administrator to {name}',
    'reseller.resellers.suspend': 'Suspend',
    'reseller.resellers.suspendTitle': 'Suspend the reseller “{name}”?',
    'reseller.resellers.suspendText': 'Its administrators can no longer manage their organisations, and all its active and trial organisations are suspended with it: nobody can get into them until it is resumed. The data is kept.',
    'reseller.resellers.suspendConfirm': 'Suspend the reseller',
    'reseller.resellers.suspended': 'The reseller “{name}” is suspended, with its active organisations.',
    'reseller.resellers.resume': 'Resume',
    'reseller.resellers.resumeTitle': 'Resume the reseller “{name}”?',
    'reseller.resellers.resumeText': 'Its administrators get their access back, and the organisations suspended with it return to their previous state. Those suspended on their own stay suspended.',
    'reseller.resellers.resumeConfirm': 'Resume the reseller',
    'reseller.resellers.resumed': 'The reseller “{name}” is resumed.',
    'reseller.resellers.reason': 'Reason: {reason}',
    'reseller.rcreate.title': 'Create a reseller',
    'reseller.rcreate.name': 'Reseller name',
    'reseller.rcreate.contact': 'Contact e-mail address',
    'reseller.rcreate.contactHint': 'The company’s address, for billing and the operator’s notices.',
    'reseller.rcreate.submit': 'Create the reseller',
    'reseller.rcreate.done': 'The reseller “{name}” was created.',
    'reseller.rcreate.doneTitle': 'Reseller created',
    'reseller.addAdmin.legend': 'New administrator',
    'reseller.addAdmin.submit': 'Add the administrator',
    'reseller.addAdmin.done': 'The administrator {email} was added to “{name}”.',
  },
});

function useFocusOnMount() {
  const ref = useRef(null);
  useEffect(() => { ref.current?.focus(); }, []);
  return ref;
}

function CreateReseller({ onCreated, onCancel }) {
  const [form, setForm] = useState({ name: '', contact: '' });
  const [admin, setAdmin] = useState(emptyAdmin());
  const [errors, setErrors] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const heading = useFocusOnMount();

  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    const local = checkRequired([
      ['name', form.name], ['contact_email', form.contact, 'email'],
      ['adminName', admin.name], ['adminEmail', admin.email, 'email'],
    ]);
    setErrors(local);
    if (Object.keys(local).length) {
      setError({ text: t('reseller.checkFields') });
      return;
    }
    setBusy(true);
    try {
      const created = await api('POST', '/api/v1/resellers', {
        name: form.name.trim(), contact_email: form.contact.trim(), admin: adminSpec(admin),
      });
      onCreated(created);
    } catch (err) {
      const fe = fieldErrors(err);
      setErrors({ ...fe, adminEmail: fe.email });
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card stack reseller-card" onSubmit={submit} noValidate aria-labelledby="create-reseller-title">
      <h2 id="create-reseller-title" tabIndex={-1} ref={heading}>{t('reseller.rcreate.title')}</h2>
      <Alert>{resellerError(error)}</Alert>
      <div class="row reseller-row">
        <Field label={t('reseller.rcreate.name')} required maxLength={200} autocomplete="organization"
          value={form.name} onInput={(e) => setForm({ ...form, name: e.target.value })} error={errors.name} />
        <Field label={t('reseller.rcreate.contact')} hint={t('reseller.rcreate.contactHint')} type="email" required
          maxLength={254} autocomplete="off" value={form.contact}
          onInput={(e) => setForm({ ...form, contact: e.target.value })} error={errors.contact_email} />
      </div>
      <AdminFields value={admin} onChange={setAdmin} errors={errors} idPrefix="reseller-admin" />
      <div class="actions">
        <button type="button" class="button button-secondary" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" class="button" disabled={busy}>{t('reseller.rcreate.submit')}</button>
      </div>
    </form>
  );
}

function AddAdmin({ reseller, onDone, onCancel }) {
  const [admin, setAdmin] = useState(emptyAdmin());
  const [errors, setErrors] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const heading = useFocusOnMount();

  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    const local = checkRequired([['adminName', admin.name], ['adminEmail', admin.email, 'email']]);
    setErrors(local);
    if (Object.keys(local).length) {
      setError({ text: t('reseller.checkFields') });
      return;
    }
    setBusy(true);
    try {
      const created = await api('POST', `/api/v1/resellers/${encodeURIComponent(reseller.id)}/admins`, adminSpec(admin));
      onDone(created);
    } catch (err) {
      const fe = fieldErrors(err);
      setErrors({ adminEmail: fe.email, adminName: fe.name });
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card stack reseller-card" onSubmit={submit} noValidate aria-labelledby="add-admin-title">
      <h2 id="add-admin-title" tabIndex={-1} ref={heading}>{t('reseller.resellers.addAdminOf', { name: reseller.name })}</h2>
      <Alert>{resellerError(error)}</Alert>
      <AdminFields value={admin} onChange={setAdmin} errors={errors} idPrefix="more-admin"
        legend={t('reseller.addAdmin.legend')} />
      <div class="actions">
        <button type="button" class="button button-secondary" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" class="button" disabled={busy}>{t('reseller.addAdmin.submit')}</button>
      </div>
    </form>
  );
}

/** The server's answer to a creation: what was made, and how its admin gets in. */
function Result({ title, text, admin, onClose }) {
  const heading = useFocusOnMount();
  return (
    <section class="card stack reseller-card" aria-labelledby="reseller-result">
      <h2 id="reseller-result" tabIndex={-1} ref={heading}>{title}</h2>
      <Alert kind="ok">{text}</Alert>
      <CreatedAdmin admin={admin} />
      <div class="actions">
        <button type="button" class="button button-secondary" onClick={onClose}>{t('common.close')}</button>
      </div>
    </section>
  );
}

export default function Resellers() {
  const list = useAsync(() => listAll('/api/v1/resellers'), []);
  const [items, setItems] = useState(null);
  const [panel, setPanel] = useState(null); // {kind: 'create'} | {kind: 'admin', reseller} | {kind: 'result', ...}
  const [done, setDone] = useState('');
  useEffect(() => { if (list.data) setItems(list.data); }, [list.data]);

  const replace = (r) => setItems((all) => all.map((x) => (x.id === r.id ? r : x)));
  const step = (r, action, message) => async () => {
    setDone('');
    const updated = await api('POST', `/api/v1/resellers/${encodeURIComponent(r.id)}/${action}`);
    replace(updated);
    setDone(t(message, { name: updated.name }));
  };

  return (
    <Page title={t('reseller.resellers.title')} actions={!panel && (
      <button type="button" class="button" onClick={() => { setDone(''); setPanel({ kind: 'create' }); }}>
        {t('reseller.resellers.new')}
      </button>
    )}>
      {panel?.kind === 'create' && (
        <CreateReseller onCancel={() => setPanel(null)} onCreated={(r) => {
          const { admin, ...reseller } = r;
          setItems((all) => [...(all || []), reseller].sort((a, b) => a.name.localeCompare(b.name)));
          setPanel({ kind: 'result', title: t('reseller.rcreate.doneTitle'), text: t('reseller.rcreate.done', { name: r.name }), admin });
        }} />
      )}
      {panel?.kind === 'admin' && (
        <AddAdmin reseller={panel.reseller} onCancel={() => setPanel(null)} onDone={(admin) => setPanel({
          kind: 'result', title: t('reseller.resellers.addAdminOf', { name: panel.reseller.name }),
          text: t('reseller.addAdmin.done', { email: admin.email, name: panel.reseller.name }), admin,
        })} />
      )}
      {panel?.kind === 'result' && <Result {...panel} onClose={() => setPanel(null)} />}

      <Alert kind="ok">{done}</Alert>
      <Alert>{resellerError(list.error)}</Alert>
      {!items ? (list.loading && <Spinner />) : items.length === 0 ? <Empty>{t('reseller.resellers.none')}</Empty> : (
        <div class="table-wrap reseller-table">
          <table class="responsive">
            <caption class="visually-hidden">{t('reseller.resellers.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reseller.resellers.name')}</th>
                <th scope="col">{t('reseller.resellers.contact')}</th>
                <th scope="col">{t('common.state')}</th>
                <th scope="col">{t('reseller.resellers.created')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id}>
                  <td data-label={t('reseller.resellers.name')}>
                    <strong>{r.name}</strong>
                    {r.suspended_reason && <div class="hint">{t('reseller.resellers.reason', { reason: reasonText(r.suspended_reason) })}</div>}
                  </td>
                  <td data-label={t('reseller.resellers.contact')}>{r.contact_email}</td>
                  <td data-label={t('common.state')}><ResellerState state={r.state} /></td>
                  <td data-label={t('reseller.resellers.created')}>{formatDate(r.created_at, false)}</td>
                  <td data-label={t('common.actions')}>
                    <div class="actions reseller-row-actions">
                      <Link class="button button-secondary button-small" href={`/tenants?reseller_id=${encodeURIComponent(r.id)}`}
                        aria-label={t('reseller.resellers.tenantsOf', { name: r.name })}>{t('reseller.resellers.tenants')}</Link>
                      <button type="button" class="button button-secondary button-small"
                        aria-label={t('reseller.resellers.addAdminOf', { name: r.name })}
                        onClick={() => { setDone(''); setPanel({ kind: 'admin', reseller: r }); }}>
                        {t('reseller.resellers.addAdmin')}
                      </button>
                      {r.state === 'active' ? (
                        <ConfirmButton class="button button-danger button-small" label={t('reseller.resellers.suspend')}
                          title={t('reseller.resellers.suspendTitle', { name: r.name })}
                          message={t('reseller.resellers.suspendText')} confirmLabel={t('reseller.resellers.suspendConfirm')}
                          onConfirm={step(r, 'suspend', 'reseller.resellers.suspended')} />
                      ) : (
                        <ConfirmButton danger={false} class="button button-small" label={t('reseller.resellers.resume')}
                          title={t('reseller.resellers.resumeTitle', { name: r.name })}
                          message={t('reseller.resellers.resumeText')} confirmLabel={t('reseller.resellers.resumeConfirm')}
                          onConfirm={step(r, 'resume', 'reseller.resellers.resumed')} />
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
