// The event store beside the bare driver doing the same work, in the same run, rounds interleaved.
import type { BenchOptions } from './bench-options.js';
import { firestoreStoreSuite } from './firestore-store-suite.js';
import { postgresStoreSuite } from './postgres-store-suite.js';
import { sqliteStoreSuite } from './sqlite-store-suite.js';
import type { BenchSizes } from './workloads.js';

const STORES = {
  sqlite: sqliteStoreSuite,
  postgres: postgresStoreSuite,
  firestore: firestoreStoreSuite,
} as const;

/**
 * The emulator takes milliseconds per keyed append where SQLite takes tens of microseconds:
 * Firestore runs smaller sizes (a third of the single appends and batches, a fifth of the log,
 * which still spans 20 read pages and projection batches).
 */
const FIRESTORE_SIZES: Record<'quick' | 'full', BenchSizes> = {
  quick: { singleAppends: 100, batches: 10, batchSize: 100, logEvents: 5_000 },
  full: { singleAppends: 1000, batches: 100, batchSize: 100, logEvents: 20_000 },
};

export async function storeSuite(options: BenchOptions): Promise<void> {
  const store = options.value('store', 'sqlite');
  if (!(store in STORES)) {
    console.error(`unknown --store ${store}: expected ${Object.keys(STORES).join(', ')}`);
    process.exit(2);
  }
  const rounds = options.quick ? 1 : 3;
  const sizes: BenchSizes =
    store === 'firestore'
      ? FIRESTORE_SIZES[options.quick ? 'quick' : 'full']
      : options.quick
        ? { singleAppends: 500, batches: 50, batchSize: 100, logEvents: 20_000 }
        : { singleAppends: 3000, batches: 300, batchSize: 100, logEvents: 100_000 };
  await STORES[store as keyof typeof STORES](options, rounds, sizes);
}
