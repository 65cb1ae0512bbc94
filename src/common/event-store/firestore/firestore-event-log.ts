import type { DocumentReference, QueryDocumentSnapshot } from '@google-cloud/firestore';
import type { Clock } from '../../clock/clock.js';
import { daysToMs } from '../../clock/durations.js';
import {
  appendOneStream,
  assertDistinctStreams,
  assertStorableText,
  countAppend,
  toSingleResult,
} from '../append-rules.js';
import type { NewEvent, Position, RecordedEvent } from '../event-envelope.js';
import { DuplicateEventIdError } from '../event-store.errors.js';
import type {
  AppendOptions,
  AppendResult,
  AppendStats,
  EventLog,
  IdempotencyKeyRecord,
  MultiAppendOptions,
  MultiAppendResult,
  ReadAllOptions,
  ReadStreamOptions,
  StreamWrite,
} from '../event-store.port.js';
import {
  prepareAppends,
  type AppendDecision,
  type AppendRequest,
} from './firestore-append-plan.js';
import { EventLogCollections } from './firestore-event-collections.js';
import { toRecordedEvent } from './firestore-event-document.js';
import { firestoreCall, GRPC, hasGrpcCode } from './firestore-errors.js';
import { GroupCommit, type GroupOutcome } from './firestore-group-commit.js';
import {
  countLiveKeys,
  liveKey,
  purgeExpiredKeys,
  type StoredKey,
} from './firestore-idempotency-keys.js';
import type { FirestoreLayout } from './firestore-layout.js';
import { fromPosition, toPosition } from './firestore-position.js';
import { FirestoreSequencer } from './firestore-sequencer.js';
import type { TransactionPart } from './transaction-part.js';

const DEFAULT_PAGE_SIZE = 1000;
/** A group commit stops growing at this many writes (Firestore's per-commit limit). */
const MAX_GROUP_WRITES = 500;
/** Tries of one append transaction that keeps losing to concurrent ones (Firestore's default: 5). */
const APPEND_TRANSACTION_ATTEMPTS = 10;
/** Firestore's `in` filter takes at most 30 values; a longer type list is filtered here. */
const MAX_SERVER_TYPE_FILTER = 30;

export interface FirestoreEventLogOptions {
  idempotencyTtlDays: () => number;
  /** Events one sequencing pass numbers at most (default: as many as one commit takes). */
  sequencerBatchSize?: number;
}

/**
 * The event log on Firestore. Appends write events as pending (no position) in one transaction
 * per group of concurrent appends, then wait for a sequencing pass to number them (see
 * FirestoreSequencer for why readers can never skip an event) and return their positions.
 * Readers see only numbered events, in position order.
 */
export class FirestoreEventLog implements EventLog {
  readonly stats: AppendStats = { appends: 0, duplicates: 0, events: 0 };
  readonly collections: EventLogCollections;
  readonly sequencer: FirestoreSequencer;
  private readonly listeners = new Set<() => void>();
  private readonly groupCommit: GroupCommit<AppendRequest, MultiAppendResult>;

  constructor(
    layout: FirestoreLayout,
    private readonly clock: Clock,
    private readonly options: FirestoreEventLogOptions,
  ) {
    this.collections = new EventLogCollections(layout);
    this.sequencer = new FirestoreSequencer(this.collections, options.sequencerBatchSize);
    this.groupCommit = new GroupCommit(
      (requests) => this.commitGroup(requests),
      writeCount,
      MAX_GROUP_WRITES,
    );
  }

