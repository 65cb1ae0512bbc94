import pg from 'pg';
import { errorMessage } from '../../errors/error-message.js';
import { CheckedOutErrors, Checkout } from './postgres-checkout.js';
import { WriteHealth } from '../write-health.js';
import {
  isRetryableConflict,
  isUnavailable,
  isWriteRefused,
  translate,
} from './postgres-errors.js';

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
  /**
   * application_name of every connection, so an operator finds this instance's sessions in
   * pg_stat_activity (at most 63 bytes; the server cuts longer names).
   */
  applicationName?: string;
  /**
   * Appends (and embedded publishes) also wait, at most busyTimeoutMs, until they are readable,
   * so this process reading the log right after sees them: for tests and one-process tools. The
   * service leaves it off: a push needs its write durable, not readable (see postgres-visibility.ts).
   */
  awaitReadableAppends?: boolean;
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
  private readonly checkedOutErrors: CheckedOutErrors;
  /** A write the server refused (disk full, read-only server), until a transaction commits again. */
  readonly writes = new WriteHealth();
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
      ...(options.applicationName === undefined
        ? {}
        : { application_name: options.applicationName }),
      options: [
        `-c search_path=${options.schema}`,
        `-c statement_timeout=${Math.round(options.statementTimeoutMs)}`,
        `-c lock_timeout=${Math.round(options.busyTimeoutMs)}`,
      ].join(' '),
    });
    // A client losing its connection while idle in the pool (or after it was released) must not
    // crash the process; the pool drops it and the next checkout connects anew. Checked-out
    // clients have their own listener (see CheckedOutErrors).
    this.checkedOutErrors = new CheckedOutErrors(this.pool);
    this.pool.on('error', (error) => {
      process.emitWarning(`PostgreSQL idle connection lost: ${errorMessage(error)}`);
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
      throw this.translated(operation, error);
    }
  }

  /**
   * Runs `work` on one pooled connection outside a transaction (each statement commits on its
   * own), for a few statements that should not wait for the pool twice. Unavailability errors
   * come out as StoreUnavailableError; a connection that failed that way is dropped, not reused.
   */
  async connection<T>(operation: string, work: (client: Queryable) => Promise<T>): Promise<T> {
    let checkout: Checkout;
    try {
      checkout = await this.checkout();
    } catch (error) {
      throw translate(operation, error);
    }
    let lost: unknown = undefined;
    try {
      return await work(checkout.client);
    } catch (error) {
      if (isUnavailable(error)) lost = error;
      throw this.translated(operation, error);
    } finally {
      checkout.release(lost);
    }
  }

  /**
   * Runs `work` in one READ COMMITTED transaction on one connection; commits if it resolves, rolls
   * back if it throws. A deadlock or serialization failure runs the whole transaction again.
   */
  async transaction<T>(operation: string, work: (client: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.transactionOnce(work);
        this.writes.recordDurableWrite();
        return result;
      } catch (error) {
        if (isRetryableConflict(error) && attempt < MAX_TRANSACTION_ATTEMPTS) continue;
        throw this.translated(operation, error);
      }
    }
  }

  private async transactionOnce<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    const checkout = await this.checkout();
    const { client } = checkout;
    let broken: unknown = undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A lost session was rolled back by the server; there is nothing left to roll back on it.
      if (checkout.lost === undefined) broken = await rollback(client, error);
      throw error;
    } finally {
      // A connection whose rollback failed is in an unknown state: destroy it, do not reuse it.
      checkout.release(broken);
    }
  }

  /** `translate`, remembering a refused write for readiness. */
  private translated(operation: string, error: unknown): unknown {
    if (isWriteRefused(error)) {
      this.writes.recordFailure(
        `PostgreSQL refused a write during ${operation}: ${errorMessage(error)}; ` +
          'free disk space on the database server, or check that DATABASE_URL reaches the primary (not a read-only replica)',
      );
    }
    return translate(operation, error);
  }

  /** A pooled connection whose 'error' event is handled for as long as it is checked out. */
  private async checkout(): Promise<Checkout> {
    return new Checkout(await this.pool.connect(), this.checkedOutErrors);
  }

  /** end() was called: no query may start any more. */
  get isEnded(): boolean {
    return this.ended !== undefined;
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
      `PostgreSQL ROLLBACK failed after '${errorMessage(cause)}': ${errorMessage(error)}; dropping the connection`,
    );
    return error;
  }
}
