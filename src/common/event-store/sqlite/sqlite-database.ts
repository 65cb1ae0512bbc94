import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { StoreUnavailableError } from '../event-store.errors.js';
import { AsyncMutex } from './async-mutex.js';
import { SQLITE_MIGRATIONS, type Migration } from './sqlite-migrations.js';

export interface SqliteOptions {
  path: string;
  synchronous: 'FULL' | 'NORMAL';
  busyTimeoutMs: number;
}

const BUSY_CODES = new Set([5, 6]); // SQLITE_BUSY, SQLITE_LOCKED

/** One WAL connection, its statement cache, and a mutex so async transactions never interleave. */
export class SqliteDatabase {
  readonly db: DatabaseSync;
  private readonly mutex = new AsyncMutex();
  private readonly statements = new Map<string, StatementSync>();

  constructor(readonly options: SqliteOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new DatabaseSync(options.path);
    this.db.exec(`PRAGMA busy_timeout = ${Math.round(options.busyTimeoutMs)}`);
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec(`PRAGMA synchronous = ${options.synchronous}`);
    this.db.exec('PRAGMA foreign_keys = ON');
    // Savepoint sub-journals (one per append of a commit group) stay in memory, not temp files.
    this.db.exec('PRAGMA temp_store = MEMORY');
    this.migrate(SQLITE_MIGRATIONS);
  }

  statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work` alone on this connection, outside a transaction (reads). */
  exclusive<T>(operation: string, work: () => Promise<T> | T): Promise<T> {
    return this.mutex.run(() => this.translate(operation, work));
  }

  /**
   * Runs `work` in one IMMEDIATE transaction; commits if it returns (or resolves), rolls back if it throws.
   * Synchronous work commits without yielding, so the write lock is never held across an await
   * unless the work itself is asynchronous.
   *
   * `relaxed` commits skip the fsync under `synchronous = FULL`: for state derived from the log
   * (projection checkpoints with their read models, reaction and outbox progress). WAL keeps them
   * atomic; a power loss can only roll back the last few, which are then applied again from the
   * log. Appends, timers and idempotency keys always commit durably.
   */
  transaction<T>(
    operation: string,
    work: () => Promise<T> | T,
    durability: 'durable' | 'relaxed' = 'durable',
  ): Promise<T> {
    const relax = durability === 'relaxed' && this.options.synchronous === 'FULL';
    return this.exclusive(operation, () => {
      if (relax) this.db.exec('PRAGMA synchronous = NORMAL');
      try {
        this.db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        if (relax) this.db.exec('PRAGMA synchronous = FULL');
        throw error;
      }
      const finish = (commit: boolean) => {
        try {
          if (commit) this.db.exec('COMMIT');
          else this.rollback();
        } finally {
          if (relax) this.db.exec('PRAGMA synchronous = FULL');
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
    });
  }

  private rollback(): void {
    if (this.db.isTransaction) this.db.exec('ROLLBACK');
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  private async translate<T>(operation: string, work: () => Promise<T> | T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isBusy(error)) throw new StoreUnavailableError(operation, error);
      throw error;
    }
  }

  private migrate(migrations: readonly Migration[]): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    this.db.exec('BEGIN IMMEDIATE');
    try {
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
      this.db.exec('ROLLBACK');
      throw new Error(`migrating SQLite store ${this.options.path} failed: ${String(error)}`, {
        cause: error,
      });
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: number } | null)?.errcode;
  return typeof code === 'number' && BUSY_CODES.has(code & 0xff);
}
