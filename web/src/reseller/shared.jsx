// What the reseller console's pages share: state badges, plan descriptions, the first-admin
// fields and the answer that shows a created account, storage sizes in the catalogue's units,
// error messages for the platform's error codes, and the card of a creation form and of its
// result.
import { useEffect, useRef, useState } from 'preact/hooks';
import { addStrings, locale, t } from '../i18n.js';
import { formatAmount, formatBytes, formatNumber, formatPercent } from '../format.js';
import { Alert, Badge, CopyField, errorText, Field, useSubmit } from '../ui.jsx';

addStrings({
  fr: {
    'reseller.state.active': 'Active',
    'reseller.state.trial': 'Essai',
    'reseller.state.suspended': 'Suspendue',
    'reseller.state.terminated': 'Résiliée',
    'reseller.state.purged': 'Supprimée',
    'reseller.resellerState.active': 'Actif',
    'reseller.resellerState.suspended': 'Suspendu',
    'reseller.module.wesend': 'Échange de fichiers',
    'reseller.module.sante': 'Données de santé (HDS)',
    'reseller.module.ldapsync': 'Synchronisation LDAP',
    'reseller.module.branding': 'Personnalisation',
    'reseller.module.billing': 'Facturation',
    'reseller.module.sla': 'Engagement de service (SLA)',
    'reseller.plan.free': 'gratuit',
    'reseller.plan.monthly': '{amount} HT/mois',
    'reseller.plan.option': '{name} — {licences} licences, {storage}, {price}',
    'reseller.plan.licences': 'Licences',
    'reseller.plan.storage': 'Stockage',
    'reseller.plan.modules': 'Modules',
    'reseller.plan.monthlyPrice': 'Prix mensuel',
    'reseller.plan.annualPrice': 'Prix annuel',
    'reseller.plan.extraLicence': 'Licence supplémentaire',
    'reseller.plan.extraGb': 'Go supplémentaire',
    'reseller.plan.price': '{ht} HT ({ttc} TTC, TVA {vat} %)',
    'reseller.plan.perMonth': '{price} par mois',
    'reseller.admin.legend': 'Premier administrateur',
    'reseller.admin.name': 'Nom de l’administrateur',
    'reseller.admin.email': 'Adresse e-mail de l’administrateur',
    'reseller.admin.access': 'Accès de l’administrateur',
    'reseller.admin.invite': 'Envoyer une invitation par e-mail (il choisit son mot de passe)',
    'reseller.admin.generate': 'Générer un mot de passe, affiché une seule fois',
    'reseller.admin.invited': 'Une invitation a été envoyée à {email}.',
    'reseller.admin.password': 'Mot de passe de {email}',
    'reseller.admin.passwordOnce': 'Notez ce mot de passe et transmettez-le par un canal sûr : il ne sera plus affiché.',
    'reseller.admin.active': 'Le compte {email} est actif.',
    'reseller.storage.unlimited': 'illimité',
    'reseller.reason.reseller_suspended': 'Le compte du revendeur est suspendu.',
    'reseller.reason.trial_ended': 'La période d’essai est terminée.',
    'reseller.error.plan_too_small': 'Cette offre est trop petite : l’organisation a plus d’utilisateurs ou de données que l’offre n’en permet.',
    'reseller.error.invalid_state': 'Cette action n’est pas possible dans l’état actuel de l’organisation.',
    'reseller.error.reseller_suspended': 'Le compte du revendeur est suspendu : réactivez-le d’abord.',
    'reseller.error.reseller_suspended_self': 'Votre compte de revendeur est suspendu : contactez l’opérateur de la plateforme.',
    'reseller.error.name_taken': 'Un revendeur porte déjà ce nom.',
    'reseller.error.hostname_taken': 'Ce nom d’hôte appartient à une autre organisation.',
    'reseller.error.slug_taken': 'Cet identifiant est déjà pris : choisissez-en un autre.',
    'reseller.error.email_taken': 'Cette adresse e-mail a déjà un compte ici.',
    'reseller.error.invalid_field': 'Un champ n’est pas valide : corrigez-le et réessayez.',
    'reseller.error.not_found': 'Cette organisation n’existe pas, ou vous n’y avez pas accès.',
    'reseller.invalid.slug': 'De 3 à 40 caractères parmi a-z, 0-9 et « - », sans « - » au début ni à la fin, sans « -- », et pas un mot réservé (www, admin, mail…).',
    'reseller.invalid.name': 'De 1 à 200 caractères.',
    'reseller.invalid.plan': 'Choisissez une offre.',
    'reseller.invalid.siren': 'Un SIREN a 9 chiffres, avec une clé de contrôle correcte.',
    'reseller.invalid.email': 'Cette adresse e-mail n’est pas valide.',
    'reseller.invalid.contact_email': 'Cette adresse e-mail n’est pas valide.',
    'reseller.invalid.reseller_id': 'Choisissez un revendeur.',
    'reseller.invalid.password': 'Ce mot de passe n’est pas accepté.',
    'reseller.required': 'Ce champ est obligatoire.',
    'reseller.usage.summary': '{used} / {limit} ({pct})',
    'reseller.usage.bar': '{label} : {summary}',
    'reseller.badEmail': 'Saisissez une adresse e-mail complète, par exemple nom@exemple.fr.',
    'reseller.checkFields': 'Vérifiez les champs signalés.',
  },
  en: {
    'reseller.state.active': 'Active',
    'reseller.state.trial': 'Trial',
    'reseller.state.suspended': 'Suspended',
    'reseller.state.terminated': 'Terminated',
    'reseller.state.purged': 'Deleted',
    'reseller.resellerState.active': 'Active',
    'reseller.resellerState.suspended': 'Suspended',
    'reseller.module.wesend': 'File exchange',
    'reseller.module.sante': 'Health data (HDS)',
    'reseller.module.ldapsync': 'LDAP synchronisation',
    'reseller.module.branding': 'Branding',
    'reseller.module.billing': 'Billing',
    'reseller.module.sla': 'Service level agreement (SLA)',
    'reseller.plan.free': 'free',
    'reseller.plan.monthly': '{amount} excl. VAT/month',
    'reseller.plan.option': '{name} — {licences} licences, {storage}, {price}',
    'reseller.plan.licences': 'Licences',
    'reseller.plan.storage': 'Storage',
    'reseller.plan.modules': 'Modules',
    'reseller.plan.monthlyPrice': 'Monthly price',
    'reseller.plan.annualPrice': 'Annual price',
    'reseller.plan.extraLicence': 'Extra licence',
    'reseller.plan.extraGb': 'Extra GB',
    'reseller.plan.price': '{ht} excl. VAT ({ttc} incl. VAT, VAT {vat}%)',
    'reseller.plan.perMonth': '{price} per month',
    'reseller.admin.legend': 'First administrator',
    'reseller.admin.name': 'Administrator’s name',
    'reseller.admin.email': 'Administrator’s e-mail address',
    'reseller.admin.access': 'Administrator’s access',
    'reseller.admin.invite': 'Send an invitation by e-mail (they choose their password)',
    'reseller.admin.generate': 'Generate a password, shown only once',
    'reseller.admin.invited': 'An invitation was sent to {email}.',
    'reseller.admin.password': 'Password of {email}',
    'reseller.admin.passwordOnce': 'Write this password down and pass it on safely: it will not be shown again.',
    'reseller.admin.active': 'The account {email} is active.',
    'reseller.storage.unlimited': 'unlimited',
    'reseller.reason.reseller_suspended': 'The reseller’s account is suspended.',
    'reseller.reason.trial_ended': 'The trial period is over.',
    'reseller.error.plan_too_small': 'This plan is too small: the organisation has more users or data than it allows.',
    'reseller.error.invalid_state': 'This is not possible in the organisation’s current state.',
    'reseller.error.reseller_suspended': 'The reseller’s account is suspended: resume it first.',
    'reseller.error.reseller_suspended_self': 'Your reseller account is suspended: contact the platform’s operator.',
    'reseller.error.name_taken': 'A reseller already has this name.',
    'reseller.error.hostname_taken': 'This host name belongs to another organisation.',
    'reseller.error.slug_taken': 'This identifier is taken: choose another one.',
    'reseller.error.email_taken': 'This e-mail address already has an account here.',
    'reseller.error.invalid_field': 'A field is not valid: correct it and try again.',
    'reseller.error.not_found': 'This organisation does not exist, or you may not see it.',
    'reseller.invalid.slug': '3 to 40 characters among a-z, 0-9 and “-”, no “-” at either end, no “--”, and not a reserved word (www, admin, mail…).',
    'reseller.invalid.name': '1 to 200 characters.',
    'reseller.invalid.plan': 'Choose a plan.',
    'reseller.invalid.siren': 'A SIREN has 9 digits with a correct check digit.',
    'reseller.invalid.email': 'This e-mail address is not valid.',
    'reseller.invalid.contact_email': 'This e-mail address is not valid.',
    'reseller.invalid.reseller_id': 'Choose a reseller.',
    'reseller.invalid.password': 'This password is not accepted.',
    'reseller.required': 'This field is required.',
    'reseller.usage.summary': '{used} / {limit} ({pct})',
    'reseller.usage.bar': '{label}: {summary}',
    'reseller.badEmail': 'Enter a full e-mail address, such as name@example.com.',
    'reseller.checkFields': 'Check the fields marked.',
  },
});

