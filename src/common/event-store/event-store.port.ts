import type { NewEvent, Position, RecordedEvent } from './event-envelope.js';
import type { QuarantineBodyStore } from './quarantine-body-store.port.js';

export type ExpectedVersion = number | 'no-stream' | 'any';

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
  /** Stored in the same transaction as the events; a second append with a live key writes nothing. */
  idempotencyKey?: string;
  /** Fingerprint of the payload behind the key, so a caller can tell "same key, different payload". */
  fingerprint?: string;
}

export interface AppendResult {
  streamId: string;
  /** Version of the stream after the append (0 when an empty append created nothing). */
  streamVersion: number;
  eventIds: string[];
  firstPosition: Position | null;
  lastPosition: Position | null;
  /** True when the idempotency key had been used: nothing was written, this is the original result. */
  duplicate: boolean;
  /** On a duplicate: the fingerprint stored with the original append. */
  storedFingerprint?: string;
}

/** One stream's part of an atomic multi-stream append. */
export interface StreamWrite {
  streamId: string;
  events: readonly NewEvent[];
  expectedVersion: ExpectedVersion;
}

export interface MultiAppendOptions {
  idempotencyKey?: string;
  fingerprint?: string;
}

export interface StreamAppendResult {
  streamId: string;
  streamVersion: number;
  eventIds: string[];
}

export interface MultiAppendResult {
  streams: StreamAppendResult[];
  firstPosition: Position | null;
  lastPosition: Position | null;
  duplicate: boolean;
  storedFingerprint?: string;
}

export interface ReadAllOptions {
  /** Read events strictly after this position; null or absent = from the start. */
  after?: Position | null;
  /** Stop after this position (inclusive). */
  until?: Position | null;
  /** Only these event types. */
  types?: readonly string[];
  /** Maximum number of events to yield in total. */
  limit?: number;
  /** Page size used internally; memory stays bounded by it. */
  pageSize?: number;
}

export interface ReadStreamOptions {
  fromVersion?: number;
  limit?: number;
}

/** One live idempotency key as the store keeps it (GET /v1/dedup/keys/:key). */
export interface IdempotencyKeyRecord {
  key: string;
  /** What the keyed append wrote, and what a duplicate is answered with. */
  result: Pick<MultiAppendResult, 'streams' | 'firstPosition' | 'lastPosition'>;
  /** The fingerprint stored with the key (push: sha256 of the data); null when none was given. */
  fingerprint: string | null;
  /** When the keyed append was recorded (its events' recorded_at). */
  writtenAt: string;
  /** After this the key is not honoured (DEDUP_TTL_DAYS after writtenAt). */
  expiresAt: string;
}

/** Counters since this process opened the store (exported as metrics). */
export interface AppendStats {
  appends: number;
  duplicates: number;
  events: number;
}

/** The append-only log. */
export interface EventLog {
  readonly stats: AppendStats;
  append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  /**
   * Appends to several distinct streams in one transaction: every expected version holds and all
   * events are written, or nothing is. One idempotency key covers the whole append.
   */
  appendMulti(
    writes: readonly StreamWrite[],
    options?: MultiAppendOptions,
  ): Promise<MultiAppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  streamVersion(streamId: string): Promise<number>;
  /**
   * Position of the newest event, or null for an empty log: by default the newest readable one
   * (what readAll reaches). With `committed`, the newest committed one, which on PostgreSQL may
   * not be readable yet (an older transaction anywhere in the cluster still runs); SQLite has no
   * such events.
   */
  head(options?: { committed?: boolean }): Promise<Position | null>;
  /** Number of events after `from` up to `to` (the lag of a reader at `from`). */
  distance(from: Position | null, to: Position | null): Promise<number>;
  /** Deletes idempotency keys past their expiry; returns how many. */
  purgeExpiredIdempotencyKeys(): Promise<number>;
  /** The key as stored, or null when there is none or it has expired (a read: deletes nothing). */
  readIdempotencyKey(key: string): Promise<IdempotencyKeyRecord | null>;
  /** How many keys are live now (SQLite counts them with a scan: keys have no expiry index). */
  countLiveIdempotencyKeys(): Promise<number>;
  /** Called after each committed append in this process; returns an unsubscribe function. */
  onAppended(listener: () => void): () => void;
}

/** A document in a read model: one JSON object under (collection, key). */
export type ReadModelDocument = Record<string, unknown>;

export interface ReadModelListOptions {
  /** Keys starting with this prefix. */
  prefix?: string;
  /** Keys strictly greater than this (cursor). */
  after?: string;
  /** Keys less than or equal to this. */
  until?: string;
  limit?: number;
}

export interface ReadModelReader {
  get<T extends ReadModelDocument>(collection: string, key: string): Promise<T | null>;
  list<T extends ReadModelDocument>(
    collection: string,
    options?: ReadModelListOptions,
  ): Promise<Array<{ key: string; doc: T }>>;
}

/** Read-model writes of one projection batch; committed together with the checkpoint. */
export interface ReadModelTransaction {
  get<T extends ReadModelDocument>(collection: string, key: string): Promise<T | null>;
  put(collection: string, key: string, doc: ReadModelDocument): Promise<void>;
  delete(collection: string, key: string): Promise<void>;
}

