import type {
  CollectionReference,
  DocumentReference,
  DocumentSnapshot,
  Transaction,
} from '@google-cloud/firestore';
import type {
  QuarantineBody,
  QuarantineBodyStats,
  QuarantineBodyStore,
  QuarantineBodyUsage,
  QuarantineEviction,
} from '../quarantine-body-store.port.js';
import { FIRESTORE_MAX_QUARANTINE_BODY_BYTES } from '../../config/namespaces/store.config.js';
import { MAX_WRITES_PER_COMMIT } from './firestore-commit-limits.js';
import { CONTENDED_TRANSACTION_ATTEMPTS, KeyedMutex } from './firestore-contention.js';
import { documentIdOf } from './firestore-document-id.js';
import { firestoreCall } from './firestore-errors.js';
import type { FirestoreLayout } from './firestore-layout.js';

/**
 * Bytes of a body held in one document. A Firestore document holds at most 1 MiB (a bytes field
 * 1,048,487), name and other fields included, so a chunk stays well under it.
 */
export const QUARANTINE_CHUNK_BYTES = 1_000_000;

/**
 * Largest body this store holds: four chunks. A body is put in one transaction (it and the running
 * total change together), and one commit carries at most 10 MiB in production and 4 MiB on the
 * emulator (its gRPC message limit); four chunks fit both. Bodies come from HTTP requests of at
 * most BODY_LIMIT_BYTES (1 MiB by default), which the config keeps at most this with Firestore.
 */
export const QUARANTINE_MAX_BODY_BYTES = FIRESTORE_MAX_QUARANTINE_BODY_BYTES;

/** Bodies evicted per transaction at most: each is short, so puts and reads interleave. */
const EVICTION_BATCH = 250;

/** A body larger than this store can hold; nothing was stored. */
export class QuarantineBodyTooLargeError extends Error {
  constructor(
    readonly id: string,
    readonly bytes: number,
  ) {
    super(
      `quarantined body ${id} is ${bytes} bytes: the Firestore store holds bodies of at most ` +
        `${QUARANTINE_MAX_BODY_BYTES} bytes (one transaction); set BODY_LIMIT_BYTES to at most that`,
    );
    this.name = 'QuarantineBodyTooLargeError';
  }
}

interface StoredUsage {
  bytes: number;
  bodies: number;
  /** Number of the last body put: bodies are evicted in this order. */
  lastSeq: number;
}

interface StoredBodyHead {
  id: string;
  seq: number;
  bytes: number;
  receivedAt: string;
  /** 1: the body is in `body`; more: in `chunks/0` .. `chunks/<n-1>` (`{ data }`). */
  chunks: number;
  body?: Buffer;
}

/**
 * Quarantined raw bodies shared by every instance: the running total in `quarantine_bodies/store`
 * (`{ bytes, bodies, lastSeq }`), each body under `quarantine_bodies/store/bodies/<id>`. Every put,
 * delete and eviction step is one transaction that reads the total and the bodies it changes and
 * writes both, so concurrent instances never count a body twice or lose one (Firestore runs a
 * transaction again when what it read changed before it committed). Within one process they are
 * queued, as they all change the total.
 */
export class FirestoreQuarantineBodies implements QuarantineBodyStore {
  readonly stats: QuarantineBodyStats = { evictions: 0, evictedBytes: 0 };
  private readonly usageRef: DocumentReference;
  private readonly bodies: CollectionReference;
  private readonly queue = new KeyedMutex();

  constructor(private readonly layout: FirestoreLayout) {
    this.usageRef = layout.collection('quarantine_bodies').doc('store');
    this.bodies = this.usageRef.collection('bodies');
  }

  async put(id: string, body: Buffer, receivedAt: string): Promise<QuarantineBodyUsage> {
    if (body.length > QUARANTINE_MAX_BODY_BYTES) {
      throw new QuarantineBodyTooLargeError(id, body.length);
    }
    const ref = this.bodyRef(id);
    return this.changeTotal(`hold quarantined body ${id}`, async (tx) => {
      const [usageSnapshot, existing] = await tx.getAll(this.usageRef, ref);
      const usage = storedUsage(usageSnapshot!);
      if (existing!.exists) return publicUsage(usage);
      const seq = usage.lastSeq + 1;
      const chunks = chunksOf(body);
      const head: StoredBodyHead = {
        id,
        seq,
        bytes: body.length,
        receivedAt,
        chunks: chunks.length,
      };
      if (chunks.length === 1) head.body = body;
      else chunks.forEach((data, index) => tx.set(chunkRef(ref, index), { data }));
      tx.set(ref, head);
      const after = { bytes: usage.bytes + body.length, bodies: usage.bodies + 1, lastSeq: seq };
      tx.set(this.usageRef, after);
      return publicUsage(after);
    });
  }

