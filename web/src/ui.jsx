// Shared building blocks. Text always goes through JSX children or attributes, which Preact
// escapes: no innerHTML anywhere in the front end.
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import { navigate } from './router.js';
import { site } from './session.js';
import { t } from './i18n.js';

export function Link({ href, children, ...rest }) {
  const onClick = (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={onClick} {...rest}>{children}</a>;
}

/** A page: its title in the tab and in an h1 that takes the focus when the page opens. */
export function Page({ title, children, actions, narrow }) {
  const heading = useRef(null);
  useEffect(() => {
    const name = site.get()?.name || 'Relais';
    document.title = title ? `${title} · ${name}` : name;
    heading.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <section class={narrow ? 'page page-narrow' : 'page'}>
      <div class="page-head">
        <h1 tabIndex={-1} ref={heading}>{title}</h1>
        {actions && <div class="page-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

/** A labelled input, textarea or select; `error` and `hint` are tied to it for screen readers. */
export function Field({ label, hint, error, as = 'input', children, id, ...rest }) {
  const own = useId();
  const fid = id || own;
  const described = [hint && `${fid}-hint`, error && `${fid}-error`].filter(Boolean).join(' ') || undefined;
  const Tag = as;
  const isCheck = rest.type === 'checkbox' || rest.type === 'radio';
  const control = (
    <Tag id={fid} aria-describedby={described} aria-invalid={error ? 'true' : undefined} {...rest}>
      {children}
    </Tag>
  );
  return (
    <div class={isCheck ? 'field field-check' : 'field'}>
      {isCheck ? control : null}
      <label for={fid}>{label}{rest.required && !isCheck ? <span class="required" aria-hidden="true"> *</span> : null}</label>
      {isCheck ? null : control}
      {hint && <p class="hint" id={`${fid}-hint`}>{hint}</p>}
      {error && <p class="field-error" id={`${fid}-error`}>{error}</p>}
    </div>
  );
}

export function Alert({ kind = 'error', children }) {
  if (!children) return null;
  return <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>{children}</div>;
}

/** The message of an error for people: ApiError.text, else its message. */
export function errorText(e) {
  if (!e) return '';
  return e.text || e.message || String(e);
}

export function Spinner({ label }) {
  return <p class="loading" role="status"><span class="spinner" aria-hidden="true" />{label || t('common.loading')}</p>;
}

export function Progress({ value, max = 1, label }) {
  return <progress value={value} max={max} aria-label={label}>{Math.round((value / max) * 100)} %</progress>;
}

/** A read-only value with a copy button; says "Copié" to screen readers too. */
export function CopyField({ label, value }) {
  const id = useId();
  const input = useRef(null);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      input.current.select();
      document.execCommand('copy');
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <div class="field copy-field">
      <label for={id}>{label}</label>
      <div class="input-row">
        <input id={id} ref={input} readOnly value={value} onFocus={(e) => e.target.select()} />
        <button type="button" class="button" onClick={copy}>{copied ? t('common.copied') : t('common.copy')}</button>
      </div>
      <span class="visually-hidden" role="status">{copied ? t('common.copied') : ''}</span>
    </div>
  );
}

/** A button that asks before it acts, in a modal dialog (Escape cancels). */
export function ConfirmButton({ label, title, message, confirmLabel, onConfirm, danger = true, class: cls }) {
  const dialog = useRef(null);
  const titleId = useId();
  const { submit: confirm, busy, error, setError } = useSubmit(async () => {
    await onConfirm();
    dialog.current?.close();
  });
  const open = () => { setError(null); dialog.current.showModal(); };
  return (
    <>
      <button type="button" class={cls || (danger ? 'button button-danger' : 'button')} onClick={open}>{label}</button>
      <dialog ref={dialog} class="dialog" aria-labelledby={titleId}>
        <form method="dialog" onSubmit={confirm}>
          <h2 id={titleId}>{title || label}</h2>
          {message && <p>{message}</p>}
          <Alert>{errorText(error)}</Alert>
          <div class="actions">
            <button type="button" class="button button-secondary" onClick={() => dialog.current.close()}>{t('common.cancel')}</button>
            <button type="submit" class={danger ? 'button button-danger' : 'button'} disabled={busy}>{confirmLabel || label}</button>
          </div>
        </form>
      </dialog>
    </>
  );
}

/** Runs an async loader on mount and when deps change: { data, error, loading, reload }. */
export function useAsync(loader, deps = []) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const run = useCallback(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    loader().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error, loading: false }),
    );
    return () => { live = false; };
  }, deps);
  useEffect(run, [run]);
  return { ...state, reload: run };
}

/** A pill for a state: active, expired, revoked... */
export function Badge({ kind, children }) {
  return <span class={`badge badge-${kind}`}>{children}</span>;
}

export function Empty({ children }) {
  return <p class="empty">{children}</p>;
}

/**
 * A form's submission: `submit` (an onSubmit handler) prevents the page load, runs `action`,
 * keeps `busy` while it runs and the error it throws for an Alert.
 */
export function useSubmit(action) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e?.preventDefault?.();
    setBusy(true);
    setError(null);
    try {
      await action(e);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { submit, busy, error, setError };
}

/**
 * A table with its headers, which turns into labelled cards on a phone. `columns`:
 * [{ label, cell: (row) => content, num?: true (right-aligned), hideLabel?: true, class? }].
 */
export function DataTable({ columns, rows, rowKey = (row) => row.id, caption, class: cls, busy }) {
  return (
    <div class="table-wrap" aria-busy={busy ? 'true' : undefined}>
      <table class={cls ? `responsive ${cls}` : 'responsive'}>
        {caption && <caption class="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" class={c.num ? 'num' : undefined}>
                {c.hideLabel ? <span class="visually-hidden">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c, i) => (
                <td key={i} data-label={c.hideLabel ? undefined : c.label} class={[c.num && 'num', c.class].filter(Boolean).join(' ') || undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What a loaded list shows while loading, on error and when empty; else `children`. */
export function ListState({ state, empty, isEmpty, children, formatError = errorText }) {
  if (state.error) return <Alert>{formatError(state.error)}</Alert>;
  if (state.loading && !state.data) return <Spinner />;
  if (isEmpty) return <Empty>{empty}</Empty>;
  return children;
}
