/** BigQuery label values: at most 63 characters, lower-case letters, digits, `_` and `-`. */
export const MAX_LABEL_VALUE_LENGTH = 63;

/**
 * `text` as a valid label value: lower-cased, every other character replaced by `_`, cut to 63
 * characters (a job with an invalid label would be refused, and the query with it).
 */
export function labelValue(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, MAX_LABEL_VALUE_LENGTH);
}