const stateKinds = { active: 'ok', trial: 'warn', suspended: 'danger', terminated: 'neutral', purged: 'neutral' };

/** A tenant's state as a coloured pill; the text says it, the colour only repeats it. */
export function TenantState({ state }) {
  const key = 'reseller.state.' + state;
  const text = t(key);
  return <Badge kind={stateKinds[state] || 'neutral'}>{text === key ? state : text}</Badge>;
}

export function ResellerState({ state }) {
  const key = 'reseller.resellerState.' + state;
  const text = t(key);
  return <Badge kind={state === 'active' ? 'ok' : 'danger'}>{text === key ? state : text}</Badge>;
}

/** The reason a tenant is suspended: the platform's own reasons translated, else as given. */
export function reasonText(reason) {
  if (!reason) return '';
  const key = 'reseller.reason.' + reason;
  const text = t(key);
  return text === key ? reason : text;
}

export function moduleName(id) {
  const key = 'reseller.module.' + id;
  const text = t(key);
  return text === key ? id : text;
}


/**
 * A size in the catalogue's units, 1 Go = 10^9 octets (tenants/plans.json and the reseller
 * guide count so): a 100 Go plan shows as "100 Go", not "93,1 Go".
 */

/** "49,00 € HT/mois", or "gratuit". */
export function planPrice(plan) {
  const cents = plan?.prices?.monthly_cents || 0;
  if (!cents) return t('reseller.plan.free');
  return t('reseller.plan.monthly', { amount: formatAmount(cents, plan.prices.currency || 'EUR') });
}

