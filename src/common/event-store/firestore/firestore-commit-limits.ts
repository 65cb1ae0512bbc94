import { TransactionTooLargeError } from '../event-store.errors.js';

/** Firestore commits at most this many writes in one transaction or batch (the emulator does not check it). */
export const MAX_WRITES_PER_COMMIT = 500;

/**
 * Largest commit request Firestore takes (10 MiB in production; the emulator refuses gRPC
 * messages over 4 MiB, and its client then retries for a minute before it fails).
 */
export const MAX_COMMIT_BYTES = 10 * 1024 * 1024;

/**
 * A transaction would write more than one Firestore commit can hold. Nothing was written; the
 * same work fails the same way again, so the caller must split it (smaller batches).
 */
export class CommitTooLargeError extends TransactionTooLargeError {
  constructor(
    /** What was being committed, e.g. `projection quarantine`. */
    readonly operation: string,
    readonly writes: number,
    readonly bytes: number,
    remedy: string,
  ) {
    super(
      `${operation} needs ${writes} writes of about ${bytes} bytes in one transaction: Firestore ` +
        `commits at most ${MAX_WRITES_PER_COMMIT} writes and ${MAX_COMMIT_BYTES} bytes at once; ${remedy}`,
    );
    this.name = 'CommitTooLargeError';
  }
}
