import { Timestamp } from '@google-cloud/firestore';

/**
 * A Firestore Timestamp as RFC 3339 in UTC, with every sub-second digit it holds (the legacy
 * platform's Python datetimes carry microseconds) and none it does not, so the same instant
 * exported to a file earlier reads the same here.
 */
export function timestampAsRfc3339(timestamp: Timestamp): string {
  const seconds = new Date(timestamp.seconds * 1000).toISOString().slice(0, 19);
  const nanos = timestamp.nanoseconds;
  const fraction = nanos === 0 ? '' : `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}`;
  return `${seconds}${fraction}Z`;
}

/**
 * Document data as the file import would have read it from JSON: Timestamps become RFC 3339
 * text, arrays and maps are walked; every other value is returned as the client gave it (a value
 * JSON has no form for fails validation where the schema looks at it).
 */
export function plainFirestoreValue(value: unknown): unknown {
  if (value instanceof Timestamp) return timestampAsRfc3339(value);
  if (Array.isArray(value)) return value.map(plainFirestoreValue);
  if (isPlainMap(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, plainFirestoreValue(inner)]),
    );
  }
  return value;
}

/** A document's fields, each as plainFirestoreValue makes it. */
export function plainFirestoreData(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).map(([field, value]) => [field, plainFirestoreValue(value)]),
  );
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
