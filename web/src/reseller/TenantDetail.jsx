// One organisation on the platform host: its details, its usage against its plan's licences and
// storage, a change of plan, and its lifecycle (suspend, resume, activate a trial, terminate),
// each step confirmed. A purged organisation shows its deletion certificate.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, listAll } from '../api.js';
import { formatBytes, formatDate, formatNumber } from '../format.js';
import { addStrings, t } from '../i18n.js';
import { me } from '../session.js';
import { Alert, ConfirmButton, Field, Link, Page, Spinner, useAsync, useSubmit } from '../ui.jsx';
import {
  moduleName, planOption, PlanSummary, reasonText, resellerError, TenantState, UsageBar,
} from './shared.jsx';

addStrings({
  fr: {
    'reseller.detail.back': 'Toutes les organisations',
    'reseller.detail.details': 'Informations',
    'reseller.detail.slug': 'Identifiant',
    'reseller.detail.addresses': 'Adresses',
    'reseller.detail.plan': 'Offre',
    'reseller.detail.reseller': 'Revendeur',
    'reseller.detail.siren': 'SIREN',
    'reseller.detail.contact': 'Contact',
    'reseller.detail.language': 'Langue',
    'reseller.detail.language.fr': 'Français',
    'reseller.detail.language.en': 'Anglais',
    'reseller.detail.modules': 'Modules activés',
    'reseller.detail.created': 'Créée le',
    'reseller.detail.trialEnds': 'Fin de l’essai',
    'reseller.detail.suspendedReason': 'Motif de la suspension',
    'reseller.detail.terminatedAt': 'Résiliée le',
    'reseller.detail.exportUntil': 'Export possible jusqu’au',
    'reseller.detail.purgedAt': 'Données supprimées le',
    'reseller.usage.title': 'Consommation',
    'reseller.usage.licences': 'Licences',
    'reseller.usage.storage': 'Stockage',
    'reseller.usage.licencesHint': 'Chaque utilisateur actif ou invité prend une licence.',
    'reseller.usage.unlimited': 'Stockage utilisé : {used} (sans quota).',
    'reseller.usage.transfers': 'Envois des 30 derniers jours',
    'reseller.usage.bytesSent': 'Volume envoyé en 30 jours',
    'reseller.plan.title': 'Changer d’offre',
    'reseller.plan.new': 'Nouvelle offre',
    'reseller.plan.current': 'Offre actuelle : {name}.',
    'reseller.plan.change': 'Changer d’offre',
    'reseller.plan.changed': 'L’offre est maintenant « {name} ».',
    'reseller.plan.same': 'C’est déjà l’offre de l’organisation.',
    'reseller.plan.hint': 'Le quota de stockage suit la nouvelle offre, et ses modules sont activés. Une offre plus petite que la consommation actuelle est refusée.',
    'reseller.life.title': 'Cycle de vie',
    'reseller.life.reason': 'Motif de la suspension (facultatif)',
    'reseller.life.reasonHint': 'Par exemple : facture F-2026-0042 impayée. Il est conservé dans les journaux.',
    'reseller.life.suspend': 'Suspendre',
    'reseller.life.suspendTitle': 'Suspendre « {name} » ?',
    'reseller.life.suspendText': 'Personne ne pourra plus entrer dans l’organisation, administrateurs compris, jusqu’à sa réactivation. Ses données sont conservées.',
    'reseller.life.suspendConfirm': 'Suspendre l’organisation',
    'reseller.life.suspended': 'L’organisation est suspendue.',
    'reseller.life.resume': 'Réactiver',
    'reseller.life.resumeTitle': 'Réactiver « {name} » ?',
    'reseller.life.resumeText': 'L’organisation retrouve l’état qu’elle avait avant sa suspension, et ses utilisateurs peuvent de nouveau se connecter.',
    'reseller.life.resumeConfirm': 'Réactiver l’organisation',
    'reseller.life.resumed': 'L’organisation est réactivée.',
    'reseller.life.activate': 'Passer en compte actif',
    'reseller.life.activateTitle': 'Mettre fin à l’essai de « {name} » ?',
    'reseller.life.activateText': 'L’organisation devient active tout de suite et ne sera pas suspendue à la fin prévue de l’essai. Son offre ne change pas : choisissez une offre payante ci-dessus.',
    'reseller.life.activateConfirm': 'Activer',
    'reseller.life.activated': 'L’organisation est active.',
    'reseller.life.terminate': 'Résilier',
    'reseller.life.terminateTitle': 'Résilier définitivement « {name} » ?',
    'reseller.life.terminateText': 'C’est définitif : une organisation résiliée ne revient jamais. Ses utilisateurs sont déconnectés et ne peuvent plus se connecter. Ses administrateurs reçoivent un courriel et peuvent seulement télécharger l’export de ses données pendant la période d’export (30 jours par défaut) ; ensuite, tous ses fichiers, comptes et journaux sont détruits, et un certificat de suppression est émis.',
    'reseller.life.terminateConfirm': 'Résilier définitivement',
    'reseller.life.terminated': 'L’organisation est résiliée.',
    'reseller.life.terminatedText': 'Cette organisation est résiliée depuis le {date}. Ses administrateurs peuvent télécharger l’export de ses données jusqu’au {until} ; elle sera ensuite supprimée.',
    'reseller.life.suspendedText': 'Cette organisation est suspendue : personne ne peut y entrer.',
    'reseller.life.resellerSuspended': 'Elle a été suspendue avec le compte de son revendeur, et reviendra quand celui-ci sera réactivé.',
    'reseller.purged.text': 'Les données de cette organisation ont été détruites le {date}. Le certificat de suppression, signé, en fait foi.',
    'reseller.purged.certificate': 'Télécharger le certificat de suppression',
    'reseller.purged.key': 'Clé publique de vérification',
  },
  en: {
    'reseller.detail.back': 'All organisations',
    'reseller.detail.details': 'Details',
    'reseller.detail.slug': 'Identifier',
    'reseller.detail.addresses': 'Addresses',
    'reseller.detail.plan': 'Plan',
    'reseller.detail.reseller': 'Reseller',
    'reseller.detail.siren': 'SIREN',
    'reseller.detail.contact': 'Contact',
    'reseller.detail.language': 'Language',
    'reseller.detail.language.fr': 'French',
    'reseller.detail.language.en': 'English',
    'reseller.detail.modules': 'Modules on',
    'reseller.detail.created': 'Created',
    'reseller.detail.trialEnds': 'Trial ends',
    'reseller.detail.suspendedReason': 'Reason for the suspension',
    'reseller.detail.terminatedAt': 'Terminated',
    'reseller.detail.exportUntil': 'Export possible until',
    'reseller.detail.purgedAt': 'Data deleted',
    'reseller.usage.title': 'Usage',
    'reseller.usage.licences': 'Licences',
    'reseller.usage.storage': 'Storage',
    'reseller.usage.licencesHint': 'Each active or invited user takes a licence.',
    'reseller.usage.unlimited': 'Storage used: {used} (no quota).',
    'reseller.usage.transfers': 'Transfers in the last 30 days',
    'reseller.usage.bytesSent': 'Volume sent in 30 days',
    'reseller.plan.title': 'Change plan',
    'reseller.plan.new': 'New plan',
    'reseller.plan.current': 'Current plan: {name}.',
    'reseller.plan.change': 'Change plan',
    'reseller.plan.changed': 'The plan is now “{name}”.',
    'reseller.plan.same': 'This is already the organisation’s plan.',
    'reseller.plan.hint': 'The storage quota follows the new plan, and its modules are switched on. A plan smaller than the current usage is refused.',
    'reseller.life.title': 'Lifecycle',
    'reseller.life.reason': 'Reason for the suspension (optional)',
    'reseller.life.reasonHint': 'Such as: invoice F-2026-0042 unpaid. It is kept in the journals.',
    'reseller.life.suspend': 'Suspend',
    'reseller.life.suspendTitle': 'Suspend “{name}”?',
    'reseller.life.suspendText': 'Nobody can get into the organisation, administrators included, until it is resumed. Its data is kept.',
    'reseller.life.suspendConfirm': 'Suspend the organisation',
    'reseller.life.suspended': 'The organisation is suspended.',
    'reseller.life.resume': 'Resume',
    'reseller.life.resumeTitle': 'Resume “{name}”?',
    'reseller.life.resumeText': 'The organisation returns to its state before the suspension, and its users can log in again.',
    'reseller.life.resumeConfirm': 'Resume the organisation',
    'reseller.life.resumed': 'The organisation is resumed.',
    'reseller.life.activate': 'Make it a paying account',
    'reseller.life.activateTitle': 'End the trial of “{name}”?',
    'reseller.life.activateText': 'The organisation becomes active at once and will not be suspended when the trial would have ended. Its plan does not change: choose a paid plan above.',
    'reseller.life.activateConfirm': 'Activate',
    'reseller.life.activated': 'The organisation is active.',
    'reseller.life.terminate': 'Terminate',
    'reseller.life.terminateTitle': 'Terminate “{name}” for good?',
    'reseller.life.terminateText': 'This is final: a terminated organisation never comes back. Its users are logged out and can no longer log in. Its administrators are mailed and may only download the export of its data during the export window (30 days by default); then all its files, accounts and journals are destroyed, and a deletion certificate is issued.',
    'reseller.life.terminateConfirm': 'Terminate for good',
    'reseller.life.terminated': 'The organisation is terminated.',
    'reseller.life.terminatedText': 'This organisation was terminated on {date}. Its administrators may download the export of its data until {until}; it will then be deleted.',
    'reseller.life.suspendedText': 'This organisation is suspended: nobody can get in.',
    'reseller.life.resellerSuspended': 'It was suspended with its reseller’s account, and will come back when that account is resumed.',
    'reseller.purged.text': 'This organisation’s data was destroyed on {date}. The signed deletion certificate attests it.',
    'reseller.purged.certificate': 'Download the deletion certificate',
    'reseller.purged.key': 'Verification public key',
  },
});

