import {
  createScratchDatabase,
  holdTransaction,
  type HeldTransaction,
  type ScratchDatabase,
} from '../../../../test/support/postgres-long-transaction.js';
import {
  postgresStorageFactory,
  TEST_DATABASE_URL,
  testPostgresOptions,
  withTestDatabase,
} from '../../../../test/support/postgres-storage.factory.js';
import { ManualClock } from '../../clock/clock.js';
import { OldestTransactionProbe } from './postgres-oldest-transaction.js';
import { PostgresPool } from './postgres-pool.js';

const HOLD_MS = 400;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// PostgreSQL-specific: Storage.condition() reports the age of the oldest transaction holding back
// readers, wherever in the cluster it runs, and a lower bound when the role may not see its start.
describe('PostgreSQL oldest transaction age', () => {
  const factory = postgresStorageFactory();
  const role = `shotclock_probe_${process.pid}`;
  let scratch: ScratchDatabase;
  let holder: HeldTransaction | null = null;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    await withTestDatabase((client) => client.query(`CREATE ROLE ${role} LOGIN`));
  });
  afterEach(async () => {
    await holder?.end();
    holder = null;
  });
  afterAll(async () => {
    await factory.dispose();
    await scratch.drop();
    await withTestDatabase((client) => client.query(`DROP ROLE IF EXISTS ${role}`));
  });

  it('reports the age of a transaction held open in another database', async () => {
    const { storage } = await factory.create(new ManualClock());
    try {
      holder = await holdTransaction(scratch.url);
      const heldAt = Date.now();
      await pause(HOLD_MS);
      const { oldestTransactionAgeMs } = await storage.condition();
      expect(oldestTransactionAgeMs).toBeGreaterThanOrEqual(HOLD_MS);
      // Nothing older than the process running this test can be counted for it.
      expect(oldestTransactionAgeMs).toBeLessThanOrEqual(process.uptime() * 1000);
      expect(Date.now() - heldAt).toBeGreaterThanOrEqual(HOLD_MS);
    } finally {
      await storage.close();
    }
  });

  it('without pg_read_all_stats counts from when it first saw the transaction, says which grant is missing, and has the real age once granted', async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.username = role;
    const pool = new PostgresPool(
      testPostgresOptions('unused', { connectionString: url.toString() }),
    );
    const warnings: string[] = [];
    const probe = new OldestTransactionProbe(pool, (message) => warnings.push(message));
    try {
      holder = await holdTransaction(scratch.url);
      const heldAt = Date.now();
      await pause(HOLD_MS);
      const first = await probe.ageMs();
      const firstAt = Date.now();
      await pause(HOLD_MS);
      const second = await probe.ageMs();
      // A lower bound: from the first look, not from BEGIN.
      expect(first).toBeLessThan(HOLD_MS);
      expect(second).toBeGreaterThanOrEqual(Date.now() - firstAt - HOLD_MS / 2);
      expect(second).toBeLessThan(Date.now() - heldAt);
      expect(warnings.filter((text) => text.includes('pg_read_all_stats'))).toHaveLength(1);

      await withTestDatabase((client) => client.query(`GRANT pg_read_all_stats TO ${role}`));
      const granted = await probe.ageMs();
      expect(granted).toBeGreaterThanOrEqual(Date.now() - heldAt - HOLD_MS / 2);
    } finally {
      await pool.end();
    }
  });
});
