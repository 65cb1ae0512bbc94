import pg from 'pg';
import {
  postgresStorageFactory,
  schemaOf,
  testPostgresOptions,
  withTestDatabase,
} from '../../../../test/support/postgres-storage.factory.js';
import { ManualClock } from '../../clock/clock.js';
import { DuplicateEventIdError, StoreUnavailableError } from '../event-store.errors.js';
import { migrate, POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { PostgresPool } from './postgres-pool.js';
import { PostgresStorage } from './postgres-storage.js';

const LIGHTER_INDEXES_VERSION = 9;

async function indexesOf(schema: string): Promise<{ name: string; method: string }[]> {
  const { rows } = await withTestDatabase((client) =>
    client.query<{ name: string; method: string }>(
      `SELECT i.relname AS name, am.amname AS method
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         JOIN pg_am am ON am.oid = i.relam
        WHERE n.nspname = $1 AND t.relname IN ('events', 'idempotency_keys')
        ORDER BY i.relname`,
      [schema],
    ),
  );
  return rows;
}

// PostgreSQL-specific: how the schema is created and migrated, and how a lost or busy server
// surfaces, are the adapter's own business (the contract only sees the results).
describe('PostgreSQL storage schema and failures', () => {
  const factory = postgresStorageFactory();
  const clock = new ManualClock();
  afterAll(() => factory.dispose());

  const freshSchema = async () => {
    const { storage } = await factory.create(clock);
    const schema = schemaOf(storage);
    await storage.close();
    await withTestDatabase((client) => client.query(`DROP SCHEMA ${schema} CASCADE`));
    return schema;
  };

  it('creates the schema and applies every migration once when instances start together', async () => {
    const schema = await freshSchema();
    const instances = await Promise.all(
      Array.from({ length: 4 }, () => PostgresStorage.open(testPostgresOptions(schema), clock)),
    );
    await Promise.all(instances.map((storage) => storage.close()));
    const { rows } = await withTestDatabase((client) =>
      client.query<{ version: number }>(
        `SELECT version FROM ${schema}.schema_migrations ORDER BY version`,
      ),
    );
    expect(rows.map((row) => row.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
  });

  it('upgrades a database of the previous migration level to the lighter append indexes', async () => {
    const schema = await freshSchema();
    const previous = POSTGRES_MIGRATIONS.filter((m) => m.version < LIGHTER_INDEXES_VERSION);
    const oldPool = new PostgresPool(testPostgresOptions(schema));
    try {
      await migrate(oldPool, previous);
    } finally {
      await oldPool.end();
    }
    const indexesBefore = await indexesOf(schema);
    expect(indexesBefore).toContainEqual({ name: 'events_pkey', method: 'btree' });
    expect(indexesBefore).toContainEqual({ name: 'idempotency_keys_expiry', method: 'btree' });
    await withTestDatabase((client) =>
      client.query(
        `INSERT INTO ${schema}.events (event_id, stream_id, stream_version, type, data, metadata, recorded_at)
         VALUES ('written-before', 'old-stream', 1, 'A', '{}', '{}', now())`,
      ),
    );

    const storage = await PostgresStorage.open(testPostgresOptions(schema), clock);
    try {
      expect(await indexesOf(schema)).toEqual([
        { name: 'events_event_id_key', method: 'btree' },
        { name: 'events_log_order', method: 'btree' },
        { name: 'events_stream_version', method: 'btree' },
        { name: 'idempotency_keys_expiry', method: 'brin' },
        { name: 'idempotency_keys_pkey', method: 'btree' },
      ]);
      const appended = await storage.events.append('old-stream', [{ type: 'B', data: {} }], {
        expectedVersion: 1,
        idempotencyKey: 'after-upgrade',
      });
      expect(appended.streamVersion).toBe(2);
      const again = await storage.events.append('old-stream', [{ type: 'B', data: {} }], {
        expectedVersion: 1,
        idempotencyKey: 'after-upgrade',
      });
      expect(again.duplicate).toBe(true);
      await expect(
        storage.events.append('other', [{ eventId: 'written-before', type: 'C', data: {} }], {
          expectedVersion: 'any',
        }),
      ).rejects.toBeInstanceOf(DuplicateEventIdError);
      const log: string[] = [];
      for await (const event of storage.events.readAll()) log.push(event.eventId);
      expect(log[0]).toBe('written-before');
      expect(log).toHaveLength(2);
      expect(await storage.events.countLiveIdempotencyKeys()).toBe(1);
    } finally {
      await storage.close();
    }
  });

  it('refuses a schema name it would have to quote', () => {
    expect(() => new PostgresStorage(testPostgresOptions('Prod; DROP TABLE x'), clock)).toThrow(
      /not a plain identifier/,
    );
  });

  it('reports an unreachable server as StoreUnavailableError (routes answer 503)', async () => {
    const storage = new PostgresStorage(
      testPostgresOptions('unused', { connectionString: 'postgres://postgres@127.0.0.1:1/test' }),
      clock,
    );
    try {
      await expect(storage.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(
        storage.events.append('s', [{ type: 'A', data: {} }], { expectedVersion: 'any' }),
      ).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await storage.close();
    }
  });

  it('reports a statement that outlives statement_timeout as StoreUnavailableError', async () => {
    const { storage: owner } = await factory.create(clock);
    const schema = schemaOf(owner);
    const slow = await PostgresStorage.open(
      testPostgresOptions(schema, { statementTimeoutMs: 100, busyTimeoutMs: 60_000 }),
      clock,
    );
    const blocker = new pg.Client({
      connectionString: testPostgresOptions(schema).connectionString,
    });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`LOCK TABLE ${schema}.events IN ACCESS EXCLUSIVE MODE`);
      const error = await slow.events.head().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/read head.*statement timeout/);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
      await slow.close();
      await owner.close();
    }
  });
});
