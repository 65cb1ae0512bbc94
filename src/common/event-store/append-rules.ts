import { UnsupportedTextError, WrongExpectedVersionError } from './event-store.errors.js';
import type { NewEvent } from './event-envelope.js';
import type {
  AppendOptions,
  AppendResult,
  AppendStats,
  ExpectedVersion,
  MultiAppendOptions,
  MultiAppendResult,
  ScheduledTimer,
  StreamWrite,
} from './event-store.port.js';
import { findUnsupportedText } from './stored-text.js';

// Rules every adapter applies the same way (the contract suite holds them to it).

export function assertDistinctStreams(writes: readonly StreamWrite[]): void {
  const seen = new Set<string>();
  for (const { streamId } of writes) {
    if (seen.has(streamId)) {
      throw new Error(
        `appendMulti names stream ${streamId} twice: put all its events in one write`,
      );
    }
    seen.add(streamId);
  }
  if (writes.length === 0) throw new Error('appendMulti needs at least one stream write');
}

/**
 * Refuses an append holding text a store cannot hold identically (stored-text.ts): in a stream id,
 * an event's type, caller-chosen id, data or metadata, or the idempotency key and fingerprint.
 * Called before anything is written, so a refused append leaves no trace.
 */
export function assertStorableText(
  writes: readonly StreamWrite[],
  options: MultiAppendOptions = {},
): void {
  for (const { streamId, events } of writes) {
    const found = firstUnsupported([
      ['streamId', streamId],
      ...events.flatMap((event, index) => eventFields(event, `events[${index}]`)),
    ]);
    if (found !== null) throw new UnsupportedTextError(streamId, found);
  }
  const found = firstUnsupported([
    ['idempotencyKey', options.idempotencyKey],
    ['fingerprint', options.fingerprint],
  ]);
  if (found !== null) throw new UnsupportedTextError(writes[0]?.streamId ?? '', found);
}

/** The same rule for a timer, whose event is appended when it fires: refused when scheduled. */
export function assertStorableTimer(timer: ScheduledTimer): void {
  const found = firstUnsupported([
    ['timerId', timer.timerId],
    ['streamId', timer.streamId],
    ...eventFields(timer.event, 'event'),
  ]);
  if (found !== null) throw new UnsupportedTextError(timer.streamId, found);
}

function eventFields(event: NewEvent, path: string): Array<[path: string, value: unknown]> {
  return [
    [`${path}.type`, event.type],
    [`${path}.eventId`, event.eventId],
    [`${path}.data`, event.data],
    [`${path}.metadata`, event.metadata],
  ];
}

function firstUnsupported(fields: ReadonlyArray<[path: string, value: unknown]>): string | null {
  for (const [path, value] of fields) {
    const found = findUnsupportedText(value, path);
    if (found !== null) return found;
  }
  return null;
}

export function assertExpectedVersion(
  streamId: string,
  expected: ExpectedVersion,
  actual: number,
): void {
  if (expected === 'any') return;
  const wanted = expected === 'no-stream' ? 0 : expected;
  if (wanted !== actual) throw new WrongExpectedVersionError(streamId, expected, actual);
}

/** The single-stream view of a one-stream multi append. */
export function toSingleResult(result: MultiAppendResult): AppendResult {
  const [stream] = result.streams;
  return {
    streamId: stream!.streamId,
    streamVersion: stream!.streamVersion,
    eventIds: stream!.eventIds,
    firstPosition: result.firstPosition,
    lastPosition: result.lastPosition,
    duplicate: result.duplicate,
    ...(result.storedFingerprint === undefined
      ? {}
      : { storedFingerprint: result.storedFingerprint }),
  };
}

/** `append` in terms of `appendMulti`: a one-stream multi append, seen as a single result. */
export async function appendOneStream(
  appendMulti: (
    writes: readonly StreamWrite[],
    options: AppendOptions,
  ) => Promise<MultiAppendResult>,
  streamId: string,
  events: readonly NewEvent[],
  options: AppendOptions,
): Promise<AppendResult> {
  return toSingleResult(
    await appendMulti([{ streamId, events, expectedVersion: options.expectedVersion }], options),
  );
}

/** Counts one committed append (or duplicate) in the process's append statistics. */
export function countAppend(stats: AppendStats, result: MultiAppendResult): void {
  if (result.duplicate) {
    stats.duplicates += 1;
  } else {
    stats.appends += 1;
    stats.events += result.streams.reduce((sum, stream) => sum + stream.eventIds.length, 0);
  }
}
