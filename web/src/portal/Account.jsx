// My account: name and language, password, second factor (QR code drawn here, from the secret,
// never sent to a third party) with recovery codes, and my sessions.
import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import { api } from '../api.js';
import { addStrings, setLanguage, t } from '../i18n.js';
import { formatDate } from '../format.js';
import { queryParam } from '../router.js';
import { me, refreshMe } from '../session.js';
import { Alert, Badge, ConfirmButton, DataTable, errorText, Field, ListState, Page, useAsync, useSubmit } from '../ui.jsx';

addStrings({
  fr: {
    'account.title': 'Mon compte',
    'account.profile': 'Profil',
    'account.language': 'Langue des e-mails et des pages',
    'account.french': 'Français',
    'account.english': 'Anglais',
    'account.password': 'Mot de passe',
    'account.current': 'Mot de passe actuel',
    'account.changePassword': 'Changer le mot de passe',
    'account.passwordChanged': 'Mot de passe changé. Vos autres sessions ont été fermées.',
    'account.totp': 'Double authentification',
    'account.totpOn': 'Activée',
    'account.totpOff': 'Désactivée',
    'account.totpRequired': 'Votre profil exige la double authentification : activez-la pour continuer.',
    'account.totpStart': 'Activer la double authentification',
    'account.totpScan': 'Scannez ce code avec votre application d’authentification (FreeOTP, Aegis, Google Authenticator…), puis saisissez le code à 6 chiffres qu’elle affiche.',
    'account.totpQr': 'QR code à scanner avec l’application d’authentification',
    'account.totpSecret': 'Ou saisissez cette clé à la main',
    'account.totpCode': 'Code à 6 chiffres',
    'account.totpConfirm': 'Confirmer',
    'account.totpDone': 'Double authentification activée.',
    'account.recovery': 'Codes de secours',
    'account.recoveryText': 'Chaque code sert une seule fois si vous perdez votre téléphone. Conservez-les en lieu sûr : ils ne seront plus affichés.',
    'account.recoveryDownload': 'Télécharger les codes (.txt)',
    'account.totpDisable': 'Désactiver la double authentification',
    'account.totpDisableText': 'Saisissez votre mot de passe pour désactiver la double authentification.',
    'account.sessions': 'Mes sessions',
    'account.sessionCurrent': 'Cette session',
    'account.sessionSeen': 'Dernière activité',
    'account.sessionRevoke': 'Fermer',
    'account.sessionRevokeText': 'L’appareil de cette session devra se reconnecter.',
    'account.device': 'Appareil',
    'account.address': 'Adresse IP',
  },
  en: {
    'account.title': 'My account',
    'account.profile': 'Profile',
    'account.language': 'Language of e-mails and pages',
    'account.french': 'French',
    'account.english': 'English',
    'account.password': 'Password',
    'account.current': 'Current password',
    'account.changePassword': 'Change the password',
    'account.passwordChanged': 'Password changed. Your other sessions were closed.',
    'account.totp': 'Two-factor authentication',
    'account.totpOn': 'On',
    'account.totpOff': 'Off',
    'account.totpRequired': 'Your profile requires two-factor authentication: turn it on to continue.',
    'account.totpStart': 'Turn on two-factor authentication',
    'account.totpScan': 'Scan this code with your authenticator app (FreeOTP, Aegis, Google Authenticator…), then enter the 6-digit code it shows.',
    'account.totpQr': 'QR code to scan with the authenticator app',
    'account.totpSecret': 'Or type this key by hand',
    'account.totpCode': '6-digit code',
    'account.totpConfirm': 'Confirm',
    'account.totpDone': 'Two-factor authentication is on.',
    'account.recovery': 'Recovery codes',
    'account.recoveryText': 'Each code works once if you lose your phone. Keep them somewhere safe: they will not be shown again.',
    'account.recoveryDownload': 'Download the codes (.txt)',
    'account.totpDisable': 'Turn off two-factor authentication',
    'account.totpDisableText': 'Enter your password to turn off two-factor authentication.',
    'account.sessions': 'My sessions',
    'account.sessionCurrent': 'This session',
    'account.sessionSeen': 'Last active',
    'account.sessionRevoke': 'Close',
    'account.sessionRevokeText': 'The device of this session will have to log in again.',
    'account.device': 'Device',
    'account.address': 'IP address',
  },
});

function Profile({ user }) {
  const [name, setName] = useState(user.name || '');
  const [language, setLang] = useState(user.language || 'fr');
  const [saved, setSaved] = useState(false);
  const { submit, busy, error } = useSubmit(async () => {
    setSaved(false);
    await api('PATCH', '/api/v1/me', { name, language });
    setLanguage(language);
    await refreshMe();
    setSaved(true);
  });
  return (
    <form class="card stack" onSubmit={submit}>
      <h2>{t('account.profile')}</h2>
      {saved && <Alert kind="ok">{t('common.saved')}</Alert>}
      <Alert>{errorText(error)}</Alert>
      <Field label={t('common.email')} value={user.email} readOnly />
      <Field label={t('common.name')} value={name} maxLength={200} autocomplete="name" onInput={(e) => setName(e.target.value)} />
      <Field as="select" label={t('account.language')} value={language} onChange={(e) => setLang(e.target.value)}>
        <option value="fr">{t('account.french')}</option>
        <option value="en">{t('account.english')}</option>
      </Field>
      <div class="actions"><button class="button" type="submit" disabled={busy}>{t('common.save')}</button></div>
    </form>
  );
}

