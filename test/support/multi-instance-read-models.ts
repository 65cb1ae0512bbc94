import { isDeepStrictEqual } from 'node:util';
import { DatabaseSync } from 'node:sqlite';

/** Every read-model document by `<collection>/<key>`, parsed. */
export type ReadModelSnapshot = Map<string, unknown>;

const entryKey = (collection: string, key: string) => `${collection}/${key}`;

/** The read_models table of a SQLite file (opened read-only; the service may be stopped). */
export function snapshotSqlite(path: string): ReadModelSnapshot {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db
      .prepare('SELECT collection, key, doc FROM read_models ORDER BY collection, key')
      .all() as Array<{ collection: string; key: string; doc: string }>;
    return new Map(rows.map((row) => [entryKey(row.collection, row.key), JSON.parse(row.doc)]));
  } finally {
    db.close();
  }
}

/** Documents per collection: a quick view of what a snapshot holds. */
export function collectionSizes(snapshot: ReadModelSnapshot): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const key of snapshot.keys()) {
    const collection = key.slice(0, key.indexOf('/'));
    sizes[collection] = (sizes[collection] ?? 0) + 1;
  }
  return sizes;
}

/** The first path at which two JSON values differ, with both values (for a readable failure). */
function firstDifference(a: unknown, b: unknown, path: string): string {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const left = (a as Record<string, unknown>)[key];
      const right = (b as Record<string, unknown>)[key];
      if (!isDeepStrictEqual(left, right)) return firstDifference(left, right, `${path}.${key}`);
    }
  }
  return `${path}: ${JSON.stringify(a)?.slice(0, 300)} vs ${JSON.stringify(b)?.slice(0, 300)}`;
}

/**
 * Differences between two snapshots (documents only in one, documents that differ with the first
 * differing path), at most `limit` of them plus a count; empty when identical.
 */
export function diffSnapshots(
  left: ReadModelSnapshot,
  right: ReadModelSnapshot,
  names: [string, string],
  limit = 15,
): string[] {
  const differences: string[] = [];
  for (const [key, doc] of left) {
    if (!right.has(key)) differences.push(`${key}: only in ${names[0]}`);
    else if (!isDeepStrictEqual(doc, right.get(key))) {
      differences.push(`${key}${firstDifference(doc, right.get(key), '')}`);
    }
  }
  for (const key of right.keys()) {
    if (!left.has(key)) differences.push(`${key}: only in ${names[1]}`);
  }
  if (differences.length <= limit) return differences;
  return [...differences.slice(0, limit), `... and ${differences.length - limit} more`];
}
