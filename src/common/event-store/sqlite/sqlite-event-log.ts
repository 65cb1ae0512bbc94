import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock/clock.js';
import { daysToMs } from '../../clock/durations.js';
import type { NewEvent, Position, RecordedEvent } from '../event-envelope.js';
import type {
  AppendOptions,
  AppendResult,
  AppendStats,
  MultiAppendOptions,
  MultiAppendResult,
  StreamWrite,
  EventLog,
  IdempotencyKeyRecord,
  ReadAllOptions,
  ReadStreamOptions,
} from '../event-store.port.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { DuplicateEventIdError } from '../event-store.errors.js';
import {
  appendOneStream,
  assertDistinctStreams,
  assertExpectedVersion,
  assertStorableText,
  countAppend,
} from '../append-rules.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import { SqliteLogHeads } from './sqlite-log-heads.js';
import { SqliteLogTail, toRecordedEvent, type StoredEventRow } from './sqlite-log-tail.js';
import { fromPosition, toPosition } from './sqlite-position.js';

const DEFAULT_PAGE_SIZE = 1000;
const PURGE_CHUNK = 2000;

export class SqliteEventLog implements EventLog {
  private readonly listeners = new Set<() => void>();
  readonly stats: AppendStats = { appends: 0, duplicates: 0, events: 0 };
  private readonly groupCommit: SqliteGroupCommit;
  private readonly heads: SqliteLogHeads;
  private readonly tail = new SqliteLogTail();

  constructor(
    private readonly sqlite: SqliteDatabase,
    private readonly clock: Clock,
    private readonly idempotencyTtlDays: () => number,
  ) {
    this.groupCommit = new SqliteGroupCommit(sqlite);
    this.heads = new SqliteLogHeads(sqlite, () => this.headInTransaction());
    sqlite.onTransactionEnd((committed) => this.tail.transactionEnded(committed));
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
    assertStorableText(writes, options);
    const result = await this.groupCommit.run(() => this.appendMultiInTransaction(writes, options));
    this.countAppend(result);
    if (!result.duplicate && result.lastPosition !== null) this.notifyAppended();
    return result;
  }

  countAppend(result: MultiAppendResult): void {
    countAppend(this.stats, result);
  }

  /** A single-stream append inside the caller's open transaction (timers reuse it). */
  appendInTransaction(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): MultiAppendResult {
    return this.appendMultiInTransaction(
      [{ streamId, events, expectedVersion: options.expectedVersion }],
      options,
    );
  }

