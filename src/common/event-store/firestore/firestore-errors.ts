import { StoreUnavailableError } from '../event-store.errors.js';

/** gRPC status codes the Firestore client reports in `error.code`. */
export const GRPC = {
  ALREADY_EXISTS: 6,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNAVAILABLE: 14,
} as const;

/**
 * Firestore answers these when it is unreachable, overloaded, or a transaction kept losing to
 * concurrent ones past its retries: the operation did not happen and may be retried later.
 */
const RETRY_LATER: ReadonlySet<number> = new Set([
  4, // DEADLINE_EXCEEDED (a status code, not a duration)
  GRPC.RESOURCE_EXHAUSTED,
  GRPC.ABORTED,
  GRPC.UNAVAILABLE,
]);

export function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** INVALID_ARGUMENT: a request Firestore refuses as it is. */
const INVALID_ARGUMENT = 3;
const CLOSED_TRANSACTION = /transaction (is invalid or closed|has expired)/i;

/**
 * Firestore closed the transaction a read or commit named (it expired, or the emulator ended it on
 * a lock timeout): nothing of it was committed.
 */
export function isClosedTransaction(error: unknown): boolean {
  return (
    grpcCode(error) === INVALID_ARGUMENT &&
    error instanceof Error &&
    CLOSED_TRANSACTION.test(error.message)
  );
}

export function hasGrpcCode(error: unknown, code: number): boolean {
  return grpcCode(error) === code;
}

/** `error` as StoreUnavailableError when retrying later may help; otherwise `error` itself. */
export function translateFirestoreError(operation: string, error: unknown): unknown {
  const code = grpcCode(error);
  return code !== undefined && RETRY_LATER.has(code)
    ? new StoreUnavailableError(operation, error)
    : error;
}

/** Runs `work`, translating Firestore's "retry later" answers into StoreUnavailableError. */
export async function firestoreCall<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateFirestoreError(operation, error);
  }
}
