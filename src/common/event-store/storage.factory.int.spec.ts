import { randomBytes } from 'node:crypto';
import {
  TEST_DATABASE_URL,
  withTestDatabase,
} from '../../../test/support/postgres-storage.factory.js';
import { ManualClock } from '../clock/clock.js';
import { loadConfig } from '../config/index.js';
import { openStorage } from './storage.factory.js';

describe('openStorage', () => {
  const clock = new ManualClock();

  it('opens SQLite by default', async () => {
    const storage = await openStorage(loadConfig({ SQLITE_PATH: ':memory:' }), clock);
    expect(storage.kind).toBe('sqlite');
    await storage.close();
  });

  it('opens PostgreSQL with EVENT_STORE=postgres, migrating DATABASE_SCHEMA', async () => {
    const schema = `shotclock_test_factory_${randomBytes(3).toString('hex')}`;
    const storage = await openStorage(
      loadConfig({
        EVENT_STORE: 'postgres',
        DATABASE_URL: TEST_DATABASE_URL,
        DATABASE_SCHEMA: schema,
        DATABASE_POOL_MAX: '2',
      }),
      clock,
    );
    try {
      expect(storage.kind).toBe('postgres');
      await storage.events.append('s', [{ type: 'A', data: {} }], { expectedVersion: 'any' });
      const { rows } = await withTestDatabase((client) =>
        client.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.events`),
      );
      expect(rows[0]!.n).toBe('1');
    } finally {
      await storage.close();
      await withTestDatabase((client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    }
  });

  it('names DATABASE_URL when EVENT_STORE=postgres has none', async () => {
    await expect(openStorage(loadConfig({ EVENT_STORE: 'postgres' }), clock)).rejects.toThrow(
      /EVENT_STORE=postgres needs DATABASE_URL/,
    );
  });
});
