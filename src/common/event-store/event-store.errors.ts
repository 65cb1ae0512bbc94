import { errorMessage } from '../errors/error-message.js';
import type { ExpectedVersion } from './event-store.port.js';
import { unsupportedTextProblem } from './stored-text.js';

/** The stream was not at the version the caller expected: reload and decide again. */
export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion: number,
  ) {
    super(
      `stream ${streamId} is at version ${actualVersion}, expected ${String(expectedVersion)}: ` +
        're-read the stream and retry the decision',
    );
    this.name = 'WrongExpectedVersionError';
  }
}

/**
 * A caller-chosen event id (NewEvent.eventId) is already in the log, written by another append
 * (under another idempotency key, or none). Nothing was written. Appends with the same live key
 * never see this: they answer as duplicates with the first append's result.
 */
export class DuplicateEventIdError extends Error {
  constructor(
    /** The id found in the log; null when the store did not say which of the append's ids it was. */
    readonly eventId: string | null,
    cause?: unknown,
  ) {
    super(
      `event id ${eventId ?? 'of this append'} is already in the log, written by another append: ` +
        'give each new event an id of its own, or repeat the original idempotency key to get the first result',
      { cause },
    );
    this.name = 'DuplicateEventIdError';
  }
}

/** The store could not be reached or is busy; the operation did not happen and may be retried. */
export class StoreUnavailableError extends Error {
  constructor(operation: string, cause: unknown) {
    super(`event store unavailable during ${operation}: ${errorMessage(cause)}; retry later`, {
      cause,
    });
    this.name = 'StoreUnavailableError';
  }
}

/** A projection's checkpoint moved underneath this writer (another process applied the batch). */
export class CheckpointConflictError extends Error {
  constructor(
    readonly projection: string,
    expected: string | null,
    actual: string | null,
  ) {
    super(
      `projection ${projection} checkpoint is ${actual ?? 'empty'}, expected ${expected ?? 'empty'}: ` +
        'another runner advanced it; reload the checkpoint',
    );
    this.name = 'CheckpointConflictError';
  }
}

/**
 * An append (or a timer's event) holds text no store can hold identically: U+0000 or an unpaired
 * UTF-16 surrogate (see stored-text.ts). Refused before anything is written; HTTP routes answer
 * 400 (UnsupportedTextFilter).
 */
export class UnsupportedTextError extends Error {
  constructor(
    readonly streamId: string,
    /** Where the text was found, e.g. `events[0].data.player_lookup` or `idempotencyKey`. */
    readonly path: string,
  ) {
    super(`cannot append to stream ${JSON.stringify(streamId)}: ${unsupportedTextProblem(path)}`);
    this.name = 'UnsupportedTextError';
  }
}

/** A position token that this store did not hand out. */
export class InvalidPositionError extends Error {
  constructor(readonly position: string) {
    super(`'${position}' is not a position of this store: pass back a position it returned`);
    this.name = 'InvalidPositionError';
  }
}

/**
 * One transaction would hold more than the store can commit at once (Firestore: 500 writes or
 * 10 MiB). Nothing was written; the same work fails the same way again, so the caller must split
 * it: a projection halves its batch and goes on.
 */
export class TransactionTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransactionTooLargeError';
  }
}