export function planOption(plan) {
  return t('reseller.plan.option', {
    name: plan.name, licences: formatNumber(plan.licences), storage: formatBytes(plan.storage_bytes), price: planPrice(plan),
  });
}

/** An amount excluding VAT with its VAT-included value: "49,00 € HT (58,80 € TTC, TVA 20 %)". */
export function priceWithVat(cents, prices) {
  const vat = prices?.vat_percent ?? 20;
  const currency = prices?.currency || 'EUR';
  if (!cents) return t('reseller.plan.free');
  return t('reseller.plan.price', {
    ht: formatAmount(cents, currency),
    ttc: formatAmount(Math.round(cents * (100 + vat) / 100), currency),
    vat: formatNumber(vat, 2),
  });
}

/** What a plan offers and costs. */
export function PlanSummary({ plan }) {
  if (!plan) return null;
  const p = plan.prices || {};
  return (
    <dl class="meta">
      <dt>{t('reseller.plan.licences')}</dt><dd>{formatNumber(plan.licences)}</dd>
      <dt>{t('reseller.plan.storage')}</dt><dd>{formatBytes(plan.storage_bytes)}</dd>
      <dt>{t('reseller.plan.modules')}</dt><dd>{(plan.modules || []).map(moduleName).join(', ') || t('common.none')}</dd>
      <dt>{t('reseller.plan.monthlyPrice')}</dt><dd>{priceWithVat(p.monthly_cents, p)}</dd>
      <dt>{t('reseller.plan.annualPrice')}</dt><dd>{priceWithVat(p.annual_cents, p)}</dd>
      {p.extra_licence_cents ? <><dt>{t('reseller.plan.extraLicence')}</dt><dd>{t('reseller.plan.perMonth', { price: priceWithVat(p.extra_licence_cents, p) })}</dd></> : null}
      {p.extra_gb_cents ? <><dt>{t('reseller.plan.extraGb')}</dt><dd>{t('reseller.plan.perMonth', { price: priceWithVat(p.extra_gb_cents, p) })}</dd></> : null}
    </dl>
  );
}