/** The address of a host name as this browser reaches the platform (same scheme and port). */
function hostUrl(host) {
  const { protocol, port } = window.location;
  return `${protocol}//${host}${port ? ':' + port : ''}/`;
}

function Details({ tenant, planName, resellerName }) {
  const modules = Object.entries(tenant.modules || {}).filter(([, on]) => on).map(([m]) => moduleName(m));
  const c = tenant.contact || {};
  const contact = [c.name, c.email, c.phone, c.address].filter(Boolean);
  const lang = tenant.language ? t('reseller.detail.language.' + tenant.language) : '';
  return (
    <section class="card" aria-labelledby="tenant-details">
      <h2 id="tenant-details">{t('reseller.detail.details')}</h2>
      <dl class="meta">
        <dt>{t('reseller.detail.slug')}</dt><dd><code>{tenant.slug}</code></dd>
        {tenant.hostnames?.length > 0 && (
          <>
            <dt>{t('reseller.detail.addresses')}</dt>
            <dd>{tenant.hostnames.map((h, i) => (
              <span key={h}>{i > 0 && ', '}<a href={hostUrl(h)} target="_blank" rel="noopener noreferrer">{h}</a></span>
            ))}</dd>
          </>
        )}
        {tenant.plan && <><dt>{t('reseller.detail.plan')}</dt><dd>{planName(tenant.plan)}</dd></>}
        {resellerName && <><dt>{t('reseller.detail.reseller')}</dt><dd>{resellerName}</dd></>}
        {tenant.siren && <><dt>{t('reseller.detail.siren')}</dt><dd>{tenant.siren}</dd></>}
        {contact.length > 0 && (
          <><dt>{t('reseller.detail.contact')}</dt><dd>{contact.map((line, i) => <span key={i}>{i > 0 && <br />}{line}</span>)}</dd></>
        )}
        {lang && <><dt>{t('reseller.detail.language')}</dt><dd>{lang}</dd></>}
        {tenant.modules && <><dt>{t('reseller.detail.modules')}</dt><dd>{modules.join(', ') || t('common.none')}</dd></>}
        {tenant.created_at && <><dt>{t('reseller.detail.created')}</dt><dd>{formatDate(tenant.created_at)}</dd></>}
        {tenant.trial_ends_at && <><dt>{t('reseller.detail.trialEnds')}</dt><dd>{formatDate(tenant.trial_ends_at)}</dd></>}
        {tenant.suspended_reason && (
          <><dt>{t('reseller.detail.suspendedReason')}</dt><dd>{reasonText(tenant.suspended_reason)}</dd></>
        )}
        {tenant.terminated_at && <><dt>{t('reseller.detail.terminatedAt')}</dt><dd>{formatDate(tenant.terminated_at)}</dd></>}
        {tenant.export_until && <><dt>{t('reseller.detail.exportUntil')}</dt><dd>{formatDate(tenant.export_until)}</dd></>}
        {tenant.purged_at && <><dt>{t('reseller.detail.purgedAt')}</dt><dd>{formatDate(tenant.purged_at)}</dd></>}
      </dl>
    </section>
  );
}