  append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return appendOneStream(
      (writes, opts) => this.appendMulti(writes, opts),
      streamId,
      events,
      options,
    );
  }

  async appendMulti(
    writes: readonly StreamWrite[],
    options: MultiAppendOptions = {},
  ): Promise<MultiAppendResult> {
    assertDistinctStreams(writes);
    assertStorableText(writes, options);
    const result = await this.groupCommit.run({ writes, options });
    this.afterAppend(result);
    return result;
  }

  /**
   * A single-stream append in one transaction with `part` (timers: the timer marked fired with its
   * event): part's reads, the append's reads, part's writes and the append's writes. Null when part
   * returns null (nothing written); a refused append writes nothing of part either. Returns once
   * the events have positions, as append does.
   */
  async appendInTransaction(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
    part: TransactionPart,
  ): Promise<AppendResult | null> {
    const writes = [{ streamId, events, expectedVersion: options.expectedVersion }];
    assertStorableText(writes, options);
    const decisions = await this.commit([{ writes, options }], part);
    if (decisions === null) return null;
    const [outcome] = await this.complete(decisions);
    if (!outcome!.ok) throw outcome!.error;
    this.afterAppend(outcome!.value);
    return toSingleResult(outcome!.value);
  }

  async *readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): AsyncIterable<RecordedEvent> {
    let fromVersion = options.fromVersion ?? 1;
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const pageSize = Math.min(remaining, DEFAULT_PAGE_SIZE);
      const page = await firestoreCall(`read stream ${streamId}`, () =>
        this.collections.events
          .where('streamId', '==', streamId)
          .where('streamVersion', '>=', fromVersion)
          .orderBy('streamVersion')
          .limit(pageSize)
          .get(),
      );
      // A stream is read to decide its next append, so it shows every committed event: one still
      // pending (its appender has not returned yet, or died before sequencing) is numbered first.
      const pending = page.docs.filter((doc) => !isSequenced(doc)).map((doc) => doc.ref);
      const positions = await this.positionsOf(pending, { justCommitted: false });
      for (const doc of page.docs) yield toRecordedEvent(doc, positions.get(doc.ref.path));
      if (page.size < pageSize) return;
      remaining -= page.size;
      fromVersion = (page.docs.at(-1)!.get('streamVersion') as number) + 1;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const types = options.types;
    if (types?.length === 0) return;
    const typesOnServer = types !== undefined && types.length <= MAX_SERVER_TYPE_FILTER;
    const typesHere = types !== undefined && !typesOnServer ? new Set(types) : null;
    let after = toPosition(fromPosition(options.after));
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    const pageLimit = options.pageSize ?? DEFAULT_PAGE_SIZE;
    while (remaining > 0) {
      const pageSize = typesHere ? pageLimit : Math.min(remaining, pageLimit);
      let query = this.collections.events.where('gpos', '>', after);
      if (options.until) query = query.where('gpos', '<=', toPosition(fromPosition(options.until)));
      if (typesOnServer) query = query.where('type', 'in', types);
      const page = await firestoreCall('read log', () =>
        query.orderBy('gpos').limit(pageSize).get(),
      );
      for (const doc of page.docs) {
        const event = toRecordedEvent(doc);
        after = event.position;
        if (typesHere && !typesHere.has(event.type)) continue;
        yield event;
        remaining -= 1;
        if (remaining === 0) return;
      }
      if (page.size < pageSize) return;
    }
  }

  async streamVersion(streamId: string): Promise<number> {
    const stream = await firestoreCall(`read version of ${streamId}`, () =>
      this.collections.stream(streamId).get(),
    );
    return (stream.get('version') as number | undefined) ?? 0;
  }

  /**
   * The newest numbered event (the counter: positions are dense). With `committed`, every pending
   * event is numbered first, so the answer covers every event committed before the call.
   */
  async head(options: { committed?: boolean } = {}): Promise<Position | null> {
    if (options.committed) await this.sequencer.sequenceAll();
    const counter = await firestoreCall('read head', () => this.collections.counter.get());
    const last = (counter.get('last') as number | undefined) ?? 0;
    return last > 0 ? toPosition(last) : null;
  }

  /** Positions are dense (1, 2, 3, ...): the distance is their difference. */
  async distance(from: Position | null, to: Position | null): Promise<number> {
    if (to === null) return 0;
    return Math.max(0, fromPosition(to) - fromPosition(from));
  }

  purgeExpiredIdempotencyKeys(): Promise<number> {
    return purgeExpiredKeys(this.collections, this.clock.now().getTime());
  }

  async readIdempotencyKey(key: string): Promise<IdempotencyKeyRecord | null> {
    const nowMs = this.clock.now().getTime();
    const snapshot = await firestoreCall(`read idempotency key ${key}`, () =>
      this.collections.key(key).get(),
    );
    const stored = liveKey(snapshot, nowMs);
    if (stored === null) return null;
    const { streams, firstPosition, lastPosition } = await this.storedResult(stored);
    return {
      key,
      result: { streams, firstPosition, lastPosition },
      fingerprint: stored.fingerprint,
      writtenAt: stored.writtenAt,
      expiresAt: new Date(stored.expiresAtMs).toISOString(),
    };
  }

  countLiveIdempotencyKeys(): Promise<number> {
    return countLiveKeys(this.collections, this.clock.now().getTime());
  }

  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Numbers every pending event (at open: events of an appender that died before sequencing). */
  sequencePending(): Promise<void> {
    return this.sequencer.sequenceAll();
  }

  /** Waits for this process's sequencing to finish (before the client closes). */
  idle(): Promise<void> {
    return this.sequencer.idle();
  }

  private afterAppend(result: MultiAppendResult): void {
    countAppend(this.stats, result);
    if (result.duplicate || result.lastPosition === null) return;
    for (const listener of this.listeners) listener();
  }

  /**
   * Commits a group; an event id already taken (found only at commit: a random id that collided,
   * or a caller's id written in between) fails the whole commit, so each request is then tried
   * alone, to refuse only the one that reused it.
   */
  private async commitGroup(
    requests: readonly AppendRequest[],
  ): Promise<Array<GroupOutcome<MultiAppendResult>>> {
    let decisions: AppendDecision[];
    try {
      decisions = (await this.commit(requests))!;
    } catch (error) {
      if (!hasGrpcCode(error, GRPC.ALREADY_EXISTS)) throw error;
      if (requests.length > 1) {
        return (await Promise.all(requests.map((request) => this.commitGroup([request])))).flat();
      }
      return [
        { ok: false, error: new DuplicateEventIdError(this.takenId(requests[0]!, error), error) },
      ];
    }
    return this.complete(decisions);
  }

  private commit(
    requests: readonly AppendRequest[],
    part?: TransactionPart,
  ): Promise<AppendDecision[] | null> {
    const nowMs = this.clock.now().getTime();
    const time = { nowMs, keyExpiresAtMs: nowMs + daysToMs(this.options.idempotencyTtlDays()) };
    return firestoreCall('append', () =>
      this.collections.layout.transaction(
        async (tx) => {
          const partWrites = part ? await part(tx) : undefined;
          if (partWrites === null) return null;
          const prepared = await prepareAppends(tx, this.collections, requests, time);
          const refused = prepared.decisions.find((decision) => decision.kind === 'refused');
          // With a part, the append and the part succeed or fail together.
          if (part && refused) throw refused.error;
          partWrites?.(tx);
          prepared.write(tx);
          return prepared.decisions;
        },
        { maxAttempts: APPEND_TRANSACTION_ATTEMPTS },
      ),
    );
  }

  /** The results of a committed group, once its events have positions. */
  private async complete(
    decisions: readonly AppendDecision[],
  ): Promise<Array<GroupOutcome<MultiAppendResult>>> {
    const written = decisions.flatMap((decision) =>
      decision.kind === 'written' ? decision.events : [],
    );
    const positions = await this.positionsOf(written, { justCommitted: true });
    const outcomes: Array<GroupOutcome<MultiAppendResult>> = [];
    for (const decision of decisions) {
      switch (decision.kind) {
        case 'written':
          outcomes.push({
            ok: true,
            value: {
              streams: decision.streams,
              ...span(decision.events, positions),
              duplicate: false,
            },
          });
          break;
        case 'duplicate-in-commit': {
          const original = outcomes[decision.original]!;
          outcomes.push(
            original.ok
              ? { ok: true, value: asDuplicate(original.value, decision.fingerprint) }
              : original,
          );
          break;
        }
        case 'stored-duplicate':
          outcomes.push({ ok: true, value: await this.storedResult(decision.stored) });
          break;
        case 'refused':
          outcomes.push({ ok: false, error: decision.error });
          break;
      }
    }
    return outcomes;
  }

  /** The result a live key answers a duplicate with, positions read from its events. */
  private async storedResult(stored: StoredKey): Promise<MultiAppendResult> {
    const events = stored.streams.flatMap(({ eventIds }) =>
      eventIds.map((eventId) => this.collections.event(eventId)),
    );
    const positions = await this.positionsOf(events, { justCommitted: false });
    return asDuplicate(
      { streams: stored.streams, ...span(events, positions), duplicate: false },
      stored.fingerprint,
    );
  }

  /**
   * The positions of `events`, sequencing them first when they are pending. Just committed events
   * are surely pending unless another process's pass took them, so a pass comes first; otherwise
   * their documents are read first.
   */
  private async positionsOf(
    events: readonly DocumentReference[],
    { justCommitted }: { justCommitted: boolean },
  ): Promise<Map<string, Position>> {
    const positions = new Map<string, Position>();
    let missing = events;
    if (missing.length > 0 && !justCommitted)
      missing = await this.readPositions(missing, positions);
    while (missing.length > 0) {
      const pass = await this.sequencer.pass();
      missing = missing.filter((ref) => {
        const position = pass.assigned.get(ref.path);
        if (position !== undefined) positions.set(ref.path, position);
        return position === undefined;
      });
      // Otherwise the pass numbered everything pending when it began, ours included, unless
      // another process's pass got there first: then their documents have the positions.
      if (missing.length > 0 && !pass.morePending) {
        missing = await this.readPositions(missing, positions);
      }
    }
    return positions;
  }

  /** Reads the events' positions into `positions`; returns the events still pending. */
  private async readPositions(
    events: readonly DocumentReference[],
    positions: Map<string, Position>,
  ): Promise<DocumentReference[]> {
    const snapshots = await firestoreCall('read event positions', () =>
      this.collections.layout.db.getAll(...events),
    );
    const pending: DocumentReference[] = [];
    for (const snapshot of snapshots) {
      if (!snapshot.exists) {
        throw new Error(
          `event document ${snapshot.ref.path} is missing although an append or key names it: ` +
            'the log was changed outside Shotclock',
        );
      }
      const gpos = snapshot.get('gpos') as unknown;
      if (typeof gpos === 'string') positions.set(snapshot.ref.path, gpos);
      else pending.push(snapshot.ref);
    }
    return pending;
  }

  /** Which of the request's event ids the ALREADY_EXISTS answer names, when it says. */
  private takenId(request: AppendRequest, error: unknown): string | null {
    const message = error instanceof Error ? error.message : String(error);
    for (const { events } of request.writes) {
      for (const { eventId } of events) {
        if (eventId !== undefined && message.includes(`/${this.collections.event(eventId).id}`)) {
          return eventId;
        }
      }
    }
    return null;
  }
}

function isSequenced(doc: QueryDocumentSnapshot): boolean {
  return typeof doc.get('gpos') === 'string';
}

/** Writes one request makes: its events, each stream it writes to, and its key. */
function writeCount({ writes, options }: AppendRequest): number {
  const events = writes.reduce((sum, write) => sum + write.events.length, 0);
  return events + writes.length + (options.idempotencyKey === undefined ? 0 : 1);
}

/** The lowest and highest position of `events` (positions are fixed-width strings). */
function span(
  events: readonly DocumentReference[],
  positions: ReadonlyMap<string, Position>,
): Pick<MultiAppendResult, 'firstPosition' | 'lastPosition'> {
  let firstPosition: Position | null = null;
  let lastPosition: Position | null = null;
  for (const ref of events) {
    const position = positions.get(ref.path)!;
    if (firstPosition === null || position < firstPosition) firstPosition = position;
    if (lastPosition === null || position > lastPosition) lastPosition = position;
  }
  return { firstPosition, lastPosition };
}

function asDuplicate(result: MultiAppendResult, fingerprint: string | null): MultiAppendResult {
  return {
    ...result,
    duplicate: true,
    ...(fingerprint === null ? {} : { storedFingerprint: fingerprint }),
  };
}
