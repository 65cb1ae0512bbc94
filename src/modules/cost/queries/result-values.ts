/**
 * Values of a query result row as plain JSON: the BigQuery client returns TIMESTAMP and DATE
 * values as objects with a `value` text (and may return INT64 as text); SQLite returns text and
 * numbers.
 */
export function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && 'value' in value)
    return String((value as { value: unknown }).value);
  return String(value);
}

/** A TIMESTAMP value as an ISO text in UTC with milliseconds (both sinks compare equal). */
export function timeOf(value: unknown): string | null {
  const text = textOf(value);
  if (text === null) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
}

export function numberOf(value: unknown): number | null {
  const text = textOf(value);
  if (text === null) return null;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}