  private appendMultiInTransaction(
    writes: readonly StreamWrite[],
    options: MultiAppendOptions,
  ): MultiAppendResult {
    assertDistinctStreams(writes);
    const nowMs = this.clock.now().getTime();
    if (options.idempotencyKey !== undefined) {
      const original = this.findLiveKey(options.idempotencyKey, nowMs);
      if (original) return original;
    }
    const recordedAt = new Date(nowMs).toISOString();
    this.heads.eventsInserted();
    const insert = this.sqlite.statement(
      'INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    let firstPosition: Position | null = null;
    let lastPosition: Position | null = null;
    const rows: StoredEventRow[] = [];
    const streams = writes.map(({ streamId, events, expectedVersion }) => {
      const current = this.currentVersion(streamId);
      assertExpectedVersion(streamId, expectedVersion, current);
      const eventIds = events.map((event, index) => {
        const row = {
          event_id: event.eventId ?? randomUUID(),
          stream_id: streamId,
          stream_version: current + index + 1,
          type: event.type,
          data: JSON.stringify(event.data ?? null),
          metadata: JSON.stringify(event.metadata ?? {}),
          recorded_at: recordedAt,
        };
        const { lastInsertRowid } = insertEvent(row.event_id, () =>
          insert.run(
            row.event_id,
            row.stream_id,
            row.stream_version,
            row.type,
            row.data,
            row.metadata,
            row.recorded_at,
          ),
        );
        rows.push({ ...row, position: Number(lastInsertRowid) });
        lastPosition = toPosition(lastInsertRowid);
        firstPosition ??= lastPosition;
        return row.event_id;
      });
      return { streamId, streamVersion: current + events.length, eventIds };
    });
    const result: MultiAppendResult = { streams, firstPosition, lastPosition, duplicate: false };
    if (options.idempotencyKey !== undefined) {
      this.sqlite
        .statement(
          'INSERT INTO idempotency_keys (key, result, fingerprint, created_at, expires_at_ms) VALUES (?, ?, ?, ?, ?)',
        )
        .run(
          options.idempotencyKey,
          JSON.stringify(result),
          options.fingerprint ?? null,
          recordedAt,
          nowMs + daysToMs(this.idempotencyTtlDays()),
        );
    }
    this.tail.appended(rows);
    return result;
  }

  notifyAppended(): void {
    for (const listener of this.listeners) listener();
  }

  async *readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): AsyncIterable<RecordedEvent> {
    let fromVersion = options.fromVersion ?? 1;
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const pageSize = Math.min(remaining, DEFAULT_PAGE_SIZE);
      const rows = await this.sqlite.exclusive(`read stream ${streamId}`, () =>
        this.sqlite
          .statement(
            'SELECT * FROM events WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?',
          )
          .all(streamId, fromVersion, pageSize),
      );
      for (const row of rows) yield toRecordedEvent(row as unknown as StoredEventRow);
      if (rows.length < pageSize) return;
      remaining -= rows.length;
      fromVersion = Number(rows[rows.length - 1]!.stream_version) + 1;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let after = fromPosition(options.after);
    const until = Math.min(
      options.until ? fromPosition(options.until) : Number.MAX_SAFE_INTEGER,
      await this.heads.readableLimit(),
    );
    const types = options.types ? JSON.stringify(options.types) : null;
    const typeSet = options.types ? new Set(options.types) : null;
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    const sql = types
      ? 'SELECT * FROM events WHERE position > ? AND position <= ? AND type IN (SELECT value FROM json_each(?)) ORDER BY position LIMIT ?'
      : 'SELECT * FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?';
    while (remaining > 0) {
      const pageSize = Math.min(remaining, options.pageSize ?? DEFAULT_PAGE_SIZE);
      const page =
        this.tail.read(after, until, typeSet, pageSize) ??
        (await this.readPage(sql, types, after, until, pageSize));
      yield* page;
      if (page.length < pageSize) return;
      remaining -= page.length;
      after = fromPosition(page[page.length - 1]!.position);
    }
  }

  private async readPage(
    sql: string,
    types: string | null,
    after: number,
    until: number,
    pageSize: number,
  ): Promise<RecordedEvent[]> {
    const params = types ? [after, until, types, pageSize] : [after, until, pageSize];
    const rows = await this.sqlite.exclusive('read log', () =>
      this.sqlite.statement(sql).all(...params),
    );
    return rows.map((row) => toRecordedEvent(row as unknown as StoredEventRow));
  }

  streamVersion(streamId: string): Promise<number> {
    return this.sqlite.exclusive(`read version of ${streamId}`, () =>
      this.currentVersion(streamId),
    );
  }

  /** Readable: what readAll reaches (under FULL, only events already flushed to disk). */
  async head(options: { committed?: boolean } = {}): Promise<Position | null> {
    if (options.committed || !this.sqlite.walSync) {
      return this.sqlite.exclusive('read head', () => this.headInTransaction());
    }
    const readable = await this.heads.readableHead();
    return readable === 0 ? null : toPosition(readable);
  }

  headInTransaction(): Position | null {
    const row = this.sqlite.statement('SELECT max(position) AS head FROM events').get();
    return row?.head === null || row?.head === undefined ? null : toPosition(row.head as number);
  }

  async distance(from: Position | null, to: Position | null): Promise<number> {
    // Row ids are dense: a rolled-back AUTOINCREMENT insert does not consume its id.
    return Math.max(0, fromPosition(to) - fromPosition(from));
  }

