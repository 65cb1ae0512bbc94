import pg from 'pg';
import {
  postgresStorageFactory,
  schemaOf,
  testPostgresOptions,
  withTestDatabase,
} from '../../../../test/support/postgres-storage.factory.js';
import { ManualClock } from '../../clock/clock.js';
import { StoreUnavailableError } from '../event-store.errors.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { PostgresStorage } from './postgres-storage.js';

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
