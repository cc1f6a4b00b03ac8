// Who is here: what this host is (/api/v1/site) and who is logged in (/api/v1/me).
import { api, ApiError } from './api.js';
import { languageChosen, setLanguage } from './i18n.js';
import { signal } from './state.js';

export const site = signal(null);
export const me = signal(null);

export async function loadSession() {
  const [s] = await Promise.all([api('GET', '/api/v1/site'), refreshMe()]);
  site.set(s);
  if (!languageChosen() && s.language) setLanguage(s.language, false);
}

export async function refreshMe() {
  try {
    me.set(await api('GET', '/api/v1/me'));
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 404 || e.status === 403)) me.set(null);
    else throw e;
  }
  return me.get();
}

export async function logout() {
  try { await api('POST', '/api/v1/auth/logout'); } catch { /* the cookie is cleared anyway */ }
  me.set(null);
}

export const isAdmin = (user) => user?.role === 'tenant_admin';
export const isPlatform = (user) => user && (user.role === 'operator' || user.role === 'reseller_admin');
export const hasModule = (user, m) => !!user?.tenant?.modules?.includes(m);
