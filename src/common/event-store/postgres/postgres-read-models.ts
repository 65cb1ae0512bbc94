import type {
  ReadModelDocument,
  ReadModelListOptions,
  ReadModelReader,
  ReadModelTransaction,
} from '../event-store.port.js';
import type { PostgresPool, Queryable } from './postgres-pool.js';

const DEFAULT_LIST_LIMIT = 100;

export class PostgresReadModels implements ReadModelReader {
  constructor(private readonly pool: PostgresPool) {}

  async get<T extends ReadModelDocument>(collection: string, key: string): Promise<T | null> {
    const [row] = await this.pool.query<{ doc: T }>(
      `read ${collection}/${key}`,
      'SELECT doc FROM read_models WHERE collection = $1 AND key = $2',
      [collection, key],
    );
    return row ? row.doc : null;
  }

  async list<T extends ReadModelDocument>(
    collection: string,
    options: ReadModelListOptions = {},
  ): Promise<Array<{ key: string; doc: T }>> {
    const prefix = options.prefix ?? '';
    // Keys in [prefix, prefix + U+FFFF) share the prefix; `after`/`until` narrow the range further.
    // Keys are COLLATE "C", so this is byte order, as in SQLite.
    const lower = options.after !== undefined && options.after > prefix ? options.after : null;
    const upper = options.until ?? `${prefix}\uffff`;
    const rows = await this.pool.query<{ key: string; doc: T }>(
      `list ${collection}`,
      `SELECT key, doc FROM read_models
       WHERE collection = $1 AND key >= $2 AND key <= $3 AND ($4::text IS NULL OR key > $4)
       ORDER BY key LIMIT $5`,
      [collection, prefix, upper, lower, options.limit ?? DEFAULT_LIST_LIMIT],
    );
    return rows.map((row) => ({ key: row.key, doc: row.doc }));
  }
}

/**
 * Read-model writes of one batch, buffered so a counter touched by 1,000 events is written once.
 * Only valid inside the transaction that created it.
 */
export class PostgresReadModelTransaction implements ReadModelTransaction {
  private readonly pending = new Map<
    string,
    { collection: string; key: string; doc: ReadModelDocument | null }
  >();

  constructor(private readonly client: Queryable) {}

  async get<T extends ReadModelDocument>(collection: string, key: string): Promise<T | null> {
    const buffered = this.pending.get(bufferKey(collection, key));
    if (buffered) return buffered.doc as T | null;
    const { rows } = await this.client.query<{ doc: T }>(
      'SELECT doc FROM read_models WHERE collection = $1 AND key = $2',
      [collection, key],
    );
    return rows[0] ? rows[0].doc : null;
  }

  async put(collection: string, key: string, doc: ReadModelDocument): Promise<void> {
    this.pending.set(bufferKey(collection, key), { collection, key, doc });
  }

  async delete(collection: string, key: string): Promise<void> {
    this.pending.set(bufferKey(collection, key), { collection, key, doc: null });
  }

  /** Writes the buffered changes in two statements (upserts, deletes). */
  async flush(): Promise<void> {
    const upserts = [...this.pending.values()].filter((change) => change.doc !== null);
    const deletes = [...this.pending.values()].filter((change) => change.doc === null);
    this.pending.clear();
    if (upserts.length > 0) {
      await this.client.query(
        `INSERT INTO read_models (collection, key, doc)
         SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])
         ON CONFLICT (collection, key) DO UPDATE SET doc = excluded.doc`,
        [
          upserts.map((change) => change.collection),
          upserts.map((change) => change.key),
          upserts.map((change) => JSON.stringify(change.doc)),
        ],
      );
    }
    if (deletes.length > 0) {
      await this.client.query(
        `DELETE FROM read_models WHERE (collection, key) IN (
           SELECT * FROM unnest($1::text[], $2::text[]))`,
        [deletes.map((change) => change.collection), deletes.map((change) => change.key)],
      );
    }
  }
}

function bufferKey(collection: string, key: string): string {
  return `${collection}\u0000${key}`;
}
