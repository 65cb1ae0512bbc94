import type { AppConfig } from '../config/index.js';
import type { Clock } from '../clock/clock.js';
import type { Storage } from './event-store.port.js';
import { SqliteStorage } from './sqlite/sqlite-storage.js';

/** Opens the store that EVENT_STORE names. */
export function openStorage(config: AppConfig, clock: Clock): Storage {
  switch (config.store.eventStore) {
    case 'sqlite':
      return new SqliteStorage(
        {
          path: config.store.sqlitePath,
          synchronous: config.store.sqliteSynchronous,
          busyTimeoutMs: config.timeouts.storeBusyMs,
          idempotencyTtlDays: () => config.flags.number('DEDUP_TTL_DAYS'),
        },
        clock,
      );
    default:
      throw new Error(
        `EVENT_STORE=${String(config.store.eventStore)} has no adapter in this build; use EVENT_STORE=sqlite`,
      );
  }
}
