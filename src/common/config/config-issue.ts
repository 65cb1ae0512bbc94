/** One bad variable: its name and the single line that reports it (`NAME=<value>: expected <what>`). */
export interface ConfigIssue {
  readonly variable: string;
  readonly line: string;
}

/** What every partial loader returns: a value, or every issue it found (never only the first). */
export type ConfigResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/** Shown instead of the value of a sensitive variable, in error lines and when a config is printed. */
export const MASK = '***';

/** Builds the one line that reports a bad variable; the value is masked when the variable is sensitive. */
export function configIssue(
  variable: string,
  rawValue: string,
  expected: string,
  sensitive = false,
): ConfigIssue {
  const shown = sensitive ? MASK : rawValue;
  return { variable, line: `${variable}=${shown}: expected ${expected}` };
}
