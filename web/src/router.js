// History-based routing over the paths of pages.js.
import { pages } from './pages.js';
import { signal } from './state.js';

export const currentUrl = signal(window.location.pathname + window.location.search);

window.addEventListener('popstate', () => currentUrl.set(window.location.pathname + window.location.search));

export function navigate(to, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  currentUrl.set(window.location.pathname + window.location.search);
  window.scrollTo(0, 0);
}

/** The page of a path and its parameters: { name, params }, or null. */
export function match(pathname) {
  const segments = pathname.split('/').filter(Boolean);
  let best = null;
  for (const [pattern, name] of Object.entries(pages)) {
    const parts = pattern.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params = {};
    let literal = 0;
    const ok = parts.every((p, i) => {
      if (p.startsWith('{')) {
        params[p.slice(1, -1)] = decodeURIComponent(segments[i]);
        return true;
      }
      literal++;
      return p === segments[i];
    });
    if (ok && (!best || literal > best.literal)) best = { name, params, literal };
  }
  return best;
}

export function queryParam(name) {
  return new URLSearchParams(window.location.search).get(name) || '';
}