/** A message for an API error: this area's codes first, then the shared ones (ApiError.text). */
export function resellerError(e) {
  if (!e) return '';
  if (e.code) {
    // 403: the caller's own reseller account is suspended; 409: the tenant's reseller is.
    const key = 'reseller.error.' + e.code + (e.code === 'reseller_suspended' && e.status === 403 ? '_self' : '');
    const text = t(key);
    if (text !== key) return text;
  }
  return errorText(e);
}

/**
 * The errors of a 400 invalid_field (or a 409 naming a field) by field name, in words for
 * people: { slug: '…', email: '…' }. The server's English message is kept for a field we have
 * no sentence for.
 */
export function fieldErrors(e) {
  const out = {};
  for (const item of e?.problem?.errors || []) {
    const field = String(item.field || '').replace(/^admin\./, '');
    if (e.code === 'slug_taken' && field === 'slug') out.slug = t('reseller.error.slug_taken');
    else if (e.code === 'email_taken' && field === 'email') out.email = t('reseller.error.email_taken');
    else if (e.code === 'name_taken' && field === 'name') out.name = t('reseller.error.name_taken');
    else {
      const key = 'reseller.invalid.' + field;
      const text = t(key);
      out[field] = text === key ? item.message : text;
    }
  }
  return out;
}

/** The first admin of a tenant or a reseller: name, e-mail, and how they get in. */
export function AdminFields({ value, onChange, errors = {}, idPrefix, legend }) {
  const set = (k) => (e) => onChange({ ...value, [k]: e.target.value });
  return (
    <fieldset class="stack reseller-fieldset">
      <legend>{legend || t('reseller.admin.legend')}</legend>
      <div class="row reseller-row">
        <Field label={t('reseller.admin.name')} required autocomplete="off" value={value.name}
          maxLength={200} onInput={set('name')} error={errors.adminName} />
        <Field label={t('reseller.admin.email')} type="email" required autocomplete="off" value={value.email}
          maxLength={254} onInput={set('email')} error={errors.adminEmail} />
      </div>
      <div role="radiogroup" aria-label={t('reseller.admin.access')} class="reseller-choices">
        <Field label={t('reseller.admin.invite')} type="radio" name={`${idPrefix}-access`} value="invite"
          checked={value.access === 'invite'} onChange={set('access')} />
        <Field label={t('reseller.admin.generate')} type="radio" name={`${idPrefix}-access`} value="generate"
          checked={value.access === 'generate'} onChange={set('access')} />
      </div>
    </fieldset>
  );
}

/** The blank or malformed fields of a form, before asking the server: { key: message }. */
export function checkRequired(fields) {
  const out = {};
  for (const [key, value, kind] of fields) {
    const v = (value || '').trim();
    if (!v) out[key] = t('reseller.required');
    else if (kind === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) out[key] = t('reseller.badEmail');
  }
  return out;
}

