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

// Events this process appended are read from memory (SqliteLogTail); another process's are not.
describe('SQLite log read from memory and from the table', () => {
  const dir = makeTempDir('shotclock-tail-');
  afterAll(() => dir.cleanup());

  it('reads, in order, events appended in between by another connection', async () => {
    const path = join(dir.path, 'shared.sqlite');
    const options = { path, synchronous: 'FULL' as const, busyTimeoutMs: 1000 };
    const ours = new SqliteStorage({ ...options, idempotencyTtlDays: () => 7 }, new ManualClock());
    const theirs = new SqliteStorage(
      { ...options, idempotencyTtlDays: () => 7 },
      new ManualClock(),
    );
    const append = (storage: SqliteStorage, n: number, type = 'Noted') =>
      storage.events.append(`stream-${n}`, [{ type, data: { n } }], { expectedVersion: 'any' });
    const read = async (types?: string[]) => {
      const seen: unknown[] = [];
      for await (const event of ours.events.readAll(types ? { types } : {})) seen.push(event.data);
      return seen;
    };
    try {
      await append(ours, 1);
      await append(ours, 2, 'Other');
      await append(theirs, 3);
      await append(ours, 4);
      await append(ours, 5, 'Other');
      expect(await read()).toEqual([1, 2, 3, 4, 5].map((n) => ({ n })));
      expect(await read(['Other'])).toEqual([{ n: 2 }, { n: 5 }]);
      const afterFour: unknown[] = [];
      const [, , , four] = await (async () => {
        const all = [];
        for await (const event of ours.events.readAll()) all.push(event);
        return all;
      })();
      for await (const event of ours.events.readAll({ after: four!.position })) {
        afterFour.push(event.data);
      }
      expect(afterFour).toEqual([{ n: 5 }]);

      // Appended last by the other connection: readable once the head has been looked at.
      const { lastPosition } = await append(theirs, 6);
      expect(await ours.events.head()).toBe(lastPosition);
      expect(await read()).toEqual([1, 2, 3, 4, 5, 6].map((n) => ({ n })));
    } finally {
      await ours.close();
      await theirs.close();
    }
  });
});
