import { StoreUnavailableError } from '../event-store.errors.js';

/**
 * Errors that mean "the store could not do it now, nothing happened, try again": the server is
 * unreachable, restarting or full, it ended the session (terminated, idle too long), or a
 * statement waited too long for a lock or ran too long.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
  '25P03', // idle_in_transaction_session_timeout (the server ended the session)
  '53300', // too_many_connections
  '55P03', // lock_not_available (lock_timeout)
  '57014', // query_canceled (statement_timeout)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '57P05', // idle_session_timeout (the server ended the session)
]);

/**
 * The server refuses writes until an operator acts: its disk is full, the connection reached a
 * read-only server (a replica, e.g. right after a failover), or it hit an I/O error. Unavailable
 * like the others (503), and remembered as the store's write failure for readiness.
 */
const WRITE_REFUSED_SQLSTATES = new Set([
  '53100', // disk_full
  '25006', // read_only_sql_transaction
  '58030', // io_error
]);

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** pg-pool and pg report a lost or never-made connection with these messages and no code. */
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Client has encountered a connection error',
];

/** Transient conflicts a transaction may simply run again. */
const RETRYABLE_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

export const UNIQUE_VIOLATION = '23505';

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const code = sqlState(error);
  if (
    code !== undefined &&
    (UNAVAILABLE_SQLSTATES.has(code) ||
      WRITE_REFUSED_SQLSTATES.has(code) ||
      UNAVAILABLE_NODE_CODES.has(code))
  ) {
    return true;
  }
  const message = error instanceof Error ? error.message : '';
  return UNAVAILABLE_MESSAGES.some((text) => message.includes(text));
}

/** A write the server refuses until an operator acts (see WRITE_REFUSED_SQLSTATES). */
export function isWriteRefused(error: unknown): boolean {
  const code = sqlState(error instanceof StoreUnavailableError ? error.cause : error);
  return code !== undefined && WRITE_REFUSED_SQLSTATES.has(code);
}

export function isRetryableConflict(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && RETRYABLE_SQLSTATES.has(code);
}

/** Which unique constraint a 23505 violated (undefined for any other error). */
export function violatedConstraint(error: unknown): string | undefined {
  if (sqlState(error) !== UNIQUE_VIOLATION) return undefined;
  const constraint = (error as { constraint?: unknown }).constraint;
  return typeof constraint === 'string' ? constraint : '';
}

/** Maps an unavailability error to StoreUnavailableError (routes answer 503); others pass through. */
export function translate(operation: string, error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  return isUnavailable(error) ? new StoreUnavailableError(operation, error) : error;
}
