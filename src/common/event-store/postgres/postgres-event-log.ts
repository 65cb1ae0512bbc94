import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock/clock.js';
import { daysToMs } from '../../clock/durations.js';
import type { EventMetadata, NewEvent, Position, RecordedEvent } from '../event-envelope.js';
import { WrongExpectedVersionError } from '../event-store.errors.js';
import type {
  AppendOptions,
  AppendResult,
  AppendStats,
  EventLog,
  MultiAppendOptions,
  MultiAppendResult,
  ReadAllOptions,
  ReadStreamOptions,
  StreamWrite,
} from '../event-store.port.js';
import { assertDistinctStreams, assertExpectedVersion, toSingleResult } from '../append-rules.js';
import { violatedConstraint } from './postgres-errors.js';
import { claimKey, purgeExpiredKeys, storeKey } from './postgres-idempotency-keys.js';
import type { PostgresPool, Queryable } from './postgres-pool.js';
import { fromPosition, toPosition, type LogPoint } from './postgres-position.js';
import { VISIBLE, waitUntilVisible } from './postgres-visibility.js';

const DEFAULT_PAGE_SIZE = 1000;
/** An append with expectedVersion 'any' that met a concurrent writer of its stream runs again, at most this often. */
const MAX_ANY_VERSION_ATTEMPTS = 10;

interface EventRow {
  transaction_id: string;
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
}

// The ::text aliases shadow the columns in ORDER BY: order by `events.`-qualified names.
const EVENT_COLUMNS = `transaction_id::text AS transaction_id, global_position::text AS global_position,
  event_id, stream_id, stream_version, type, data, metadata, recorded_at`;

/** A committed append: its result and the transaction that wrote it (null when nothing was written). */
export interface AppendOutcome {
  result: MultiAppendResult;
  transactionId: string | null;
}

/** Another transaction wrote `write`'s stream between our version check and our insert. */
export class StreamVersionRace extends Error {
  constructor(
    readonly write: StreamWrite,
    cause: unknown,
  ) {
    super(`stream ${write.streamId} was appended to concurrently`, { cause });
    this.name = 'StreamVersionRace';
  }
}

export class PostgresEventLog implements EventLog {
  private readonly listeners = new Set<() => void>();
  readonly stats: AppendStats = { appends: 0, duplicates: 0, events: 0 };

