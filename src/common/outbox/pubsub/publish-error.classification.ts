/** gRPC status codes by number (google.rpc.Code), as the Pub/Sub client reports them in `error.code`. */
const GRPC_CODE_NAMES: Readonly<Record<number, string>> = {
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  10: 'ABORTED',
  11: 'OUT_OF_RANGE',
  12: 'UNIMPLEMENTED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  15: 'DATA_LOSS',
  16: 'UNAUTHENTICATED',
};

/**
 * Refusals a retry cannot fix: the topic or project is wrong or gone, the service account may not
 * publish, the message itself is invalid (too large, bad attribute). Someone must act.
 */
const PERMANENT = new Set([
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'FAILED_PRECONDITION',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'UNAUTHENTICATED',
]);

export interface PublishErrorClass {
  permanent: boolean;
  /** The gRPC code's name, or null for an error without one (a timeout of ours, a broken socket). */
  code: string | null;
}

/**
 * Permanent or transient, by the gRPC code of the error. Everything else is transient and retried
 * with backoff: UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, ABORTED, CANCELLED,
 * UNKNOWN, DATA_LOSS, and errors without a code (our publish timeout, the network).
 */
export function classifyPublishError(error: unknown): PublishErrorClass {
  const code = grpcCodeName(error);
  return { permanent: code !== null && PERMANENT.has(code), code };
}

/** The gRPC code name of an error, or null when it has none. */
export function grpcCodeName(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  const code = error.code;
  return typeof code === 'number' ? (GRPC_CODE_NAMES[code] ?? null) : null;
}
