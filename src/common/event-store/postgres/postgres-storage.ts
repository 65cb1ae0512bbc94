import type { Clock } from '../../clock/clock.js';
import { StoreUnavailableError } from '../event-store.errors.js';
import type { Storage, StoreCondition } from '../event-store.port.js';
import { PostgresEventLog } from './postgres-event-log.js';
import { PostgresLeaseStore } from './postgres-lease-store.js';
import { migrate } from './postgres-migrations.js';
import { OldestTransactionProbe } from './postgres-oldest-transaction.js';
import { PostgresOutboxStore } from './postgres-outbox-store.js';
import { PostgresPool, type PostgresOptions } from './postgres-pool.js';
import { PostgresProjectionStore } from './postgres-projection-store.js';
import { PostgresQuarantineBodies } from './postgres-quarantine-bodies.js';
import { PostgresReadModels } from './postgres-read-models.js';
import { PostgresTimerStore } from './postgres-timer-store.js';
import { WakeChannel } from './postgres-wake-channel.js';

export interface PostgresStorageOptions extends PostgresOptions {
  idempotencyTtlDays: () => number;
  /**
   * LISTEN/NOTIFY between instances on the schema (see WakeChannel), so followers see other
   * instances' appends in milliseconds instead of at their idle poll. Default true; false only to
   * measure the poll alone.
   */
  wakeOtherInstances?: boolean;
}

/**
 * The shared store: one PostgreSQL schema holds the log and everything built from it, for any
 * number of instances. Call `open()` (migrations) before use; `PostgresStorage.open` does both.
 */
export class PostgresStorage implements Storage {
  readonly kind = 'postgres';
  readonly pool: PostgresPool;
  readonly events: PostgresEventLog;
  readonly projections: PostgresProjectionStore;
  readonly readModels: PostgresReadModels;
  readonly timers: PostgresTimerStore;
  readonly outbox: PostgresOutboxStore;
  readonly leases: PostgresLeaseStore;
  private readonly oldestTransaction: OldestTransactionProbe;
  readonly quarantineBodies: PostgresQuarantineBodies;
  /** Null when opened with wakeOtherInstances: false. */
  readonly wakeChannel: WakeChannel | null;

  constructor(options: PostgresStorageOptions, clock: Clock) {
    this.pool = new PostgresPool(options);
    this.wakeChannel =
      options.wakeOtherInstances === false
        ? null
        : new WakeChannel(options, () => this.events.otherInstanceAppended());
    this.events = new PostgresEventLog(
      this.pool,
      clock,
      options.idempotencyTtlDays,
      this.wakeChannel,
    );
    this.projections = new PostgresProjectionStore(this.pool, clock);
    this.readModels = new PostgresReadModels(this.pool);
    this.timers = new PostgresTimerStore(this.pool, this.events, clock);
    this.outbox = new PostgresOutboxStore(this.pool, this.projections, clock);
    this.leases = new PostgresLeaseStore(this.pool);
    this.oldestTransaction = new OldestTransactionProbe(this.pool);
    this.quarantineBodies = new PostgresQuarantineBodies(this.pool);
  }

  /**
   * Connects and migrates the schema, closing again if that fails; then starts listening for
   * other instances' appends (a failure there is logged and retried: followers still poll).
   */
  static async open(options: PostgresStorageOptions, clock: Clock): Promise<PostgresStorage> {
    const storage = new PostgresStorage(options, clock);
    try {
      await migrate(storage.pool);
    } catch (error) {
      await storage.close();
      throw error;
    }
    await storage.wakeChannel?.start();
    return storage;
  }

  async ping(): Promise<void> {
    await this.pool.query('ping', 'SELECT 1');
  }

  /**
   * While a write was refused, each call tries one small write, so readiness recovers as soon as
   * the server takes writes again, without waiting for traffic a failing readiness keeps away.
   */
  async condition(): Promise<StoreCondition> {
    if (this.pool.writes.failure !== null) await this.probeWrite();
    return {
      writeFailure: this.pool.writes.failure,
      oldestTransactionAgeMs: await this.oldestTransaction.ageMs(),
    };
  }

  private async probeWrite(): Promise<void> {
    try {
      await this.pool.transaction('write probe', (client) =>
        client.query(
          `INSERT INTO write_probe (singleton, probed_at) VALUES (true, now())
           ON CONFLICT (singleton) DO UPDATE SET probed_at = now()`,
        ),
      );
    } catch (error) {
      // Still refused (the failure stays recorded) or the server is away: both show in health.
      if (!(error instanceof StoreUnavailableError)) throw error;
    }
  }

  async close(): Promise<void> {
    await this.wakeChannel?.close();
    await this.pool.end();
  }
}
