import { randomUUID } from 'node:crypto';
import type { DocumentReference, DocumentSnapshot, Transaction } from '@google-cloud/firestore';
import { assertExpectedVersion } from '../append-rules.js';
import { DuplicateEventIdError } from '../event-store.errors.js';
import type { MultiAppendOptions, StreamAppendResult, StreamWrite } from '../event-store.port.js';
import type { EventLogCollections } from './firestore-event-collections.js';
import { toEventDocument, type EventDocument } from './firestore-event-document.js';
import { keyDocument, liveKey, type StoredKey } from './firestore-idempotency-keys.js';

/** One caller's append, as the group commit carries it. */
export interface AppendRequest {
  writes: readonly StreamWrite[];
  options: MultiAppendOptions;
}

/** What one request of a commit came to, before the sequencer gives its events positions. */
export type AppendDecision =
  | { kind: 'written'; streams: StreamAppendResult[]; events: DocumentReference[] }
  /** Its key was stored by an earlier commit. */
  | { kind: 'stored-duplicate'; stored: StoredKey }
  /** Its key was written by request `original` of this same commit. */
  | { kind: 'duplicate-in-commit'; original: number; fingerprint: string | null }
  | { kind: 'refused'; error: unknown };

/** The decisions of a commit and the writes that carry them out (Firestore: every read first). */
export interface PreparedAppends {
  decisions: AppendDecision[];
  write(tx: Transaction): void;
}

/** The clock of one commit. */
export interface AppendTime {
  nowMs: number;
  keyExpiresAtMs: number;
}

/**
 * Reads what the requests depend on (stream versions, their keys, caller-chosen event ids) in
 * `tx`, then decides each request in order as if they ran one after another: a request sees the
 * versions, keys and ids of the requests before it. A request that fails its expected version or
 * reuses an event id is refused alone; the others go ahead.
 */
export async function prepareAppends(
  tx: Transaction,
  collections: EventLogCollections,
  requests: readonly AppendRequest[],
  time: AppendTime,
): Promise<PreparedAppends> {
  const read = await readDependencies(tx, collections, requests);
  const state = new CommitState(read, time.nowMs);
  const recordedAt = new Date(time.nowMs).toISOString();
  const decisions = requests.map((request) =>
    decide(request, state, collections, { recordedAt, keyExpiresAtMs: time.keyExpiresAtMs }),
  );
  return { decisions, write: (tx) => state.write(tx, collections) };
}

interface Dependencies {
  versions: Map<string, number>;
  keys: Map<string, DocumentSnapshot>;
  takenEventIds: Set<string>;
}

async function readDependencies(
  tx: Transaction,
  collections: EventLogCollections,
  requests: readonly AppendRequest[],
): Promise<Dependencies> {
  const streams = new Map<string, DocumentReference>();
  const keys = new Map<string, DocumentReference>();
  const chosen = new Map<string, DocumentReference>();
  for (const { writes, options } of requests) {
    if (options.idempotencyKey !== undefined) {
      keys.set(options.idempotencyKey, collections.key(options.idempotencyKey));
    }
    for (const { streamId, events } of writes) {
      streams.set(streamId, collections.stream(streamId));
      for (const { eventId } of events) {
        if (eventId !== undefined) chosen.set(eventId, collections.event(eventId));
      }
    }
  }
  const refs = [...streams.values(), ...keys.values(), ...chosen.values()];
  const snapshots = await tx.getAll(...refs);
  const byPath = new Map(snapshots.map((snapshot) => [snapshot.ref.path, snapshot]));
  const snapshotOf = (ref: DocumentReference) => byPath.get(ref.path)!;
  return {
    versions: new Map(
      [...streams].map(([streamId, ref]) => [
        streamId,
        (snapshotOf(ref).get('version') as number | undefined) ?? 0,
      ]),
    ),
    keys: new Map([...keys].map(([key, ref]) => [key, snapshotOf(ref)])),
    takenEventIds: new Set(
      [...chosen].filter(([, ref]) => snapshotOf(ref).exists).map(([id]) => id),
    ),
  };
}

