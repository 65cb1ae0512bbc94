import type { ExpectedVersion } from './event-store.port.js';

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

/** The store could not be reached or is busy; the operation did not happen and may be retried. */
export class StoreUnavailableError extends Error {
  constructor(operation: string, cause: unknown) {
    super(`event store unavailable during ${operation}: ${describe(cause)}; retry later`, {
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

/** A position token that this store did not hand out. */
export class InvalidPositionError extends Error {
  constructor(readonly position: string) {
    super(`'${position}' is not a position of this store: pass back a position it returned`);
    this.name = 'InvalidPositionError';
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
