import { join } from 'node:path';
import type { Clock } from '../../src/common/clock/clock.js';
import { SqliteStorage } from '../../src/common/event-store/sqlite/sqlite-storage.js';
import { makeTempDir } from './temp-dir.js';
import type { StorageFactory } from './storage.contract.js';

/** Real SQLite files in a temp dir; `reopen` opens the same file again (a restart). */
export function sqliteStorageFactory(): StorageFactory {
  const dir = makeTempDir('shotclock-sqlite-');
  let counter = 0;
  return {
    name: 'sqlite',
    async create(clock: Clock, options = {}) {
      const path = join(dir.path, `store-${++counter}.sqlite`);
      const open = () =>
        new SqliteStorage(
          {
            path,
            synchronous: 'NORMAL',
            busyTimeoutMs: 5000,
            idempotencyTtlDays: () => options.idempotencyTtlDays ?? 7,
          },
          clock,
        );
      return { storage: open(), reopen: async () => open() };
    },
    async dispose() {
      dir.cleanup();
    },
  };
}
