import type { z } from 'zod';
import { configIssue, type ConfigIssue } from './config-issue.js';
import type { ConfigSource, ValueSource } from './config-source.js';

/**
 * One environment variable of a config namespace: how to parse it (a zod schema over the
 * trimmed text), what a bad value is told to be instead, and its default.
 */
export interface EnvVar<T> {
  readonly name: string;
  /** Finishes the sentence `expected ...` in error lines, e.g. `an integer from 1 to 65535`. */
  readonly expected: string;
  /** One line for the configuration reference. */
  readonly description: string;
  /** The default as documented, e.g. `8080` or `(unset)`. */
  readonly defaultText: string;
  /** Masked (`***`) in error lines. */
  readonly sensitive: boolean;
  read(source: ConfigSource): EnvVarReading<T>;
}

export type EnvVarReading<T> =
  | { readonly ok: true; readonly value: T; readonly source: ValueSource }
  | { readonly ok: false; readonly issue: ConfigIssue };

interface EnvVarOptions<T> {
  name: string;
  schema: z.ZodType<T, string>;
  expected: string;
  description: string;
  sensitive?: boolean;
}

/** A variable with a default (a value, or a function computed when the variable is unset). */
export function envVar<T>(
  options: EnvVarOptions<T> & { default: T | (() => T); defaultText?: string },
): EnvVar<T> {
  const fallback = options.default;
  const defaultOf = (): T => (typeof fallback === 'function' ? (fallback as () => T)() : fallback);
  return build(options, options.defaultText ?? String(fallback), defaultOf);
}

/** A variable that may stay unset (`undefined`). */
export function optionalEnvVar<T>(options: EnvVarOptions<T>): EnvVar<T | undefined> {
  return build<T | undefined>(options, '(unset)', () => undefined);
}

function build<T>(options: EnvVarOptions<T>, defaultText: string, defaultOf: () => T): EnvVar<T> {
  const sensitive = options.sensitive ?? false;
  return {
    name: options.name,
    expected: options.expected,
    description: options.description,
    defaultText,
    sensitive,
    read(source) {
      const given = source.get(options.name);
      if (!given) return { ok: true, value: defaultOf(), source: 'default' };
      const parsed = options.schema.safeParse(given.text);
      if (!parsed.success) {
        return {
          ok: false,
          issue: configIssue(options.name, given.raw, options.expected, sensitive),
        };
      }
      return { ok: true, value: parsed.data as T, source: given.source };
    },
  };
}

/** The typed values of a namespace's variables. */
export type EnvValues<Vars extends Record<string, EnvVar<unknown>>> = {
  readonly [K in keyof Vars]: Vars[K] extends EnvVar<infer T> ? T : never;
};

/** Reads every variable of a namespace, collecting every bad one. */
export function readEnvVars<Vars extends Record<string, EnvVar<unknown>>>(
  source: ConfigSource,
  vars: Vars,
): { values: EnvValues<Vars>; issues: ConfigIssue[] } {
  const values: Record<string, unknown> = {};
  const issues: ConfigIssue[] = [];
  for (const [key, variable] of Object.entries(vars)) {
    const reading = variable.read(source);
    if (reading.ok) values[key] = reading.value;
    else issues.push(reading.issue);
  }
  return { values: values as EnvValues<Vars>, issues };
}
