import { z } from 'zod';

/** Parsers from the trimmed text of a variable, shared by the namespaces. */

const DIGITS = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/** A whole number in [min, max], written in plain digits. */
export function integerText(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  return z.string().regex(DIGITS).transform(Number).pipe(z.number().int().min(min).max(max));
}

/** A number greater than 0 (decimals allowed), at most `max`. */
export function positiveNumberText(max: number = Number.MAX_SAFE_INTEGER) {
  return z.string().regex(DECIMAL).transform(Number).pipe(z.number().positive().max(max));
}

/** One of `values`, matched ignoring case, given back as spelled in `values`. */
export function enumText<const Values extends readonly [string, ...string[]]>(values: Values) {
  return z
    .string()
    .transform((text) => values.find((value) => value.toLowerCase() === text.toLowerCase()) ?? text)
    .pipe(z.enum(values));
}

/** A non-empty string without whitespace of at most `maxLength` characters. */
export function tokenText(maxLength = 1024) {
  return z.string().regex(/^\S+$/).max(maxLength);
}