  constructor(
    private readonly pool: PostgresPool,
    private readonly clock: Clock,
    private readonly idempotencyTtlDays: () => number,
  ) {}

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return toSingleResult(
      await this.appendMulti(
        [{ streamId, events, expectedVersion: options.expectedVersion }],
        options,
      ),
    );
  }

  async appendMulti(
    writes: readonly StreamWrite[],
    options: MultiAppendOptions = {},
  ): Promise<MultiAppendResult> {
    assertDistinctStreams(writes);
    const outcome = await this.withVersionRaces(() =>
      this.pool.transaction('append', (client) =>
        this.appendInTransaction(client, writes, options),
      ),
    );
    await this.afterCommit(outcome);
    return outcome.result;
  }

  /**
   * Runs an appending transaction, mapping a lost race on a stream version (the unique
   * (stream_id, stream_version) constraint) to what SQLite's serialised writer would have done:
   * run again when the write accepted any version, else WrongExpectedVersionError with the
   * version the winner left.
   */
  async withVersionRaces<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        if (!(error instanceof StreamVersionRace)) throw error;
        const { streamId, expectedVersion } = error.write;
        if (expectedVersion === 'any' && attempt < MAX_ANY_VERSION_ATTEMPTS) continue;
        throw new WrongExpectedVersionError(
          streamId,
          expectedVersion,
          await this.streamVersion(streamId),
        );
      }
    }
  }

  /** Counts the append, waits until its events are readable, then tells local listeners. */
  async afterCommit(outcome: AppendOutcome): Promise<void> {
    this.countAppend(outcome.result);
    if (outcome.result.duplicate || outcome.transactionId === null) return;
    await waitUntilVisible(this.pool, outcome.transactionId);
    for (const listener of this.listeners) listener();
  }

  private countAppend(result: MultiAppendResult): void {
    if (result.duplicate) {
      this.stats.duplicates += 1;
    } else {
      this.stats.appends += 1;
      this.stats.events += result.streams.reduce((sum, stream) => sum + stream.eventIds.length, 0);
    }
  }

  /** Appends inside the caller's open transaction (timers reuse it); the caller calls afterCommit. */
  async appendInTransaction(
    client: Queryable,
    writes: readonly StreamWrite[],
    options: MultiAppendOptions,
  ): Promise<AppendOutcome> {
    const nowMs = this.clock.now().getTime();
    if (options.idempotencyKey !== undefined) {
      const original = await claimKey(client, options.idempotencyKey, nowMs);
      if (original) return { result: original, transactionId: null };
    }
    let firstPosition: Position | null = null;
    let lastPosition: Position | null = null;
    let transactionId: string | null = null;
    const streams = [];
    for (const write of writes) {
      const current = await currentVersion(client, write.streamId);
      assertExpectedVersion(write.streamId, write.expectedVersion, current);
      const inserted = await insertEvents(client, write, current, nowMs);
      if (inserted.length > 0) {
        transactionId = inserted[0]!.transactionId;
        firstPosition ??= inserted[0]!.position;
        lastPosition = inserted.at(-1)!.position;
      }
      streams.push({
        streamId: write.streamId,
        streamVersion: current + write.events.length,
        eventIds: inserted.map((event) => event.eventId),
      });
    }
    const result: MultiAppendResult = { streams, firstPosition, lastPosition, duplicate: false };
    if (options.idempotencyKey !== undefined) {
      await storeKey(client, options.idempotencyKey, {
        result,
        ...(options.fingerprint === undefined ? {} : { fingerprint: options.fingerprint }),
        nowMs,
        expiresAtMs: nowMs + daysToMs(this.idempotencyTtlDays()),
      });
    }
    return { result, transactionId };
  }

  async *readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): AsyncIterable<RecordedEvent> {
    // No visibility filter: a stream is read to decide the next append, whose expected version
    // must match every committed event of the stream.
    let fromVersion = options.fromVersion ?? 1;
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const pageSize = Math.min(remaining, DEFAULT_PAGE_SIZE);
      const rows = await this.pool.query<EventRow>(
        `read stream ${streamId}`,
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= $2
         ORDER BY stream_version LIMIT $3`,
        [streamId, fromVersion, pageSize],
      );
      for (const row of rows) yield toRecordedEvent(row);
      if (rows.length < pageSize) return;
      remaining -= rows.length;
      fromVersion = rows.at(-1)!.stream_version + 1;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let after = fromPosition(options.after);
    const until = options.until ? fromPosition(options.until) : null;
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    const conditions = [VISIBLE, '(transaction_id, global_position) > ($1::xid8, $2::bigint)'];
    const fixed: unknown[] = [];
    if (until) {
      fixed.push(until.transactionId, until.globalPosition);
      conditions.push(
        `(transaction_id, global_position) <= ($${fixed.length + 1}::xid8, $${fixed.length + 2}::bigint)`,
      );
    }
    if (options.types) {
      fixed.push([...options.types]);
      conditions.push(`type = ANY($${fixed.length + 2}::text[])`);
    }
    const sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE ${conditions.join(' AND ')}
      ORDER BY events.transaction_id, events.global_position LIMIT $${fixed.length + 3}`;
    while (remaining > 0) {
      const pageSize = Math.min(remaining, options.pageSize ?? DEFAULT_PAGE_SIZE);
      const rows = await this.pool.query<EventRow>('read log', sql, [
        after.transactionId,
        after.globalPosition,
        ...fixed,
        pageSize,
      ]);
      for (const row of rows) yield toRecordedEvent(row);
      if (rows.length < pageSize) return;
      remaining -= rows.length;
      const last = rows.at(-1)!;
      after = { transactionId: last.transaction_id, globalPosition: last.global_position };
    }
  }

  async streamVersion(streamId: string): Promise<number> {
    const [row] = await this.pool.query<{ version: number | null }>(
      `read version of ${streamId}`,
      'SELECT max(stream_version) AS version FROM events WHERE stream_id = $1',
      [streamId],
    );
    return Number(row?.version ?? 0);
  }

  /** The newest readable event (see VISIBLE), not one a running transaction may still precede. */
  async head(): Promise<Position | null> {
    const [row] = await this.pool.query<LogPointRow>(
      'read head',
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position
       FROM events WHERE ${VISIBLE}
       ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1`,
    );
    return row ? toPosition(row.transaction_id, row.global_position) : null;
  }

  /** Counts readable events in (from, to]: positions are not dense (rolled-back inserts leave holes). */
  async distance(from: Position | null, to: Position | null): Promise<number> {
    if (to === null) return 0;
    const lower: LogPoint = fromPosition(from);
    const upper: LogPoint = fromPosition(to);
    const [row] = await this.pool.query<{ count: string }>(
      'measure log distance',
      `SELECT count(*) AS count FROM events WHERE ${VISIBLE}
         AND (transaction_id, global_position) > ($1::xid8, $2::bigint)
         AND (transaction_id, global_position) <= ($3::xid8, $4::bigint)`,
      [lower.transactionId, lower.globalPosition, upper.transactionId, upper.globalPosition],
    );
    return Number(row?.count ?? 0);
  }

  purgeExpiredIdempotencyKeys(): Promise<number> {
    return purgeExpiredKeys(this.pool, this.clock.now().getTime());
  }

  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

interface LogPointRow {
  transaction_id: string;
  global_position: string;
}

async function currentVersion(client: Queryable, streamId: string): Promise<number> {
  const { rows } = await client.query<{ version: number | null }>(
    'SELECT max(stream_version) AS version FROM events WHERE stream_id = $1',
    [streamId],
  );
  return Number(rows[0]?.version ?? 0);
}

/** Inserts one stream's events in one statement; returns them in stream order. */
async function insertEvents(
  client: Queryable,
  write: StreamWrite,
  current: number,
  nowMs: number,
): Promise<Array<{ eventId: string; position: Position; transactionId: string }>> {
  if (write.events.length === 0) return [];
  const eventIds = write.events.map((event) => event.eventId ?? randomUUID());
  try {
    const { rows } = await client.query<LogPointRow & { event_id: string; stream_version: number }>(
      `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at)
       SELECT e.event_id, $2, $3 + e.ord, e.type, e.data, e.metadata, $4
       FROM unnest($1::text[], $5::text[], $6::json[], $7::json[])
         WITH ORDINALITY AS e(event_id, type, data, metadata, ord)
       ORDER BY e.ord
       RETURNING transaction_id::text AS transaction_id, global_position::text AS global_position,
         event_id, stream_version`,
      [
        eventIds,
        write.streamId,
        current,
        new Date(nowMs).toISOString(),
        write.events.map((event) => event.type),
        write.events.map((event) => JSON.stringify(event.data ?? null)),
        write.events.map((event) => JSON.stringify(event.metadata ?? {})),
      ],
    );
    return rows
      .sort((a, b) => a.stream_version - b.stream_version)
      .map((row) => ({
        eventId: row.event_id,
        position: toPosition(row.transaction_id, row.global_position),
        transactionId: row.transaction_id,
      }));
  } catch (error) {
    if (violatedConstraint(error) === 'events_stream_version') {
      throw new StreamVersionRace(write, error);
    }
    throw error;
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    position: toPosition(row.transaction_id, row.global_position),
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at.toISOString(),
  };
}