export interface ProjectionStore {
  checkpoint(name: string): Promise<Position | null>;
  /**
   * Runs `apply` and writes its read-model changes and the new checkpoint in one transaction.
   * Throws CheckpointConflictError when the stored checkpoint is not `expected`.
   */
  commit(
    name: string,
    expected: Position | null,
    next: Position,
    apply: (tx: ReadModelTransaction) => Promise<void>,
  ): Promise<void>;
  /** Deletes the projection's collections and checkpoint in one transaction. */
  reset(name: string, collections: readonly string[]): Promise<void>;
}

export interface ScheduledTimer {
  timerId: string;
  streamId: string;
  /** Milliseconds since the epoch. */
  dueAtMs: number;
  event: NewEvent;
}

export interface TimerRecord extends ScheduledTimer {
  state: 'scheduled' | 'fired' | 'cancelled';
  firedAt: string | null;
}

export interface TimerStore {
  /** Idempotent by timerId: scheduling the same id again keeps the first timer. */
  schedule(timer: ScheduledTimer): Promise<TimerRecord>;
  cancel(timerId: string): Promise<boolean>;
  get(timerId: string): Promise<TimerRecord | null>;
  due(nowMs: number, limit: number): Promise<TimerRecord[]>;
  nextDueAtMs(): Promise<number | null>;
  /** Appends the timer's event and marks it fired in one transaction; null when it was no longer scheduled. */
  fire(timerId: string): Promise<AppendResult | null>;
}

export interface OutboundMessage {
  topic: string;
  /** Stable id derived from the source event id: redelivery carries the same id. */
  messageId: string;
  attributes: Record<string, string>;
  body: unknown;
}

export interface OutboxDelivery {
  messageId: string;
  topic: string;
  eventId: string;
  position: Position;
  attempts: number;
  deliveredAt: string | null;
  lastError: string | null;
}

export interface EmbeddedMessage extends OutboundMessage {
  publishedAt: string;
  /** Pass as `after` to read the next page. */
  cursor: string;
}

export interface OutboxStore {
  /** Records a failed attempt (the checkpoint does not move). */
  recordFailure(
    message: OutboundMessage,
    eventId: string,
    position: Position,
    error: string,
  ): Promise<number>;
  /** Records delivery of a message; with `checkpoint`, advances the dispatcher's checkpoint in the same transaction. */
  recordDelivery(
    message: OutboundMessage,
    eventId: string,
    position: Position,
    checkpoint: { name: string; expected: Position | null },
  ): Promise<void>;
  deliveries(options: { topic?: string; after?: string; limit: number }): Promise<OutboxDelivery[]>;
  /** The embedded publisher's sink. */
  saveEmbedded(message: OutboundMessage): Promise<void>;
  embeddedMessages(options: {
    topic?: string;
    after?: string;
    limit: number;
  }): Promise<EmbeddedMessage[]>;
}

/** Who runs a singleton job (a projection, the timer scheduler, a dispatcher) right now. */
export interface LeaseRecord {
  name: string;
  holder: string;
  /** When the lease lapses unless renewed (the store's clock). */
  expiresAt: string;
  /** When the current holder took it. */
  acquiredAt: string;
  renewedAt: string;
}

/**
 * Leases with expiry: at most one live holder per name. Time is the store's own clock
 * (wall time of the database), never the service's (possibly manual) clock.
 */
export interface LeaseStore {
  /**
   * Takes `name` for `ttlMs` when it is free, lapsed or already `holder`'s (then it is a renewal);
   * true when `holder` holds it afterwards.
   */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives `name` up at once when `holder` holds it, so another instance need not wait for expiry. */
  release(name: string, holder: string): Promise<void>;
  /** Every lease, live or lapsed, by name. */
  list(): Promise<LeaseRecord[]>;
}

/** What a store can tell about its own condition, for readiness, `/health` and `/metrics`. */
export interface StoreCondition {
  /** A write failed for a reason retrying will not fix soon (read-only or full disk) and none succeeded since; null when writes work. */
  writeFailure: string | null;
  /** PostgreSQL: age of the oldest transaction in the cluster holding back readers, in ms; null where that cannot happen. */
  oldestTransactionAgeMs: number | null;
}

/** Everything a Shotclock instance keeps, behind one port. */
export interface Storage {
  readonly kind: string;
  readonly events: EventLog;
  readonly projections: ProjectionStore;
  readonly readModels: ReadModelReader;
  readonly timers: TimerStore;
  readonly outbox: OutboxStore;
  readonly leases: LeaseStore;
  /** Raw bodies of quarantined messages and conflict records, bounded by QUARANTINE_MAX_BYTES. */
  readonly quarantineBodies: QuarantineBodyStore;
  /** Cheap round trip to the store (health). */
  ping(): Promise<void>;
  /** Its condition now (cheap; health and metrics call it on every probe or scrape). */
  condition(): Promise<StoreCondition>;
  close(): Promise<void>;
}

export const STORAGE = Symbol('STORAGE');
