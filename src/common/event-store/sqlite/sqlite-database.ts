import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { Logger } from '@nestjs/common';
import { errorMessage } from '../../errors/error-message.js';
import { PRODUCTION_TIMEOUTS_MS } from '../../config/timeout.config.js';
import { StoreUnavailableError } from '../event-store.errors.js';
import { AsyncMutex } from './async-mutex.js';
import { describeStorageFault, isBusy, isStorageFault } from './sqlite-errors.js';
import { LockBusy, LockWait } from './sqlite-lock-wait.js';
import { SQLITE_MIGRATIONS, type Migration } from './sqlite-migrations.js';
import { WriteHealth } from '../write-health.js';
import { WalSync, type FlushFile } from './sqlite-wal-sync.js';

export interface SqliteOptions {
  path: string;
  synchronous: 'FULL' | 'NORMAL';
  /** Longest an operation waits for another connection's lock, queueing included (TIMEOUT_STORE_BUSY_MS). */
  busyTimeoutMs: number;
  /** Longest one try for the lock blocks the event loop (TIMEOUT_STORE_BUSY_SLICE_MS). */
  busySliceMs?: number;
  /** Pause between tries (TIMEOUT_STORE_BUSY_RETRY_MS). */
  busyRetryMs?: number;
  /** How the WAL file is flushed under FULL (tests hold it open); fdatasync by default. */
  flushFile?: FlushFile;
}

/**
 * One WAL connection, its statement cache, and a mutex so async transactions never interleave.
 * node:sqlite is synchronous: a lock held by another connection is waited for in short tries
 * (busy_timeout = TIMEOUT_STORE_BUSY_SLICE_MS) with the event loop running in between (see
 * LockWait), never in one long blocking wait. A disk that refuses writes comes out as
 * StoreUnavailableError (503) and is remembered for Storage.condition().
 */
export class SqliteDatabase {
  readonly db: DatabaseSync;
  readonly writes = new WriteHealth();
  /**
   * Under FULL on a file: durable commits are flushed off the event loop (see WalSync) and the
   * connection itself runs `synchronous = NORMAL`. Null otherwise (NORMAL, or `:memory:`).
   */
  readonly walSync: WalSync | null;
  private readonly finishListeners: Array<(committed: boolean) => void> = [];
  private readonly logger = new Logger(SqliteDatabase.name);
  private readonly mutex = new AsyncMutex();
  private readonly lockWait: LockWait;
  private readonly statements = new Map<string, StatementSync>();
  private opened = false;
  private opening: Promise<void> | null = null;
  private probing: Promise<void> | null = null;

  constructor(readonly options: SqliteOptions) {
    const askedAt = performance.now();
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new DatabaseSync(options.path);
    this.walSync =
      options.synchronous === 'FULL' && options.path !== ':memory:'
        ? new WalSync(`${options.path}-wal`, options.flushFile)
        : null;
    const sliceMs = Math.min(
      options.busySliceMs ?? PRODUCTION_TIMEOUTS_MS.storeBusySliceMs,
      options.busyTimeoutMs,
    );
    this.lockWait = new LockWait(
      this.mutex,
      {
        busyTimeoutMs: options.busyTimeoutMs,
        retryMs: options.busyRetryMs ?? PRODUCTION_TIMEOUTS_MS.storeBusyRetryMs,
      },
      `SQLite store ${options.path}`,
    );
    // One try now, so an unlocked file (the usual case) is ready at once and a broken one fails
    // the constructor; a file another process has locked is opened in the background.
    try {
      this.configure(sliceMs);
      this.openOnce();
      this.opened = true;
    } catch (error) {
      if (!(error instanceof LockBusy)) {
        this.db.close();
        throw error;
      }
      // ready() awaits this same attempt and answers with its error; here it is only logged.
      void this.startOpening(askedAt).catch((error: unknown) =>
        this.logger.warn(
          `opening SQLite store ${options.path} in the background failed (the next ready() ` +
            `tries again): ${this.detail(error)}`,
        ),
      );
    }
  }

  statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Resolves once WAL mode and the migrations are in place (waits for a locked file, bounded). */
  async ready(): Promise<void> {
    if (this.opened) return;
    await (this.opening ?? this.startOpening(performance.now()));
  }

  /** Runs `work` alone on this connection, outside a transaction: a read, run again if it meets a lock. */
  exclusive<T>(operation: string, work: () => Promise<T> | T): Promise<T> {
    return this.whenOpen(() =>
      this.guard(operation, 'read', performance.now(), async () => {
        try {
          return await work();
        } catch (error) {
          if (isBusy(error)) throw new LockBusy(error);
          throw error;
        }
      }),
    );
  }

  /**
   * Runs `work` in one IMMEDIATE transaction; commits if it returns (or resolves), rolls back if it throws.
   * Synchronous work commits without yielding, so the write lock is never held across an await
   * unless the work itself is asynchronous. Waits for another connection's write lock up to
   * TIMEOUT_STORE_BUSY_MS from `askedAt` (default: now), then throws StoreUnavailableError.
   *
   * A `durable` transaction resolves only once its commit is on disk (under FULL: after the WAL
   * flush that follows it, awaited outside the connection's mutex so other transactions commit
   * meanwhile). `relaxed` ones resolve at commit: for state derived from the log (projection
   * checkpoints with their read models, reaction and outbox progress). WAL keeps them atomic and
   * recovers the log as a prefix, so a power loss can only roll back the last few of them, together
   * with nothing they were derived from, and they are then applied again from the log.
   */
  async transaction<T>(
    operation: string,
    work: () => Promise<T> | T,
    durability: 'durable' | 'relaxed' = 'durable',
    askedAt: number = performance.now(),
  ): Promise<T> {
    const value = await this.whenOpen(() =>
      this.guard(operation, 'write', askedAt, () => this.runTransaction(work)),
    );
    if (durability === 'durable') await this.makeDurable(operation);
    return value;
  }

  /** Called as each transaction of this connection ends, right after its COMMIT or ROLLBACK. */
  onTransactionEnd(listener: (committed: boolean) => void): void {
    this.finishListeners.push(listener);
  }

  /** Resolves once every commit so far is on disk (at once without a WAL flush to wait for). */
  async makeDurable(operation: string): Promise<void> {
    if (this.walSync) {
      try {
        await this.walSync.sync();
      } catch (error) {
        const message =
          `SQLite store ${this.options.path}: ${operation} was committed but flushing ` +
          `${this.walSync.walPath} to disk failed (${errorMessage(error)}); check the disk, then retry`;
        this.writes.recordFailure(message);
        throw new StoreUnavailableError(operation, new Error(message, { cause: error }));
      }
    }
    this.writes.recordDurableWrite();
  }

  /**
   * While a write failure is remembered, one small durable write shows whether the disk takes
   * writes again (so readiness recovers without traffic); a failure refreshes the message.
   */
  probeWrites(): Promise<void> {
    if (this.writes.failure === null) return Promise.resolve();
    this.probing ??= this.transaction('write probe', () => {
      this.statement(
        'INSERT INTO write_probe (singleton, probed_at) VALUES (1, ?) ON CONFLICT (singleton) DO UPDATE SET probed_at = excluded.probed_at',
      ).run(new Date().toISOString());
    })
      .catch((error: unknown) => {
        // Busy or refused: what stays remembered (writes.failure) already says so.
        if (!(error instanceof StoreUnavailableError)) throw error;
      })
      .finally(() => {
        this.probing = null;
      });
    return this.probing;
  }

  /** Closes the connection once the operations queued before have run. */
  async close(): Promise<void> {
    // An open in progress finishes first; a failed one was reported to whoever awaited ready().
    await Promise.allSettled([this.opening]);
    await this.walSync?.close();
    await this.mutex.run(() => {
      if (this.db.isOpen) this.db.close();
    });
  }

  /** Open: queues `run` at once (call order is queue order); else after the open. */
  private whenOpen<T>(run: () => Promise<T>): Promise<T> {
    return this.opened ? run() : this.ready().then(run);
  }

