// The front end's entry: asks what this host is and who is here, then renders the page of the
// current path inside the layout.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './strings.js';
import { language, languages, setLanguage, t } from './i18n.js';
import { currentUrl, match, navigate } from './router.js';
import { hasModule, isAdmin, isPlatform, loadSession, logout, me, site } from './session.js';
import { useSignal } from './state.js';
import { Link, Page, Spinner } from './ui.jsx';
import { views } from './views.js';
import logo from './assets/logo.svg';

function allowed(access, user, s) {
  switch (access) {
    case 'public': return true;
    case 'any-user': return !!user;
    case 'user': return !!user && s.kind === 'tenant';
    case 'admin': return !!user && s.kind === 'tenant' && isAdmin(user);
    case 'platform': return !!user && s.kind === 'platform' && isPlatform(user);
    case 'operator': return !!user && s.kind === 'platform' && user.role === 'operator';
    default: return false;
  }
}

function Nav({ user, s, path }) {
  if (!user || user.totp_enrollment_required) return null;
  const items = [];
  if (s.kind === 'tenant') {
    if (hasModule(user, 'wesend')) {
      items.push(['/send', t('nav.send')], ['/sent', t('nav.sent')], ['/requests', t('nav.requests')], ['/received', t('nav.received')]);
    }
    if (isAdmin(user)) items.push(['/admin/users', t('nav.admin')]);
  } else if (isPlatform(user)) {
    items.push(['/tenants', t('nav.tenants')]);
    if (user.role === 'operator') items.push(['/resellers', t('nav.resellers')]);
  }
  return (
    <nav class="nav" aria-label={t('layout.menu')}>
      <ul>
        {items.map(([href, label]) => {
          const current = path === href || path.startsWith(href + '/') || (href === '/admin/users' && path.startsWith('/admin'));
          return <li key={href}><Link href={href} aria-current={current ? 'page' : undefined}>{label}</Link></li>;
        })}
      </ul>
    </nav>
  );
}

function LanguageSwitch() {
  const lang = useSignal(language);
  return (
    <div class="lang" role="group" aria-label={t('layout.language')}>
      {languages.map((l) => (
        <button type="button" key={l} class="lang-button" aria-pressed={l === lang ? 'true' : 'false'}
          lang={l} onClick={() => setLanguage(l)}>{l.toUpperCase()}</button>
      ))}
    </div>
  );
}

function Layout({ children, path }) {
  const s = useSignal(site);
  const user = useSignal(me);
  const title = s?.kind === 'tenant' ? s.name : 'Relais';
  const onLogout = async () => { await logout(); navigate('/login'); };
  return (
    <>
      <a class="skip-link" href="#main">{t('layout.skip')}</a>
      <header class="top">
        <div class="top-inner">
          <Link href="/" class="brand">
            {/* The branding module fills this slot and the --brand-* variables. */}
            <img class="brand-logo" src={logo} alt="" width="32" height="32" />
            <span class="brand-title">{title}</span>
          </Link>
          <Nav user={user} s={s} path={path} />
          <div class="top-tools">
            <LanguageSwitch />
            {user && (
              <div class="user-menu">
                <Link href="/account" class="user-name" title={t('layout.account')}>{user.name || user.email}</Link>
                <button type="button" class="button button-secondary button-small" onClick={onLogout}>{t('layout.logout')}</button>
              </div>
            )}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
      <footer class="bottom"><p>{t('layout.footer')}</p></footer>
    </>
  );
}

function Message({ title, text, children }) {
  return <Page title={title} narrow><p>{text}</p>{children}</Page>;
}

function Router() {
  const url = useSignal(currentUrl);
  const user = useSignal(me);
  const s = useSignal(site);
  const path = url.split('?')[0];
  const found = match(path);
  const view = found && views[found.name];
  const [loaded, setLoaded] = useState(null);

  useEffect(() => {
    let live = true;
    if (view) view.load().then((m) => live && setLoaded({ name: found.name, Component: m.default }));
    return () => { live = false; };
  }, [found?.name]);

  // Where this page sends the visitor instead: to log in, or (when the profile wants a second
  // factor first) to its enrolment, since nothing else answers until it is set up.
  let redirect = null;
  if (view && view.access !== 'public') {
    if (!user) redirect = '/login?next=' + encodeURIComponent(url);
    else if (user.totp_enrollment_required && found.name !== 'account') redirect = '/account?enrol=1';
  }
  useEffect(() => { if (redirect) navigate(redirect, { replace: true }); }, [redirect]);

  let content;
  if (redirect) return null;
  if (!view) content = <Message title={t('page.notFound')} text={t('page.notFoundText')} />;
  else if (!allowed(view.access, user, s)) content = <Message title={t('page.forbidden')} text={t('page.forbiddenText')} />;
  else if (!loaded || loaded.name !== found.name) content = <Spinner />;
  else content = <loaded.Component params={found.params} key={path} />;
  return <Layout path={path}>{content}</Layout>;
}

function Boot() {
  const [state, setState] = useState('loading');
  const start = () => {
    setState('loading');
    loadSession().then(() => setState('ready'), () => setState('down'));
  };
  useEffect(start, []);
  const s = useSignal(site);
  useSignal(language);
  if (state === 'loading') return <Spinner />;
  if (state === 'down')
    return <Layout path=""><Message title={t('site.down')} text={t('site.downText')}><button class="button" onClick={start}>{t('site.retry')}</button></Message></Layout>;
  if (s.kind === 'unknown') return <Layout path=""><Message title={t('site.unknown')} text={t('site.unknownText')} /></Layout>;
  if (s.state === 'suspended') return <Layout path=""><Message title={t('site.suspended')} text={t('site.suspendedText')} /></Layout>;
  return <Router />;
}

render(<Boot />, document.getElementById('app'));
