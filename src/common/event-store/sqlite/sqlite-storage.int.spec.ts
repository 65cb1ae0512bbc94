import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describeStorageContract } from '../../../../test/support/storage.contract.js';
import { sqliteStorageFactory } from '../../../../test/support/sqlite-storage.factory.js';
import { makeTempDir } from '../../../../test/support/temp-dir.js';
import { ManualClock } from '../../clock/clock.js';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { SqliteStorage } from './sqlite-storage.js';

describe('SQLite storage (contract)', () => {
  describeStorageContract(sqliteStorageFactory);
});

// SQLite-specific: how the schema is versioned and opened is the adapter's own business.
describe('SQLite storage schema', () => {
  const dir = makeTempDir('shotclock-schema-');
  afterAll(() => dir.cleanup());
  const open = (path: string) =>
    new SqliteStorage(
      { path, synchronous: 'FULL', busyTimeoutMs: 1000, idempotencyTtlDays: () => 7 },
      new ManualClock(),
    );

  it('creates the folder and applies every migration once, in WAL mode', async () => {
    const path = join(dir.path, 'nested', 'folder', 'store.sqlite');
    await open(path).close();
    await open(path).close();
    const db = new DatabaseSync(path);
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    expect(versions.map((row) => row.version)).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    db.close();
  });
});