  async get(id: string): Promise<QuarantineBody | null> {
    const ref = this.bodyRef(id);
    const snapshot = await firestoreCall(`read quarantined body ${id}`, () => ref.get());
    if (!snapshot.exists) return null;
    const head = snapshot.data() as StoredBodyHead;
    if (head.chunks === 1) return toBody(head, head.body ?? Buffer.alloc(0));
    // A chunked body is read again with its chunks in one consistent snapshot (a read-only
    // transaction), so a body dropped and put again meanwhile is never mixed with the old one.
    return firestoreCall(`read quarantined body ${id}`, () =>
      this.layout.db.runTransaction(
        async (tx) => {
          const again = await tx.get(ref);
          if (!again.exists) return null;
          const current = again.data() as StoredBodyHead;
          const parts = await tx.getAll(...chunkRefs(ref, current.chunks));
          return toBody(current, Buffer.concat(parts.map((part) => part.get('data') as Buffer)));
        },
        { readOnly: true },
      ),
    );
  }

  delete(id: string): Promise<boolean> {
    const ref = this.bodyRef(id);
    return this.changeTotal(`drop quarantined body ${id}`, async (tx) => {
      const [usageSnapshot, existing] = await tx.getAll(this.usageRef, ref);
      if (!existing!.exists) return false;
      const head = existing!.data() as StoredBodyHead;
      const usage = storedUsage(usageSnapshot!);
      deleteBody(tx, ref, head.chunks);
      tx.set(this.usageRef, {
        ...usage,
        bytes: usage.bytes - head.bytes,
        bodies: usage.bodies - 1,
      });
      return true;
    });
  }

  async evictOver(maxBytes: number): Promise<QuarantineEviction> {
    const total: QuarantineEviction = { evicted: 0, bytes: 0 };
    for (;;) {
      const step = await this.changeTotal('evict quarantined bodies', (tx) =>
        this.evictBatch(tx, maxBytes),
      );
      total.evicted += step.evicted;
      total.bytes += step.bytes;
      this.stats.evictions += step.evicted;
      this.stats.evictedBytes += step.bytes;
      if (step.done) return total;
    }
  }

  async usage(): Promise<QuarantineBodyUsage> {
    const snapshot = await firestoreCall('read quarantine body usage', () => this.usageRef.get());
    return publicUsage(storedUsage(snapshot));
  }

  /** The oldest bodies, as many as one short transaction takes, that bring the total to `maxBytes`. */
  private async evictBatch(
    tx: Transaction,
    maxBytes: number,
  ): Promise<QuarantineEviction & { done: boolean }> {
    const usage = storedUsage(await tx.get(this.usageRef));
    const excess = usage.bytes - maxBytes;
    if (excess <= 0) return { evicted: 0, bytes: 0, done: true };
    const oldest = await tx.get(
      this.bodies.orderBy('seq').select('bytes', 'chunks').limit(EVICTION_BATCH),
    );
    let writes = 1; // the total
    let evicted = 0;
    let bytes = 0;
    for (const doc of oldest.docs) {
      const chunks = doc.get('chunks') as number;
      const bodyWrites = chunks === 1 ? 1 : 1 + chunks;
      if (writes + bodyWrites > MAX_WRITES_PER_COMMIT) break;
      writes += bodyWrites;
      deleteBody(tx, doc.ref, chunks);
      evicted += 1;
      bytes += doc.get('bytes') as number;
      if (bytes >= excess) break;
    }
    if (evicted === 0) return { evicted, bytes, done: true };
    tx.set(this.usageRef, { ...usage, bytes: usage.bytes - bytes, bodies: usage.bodies - evicted });
    return { evicted, bytes, done: bytes >= excess };
  }

  /** One transaction changing the running total, queued behind this process's others. */
  private changeTotal<T>(operation: string, work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.queue.run('total', () =>
      firestoreCall(operation, () =>
        this.layout.transaction(work, { maxAttempts: CONTENDED_TRANSACTION_ATTEMPTS }),
      ),
    );
  }

  private bodyRef(id: string): DocumentReference {
    return this.bodies.doc(documentIdOf(id, `quarantined body id ${JSON.stringify(id)}`));
  }
}

function chunksOf(body: Buffer): Buffer[] {
  if (body.length <= QUARANTINE_CHUNK_BYTES) return [body];
  const chunks: Buffer[] = [];
  for (let start = 0; start < body.length; start += QUARANTINE_CHUNK_BYTES) {
    chunks.push(body.subarray(start, start + QUARANTINE_CHUNK_BYTES));
  }
  return chunks;
}

function chunkRef(body: DocumentReference, index: number): DocumentReference {
  return body.collection('chunks').doc(String(index));
}

function chunkRefs(body: DocumentReference, chunks: number): DocumentReference[] {
  return Array.from({ length: chunks }, (_, index) => chunkRef(body, index));
}

function deleteBody(tx: Transaction, ref: DocumentReference, chunks: number): void {
  tx.delete(ref);
  if (chunks > 1) for (const chunk of chunkRefs(ref, chunks)) tx.delete(chunk);
}

function storedUsage(snapshot: DocumentSnapshot): StoredUsage {
  if (!snapshot.exists) return { bytes: 0, bodies: 0, lastSeq: 0 };
  return snapshot.data() as StoredUsage;
}

function publicUsage(usage: StoredUsage): QuarantineBodyUsage {
  return { bytes: usage.bytes, bodies: usage.bodies };
}

function toBody(head: StoredBodyHead, body: Buffer): QuarantineBody {
  return { id: head.id, body, bytes: head.bytes, receivedAt: head.receivedAt };
}
