import { randomBytes } from 'node:crypto';
import type { AppOverrides } from '../../src/app.module.js';
import { TEST_DATABASE_URL, withTestDatabase } from './postgres-storage.factory.js';
import { startTestApp, type TestApp } from './test-app.js';

export type TestStore = 'sqlite' | 'postgres';

/** Both stores, for `describe.each(TEST_STORES)('... on %s', (store) => ...)`. */
export const TEST_STORES: readonly TestStore[] = ['sqlite', 'postgres'];

/**
 * The real application (see startTestApp) on `store`: a fresh SQLite file, or the test PostgreSQL
 * database in a fresh schema of its own, dropped again by `close()`.
 */
export async function startTestAppOn(
  store: TestStore,
  env: Record<string, string> = {},
  overrides: AppOverrides = {},
): Promise<TestApp & { schema: string | null }> {
  if (store === 'sqlite') return { ...(await startTestApp(env, overrides)), schema: null };
  const schema = `shotclock_app_${process.pid}_${randomBytes(4).toString('hex')}`;
  const test = await startTestApp(
    { EVENT_STORE: 'postgres', DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, ...env },
    overrides,
  );
  return {
    ...test,
    schema,
    async close() {
      try {
        await test.close();
      } finally {
        await withTestDatabase((client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
      }
    },
  };
}
