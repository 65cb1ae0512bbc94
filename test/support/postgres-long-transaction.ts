import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TEST_DATABASE_URL, withTestDatabase } from './postgres-storage.factory.js';

/** A database of its own on the test server, for sessions that must not touch the store's. */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database next to the test database (same server, same cluster-wide ids). */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `shotclock_scratch_${process.pid}_${randomBytes(3).toString('hex')}`;
  await withTestDatabase((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await withTestDatabase((client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

/** A session holding a transaction id: until `end()`, every newer transaction's writes stay unreadable to gap-safe readers. */
export interface HeldTransaction {
  /** The transaction id it holds. */
  transactionId: string;
  /** Commits and disconnects (once; again is a no-op). */
  end(): Promise<void>;
}

/** `BEGIN; SELECT txid_current();` on `url`, held open until `end()`. */
export async function holdTransaction(url: string): Promise<HeldTransaction> {
  const client = new pg.Client({
    connectionString: url,
    application_name: 'shotclock-test-holder',
  });
  await client.connect();
  await client.query('BEGIN');
  const { rows } = await client.query<{ id: string }>('SELECT txid_current()::text AS id');
  let ended: Promise<void> | undefined;
  return {
    transactionId: rows[0]!.id,
    end() {
      ended ??= client.query('COMMIT').then(() => client.end());
      return ended;
    },
  };
}
