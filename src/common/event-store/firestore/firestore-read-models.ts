import type { CollectionReference, Transaction } from '@google-cloud/firestore';
import type {
  ReadModelDocument,
  ReadModelListOptions,
  ReadModelReader,
  ReadModelTransaction,
} from '../event-store.port.js';
import { documentIdOf } from './firestore-document-id.js';
import { firestoreCall } from './firestore-errors.js';
import type { FirestoreLayout } from './firestore-layout.js';

const DEFAULT_LIST_LIMIT = 100;

/** Firestore's largest field value (1 MiB less 89 bytes); a document holds a little more. */
const MAX_DOCUMENT_JSON_BYTES = 1_048_487;

/** Bytes a stored document adds to a commit besides its JSON: its name, key and field names. */
const DOCUMENT_OVERHEAD_BYTES = 256;

/**
 * One read-model collection: `read_models/<collection>/docs/<key>`, each document
 * `{ key, doc }` with the document as JSON text (exactly what the SQL stores keep: Firestore maps
 * cannot hold nested arrays, and would turn some JSON numbers into other types). Document ids are
 * escaped keys (documentIdOf), which do not sort like the keys, so lists order by the `key` field;
 * its single-field index serves every list, no composite index is needed. Firestore orders strings
 * by their UTF-8 bytes, as the SQL stores do (`COLLATE "C"`).
 */
export function readModelCollection(
  layout: FirestoreLayout,
  collection: string,
): CollectionReference {
  return layout
    .collection('read_models')
    .doc(documentIdOf(collection, `read-model collection ${JSON.stringify(collection)}`))
    .collection('docs');
}

function readModelRef(layout: FirestoreLayout, collection: string, key: string) {
  return readModelCollection(layout, collection).doc(
    documentIdOf(key, `read-model key ${JSON.stringify(key)} in ${collection}`),
  );
}

function parseDocument<T>(json: unknown, collection: string, key: string): T {
  if (typeof json !== 'string') {
    throw new Error(
      `read model ${collection}/${key} has no JSON text in its "doc" field: it was not written by this store; delete it or rebuild the projection`,
    );
  }
  return JSON.parse(json) as T;
}

export class FirestoreReadModels implements ReadModelReader {
  constructor(private readonly layout: FirestoreLayout) {}

  async get<T extends ReadModelDocument>(collection: string, key: string): Promise<T | null> {
    const snapshot = await firestoreCall(`read ${collection}/${key}`, () =>
      readModelRef(this.layout, collection, key).get(),
    );
    return snapshot.exists ? parseDocument<T>(snapshot.get('doc'), collection, key) : null;
  }

  async list<T extends ReadModelDocument>(
    collection: string,
    options: ReadModelListOptions = {},
  ): Promise<Array<{ key: string; doc: T }>> {
    const prefix = options.prefix ?? '';
    // Keys in [prefix, prefix + U+FFFF] share the prefix, as in the SQL stores; `after` and
    // `until` narrow the range (Firestore takes several range filters on one field).
    let query = readModelCollection(this.layout, collection)
      .where('key', '>=', prefix)
      .where('key', '<=', options.until ?? `${prefix}\uffff`);
    if (options.after !== undefined) query = query.where('key', '>', options.after);
    const page = await firestoreCall(`list ${collection}`, () =>
      query
        .orderBy('key')
        .limit(options.limit ?? DEFAULT_LIST_LIMIT)
        .get(),
    );
    return page.docs.map((snapshot) => {
      const key = snapshot.get('key') as string;
      return { key, doc: parseDocument<T>(snapshot.get('doc'), collection, key) };
    });
  }
}

/**
 * Read-model writes of one projection batch inside a Firestore transaction. Firestore wants every
 * read of a transaction before its first write, so writes are buffered and written by flush()
 * once the handler is done (a counter touched by 1,000 events is also written once). Reads are
 * remembered, so a document read again costs no round trip. Only valid inside its transaction.
 */
export class FirestoreReadModelTransaction implements ReadModelTransaction {
  private readonly pending = new Map<
    string,
    { collection: string; key: string; json: string | null }
  >();
  private readonly fetched = new Map<string, ReadModelDocument | null>();

  constructor(
    private readonly layout: FirestoreLayout,
    private readonly tx: Transaction,
  ) {}

  async get<T extends ReadModelDocument>(collection: string, key: string): Promise<T | null> {
    const id = bufferKey(collection, key);
    const buffered = this.pending.get(id);
    if (buffered) return buffered.json === null ? null : (JSON.parse(buffered.json) as T);
    if (this.fetched.has(id)) return structuredClone(this.fetched.get(id)) as T | null;
    const snapshot = await this.tx.get(readModelRef(this.layout, collection, key));
    const doc = snapshot.exists ? parseDocument<T>(snapshot.get('doc'), collection, key) : null;
    this.fetched.set(id, doc);
    return structuredClone(doc);
  }

  async put(collection: string, key: string, doc: ReadModelDocument): Promise<void> {
    const json = JSON.stringify(doc);
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > MAX_DOCUMENT_JSON_BYTES) {
      throw new Error(
        `read model ${collection}/${key} is ${bytes} bytes as JSON: a Firestore document holds at most ` +
          `${MAX_DOCUMENT_JSON_BYTES}; keep it smaller (split it over several keys)`,
      );
    }
    this.pending.set(bufferKey(collection, key), { collection, key, json });
  }

  async delete(collection: string, key: string): Promise<void> {
    this.pending.set(bufferKey(collection, key), { collection, key, json: null });
  }

  /** How many documents flush() writes or deletes. */
  get writeCount(): number {
    return this.pending.size;
  }

  /** About how many bytes flush() adds to the commit. */
  get writeBytes(): number {
    let bytes = 0;
    for (const { key, json } of this.pending.values()) {
      bytes += DOCUMENT_OVERHEAD_BYTES + 2 * Buffer.byteLength(key, 'utf8');
      if (json !== null) bytes += Buffer.byteLength(json, 'utf8');
    }
    return bytes;
  }

  /** Adds the buffered changes to the transaction (after its last read). */
  flush(): void {
    for (const { collection, key, json } of this.pending.values()) {
      const ref = readModelRef(this.layout, collection, key);
      if (json === null) this.tx.delete(ref);
      else this.tx.set(ref, { key, doc: json });
    }
    this.pending.clear();
  }
}

function bufferKey(collection: string, key: string): string {
  return `${collection}\u0000${key}`;
}
