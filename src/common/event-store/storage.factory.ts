import type { AppConfig } from '../config/index.js';
import type { Clock } from '../clock/clock.js';
import type { Storage } from './event-store.port.js';
import { PostgresStorage } from './postgres/postgres-storage.js';
import { SqliteStorage } from './sqlite/sqlite-storage.js';

/** Opens the store that EVENT_STORE names (PostgreSQL: connects and migrates before resolving). */
export async function openStorage(config: AppConfig, clock: Clock): Promise<Storage> {
  const idempotencyTtlDays = () => config.flags.number('DEDUP_TTL_DAYS');
  switch (config.store.eventStore) {
    case 'sqlite': {
      const storage = new SqliteStorage(
        {
          path: config.store.sqlitePath,
          synchronous: config.store.sqliteSynchronous,
          busyTimeoutMs: config.timeouts.storeBusyMs,
          busySliceMs: config.timeouts.storeBusySliceMs,
          busyRetryMs: config.timeouts.storeBusyRetryMs,
          idempotencyTtlDays,
        },
        clock,
      );
      await storage.ready();
      return storage;
    }
    case 'postgres': {
      const url = config.store.databaseUrl;
      if (!url) {
        throw new Error(
          'EVENT_STORE=postgres needs DATABASE_URL (postgres://user:password@host:5432/database); set it or use EVENT_STORE=sqlite',
        );
      }
      return PostgresStorage.open(
        {
          connectionString: url.reveal(),
          schema: config.store.databaseSchema,
          poolMax: config.store.databasePoolMax,
          statementTimeoutMs: config.timeouts.storeStatementMs,
          busyTimeoutMs: config.timeouts.storeBusyMs,
          applicationName: postgresApplicationName(config.server.instanceId),
          idempotencyTtlDays,
        },
        clock,
      );
    }
    default:
      throw new Error(
        `EVENT_STORE=${String(config.store.eventStore)} has no adapter in this build; use EVENT_STORE=sqlite or postgres`,
      );
  }
}

/** `shotclock:<instance id>`: this instance's sessions in pg_stat_activity. */
export function postgresApplicationName(instanceId: string): string {
  return `shotclock:${instanceId}`;
}
