/** The shape of errors raised by the client library (ApiError) and of failed job resources. */
interface BigQueryErrorLike {
  code?: number;
  message?: string;
  reason?: string;
  errors?: ReadonlyArray<{ reason?: string; message?: string }>;
}

const RETRYABLE_REASONS = new Set([
  'backendError',
  'rateLimitExceeded',
  'internalError',
  'jobBackendError',
  'jobInternalError',
]);

function reasonsOf(error: unknown): string[] {
  if (typeof error !== 'object' || error === null) return [];
  const like = error as BigQueryErrorLike;
  return [like.reason, ...(like.errors ?? []).map((entry) => entry.reason)].filter(
    (reason): reason is string => typeof reason === 'string',
  );
}

export function httpStatusOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const code = (error as BigQueryErrorLike).code;
  return typeof code === 'number' ? code : null;
}

/** 5xx, 429, and the transient job reasons (backendError, rateLimitExceeded, ...). */
export function isRetryableBigQueryError(error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status !== null && (status >= 500 || status === 429)) return true;
  return reasonsOf(error).some((reason) => RETRYABLE_REASONS.has(reason));
}

/** A query job stopped by its maximumBytesBilled. */
export function isBytesBilledLimitError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return (
    reasonsOf(error).some((reason) => reason.includes('bytesBilledLimitExceeded')) ||
    message.includes('bytesBilledLimitExceeded') ||
    /limit for bytes billed/i.test(message)
  );
}

export class QueryBytesCapExceededError extends Error {
  constructor(
    readonly queryName: string,
    readonly maximumBytesBilled: number,
    cause: unknown,
  ) {
    super(
      `BigQuery query "${queryName}" was stopped: it would bill more than its cap of ` +
        `${maximumBytesBilled} bytes (maximumBytesBilled). Narrow its date range, or raise ` +
        `BIGQUERY_MAX_BYTES_BILLED if the cost is intended. BigQuery said: ${
          cause instanceof Error ? cause.message : String(cause)
        }`,
      { cause },
    );
    this.name = 'QueryBytesCapExceededError';
  }
}
