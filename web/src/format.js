// French formats first: 1,5 Mo (decimal units), 26 novembre 2026 à 16:33, 1 234,50 €.
import { language, locale } from './i18n.js';

const units = { fr: ['o', 'ko', 'Mo', 'Go', 'To', 'Po'], en: ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] };

/** Decimal units, as plans and quotas are sold (1 Go = 10^9 octets): 1,5 Mo, 100 Go. */
export function formatBytes(bytes) {
  if (bytes == null || isNaN(bytes)) return '—';
  const names = units[language.get()] || units.fr;
  let value = Number(bytes);
  let i = 0;
  while (value >= 1000 && i < names.length - 1) { value /= 1000; i++; }
  const digits = i === 0 || value >= 100 ? 0 : 1;
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value) + '\u00a0' + names[i];
}

export function formatDate(value, withTime = true) {
  if (!value) return '—';
  const d = new Date(value);
  if (isNaN(d)) return '—';
  return new Intl.DateTimeFormat(locale(), withTime ? { dateStyle: 'long', timeStyle: 'short' } : { dateStyle: 'long' }).format(d);
}

export function formatShortDate(value) {
  if (!value) return '—';
  const d = new Date(value);
  return isNaN(d) ? '—' : new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short' }).format(d);
}

export function formatNumber(n, digits = 0) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n ?? 0);
}

export function formatAmount(cents, currency = 'EUR') {
  return new Intl.NumberFormat(locale(), { style: 'currency', currency }).format((cents ?? 0) / 100);
}

export function formatPercent(ratio) {
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(ratio || 0);
}

/** 1 h 05 min, 42 s: for time left. */
export function formatDuration(seconds) {
  if (!isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}\u00a0s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}\u00a0min ${String(s % 60).padStart(2, '0')}\u00a0s`;
  return `${Math.floor(m / 60)}\u00a0h ${String(m % 60).padStart(2, '0')}\u00a0min`;
}

export function formatSpeed(bytesPerSecond) {
  return formatBytes(bytesPerSecond) + '/s';
}