  /**
   * Walks the keys in chunks, each in its own short transaction, so a large table never holds the
   * write lock for long. (Keys have no expiry index: it would cost every keyed append a page write.)
   */
  async purgeExpiredIdempotencyKeys(): Promise<number> {
    const nowMs = this.clock.now().getTime();
    let after = '';
    let removed = 0;
    for (;;) {
      const chunk = await this.sqlite.transaction('purge idempotency keys', () => {
        const rows = this.sqlite
          .statement(
            'SELECT key, expires_at_ms FROM idempotency_keys WHERE key > ? ORDER BY key LIMIT ?',
          )
          .all(after, PURGE_CHUNK);
        const remove = this.sqlite.statement('DELETE FROM idempotency_keys WHERE key = ?');
        for (const row of rows) {
          if (Number(row.expires_at_ms) <= nowMs) {
            remove.run(String(row.key));
            removed += 1;
          }
        }
        return rows;
      });
      if (chunk.length < PURGE_CHUNK) return removed;
      after = String(chunk[chunk.length - 1]!.key);
    }
  }

  async readIdempotencyKey(key: string): Promise<IdempotencyKeyRecord | null> {
    const nowMs = this.clock.now().getTime();
    const row = await this.sqlite.exclusive(`read idempotency key ${key}`, () =>
      this.sqlite
        .statement(
          'SELECT result, fingerprint, created_at, expires_at_ms FROM idempotency_keys WHERE key = ?',
        )
        .get(key),
    );
    if (!row || Number(row.expires_at_ms) <= nowMs) return null;
    const { streams, firstPosition, lastPosition } = JSON.parse(
      String(row.result),
    ) as MultiAppendResult;
    return {
      key,
      result: { streams, firstPosition, lastPosition },
      fingerprint: row.fingerprint === null ? null : String(row.fingerprint),
      writtenAt: String(row.created_at),
      expiresAt: new Date(Number(row.expires_at_ms)).toISOString(),
    };
  }

  async countLiveIdempotencyKeys(): Promise<number> {
    const nowMs = this.clock.now().getTime();
    const row = await this.sqlite.exclusive('count idempotency keys', () =>
      this.sqlite
        .statement('SELECT count(*) AS live FROM idempotency_keys WHERE expires_at_ms > ?')
        .get(nowMs),
    );
    return Number(row?.live ?? 0);
  }

  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private findLiveKey(key: string, nowMs: number): MultiAppendResult | null {
    const row = this.sqlite
      .statement('SELECT result, fingerprint, expires_at_ms FROM idempotency_keys WHERE key = ?')
      .get(key);
    if (!row) return null;
    if (Number(row.expires_at_ms) <= nowMs) {
      // Expired keys are not honoured even before the purge removes them.
      this.sqlite.statement('DELETE FROM idempotency_keys WHERE key = ?').run(key);
      return null;
    }
    const original = JSON.parse(String(row.result)) as MultiAppendResult;
    return {
      ...original,
      duplicate: true,
      ...(row.fingerprint === null ? {} : { storedFingerprint: String(row.fingerprint) }),
    };
  }

  private currentVersion(streamId: string): number {
    const row = this.sqlite
      .statement('SELECT max(stream_version) AS version FROM events WHERE stream_id = ?')
      .get(streamId);
    return Number(row?.version ?? 0);
  }
}

/** Runs one event insert; an event id already in the log is DuplicateEventIdError (as on PostgreSQL). */
function insertEvent<T>(eventId: string, insert: () => T): T {
  try {
    return insert();
  } catch (error) {
    // Not `instanceof Error`: node:sqlite's errors may come from another realm (jest's vm).
    const { message } = error as { message?: unknown };
    if (
      typeof message === 'string' &&
      message.includes('UNIQUE constraint failed: events.event_id')
    ) {
      throw new DuplicateEventIdError(eventId, error);
    }
    throw error;
  }
}