function PasswordChange() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [changed, setChanged] = useState(false);
  const { submit, busy, error } = useSubmit(async () => {
    setChanged(false);
    setMismatch(next !== again);
    if (next !== again) return;
    await api('POST', '/api/v1/me/password', { current_password: current, new_password: next });
    setCurrent(''); setNext(''); setAgain('');
    setChanged(true);
  });
  return (
    <form class="card stack" onSubmit={submit}>
      <h2>{t('account.password')}</h2>
      {changed && <Alert kind="ok">{t('account.passwordChanged')}</Alert>}
      <Alert>{errorText(error)}</Alert>
      <Field label={t('account.current')} type="password" autocomplete="current-password" required value={current} onInput={(e) => setCurrent(e.target.value)} />
      <Field label={t('password.new')} hint={t('password.newHint')} type="password" autocomplete="new-password" required minLength={12} value={next} onInput={(e) => setNext(e.target.value)} />
      <Field label={t('password.confirm')} type="password" autocomplete="new-password" required value={again}
        error={mismatch ? t('password.mismatch') : null} onInput={(e) => setAgain(e.target.value)} />
      <div class="actions"><button class="button" type="submit" disabled={busy}>{t('account.changePassword')}</button></div>
    </form>
  );
}

function RecoveryCodes({ codes }) {
  const [href, setHref] = useState('');
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([codes.join('\n') + '\n'], { type: 'text/plain' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [codes]);
  return (
    <div class="stack">
      <h3>{t('account.recovery')}</h3>
      <p>{t('account.recoveryText')}</p>
      <ul class="codes" data-testid="recovery-codes">{codes.map((c) => <li key={c}>{c}</li>)}</ul>
      <div><a class="button button-secondary" href={href} download="relais-codes-de-secours.txt">{t('account.recoveryDownload')}</a></div>
    </div>
  );
}

function SecondFactor({ user }) {
  const [enrolment, setEnrolment] = useState(null);
  const [qr, setQr] = useState('');
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState(null);
  const [error, setError] = useState(null);
  const [password, setPassword] = useState('');
  const start = async () => {
    setError(null);
    try {
      const e = await api('POST', '/api/v1/me/totp');
      setEnrolment(e);
      setQr(await QRCode.toDataURL(e.otpauth_uri, { margin: 1, width: 220, errorCorrectionLevel: 'M' }));
    } catch (err) {
      setError(err);
    }
  };
  const confirm = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await api('POST', '/api/v1/me/totp/confirm', { code: code.replace(/\s/g, '') });
      setCodes(r.recovery_codes);
      setEnrolment(null);
      await refreshMe();
    } catch (err) {
      setError(err);
    }
  };
  const disable = async () => {
    await api('POST', '/api/v1/me/totp/disable', { password });
    setPassword('');
    await refreshMe();
  };
  return (
    <section class="card stack">
      <h2>{t('account.totp')} <Badge kind={user.totp_enabled ? 'ok' : 'warn'}>{user.totp_enabled ? t('account.totpOn') : t('account.totpOff')}</Badge></h2>
      {(user.totp_enrollment_required || queryParam('enrol')) && !user.totp_enabled && <Alert kind="warn">{t('account.totpRequired')}</Alert>}
      <Alert>{errorText(error)}</Alert>
      {codes && <><Alert kind="ok">{t('account.totpDone')}</Alert><RecoveryCodes codes={codes} /></>}
      {!user.totp_enabled && !enrolment && <div><button type="button" class="button" onClick={start}>{t('account.totpStart')}</button></div>}
      {enrolment && (
        <form class="stack" onSubmit={confirm}>
          <p>{t('account.totpScan')}</p>
          {qr && <img class="qr" src={qr} alt={t('account.totpQr')} width="220" height="220" />}
          <p>{t('account.totpSecret')} : <code data-testid="totp-secret">{enrolment.secret}</code></p>
          <Field label={t('account.totpCode')} inputMode="numeric" autocomplete="one-time-code" required value={code} onInput={(e) => setCode(e.target.value)} />
          <div class="actions"><button class="button" type="submit">{t('account.totpConfirm')}</button></div>
        </form>
      )}
      {user.totp_enabled && !codes && (
        <div class="stack">
          <Field label={t('common.password')} type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.target.value)} />
          <div><ConfirmButton label={t('account.totpDisable')} message={t('account.totpDisableText')} onConfirm={disable} /></div>
        </div>
      )}
    </section>
  );
}

function Sessions() {
  const list = useAsync(() => api('GET', '/api/v1/me/sessions'), []);
  return (
    <section class="card">
      <h2>{t('account.sessions')}</h2>
      <ListState state={list}>
        <DataTable rows={list.data?.items || []} columns={[
          { label: t('account.device'), cell: (s) => (s.user_agent || '—').slice(0, 90) },
          { label: t('account.address'), cell: (s) => s.ip },
          { label: t('account.sessionSeen'), cell: (s) => formatDate(s.last_seen_at) },
          { label: t('common.actions'), hideLabel: true, cell: (s) => (s.current ? <Badge kind="ok">{t('account.sessionCurrent')}</Badge> : (
            <ConfirmButton class="button button-secondary button-small" label={t('account.sessionRevoke')} message={t('account.sessionRevokeText')}
              onConfirm={async () => { await api('DELETE', `/api/v1/me/sessions/${encodeURIComponent(s.id)}`); list.reload(); }} />
          )) },
        ]} />
      </ListState>
    </section>
  );
}

export default function Account() {
  const user = me.get();
  // Until a second factor the profile requires is set up, only its enrolment is open. The
  // enrolment keeps its place in the page, so its recovery codes stay shown once it is done.
  const pending = user.totp_enrollment_required;
  return (
    <Page title={t('account.title')}>
      {!pending && (
        <div class="grid-2">
          <Profile user={user} />
          <PasswordChange />
        </div>
      )}
      <SecondFactor user={user} />
      {!pending && <Sessions />}
    </Page>
  );
}
