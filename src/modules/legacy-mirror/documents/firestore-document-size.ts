import { Timestamp } from '@google-cloud/firestore';

/** Firestore refuses a document larger than this (document name and fields included). */
export const FIRESTORE_MAX_DOCUMENT_BYTES = 1_048_576;

// Storage sizes as Firestore documents them ("Storage size calculations"); the emulator refuses a
// document one byte over the limit by the same sums.
const DOCUMENT_OVERHEAD_BYTES = 32;
const NAME_OVERHEAD_BYTES = 16;
export const NUMBER_BYTES = 8;
const BOOLEAN_OR_NULL_BYTES = 1;
const TIMESTAMP_BYTES = 8;

/** A string's stored size: its UTF-8 bytes plus one. */
export function stringBytes(text: string): number {
  return Buffer.byteLength(text, 'utf8') + 1;
}

/** A field value's stored size (maps and arrays: the sum of what they hold). */
export function valueBytes(value: unknown): number {
  if (value === null || typeof value === 'boolean') return BOOLEAN_OR_NULL_BYTES;
  if (typeof value === 'number') return NUMBER_BYTES;
  if (typeof value === 'string') return stringBytes(value);
  if (value instanceof Timestamp) return TIMESTAMP_BYTES;
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + valueBytes(item), 0);
  if (typeof value === 'object') return fieldsBytes(value as Record<string, unknown>);
  throw new Error(`no Firestore size for a value of type ${typeof value}`);
}

/** The fields of a document or map: each name's size plus its value's. */
export function fieldsBytes(fields: Readonly<Record<string, unknown>>): number {
  let sum = 0;
  for (const [name, value] of Object.entries(fields)) sum += stringBytes(name) + valueBytes(value);
  return sum;
}

/** A document's stored size: its name (`collection/id/...`), its fields and the fixed overhead. */
export function documentBytes(path: string, fields: Readonly<Record<string, unknown>>): number {
  const name = path.split('/').reduce((sum, segment) => sum + stringBytes(segment), 0);
  return name + NAME_OVERHEAD_BYTES + fieldsBytes(fields) + DOCUMENT_OVERHEAD_BYTES;
}
