import pg from 'pg';
import { describe } from '../event-store.errors.js';
import { isRetryableConflict, isUnavailable, translate } from './postgres-errors.js';

export interface PostgresOptions {
  /** postgres:// URL (a secret: never logged). */
  connectionString: string;
  /** Schema holding every table; created if missing. An unquoted identifier. */
  schema: string;
  /** Most connections this process opens. */
  poolMax: number;
  /** statement_timeout of every connection. */
  statementTimeoutMs: number;
  /** How long to wait for a connection and for another transaction's lock (lock_timeout). */
  busyTimeoutMs: number;
}

/** An unquoted PostgreSQL identifier, safe to splice into SQL and connection options. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Runs a transaction again after a deadlock or serialization failure, at most this often in all. */
const MAX_TRANSACTION_ATTEMPTS = 5;

export type Queryable = pg.PoolClient;

/**
 * The connection pool: every connection starts with the store's search_path, statement_timeout
 * and lock_timeout (set as startup options, so no query can run before them). Errors that mean
 * "unavailable, retry later" come out as StoreUnavailableError.
 */
export class PostgresPool {
  private readonly pool: pg.Pool;
  private ended: Promise<void> | undefined;

  constructor(readonly options: PostgresOptions) {
    if (!SCHEMA_NAME.test(options.schema)) {
      throw new Error(
        `PostgreSQL schema '${options.schema}' is not a plain identifier: use lower-case letters, digits and _`,
      );
    }
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolMax,
      connectionTimeoutMillis: options.busyTimeoutMs,
      options: [
        `-c search_path=${options.schema}`,
        `-c statement_timeout=${Math.round(options.statementTimeoutMs)}`,
        `-c lock_timeout=${Math.round(options.busyTimeoutMs)}`,
      ].join(' '),
    });
    // An idle client losing its connection must not crash the process; the next checkout reconnects.
    this.pool.on('error', (error) => {
      process.emitWarning(`PostgreSQL idle connection lost: ${describe(error)}`);
    });
  }

  /** One statement on any pooled connection, outside a transaction. */
  async query<Row extends pg.QueryResultRow>(
    operation: string,
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<Row[]> {
    try {
      return (await this.pool.query<Row>(sql, params as unknown[])).rows;
    } catch (error) {
      throw translate(operation, error);
    }
  }

  /**
   * Runs `work` on one pooled connection outside a transaction (each statement commits on its
   * own), for a few statements that should not wait for the pool twice. Unavailability errors
   * come out as StoreUnavailableError; a connection that failed that way is dropped, not reused.
   */
  async connection<T>(operation: string, work: (client: Queryable) => Promise<T>): Promise<T> {
    let client: Queryable;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translate(operation, error);
    }
    let lost: unknown = undefined;
    try {
      return await work(client);
    } catch (error) {
      if (isUnavailable(error)) lost = error;
      throw translate(operation, error);
    } finally {
      client.release(lost === undefined ? undefined : toError(lost));
    }
  }

  /**
   * Runs `work` in one READ COMMITTED transaction on one connection; commits if it resolves, rolls
   * back if it throws. A deadlock or serialization failure runs the whole transaction again.
   */
  async transaction<T>(operation: string, work: (client: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transactionOnce(work);
      } catch (error) {
        if (isRetryableConflict(error) && attempt < MAX_TRANSACTION_ATTEMPTS) continue;
        throw translate(operation, error);
      }
    }
  }

  private async transactionOnce<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: unknown = undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      broken = await rollback(client, error);
      throw error;
    } finally {
      // A connection whose rollback failed is in an unknown state: destroy it, do not reuse it.
      client.release(broken === undefined ? undefined : toError(broken));
    }
  }

  /** Closes every connection; closing again is a no-op (as with SQLite). */
  end(): Promise<void> {
    this.ended ??= this.pool.end();
    return this.ended;
  }
}

/** Rolls back; returns the rollback's own error (the caller still throws the original one). */
async function rollback(client: Queryable, cause: unknown): Promise<unknown> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (error) {
    process.emitWarning(
      `PostgreSQL ROLLBACK failed after '${describe(cause)}': ${describe(error)}; dropping the connection`,
    );
    return error;
  }
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
