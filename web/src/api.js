// Calls to the relaisd API from the browser. The session travels in its HttpOnly cookie; unsafe
// calls carry the CSRF token the login left in the relais_csrf cookie. Errors are the API's
// problem+json answers, thrown as ApiError with their stable code.
import { t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code || (status === 0 ? 'network_error' : 'http_' + status);
    this.problem = problem || {};
  }
  /** A message for people: the translated code when there is one, else the server's detail. */
  get text() {
    const key = 'error.' + this.code;
    const translated = t(key, this.problem);
    return translated !== key ? translated : this.message;
  }
}

export function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)relais_csrf=([^;]*)/);
  return m ? decodeURIComponent(m[1]) : '';
}

/**
 * api('GET', '/api/v1/me'), api('POST', '/api/v1/transfers', body). A body that is a string or a
 * Blob goes as is with options.type; anything else as JSON. options.bearer sends a capability
 * token instead of the session (public pages); options.raw returns the Response.
 */
export async function api(method, path, body, options = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (options.bearer) headers.Authorization = 'Bearer ' + options.bearer;
  else if (!['GET', 'HEAD', 'OPTIONS'].includes(method)) {
    const csrf = csrfToken();
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let payload;
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof Blob) {
      payload = body;
      headers['Content-Type'] = options.type || 'text/plain; charset=utf-8';
    } else {
      payload = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal: options.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { detail: e.message });
  }
  if (options.raw && res.ok) return res;
  if (!res.ok) {
    let problem = null;
    try { problem = await res.json(); } catch { /* not JSON */ }
    throw new ApiError(res.status, problem);
  }
  if (res.status === 204 || res.status === 202 && res.headers.get('Content-Length') === '0') return null;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : res.text();
}

/** Every item of a paginated list ({items, next_cursor}), up to `max`. */
export async function listAll(path, max = 1000) {
  const items = [];
  let cursor = '';
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api('GET', path + (cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''));
    items.push(...(page.items || []));
    cursor = page.next_cursor || '';
  } while (cursor && items.length < max);
  return items;
}
