import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Clock } from '../../src/common/clock/clock.js';
import {
  PostgresStorage,
  type PostgresStorageOptions,
} from '../../src/common/event-store/postgres/postgres-storage.js';
import type { Storage } from '../../src/common/event-store/index.js';
import type { StorageFactory } from './storage.contract.js';

/** The database `.ci/run` starts; TEST_DATABASE_URL points the tests elsewhere. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Options of a test store on `schema`: small pool, the production timeouts' shape. Appends wait
 * until they are readable (awaitReadableAppends): specs read the log right after writing, and any
 * transaction elsewhere on the shared test server (other specs, other runs) would otherwise hold
 * their events back for a moment. postgres-visibility.int.spec.ts and the service-process specs cover
 * the service's own mode, which returns at commit.
 */
export function testPostgresOptions(
  schema: string,
  overrides: Partial<PostgresStorageOptions> = {},
): PostgresStorageOptions {
  return {
    connectionString: TEST_DATABASE_URL,
    schema,
    poolMax: 4,
    statementTimeoutMs: 30_000,
    busyTimeoutMs: 5000,
    applicationName: 'shotclock-test',
    awaitReadableAppends: true,
    idempotencyTtlDays: () => 7,
    ...overrides,
  };
}

/** Runs `work` on a plain connection to the test database (outside any store). */
export async function withTestDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Real PostgreSQL, one fresh schema per `create()` (pid + random + counter, so parallel workers
 * and leftovers of killed runs never share one); `reopen` opens the same schema again (a restart
 * or a second instance); `dispose` drops every schema it created.
 */
export function postgresStorageFactory(
  overrides: Partial<PostgresStorageOptions> = {},
): StorageFactory {
  const run = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const schemas: string[] = [];
  return {
    name: 'postgres',
    async create(clock: Clock, options = {}) {
      const schema = `shotclock_test_${run}_${schemas.length + 1}`;
      schemas.push(schema);
      const open = () =>
        PostgresStorage.open(
          testPostgresOptions(schema, {
            ...overrides,
            idempotencyTtlDays: () => options.idempotencyTtlDays ?? 7,
          }),
          clock,
        );
      return { storage: await open(), reopen: open };
    },
    async dispose() {
      if (schemas.length === 0) return;
      await withTestDatabase(async (client) => {
        for (const schema of schemas.splice(0)) {
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        }
      });
    },
  };
}

/** The schema of a store this factory created. */
export function schemaOf(storage: Storage): string {
  if (!(storage instanceof PostgresStorage)) {
    throw new Error(`expected a PostgreSQL store, got ${storage.kind}`);
  }
  return storage.pool.options.schema;
}
