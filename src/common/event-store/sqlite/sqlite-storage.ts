import type { Clock } from '../../clock/clock.js';
import type { Storage, StoreCondition } from '../event-store.port.js';
import { SqliteDatabase, type SqliteOptions } from './sqlite-database.js';
import { fileSystemFault } from './sqlite-file-probe.js';
import { SqliteEventLog } from './sqlite-event-log.js';
import { SqliteLeaseStore } from './sqlite-lease-store.js';
import { SqliteOutboxStore } from './sqlite-outbox-store.js';
import { SqliteProjectionStore } from './sqlite-projection-store.js';
import { SqliteQuarantineBodies } from './sqlite-quarantine-bodies.js';
import { SqliteReadModels } from './sqlite-read-models.js';
import { SqliteTimerStore } from './sqlite-timer-store.js';

export interface SqliteStorageOptions extends SqliteOptions {
  idempotencyTtlDays: () => number;
}

/** The embedded store: one SQLite file in WAL mode holds the log and everything built from it. */
export class SqliteStorage implements Storage {
  readonly kind = 'sqlite';
  readonly sqlite: SqliteDatabase;
  readonly events: SqliteEventLog;
  readonly projections: SqliteProjectionStore;
  readonly readModels: SqliteReadModels;
  readonly timers: SqliteTimerStore;
  readonly outbox: SqliteOutboxStore;
  readonly leases: SqliteLeaseStore;
  readonly quarantineBodies: SqliteQuarantineBodies;

  constructor(options: SqliteStorageOptions, clock: Clock) {
    this.sqlite = new SqliteDatabase(options);
    this.events = new SqliteEventLog(this.sqlite, clock, options.idempotencyTtlDays);
    this.projections = new SqliteProjectionStore(this.sqlite, clock);
    this.readModels = new SqliteReadModels(this.sqlite);
    this.timers = new SqliteTimerStore(this.sqlite, this.events, clock);
    this.outbox = new SqliteOutboxStore(this.sqlite, this.projections, clock);
    this.leases = new SqliteLeaseStore(this.sqlite);
    this.quarantineBodies = new SqliteQuarantineBodies(this.sqlite);
  }

  ping(): Promise<void> {
    return this.sqlite.exclusive('ping', () => {
      this.sqlite.statement('SELECT 1').get();
    });
  }

  /** Resolves once the file is open and migrated (it may wait, bounded, for another process's lock). */
  ready(): Promise<void> {
    return this.sqlite.ready();
  }

  /**
   * A file system that refuses writes (read-only, immutable) shows at once, without traffic;
   * a refused write (full disk, I/O error) shows until a durable write succeeds, which a probe
   * write tries on each call meanwhile.
   */
  async condition(): Promise<StoreCondition> {
    const refused = fileSystemFault(this.sqlite.options.path);
    if (refused === null) await this.sqlite.probeWrites();
    return {
      writeFailure: refused ?? this.sqlite.writes.failure,
      oldestTransactionAgeMs: null,
    };
  }

  close(): Promise<void> {
    return this.sqlite.close();
  }
}
