import { toMicros, toTimestamp, type FakeClock } from './clock.js';
import { DocumentStore, type StoredDocument } from './document-store.js';
import { aborted, invalidArgument } from './errors.js';
import { documentName, isPrefix, parseDocumentName, type ResourcePath } from './names.js';
import { runStructuredQuery } from './query.js';
import { TransactionManager, type FakeTransaction, type LockWaits } from './transactions.js';
import type {
  ConsistencyWire,
  StructuredQueryWire,
  TimestampWire,
  TransactionOptionsWire,
  ValueWire,
  WriteWire,
} from './wire-types.js';
import { applyWrite, writeTarget } from './writes.js';

/** Which state of the database a read sees, and in which transaction. */
export interface ReadScope {
  /** The past time read-only reads see; undefined: the latest state. */
  at: number | undefined;
  readTime: number;
  transaction: FakeTransaction | undefined;
  /** Set when this read began the transaction: its first response carries the id. */
  newTransactionId: Buffer | undefined;
}

export interface WriteResultWire {
  updateTime: TimestampWire;
  transformResults: ValueWire[];
}

export interface CommitOutcome {
  writeResults: WriteResultWire[];
  commitTime: TimestampWire;
}

/** One database (`projects/p/databases/d`): its documents and transactions. */
export class FakeDatabase {
  private readonly store = new DocumentStore();
  private readonly transactions: TransactionManager;

  constructor(
    readonly name: string,
    private readonly clock: FakeClock,
    waits: LockWaits,
  ) {
    this.transactions = new TransactionManager(waits);
  }

  openRead(request: ConsistencyWire): ReadScope {
    const selector = request.consistencySelector;
    if (selector === 'readTime') {
      const at = toMicros(request.readTime!);
      return { at, readTime: at, transaction: undefined, newTransactionId: undefined };
    }
    const transaction =
      selector === 'transaction'
        ? this.transactions.active(request.transaction!)
        : selector === 'newTransaction'
          ? this.begin(request.newTransaction)
          : undefined;
    const at = transaction?.readOnlyAt;
    return {
      at,
      readTime: at ?? this.clock.readTime(),
      transaction,
      newTransactionId: selector === 'newTransaction' ? transaction?.id : undefined,
    };
  }

  getDocuments(scope: ReadScope, names: string[]): (StoredDocument | undefined)[] {
    const documents = names.map((name) => this.store.get(this.ownDocument(name), scope.at));
    this.recordReads(scope, names, documents);
    return documents;
  }

  query(scope: ReadScope, parent: ResourcePath, query: StructuredQueryWire): StoredDocument[] {
    const results = runStructuredQuery(this.store.all(scope.at), parent, query);
    // A projected result keeps its stored update time: the version the transaction saw.
    this.recordReads(
      scope,
      results.map((document) => document.name),
      results,
    );
    return results;
  }

  begin(options: TransactionOptionsWire | null | undefined): FakeTransaction {
    if (options?.mode !== 'readOnly') return this.transactions.begin(options, undefined);
    const readTime = options.readOnly?.readTime;
    return this.transactions.begin(options, readTime ? toMicros(readTime) : this.clock.readTime());
  }

  rollback(id: Buffer): void {
    this.transactions.rollback(id);
  }

  /** Applies `writes` atomically, in a transaction (which it ends) or as a plain batch. */
  commit(writes: WriteWire[], transactionId: Buffer): Promise<CommitOutcome> {
    const transaction =
      transactionId.length > 0 ? this.transactions.active(transactionId) : undefined;
    if (transaction?.readOnlyAt !== undefined) {
      this.transactions.end(transaction);
      throw invalidArgument(
        `Transaction ${transaction.label} is read-only: it cannot commit writes`,
      );
    }
    const names = writes.map((write) => this.ownDocument(writeTarget(write)));
    return this.transactions.exclusive(transaction, names, () => {
      try {
        if (transaction) this.checkReadsUnchanged(transaction);
        return this.apply(writes);
      } finally {
        if (transaction) this.transactions.end(transaction);
      }
    });
  }

