import { Timestamp, type DocumentSnapshot } from '@google-cloud/firestore';
import type { StreamAppendResult } from '../event-store.port.js';
import type { EventLogCollections } from './firestore-event-collections.js';
import { firestoreCall } from './firestore-errors.js';

/** Keys deleted per purge transaction (Firestore takes at most 500 writes in one commit). */
const PURGE_CHUNK = 500;

/**
 * An idempotency key as stored (collection `idempotency_keys`), written in the keyed append's
 * transaction. It holds the append's streams and event ids but not its positions, which the
 * sequencer hands out after the commit: a duplicate reads them from the events.
 * `expireAt` is for a Firestore TTL policy on that field, which deletes expired keys within a day
 * or so; `expiresAtMs` is what the store checks, so an expired key is never honoured meanwhile.
 */
export interface KeyDocument {
  key: string;
  /** JSON text of the append's StreamAppendResult[]. */
  streams: string;
  fingerprint: string | null;
  writtenAt: string;
  expiresAtMs: number;
  expireAt: Timestamp;
}

/** A live key, read back. */
export interface StoredKey {
  key: string;
  streams: StreamAppendResult[];
  fingerprint: string | null;
  writtenAt: string;
  expiresAtMs: number;
}

export function keyDocument(stored: StoredKey): KeyDocument {
  return {
    key: stored.key,
    streams: JSON.stringify(stored.streams),
    fingerprint: stored.fingerprint,
    writtenAt: stored.writtenAt,
    expiresAtMs: stored.expiresAtMs,
    expireAt: Timestamp.fromMillis(stored.expiresAtMs),
  };
}

/** The key in `snapshot` unless it is absent or expired at `nowMs`. */
export function liveKey(snapshot: DocumentSnapshot, nowMs: number): StoredKey | null {
  if (!snapshot.exists) return null;
  const doc = snapshot.data() as KeyDocument;
  if (doc.expiresAtMs <= nowMs) return null;
  return {
    key: doc.key,
    streams: JSON.parse(doc.streams) as StreamAppendResult[],
    fingerprint: doc.fingerprint,
    writtenAt: doc.writtenAt,
    expiresAtMs: doc.expiresAtMs,
  };
}

/** Deletes keys expired at `nowMs`, a chunk per transaction; returns how many. */
export async function purgeExpiredKeys(
  collections: EventLogCollections,
  nowMs: number,
): Promise<number> {
  const expired = collections.keys.where('expiresAtMs', '<=', nowMs).limit(PURGE_CHUNK);
  let removed = 0;
  for (;;) {
    const deleted = await firestoreCall('purge idempotency keys', () =>
      collections.layout.transaction(async (tx) => {
        const chunk = await tx.get(expired);
        for (const doc of chunk.docs) tx.delete(doc.ref);
        return chunk.size;
      }),
    );
    removed += deleted;
    if (deleted < PURGE_CHUNK) return removed;
  }
}

/** Keys not expired at `nowMs` (one aggregation query). */
export async function countLiveKeys(
  collections: EventLogCollections,
  nowMs: number,
): Promise<number> {
  const counted = await firestoreCall('count idempotency keys', () =>
    collections.keys.where('expiresAtMs', '>', nowMs).count().get(),
  );
  return counted.data().count;
}