function Usage({ usage }) {
  if (!usage) return null;
  const quota = usage.storage_bytes_quota;
  return (
    <section class="card stack reseller-card" aria-labelledby="tenant-usage">
      <h2 id="tenant-usage">{t('reseller.usage.title')}</h2>
      <UsageBar label={t('reseller.usage.licences')} used={usage.users} limit={usage.licences}
        usedText={formatNumber(usage.users)} limitText={formatNumber(usage.licences)} />
      <p class="hint">{t('reseller.usage.licencesHint')}</p>
      {quota == null ? (
        <p>{t('reseller.usage.unlimited', { used: formatBytes(usage.storage_bytes_used) })}</p>
      ) : (
        <UsageBar label={t('reseller.usage.storage')} used={usage.storage_bytes_used} limit={quota}
          usedText={formatBytes(usage.storage_bytes_used)} limitText={formatBytes(quota)} />
      )}
      <dl class="meta">
        <dt>{t('reseller.usage.transfers')}</dt><dd>{formatNumber(usage.transfers_30d)}</dd>
        <dt>{t('reseller.usage.bytesSent')}</dt><dd>{formatBytes(usage.bytes_sent_30d)}</dd>
      </dl>
    </section>
  );
}

function ChangePlan({ tenant, plans, onChanged }) {
  const [plan, setPlan] = useState(tenant.plan);
  const [done, setDone] = useState('');
  const chosen = plans.find((p) => p.id === plan);
  const current = plans.find((p) => p.id === tenant.plan);

  const submission = useSubmit(async () => {
    setDone('');
    if (plan === tenant.plan) {
      setDone(t('reseller.plan.same'));
      return;
    }
    const updated = await api('PATCH', `/api/v1/tenants/${encodeURIComponent(tenant.id)}`, { plan });
    onChanged(updated);
    setDone(t('reseller.plan.changed', { name: plans.find((p) => p.id === updated.plan)?.name || updated.plan }));
  });

  return (
    <form class="card stack reseller-card" onSubmit={submission.submit} aria-labelledby="tenant-plan">
      <h2 id="tenant-plan">{t('reseller.plan.title')}</h2>
      <p>{t('reseller.plan.current', { name: current?.name || tenant.plan })}</p>
      <Alert>{resellerError(submission.error)}</Alert>
      <Alert kind="ok">{done}</Alert>
      <Field as="select" label={t('reseller.plan.new')} hint={t('reseller.plan.hint')} value={plan}
        onChange={(e) => { setPlan(e.target.value); setDone(''); }}>
        {plans.map((p) => <option key={p.id} value={p.id}>{planOption(p)}</option>)}
      </Field>
      {chosen && <PlanSummary plan={chosen} />}
      <div class="actions">
        <button type="submit" class="button" disabled={submission.busy || plan === tenant.plan}>{t('reseller.plan.change')}</button>
      </div>
    </form>
  );
}