  /** Each write on its own (BatchWrite, used by BulkWriter and recursiveDelete). */
  async writeEach(writes: WriteWire[]): Promise<(CommitOutcome | Error)[]> {
    return Promise.all(
      writes.map((write) =>
        this.commit([write], Buffer.alloc(0)).catch((error: unknown) =>
          error instanceof Error ? error : new Error(String(error)),
        ),
      ),
    );
  }

  /** The documents directly in `parent`/`collectionId`; with `showMissing`, also ids that only have subcollections. */
  listDocuments(
    parent: ResourcePath,
    collectionId: string,
    showMissing: boolean,
    at: number | undefined,
  ): { name: string; document: StoredDocument | undefined }[] {
    const prefix = [...parent.segments, collectionId];
    const listed = new Map<string, StoredDocument | undefined>();
    for (const document of this.store.all(at)) {
      const segments = parseDocumentName(document.name).segments;
      if (!isPrefix(prefix, segments)) continue;
      const childName = documentName(this.name, segments.slice(0, prefix.length + 1));
      if (segments.length === prefix.length + 1) listed.set(childName, document);
      else if (showMissing && !listed.has(childName)) listed.set(childName, undefined);
    }
    return [...listed]
      .map(([name, document]) => ({ name, document }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The ids of the collections directly below `parent` that hold documents (at any depth). */
  listCollectionIds(parent: ResourcePath): string[] {
    const ids = new Set<string>();
    for (const document of this.store.all()) {
      const segments = parseDocumentName(document.name).segments;
      if (segments.length > parent.segments.length && isPrefix(parent.segments, segments)) {
        ids.add(segments[parent.segments.length]!);
      }
    }
    return [...ids].sort();
  }

  /** Drops every document; open transactions and waiting commits answer ABORTED. */
  reset(): void {
    this.transactions.abortAll(`the database ${this.name} was reset`);
    this.store.clear();
  }

  private recordReads(
    scope: ReadScope,
    names: string[],
    documents: (StoredDocument | undefined)[],
  ): void {
    if (!scope.transaction) return;
    const reads = names.map((name, index) => ({
      name,
      updateTime: documents[index]?.updateTime ?? 0,
    }));
    this.transactions.recordReads(scope.transaction, reads);
  }

  private checkReadsUnchanged(transaction: FakeTransaction): void {
    for (const [name, seen] of transaction.reads) {
      const current = this.store.get(name)?.updateTime ?? 0;
      if (current !== seen) {
        throw aborted(
          `Transaction ${transaction.label} read ${name} at update time ${seen}, now ${current}: it changed since; retry the transaction`,
        );
      }
    }
  }

  private apply(writes: WriteWire[]): CommitOutcome {
    const commitTime = this.clock.commitTime();
    const before = new Map<string, StoredDocument | undefined>();
    const after = new Map<string, StoredDocument | undefined>();
    const writeResults = writes.map((write) => {
      const name = writeTarget(write);
      if (!before.has(name)) before.set(name, this.store.get(name));
      const current = after.has(name) ? after.get(name) : before.get(name);
      const applied = applyWrite(write, current, commitTime);
      after.set(name, applied.document);
      const updateTime = applied.document?.updateTime ?? commitTime;
      return { updateTime: toTimestamp(updateTime), transformResults: applied.transformResults };
    });
    for (const [name, document] of after) {
      if (document !== before.get(name)) this.store.put(name, document, commitTime);
    }
    return { writeResults, commitTime: toTimestamp(commitTime) };
  }

  private ownDocument(name: string): string {
    const { database } = parseDocumentName(name);
    if (database !== this.name) {
      throw invalidArgument(`Document ${name} is not in the request's database ${this.name}`);
    }
    return name;
  }
}