/** What the requests decided so far have written, and what they will write. */
class CommitState {
  readonly versions: Map<string, number>;
  readonly takenEventIds: Set<string>;
  /** Keys written by this commit: the request that wrote each. */
  readonly writtenKeys = new Map<string, number>();
  readonly events: Array<{ ref: DocumentReference; doc: EventDocument }> = [];
  readonly keyDocuments: StoredKey[] = [];
  private decided = 0;

  constructor(
    private readonly read: Dependencies,
    private readonly nowMs: number,
  ) {
    this.versions = read.versions;
    this.takenEventIds = read.takenEventIds;
  }

  storedKey(key: string): StoredKey | null {
    return liveKey(this.read.keys.get(key)!, this.nowMs);
  }

  nextRequest(): number {
    return this.decided++;
  }

  write(tx: Transaction, collections: EventLogCollections): void {
    const touched = new Set(this.events.map(({ doc }) => doc.streamId));
    for (const streamId of touched) {
      tx.set(collections.stream(streamId), { streamId, version: this.versions.get(streamId)! });
    }
    for (const stored of this.keyDocuments)
      tx.set(collections.key(stored.key), keyDocument(stored));
    for (const { ref, doc } of this.events) tx.create(ref, doc);
  }
}

function decide(
  request: AppendRequest,
  state: CommitState,
  collections: EventLogCollections,
  at: { recordedAt: string; keyExpiresAtMs: number },
): AppendDecision {
  const index = state.nextRequest();
  const { idempotencyKey: key, fingerprint } = request.options;
  if (key !== undefined) {
    const original = state.writtenKeys.get(key);
    if (original !== undefined) {
      return {
        kind: 'duplicate-in-commit',
        original,
        fingerprint: state.keyDocuments.find((stored) => stored.key === key)!.fingerprint,
      };
    }
    const stored = state.storedKey(key);
    if (stored) return { kind: 'stored-duplicate', stored };
  }
  let planned: PlannedEvents;
  try {
    planned = planEvents(request.writes, state, collections);
  } catch (error) {
    return { kind: 'refused', error };
  }
  const commitIndexStart = state.events.length;
  planned.events.forEach(({ ref, event, place }, offset) =>
    state.events.push({
      ref,
      doc: toEventDocument(
        event,
        { ...place, commitIndex: commitIndexStart + offset },
        at.recordedAt,
      ),
    }),
  );
  for (const stream of planned.streams) state.versions.set(stream.streamId, stream.streamVersion);
  for (const { place } of planned.events) state.takenEventIds.add(place.eventId);
  if (key !== undefined) {
    state.writtenKeys.set(key, index);
    state.keyDocuments.push({
      key,
      streams: planned.streams,
      fingerprint: fingerprint ?? null,
      writtenAt: at.recordedAt,
      expiresAtMs: at.keyExpiresAtMs,
    });
  }
  return {
    kind: 'written',
    streams: planned.streams,
    events: planned.events.map(({ ref }) => ref),
  };
}

interface PlannedEvents {
  streams: StreamAppendResult[];
  events: Array<{
    ref: DocumentReference;
    event: StreamWrite['events'][number];
    place: { eventId: string; streamId: string; streamVersion: number };
  }>;
}

/** Checks a request's versions and event ids against the commit so far; throws when it must be refused. */
function planEvents(
  writes: readonly StreamWrite[],
  state: CommitState,
  collections: EventLogCollections,
): PlannedEvents {
  const planned: PlannedEvents = { streams: [], events: [] };
  const ownIds = new Set<string>();
  for (const { streamId, events, expectedVersion } of writes) {
    const current = state.versions.get(streamId)!;
    assertExpectedVersion(streamId, expectedVersion, current);
    const eventIds = events.map((event, offset) => {
      const eventId = event.eventId ?? randomUUID();
      if (state.takenEventIds.has(eventId) || ownIds.has(eventId)) {
        throw new DuplicateEventIdError(eventId);
      }
      ownIds.add(eventId);
      planned.events.push({
        ref: collections.event(eventId),
        event,
        place: { eventId, streamId, streamVersion: current + offset + 1 },
      });
      return eventId;
    });
    planned.streams.push({ streamId, streamVersion: current + events.length, eventIds });
  }
  return planned;
}
