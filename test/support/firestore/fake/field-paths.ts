import { invalidArgument } from './errors.js';
import type { Fields, ValueWire } from './wire-types.js';

/** The document's key in field filters, orders and cursors. */
export const NAME_FIELD = '__name__';

/** "a.`b.c`.d" -> ["a", "b.c", "d"]: backticks quote a segment, backslash escapes inside them. */
export function parseFieldPath(path: string): string[] {
  const segments: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < path.length; i++) {
    const char = path[i]!;
    if (quoted && char === '\\' && i + 1 < path.length) current += path[++i];
    else if (char === '`') quoted = !quoted;
    else if (char === '.' && !quoted) {
      segments.push(current);
      current = '';
    } else current += char;
  }
  segments.push(current);
  if (quoted || segments.some((segment) => segment === '')) {
    throw invalidArgument(`Invalid field path: ${path}`);
  }
  return segments;
}

export function getField(fields: Fields, path: string[]): ValueWire | undefined {
  let value: ValueWire | undefined = { valueType: 'mapValue', mapValue: { fields } };
  for (const segment of path) {
    if (value?.valueType !== 'mapValue') return undefined;
    value = value.mapValue.fields[segment];
  }
  return value;
}

/** Sets `path` in `fields` (mutated; intermediate maps are copied, non-maps replaced). */
export function setField(fields: Fields, path: string[], value: ValueWire): void {
  const parent = parentMap(fields, path, true);
  if (parent) parent[path[path.length - 1]!] = value;
}

export function deleteField(fields: Fields, path: string[]): void {
  const parent = parentMap(fields, path, false);
  if (parent) delete parent[path[path.length - 1]!];
}

/** Only the given paths of `fields` (a read mask or a query projection). */
export function projectFields(fields: Fields, paths: string[][]): Fields {
  const projected: Fields = {};
  for (const path of paths) {
    const value = getField(fields, path);
    if (value !== undefined) setField(projected, path, value);
  }
  return projected;
}

function parentMap(fields: Fields, path: string[], create: boolean): Fields | undefined {
  let map = fields;
  for (const segment of path.slice(0, -1)) {
    const child = map[segment];
    if (child?.valueType === 'mapValue') {
      const copy: ValueWire = {
        valueType: 'mapValue',
        mapValue: { fields: { ...child.mapValue.fields } },
      };
      map[segment] = copy;
      map = copy.mapValue.fields;
    } else if (create) {
      const created: Fields = {};
      map[segment] = { valueType: 'mapValue', mapValue: { fields: created } };
      map = created;
    } else return undefined;
  }
  return map;
}
