import type {
  ReadModelDocument,
  ReadModelListOptions,
  ReadModelReader,
  ReadModelTransaction,
} from '../event-store.port.js';
import type { SqliteDatabase } from './sqlite-database.js';

const DEFAULT_LIST_LIMIT = 100;

export class SqliteReadModels implements ReadModelReader {
  constructor(private readonly sqlite: SqliteDatabase) {}

  get<T extends ReadModelDocument>(collection: string, key: string): Promise<T | null> {
    return this.sqlite.exclusive(`read ${collection}/${key}`, () =>
      readDocument<T>(this.sqlite, collection, key),
    );
  }

  list<T extends ReadModelDocument>(
    collection: string,
    options: ReadModelListOptions = {},
  ): Promise<Array<{ key: string; doc: T }>> {
    const prefix = options.prefix ?? '';
    // Keys in [prefix, prefix + U+FFFF) share the prefix; `after`/`until` narrow the range further.
    const lower = options.after !== undefined && options.after > prefix ? options.after : null;
    const upper = options.until ?? `${prefix}\uffff`;
    return this.sqlite.exclusive(`list ${collection}`, () =>
      this.sqlite
        .statement(
          `SELECT key, doc FROM read_models
           WHERE collection = ? AND key >= ? AND key <= ? AND (? IS NULL OR key > ?)
           ORDER BY key LIMIT ?`,
        )
        .all(collection, prefix, upper, lower, lower, options.limit ?? DEFAULT_LIST_LIMIT)
        .map((row) => ({ key: String(row.key), doc: JSON.parse(String(row.doc)) as T })),
    );
  }
}

/**
 * Read-model writes of one batch, buffered so a counter touched by 1,000 events is written once.
 * Only valid inside the transaction that created it.
 */
export class SqliteReadModelTransaction implements ReadModelTransaction {
  private readonly pending = new Map<
    string,
    { collection: string; key: string; doc: ReadModelDocument | null }
  >();

  constructor(private readonly sqlite: SqliteDatabase) {}

  async get<T extends ReadModelDocument>(collection: string, key: string): Promise<T | null> {
    const buffered = this.pending.get(bufferKey(collection, key));
    if (buffered) return buffered.doc as T | null;
    return readDocument<T>(this.sqlite, collection, key);
  }

  async put(collection: string, key: string, doc: ReadModelDocument): Promise<void> {
    this.pending.set(bufferKey(collection, key), { collection, key, doc });
  }

  async delete(collection: string, key: string): Promise<void> {
    this.pending.set(bufferKey(collection, key), { collection, key, doc: null });
  }

  flush(): void {
    const upsert = this.sqlite.statement(
      'INSERT INTO read_models (collection, key, doc) VALUES (?, ?, ?) ON CONFLICT (collection, key) DO UPDATE SET doc = excluded.doc',
    );
    const remove = this.sqlite.statement(
      'DELETE FROM read_models WHERE collection = ? AND key = ?',
    );
    for (const { collection, key, doc } of this.pending.values()) {
      if (doc === null) remove.run(collection, key);
      else upsert.run(collection, key, JSON.stringify(doc));
    }
    this.pending.clear();
  }
}

function readDocument<T>(sqlite: SqliteDatabase, collection: string, key: string): T | null {
  const row = sqlite
    .statement('SELECT doc FROM read_models WHERE collection = ? AND key = ?')
    .get(collection, key);
  return row ? (JSON.parse(String(row.doc)) as T) : null;
}

function bufferKey(collection: string, key: string): string {
  return `${collection}\u0000${key}`;
}