function Lifecycle({ tenant, onChanged }) {
  const [reason, setReason] = useState('');
  const [done, setDone] = useState('');
  const heading = useRef(null);
  // The button that opened the dialog may be gone with the old state: bring the focus here.
  useEffect(() => { if (done) heading.current?.focus(); }, [done]);
  const name = tenant.name;
  const path = (step) => `/api/v1/tenants/${encodeURIComponent(tenant.id)}/${step}`;
  const act = (step, message, body) => async () => {
    setDone('');
    const updated = await api('POST', path(step), body);
    onChanged(updated);
    setDone(message);
  };
  const running = tenant.state === 'active' || tenant.state === 'trial';
  const canTerminate = running || tenant.state === 'suspended';

  return (
    <section class="card stack reseller-card" aria-labelledby="tenant-life">
      <h2 id="tenant-life" tabIndex={-1} ref={heading}>{t('reseller.life.title')}</h2>
      <Alert kind="ok">{done}</Alert>
      {tenant.state === 'suspended' && (
        <Alert kind="warn">
          {t('reseller.life.suspendedText')}
          {tenant.suspended_reason === 'reseller_suspended' ? ' ' + t('reseller.life.resellerSuspended') : ''}
        </Alert>
      )}
      {tenant.state === 'terminated' && (
        <Alert kind="warn">
          {t('reseller.life.terminatedText', { date: formatDate(tenant.terminated_at), until: formatDate(tenant.export_until) })}
        </Alert>
      )}
      {running && (
        <Field label={t('reseller.life.reason')} hint={t('reseller.life.reasonHint')} maxLength={500}
          value={reason} onInput={(e) => setReason(e.target.value)} />
      )}
      {(running || canTerminate) && (
        <div class="actions">
          {running && (
            <ConfirmButton label={t('reseller.life.suspend')} title={t('reseller.life.suspendTitle', { name })}
              message={t('reseller.life.suspendText')} confirmLabel={t('reseller.life.suspendConfirm')}
              class="button button-secondary"
              onConfirm={act('suspend', t('reseller.life.suspended'), reason.trim() ? { reason: reason.trim() } : undefined)} />
          )}
          {tenant.state === 'trial' && (
            <ConfirmButton danger={false} label={t('reseller.life.activate')}
              title={t('reseller.life.activateTitle', { name })} message={t('reseller.life.activateText')}
              confirmLabel={t('reseller.life.activateConfirm')} class="button button-secondary"
              onConfirm={act('activate', t('reseller.life.activated'))} />
          )}
          {tenant.state === 'suspended' && (
            <ConfirmButton danger={false} label={t('reseller.life.resume')} title={t('reseller.life.resumeTitle', { name })}
              message={t('reseller.life.resumeText')} confirmLabel={t('reseller.life.resumeConfirm')}
              onConfirm={act('resume', t('reseller.life.resumed'))} />
          )}
          {canTerminate && (
            <ConfirmButton label={t('reseller.life.terminate')} title={t('reseller.life.terminateTitle', { name })}
              message={t('reseller.life.terminateText')} confirmLabel={t('reseller.life.terminateConfirm')}
              onConfirm={act('terminate', t('reseller.life.terminated'))} />
          )}
        </div>
      )}
    </section>
  );
}

