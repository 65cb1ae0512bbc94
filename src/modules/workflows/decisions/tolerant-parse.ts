import type { z } from 'zod';
import type { ConfigWarning } from '../workflow-config.types.js';
import { zodProblems } from './workflows-config.schema.js';

export type TolerantResult<T> =
  | { ok: true; data: T; warnings: ConfigWarning[] }
  | { ok: false; problems: string[]; warnings: ConfigWarning[] };

/**
 * Parses `raw` with a schema of strict objects, where an unknown key is a warning rather than an
 * error (production files gain keys over time): unknown keys are reported at `<path>.<key>`,
 * dropped, and the rest parsed again, so errors hidden by them (a refinement) still show.
 * Problems are `<problemPrefix>.field: message`; warning paths are dotted from the file's root.
 */
export function parseTolerant<T>(
  schema: z.ZodType<T>,
  raw: unknown,
  path: string,
  options: { problemPrefix?: string; unknownKeyMessage?: string } = {},
): TolerantResult<T> {
  const { problemPrefix = '', unknownKeyMessage = 'unknown key, ignored' } = options;
  const first = schema.safeParse(raw);
  if (first.success) return { ok: true, data: first.data, warnings: [] };
  const unknown = first.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => [...issue.path.map(String), key])
      : [],
  );
  const warnings = unknown.map((keyPath) => ({
    path: [path, ...keyPath].filter(Boolean).join('.'),
    message: unknownKeyMessage,
  }));
  const second = unknown.length === 0 ? first : schema.safeParse(withoutKeys(raw, unknown));
  if (second.success) return { ok: true, data: second.data, warnings };
  return { ok: false, problems: zodProblems(second.error, problemPrefix), warnings };
}

/** A copy of `raw` without the keys at `paths` (each a path of object keys). */
function withoutKeys(raw: unknown, paths: readonly string[][]): unknown {
  const copy = structuredClone(raw);
  for (const keyPath of paths) {
    let node: unknown = copy;
    for (const key of keyPath.slice(0, -1)) node = (node as Record<string, unknown>)[key];
    delete (node as Record<string, unknown>)[keyPath.at(-1)!];
  }
  return copy;
}
