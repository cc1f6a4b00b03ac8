// The resellers, for the operator: list, create one with its first administrator, add an
// administrator, suspend (its trial and active organisations go down with it) and resume.
import { useState } from 'preact/hooks';
import { api, listAll } from '../api.js';
import { formatDate } from '../format.js';
import { addStrings, t } from '../i18n.js';
import { Alert, ConfirmButton, DataTable, Field, Link, ListState, Page, useAsync } from '../ui.jsx';
import {
  AdminFields, adminSpec, checkRequired, CreatedCard, emptyAdmin, reasonText, resellerError, ResellerForm, ResellerState,
  useCheckedSubmit,
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

function CreateReseller({ onCreated, onCancel }) {
  const [form, setForm] = useState({ name: '', contact: '' });
  const [admin, setAdmin] = useState(emptyAdmin());
  const submission = useCheckedSubmit(
    () => checkRequired([
      ['name', form.name], ['contact_email', form.contact, 'email'],
      ['adminName', admin.name], ['adminEmail', admin.email, 'email'],
    ]),
    async () => onCreated(await api('POST', '/api/v1/resellers', {
      name: form.name.trim(), contact_email: form.contact.trim(), admin: adminSpec(admin),
    })),
  );
  const { errors } = submission;
  return (
    <ResellerForm id="create-reseller-title" title={t('reseller.rcreate.title')} form={submission}
      submitLabel={t('reseller.rcreate.submit')} onCancel={onCancel}>
      <div class="row reseller-row">
        <Field label={t('reseller.rcreate.name')} required maxLength={200} autocomplete="organization"
          value={form.name} onInput={(e) => setForm({ ...form, name: e.target.value })} error={errors.name} />
        <Field label={t('reseller.rcreate.contact')} hint={t('reseller.rcreate.contactHint')} type="email" required
          maxLength={254} autocomplete="off" value={form.contact}
          onInput={(e) => setForm({ ...form, contact: e.target.value })} error={errors.contact_email} />
      </div>
      <AdminFields value={admin} onChange={setAdmin} errors={errors} idPrefix="reseller-admin" />
    </ResellerForm>
  );
}

function AddAdmin({ reseller, onDone, onCancel }) {
  const [admin, setAdmin] = useState(emptyAdmin());
  const submission = useCheckedSubmit(
    () => checkRequired([['adminName', admin.name], ['adminEmail', admin.email, 'email']]),
    async () => onDone(await api('POST', `/api/v1/resellers/${encodeURIComponent(reseller.id)}/admins`, adminSpec(admin))),
    (fe) => ({ adminEmail: fe.email, adminName: fe.name }),
  );
  return (
    <ResellerForm id="add-admin-title" title={t('reseller.resellers.addAdminOf', { name: reseller.name })} form={submission}
      submitLabel={t('reseller.addAdmin.submit')} onCancel={onCancel}>
      <AdminFields value={admin} onChange={setAdmin} errors={submission.errors} idPrefix="more-admin"
        legend={t('reseller.addAdmin.legend')} />
    </ResellerForm>
  );
}

export default function Resellers() {
  const list = useAsync(() => listAll('/api/v1/resellers'), []);
  const [changed, setChanged] = useState(null); // the list as changed here since it was loaded
  const items = changed || list.data;
  const setItems = (f) => setChanged((all) => f(all || list.data));
  const [panel, setPanel] = useState(null); // {kind: 'create'} | {kind: 'admin', reseller} | {kind: 'result', ...}
  const [done, setDone] = useState('');

  const replace = (r) => setItems((all) => all.map((x) => (x.id === r.id ? r : x)));
  const step = (r, action, message) => async () => {
    setDone('');
    const updated = await api('POST', `/api/v1/resellers/${encodeURIComponent(r.id)}/${action}`);
    replace(updated);
    setDone(t(message, { name: updated.name }));
  };
  const close = () => setPanel(null);

  return (
    <Page title={t('reseller.resellers.title')} actions={!panel && (
      <button type="button" class="button" onClick={() => { setDone(''); setPanel({ kind: 'create' }); }}>
        {t('reseller.resellers.new')}
      </button>
    )}>
      {panel?.kind === 'create' && (
        <CreateReseller onCancel={close} onCreated={(r) => {
          const { admin, ...reseller } = r;
          setItems((all) => [...(all || []), reseller].sort((a, b) => a.name.localeCompare(b.name)));
          setPanel({ kind: 'result', title: t('reseller.rcreate.doneTitle'), text: t('reseller.rcreate.done', { name: r.name }), admin });
        }} />
      )}
      {panel?.kind === 'admin' && (
        <AddAdmin reseller={panel.reseller} onCancel={close} onDone={(admin) => setPanel({
          kind: 'result', title: t('reseller.resellers.addAdminOf', { name: panel.reseller.name }),
          text: t('reseller.addAdmin.done', { email: admin.email, name: panel.reseller.name }), admin,
        })} />
      )}
      {panel?.kind === 'result' && (
        <CreatedCard id="reseller-result" title={panel.title} text={panel.text} admin={panel.admin}
          actions={<button type="button" class="button button-secondary" onClick={close}>{t('common.close')}</button>} />
      )}

      <Alert kind="ok">{done}</Alert>
      <ListState state={list} formatError={resellerError} isEmpty={!items?.length} empty={t('reseller.resellers.none')}>
        <DataTable class="reseller-table" caption={t('reseller.resellers.caption')} rows={items || []} columns={[
          { label: t('reseller.resellers.name'), cell: (r) => (
            <>
              <strong>{r.name}</strong>
              {r.suspended_reason && <div class="hint">{t('reseller.resellers.reason', { reason: reasonText(r.suspended_reason) })}</div>}
            </>
          ) },
          { label: t('reseller.resellers.contact'), cell: (r) => r.contact_email },
          { label: t('common.state'), cell: (r) => <ResellerState state={r.state} /> },
          { label: t('reseller.resellers.created'), cell: (r) => formatDate(r.created_at, false) },
          { label: t('common.actions'), cell: (r) => (
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
          ) },
        ]} />
      </ListState>
    </Page>
  );
}
