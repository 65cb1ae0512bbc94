// @ts-check
// How numbers, times and durations read in the console (UTC times say so).

export const DASH = '—';

/** "10:32:17" in the browser's time zone. */
export const clockTime = (/** @type {Date} */ date) =>
  date.toLocaleTimeString('en-GB', { hour12: false });

/** An ISO timestamp as "2026-01-22 10:32:17 UTC", or a dash. */
export function timestamp(/** @type {string | null | undefined} */ iso) {
  if (!iso) return DASH;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** 1834 s -> "30:34", 4000 s -> "1:06:40". */
export function duration(/** @type {number} */ totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

export function bytes(/** @type {number} */ value) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = value;
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit += 1;
  }
  return `${n.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export const usd = (/** @type {number} */ value) =>
  `$${value < 1 ? value.toFixed(5) : value.toFixed(2)}`;

export const percent = (/** @type {number | null | undefined} */ ratio) =>
  ratio === null || ratio === undefined ? DASH : `${(ratio * 100).toFixed(1)}%`;

/** Today as YYYY-MM-DD in the browser's time zone. */
export function localDate(/** @type {Date} */ date = new Date()) {
  const offset = date.getTimezoneOffset() * 60000;
  return new Date(date.getTime() - offset).toISOString().slice(0, 10);
}

/** YYYY-MM-DD `days` after (or before) `day`, in UTC days. */
export function addDays(/** @type {string} */ day, /** @type {number} */ days) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