export const emptyAdmin = () => ({ name: '', email: '', access: 'invite' });

/** The account spec the API takes: no password for an invitation, "generate" for a password. */
export function adminSpec(a) {
  const spec = { email: a.email.trim(), name: a.name.trim() };
  if (a.access === 'generate') spec.password = 'generate';
  return spec;
}

/** What the server answered about the created account, as it gave it. */
export function CreatedAdmin({ admin }) {
  if (!admin) return null;
  if (admin.password) {
    return (
      <div class="stack">
        <CopyField label={t('reseller.admin.password', { email: admin.email })} value={admin.password} />
        <Alert kind="warn">{t('reseller.admin.passwordOnce')}</Alert>
      </div>
    );
  }
  if (admin.state === 'invited') return <p>{t('reseller.admin.invited', { email: admin.email })}</p>;
  return <p>{t('reseller.admin.active', { email: admin.email })}</p>;
}

/** A usage bar: "3 / 25 licences", with its share for screen readers. */
export function UsageBar({ label, used, limit, usedText, limitText }) {
  const ratio = limit > 0 ? used / limit : 0;
  const pct = Math.min(100, Math.max(0, ratio * 100));
  const over = limit > 0 && used >= limit;
  const summary = t('reseller.usage.summary', { used: usedText, limit: limitText, pct: formatPercent(ratio) });
  return (
    <div class="usage">
      <div class="usage-head"><strong>{label}</strong> <span>{summary}</span></div>
      <div class={over ? 'bar over' : 'bar'} role="img" aria-label={t('reseller.usage.bar', { label, summary })}>
        <span style={{ width: pct + '%' }} />
      </div>
    </div>
  );
}

/** Focuses the heading of a card when it opens. */
export function useFocusOnMount() {
  const ref = useRef(null);
  useEffect(() => { ref.current?.focus(); }, []);
  return ref;
}

/**
 * A creation form's submission (useSubmit's, with `errors` by field): `check()` gives the blank
 * or malformed fields ({} when none), then `action()` asks the server; the server's field errors
 * go through `serverErrors` to the form's fields (the admin's e-mail is `adminEmail` here).
 */
export function useCheckedSubmit(check, action, serverErrors = (fe) => ({ ...fe, adminEmail: fe.email })) {
  const [errors, setErrors] = useState({});
  const submission = useSubmit(async () => {
    const local = check();
    setErrors(local);
    if (Object.keys(local).length) throw new Error(t('reseller.checkFields'));
    try {
      await action();
    } catch (err) {
      setErrors(serverErrors(fieldErrors(err)));
      throw err;
    }
  });
  return { ...submission, errors };
}

/** A form in a card: its heading (focused when it opens), its error, its fields, Cancel and submit. */
export function ResellerForm({ id, title, form, submitLabel, onCancel, children }) {
  const heading = useFocusOnMount();
  return (
    <form class="card stack reseller-card" onSubmit={form.submit} noValidate aria-labelledby={id}>
      <h2 id={id} tabIndex={-1} ref={heading}>{title}</h2>
      <Alert>{resellerError(form.error)}</Alert>
      {children}
      <div class="actions">
        <button type="button" class="button button-secondary" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" class="button" disabled={form.busy}>{submitLabel}</button>
      </div>
    </form>
  );
}

/** What a creation made: its heading (focused), `text`, `children`, how its admin gets in, `actions`. */
export function CreatedCard({ id, title, text, admin, actions, children }) {
  const heading = useFocusOnMount();
  return (
    <section class="card stack reseller-card" aria-labelledby={id}>
      <h2 id={id} tabIndex={-1} ref={heading}>{title}</h2>
      <Alert kind="ok">{text}</Alert>
      {children}
      <CreatedAdmin admin={admin} />
      <div class="actions">{actions}</div>
    </section>
  );
}