  private async guard<T>(
    operation: string,
    kind: 'read' | 'write',
    askedAt: number,
    attempt: () => Promise<T> | T,
  ): Promise<T> {
    try {
      return await this.lockWait.run(operation, kind, askedAt, attempt);
    } catch (error) {
      throw this.translate(operation, kind, error);
    }
  }

  /** A refused write or a lock met mid-transaction is "unavailable, retry": 503, nothing written. */
  private translate(operation: string, kind: 'read' | 'write', error: unknown): unknown {
    if (error instanceof StoreUnavailableError) return error;
    if (isBusy(error)) return new StoreUnavailableError(operation, error);
    if (!isStorageFault(error)) return error;
    const message = describeStorageFault(this.options.path, operation, error);
    if (kind === 'write') this.writes.recordFailure(message);
    return new StoreUnavailableError(operation, new Error(message, { cause: error }));
  }

  private runTransaction<T>(work: () => Promise<T> | T): Promise<T> | T {
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      if (isBusy(error)) throw new LockBusy(error);
      throw error;
    }
    const finish = (commit: boolean) => {
      let committed = false;
      try {
        if (commit) {
          this.db.exec('COMMIT');
          committed = true;
        } else this.rollback();
      } catch (error) {
        this.rollback(); // a failed COMMIT may leave the transaction open (SQLite rolls back only some)
        throw error;
      } finally {
        for (const listener of this.finishListeners) listener(committed);
      }
    };
    let result: Promise<T> | T;
    try {
      result = work();
    } catch (error) {
      finish(false);
      throw error;
    }
    if (!(result instanceof Promise)) {
      finish(true);
      return result;
    }
    return result.then(
      (value) => {
        finish(true);
        return value;
      },
      (error: unknown) => {
        finish(false);
        throw error;
      },
    );
  }

  private detail(error: unknown): string {
    return isStorageFault(error)
      ? describeStorageFault(this.options.path, 'opening', error, 'then start again')
      : String(error);
  }

  private rollback(): void {
    if (this.db.isTransaction) this.db.exec('ROLLBACK');
  }

  private startOpening(askedAt: number): Promise<void> {
    const opening = this.guard(`open ${this.options.path}`, 'write', askedAt, () =>
      this.openOnce(),
    ).then(() => {
      this.opened = true;
    });
    this.opening = opening;
    // Whoever awaits ready() gets the error; the next ready() tries again.
    opening.catch(() => {
      if (this.opening === opening) this.opening = null;
    });
    return opening;
  }

  /** This connection's settings (no lock needed; the first statement opens the file). */
  private configure(sliceMs: number): void {
    try {
      this.db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.round(sliceMs))}`);
      this.db.exec(`PRAGMA synchronous = ${this.walSync ? 'NORMAL' : this.options.synchronous}`);
      this.db.exec('PRAGMA foreign_keys = ON');
      // Savepoint sub-journals (one per append of a commit group) stay in memory, not temp files.
      this.db.exec('PRAGMA temp_store = MEMORY');
    } catch (error) {
      throw new Error(`opening SQLite store ${this.options.path} failed: ${this.detail(error)}`, {
        cause: error,
      });
    }
  }

  /** WAL mode and migrations; LockBusy when another connection holds the file. */
  private openOnce(): void {
    try {
      this.db.exec('PRAGMA journal_mode = WAL');
    } catch (error) {
      if (isBusy(error)) throw new LockBusy(error);
      throw new Error(`opening SQLite store ${this.options.path} failed: ${this.detail(error)}`, {
        cause: error,
      });
    }
    this.migrate(SQLITE_MIGRATIONS);
  }

  private migrate(migrations: readonly Migration[]): void {
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      if (isBusy(error)) throw new LockBusy(error);
      throw error;
    }
    try {
      this.db.exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
      );
      const applied = new Set(
        this.db
          .prepare('SELECT version FROM schema_migrations')
          .all()
          .map((row) => Number(row.version)),
      );
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        this.db.exec(migration.sql);
        this.db
          .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(migration.version, migration.name, new Date().toISOString());
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.rollback();
      throw new Error(`migrating SQLite store ${this.options.path} failed: ${this.detail(error)}`, {
        cause: error,
      });
    }
  }
}
