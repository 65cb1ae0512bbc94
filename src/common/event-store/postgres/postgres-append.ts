import { randomUUID } from 'node:crypto';
import type {
  ExpectedVersion,
  MultiAppendOptions,
  MultiAppendResult,
  StreamWrite,
} from '../event-store.port.js';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../event-store.errors.js';
import { isRetryableConflict, sqlState, violatedConstraint } from './postgres-errors.js';
import type { Queryable } from './postgres-pool.js';

/** SQLSTATEs raised by append_events (see postgres-append-function.ts). */
const WRONG_EXPECTED_VERSION = 'SC409';
const KEY_TAKEN_CONCURRENTLY = 'SC408';

/** A committed append: its result and the transaction that wrote it (null when nothing was written). */
export interface AppendOutcome {
  result: MultiAppendResult;
  transactionId: string | null;
  /** Its events were readable as soon as it committed (no older transaction was running). */
  visible: boolean;
  /** Its snapshot's xmin, taken just before it committed (null for a duplicate). */
  xmin: string | null;
}

/** What one append writes, with the clock and key lifetime it is written under. */
export interface AppendRequest {
  writes: readonly StreamWrite[];
  options: MultiAppendOptions;
  nowMs: number;
  keyExpiresAtMs: number;
}

/**
 * The append lost a race it should simply run again: another writer took the stream version it
 * read, or stored its idempotency key first, or a deadlock. Running it again re-reads the versions
 * (and the key), so the second run either succeeds, finds the duplicate, or fails the version check
 * with the winner's version.
 */
export class AppendRace extends Error {
  constructor(
    readonly writes: readonly StreamWrite[],
    cause: unknown,
  ) {
    super('the append met a concurrent writer of its stream or key', { cause });
    this.name = 'AppendRace';
  }
}

type FunctionOutcome =
  | { duplicate: true; result: MultiAppendResult; fingerprint: string | null }
  | {
      duplicate: false;
      result: MultiAppendResult;
      transactionId: string | null;
      xmin: string;
      visible: boolean;
    };

const CALL = `SELECT append_events($1, $2, $3, $4, $5, $6, $7::json[], $8::json[], $9, $10, $11, $12, $13)
  AS outcome`;

/**
 * Runs append_events on `client`: one statement, so one round trip, its own transaction outside
 * BEGIN (or part of the caller's). Throws WrongExpectedVersionError, DuplicateEventIdError,
 * AppendRace, or the driver's error (the caller translates unavailability).
 */
export async function callAppend(
  client: Queryable,
  request: AppendRequest,
): Promise<AppendOutcome> {
  let outcome: FunctionOutcome;
  try {
    // Named: each connection parses and plans the call once (its search_path never changes).
    const { rows } = await client.query<{ outcome: FunctionOutcome }>({
      name: 'append_events',
      text: CALL,
      values: appendArguments(request),
    });
    outcome = rows[0]!.outcome;
  } catch (error) {
    throw mapAppendError(error, request.writes);
  }
  if (outcome.duplicate) {
    return {
      result: {
        ...outcome.result,
        duplicate: true,
        ...(outcome.fingerprint === null ? {} : { storedFingerprint: outcome.fingerprint }),
      },
      transactionId: null,
      visible: true,
      xmin: null,
    };
  }
  return {
    result: outcome.result,
    transactionId: outcome.transactionId,
    visible: outcome.visible,
    xmin: outcome.xmin,
  };
}

function appendArguments({ writes, options, nowMs, keyExpiresAtMs }: AppendRequest): unknown[] {
  const eventStreams: number[] = [];
  const eventOffsets: number[] = [];
  const eventIds: string[] = [];
  const types: string[] = [];
  const data: string[] = [];
  const metadata: string[] = [];
  writes.forEach((write, index) => {
    write.events.forEach((event, place) => {
      eventStreams.push(index + 1);
      eventOffsets.push(place + 1);
      eventIds.push(event.eventId ?? randomUUID());
      types.push(event.type);
      data.push(JSON.stringify(event.data ?? null));
      metadata.push(JSON.stringify(event.metadata ?? {}));
    });
  });
  return [
    writes.map((write) => write.streamId),
    writes.map((write) => expectedAsNumber(write.expectedVersion)),
    eventStreams,
    eventOffsets,
    eventIds,
    types,
    data,
    metadata,
    options.idempotencyKey ?? null,
    options.fingerprint ?? null,
    new Date(nowMs).toISOString(),
    nowMs,
    keyExpiresAtMs,
  ];
}

function expectedAsNumber(expected: ExpectedVersion): number | null {
  if (expected === 'any') return null;
  return expected === 'no-stream' ? 0 : expected;
}

function mapAppendError(error: unknown, writes: readonly StreamWrite[]): unknown {
  const code = sqlState(error);
  if (code === WRONG_EXPECTED_VERSION) {
    const detail = parseVersionDetail(error);
    const write = writes[detail.stream - 1];
    if (!write) {
      return new Error(
        `append_events reported a version mismatch of unknown stream ${detail.stream}`,
        {
          cause: error,
        },
      );
    }
    return new WrongExpectedVersionError(write.streamId, write.expectedVersion, detail.actual);
  }
  const constraint = violatedConstraint(error);
  if (constraint === 'events_event_id_key') {
    return new DuplicateEventIdError(duplicateEventId(error), error);
  }
  if (
    code === KEY_TAKEN_CONCURRENTLY ||
    constraint === 'events_stream_version' ||
    isRetryableConflict(error)
  ) {
    return new AppendRace(writes, error);
  }
  return error;
}

/** The id in a unique violation's DETAIL: `Key (event_id)=(<id>) already exists.` */
function duplicateEventId(error: unknown): string | null {
  const detail = (error as { detail?: unknown }).detail;
  const match =
    typeof detail === 'string'
      ? /^Key \(event_id\)=\((.*)\) already exists\.$/s.exec(detail)
      : null;
  return match ? match[1]! : null;
}

function parseVersionDetail(error: unknown): { stream: number; actual: number } {
  const detail = (error as { detail?: unknown }).detail;
  const parsed: unknown = typeof detail === 'string' ? JSON.parse(detail) : null;
  const { stream, actual } = (parsed ?? {}) as { stream?: unknown; actual?: unknown };
  if (typeof stream !== 'number' || typeof actual !== 'number') {
    throw new Error(
      `append_events raised ${WRONG_EXPECTED_VERSION} with unreadable detail ${String(detail)}`,
      {
        cause: error,
      },
    );
  }
  return { stream, actual };
}