function Purged({ tenant }) {
  const id = encodeURIComponent(tenant.id);
  return (
    <section class="card stack reseller-card" aria-labelledby="tenant-purged">
      <h2 id="tenant-purged">{t('reseller.life.title')}</h2>
      <Alert kind="info">{t('reseller.purged.text', { date: formatDate(tenant.purged_at) })}</Alert>
      <p>
        <a class="button" href={`/api/v1/tenants/${id}/deletion-certificate`}
          download={`certificat-suppression-${tenant.slug}.json`}>{t('reseller.purged.certificate')}</a>
      </p>
      <p><a href="/api/v1/deletion-certificates/public-key" target="_blank" rel="noopener noreferrer">{t('reseller.purged.key')}</a></p>
    </section>
  );
}

export default function TenantDetail({ params }) {
  const id = params.id;
  const operator = me.get()?.role === 'operator';
  const [tenant, setTenant] = useState(null);
  const loaded = useAsync(() => api('GET', `/api/v1/tenants/${encodeURIComponent(id)}`), [id]);
  const plans = useAsync(() => api('GET', '/api/v1/plans'), []);
  const resellers = useAsync(() => (operator ? listAll('/api/v1/resellers') : Promise.resolve([])), [operator]);
  const usage = useAsync(
    () => (tenant && tenant.state !== 'purged' ? api('GET', `/api/v1/tenants/${encodeURIComponent(id)}/usage`) : Promise.resolve(null)),
    [id, tenant?.state, tenant?.plan],
  );
  useEffect(() => { if (loaded.data) setTenant(loaded.data); }, [loaded.data]);

  const back = <Link href="/tenants" class="button button-secondary">{t('reseller.detail.back')}</Link>;
  if (loaded.error) {
    return <Page title={t('reseller.tenants.title')} actions={back}><Alert>{resellerError(loaded.error)}</Alert></Page>;
  }
  if (!tenant) return <Page title={t('reseller.tenants.title')} actions={back}><Spinner /></Page>;

  const planList = plans.data || [];
  const planName = (pid) => planList.find((p) => p.id === pid)?.name || pid;
  const resellerName = operator ? resellers.data?.find((r) => r.id === tenant.reseller_id)?.name || tenant.reseller_id : '';
  const purged = tenant.state === 'purged';

  return (
    <Page title={tenant.name} actions={back}>
      <p><TenantState state={tenant.state} /></p>
      <Alert>{resellerError(plans.error || usage.error)}</Alert>
      <div class="grid-2">
        <Details tenant={tenant} planName={planName} resellerName={resellerName} />
        {!purged && (usage.data ? <Usage usage={usage.data} /> : usage.loading ? <Spinner /> : null)}
      </div>
      {purged ? <Purged tenant={tenant} /> : (
        <>
          {tenant.state !== 'terminated' && planList.length > 0 && (
            <ChangePlan tenant={tenant} plans={planList} onChanged={setTenant} />
          )}
          <Lifecycle tenant={tenant} onChanged={setTenant} />
        </>
      )}
    </Page>
  );
}
