// The event store beside the bare driver doing the same work, in the same run, rounds interleaved.
import type { BenchOptions } from './bench-options.js';
import { postgresStoreSuite } from './postgres-store-suite.js';
import { sqliteStoreSuite } from './sqlite-store-suite.js';
import type { BenchSizes } from './workloads.js';

const STORES = { sqlite: sqliteStoreSuite, postgres: postgresStoreSuite } as const;

export async function storeSuite(options: BenchOptions): Promise<void> {
  const store = options.value('store', 'sqlite');
  if (!(store in STORES)) {
    console.error(`unknown --store ${store}: expected ${Object.keys(STORES).join(' or ')}`);
    process.exit(2);
  }
  const rounds = options.quick ? 1 : 3;
  const sizes: BenchSizes = options.quick
    ? { singleAppends: 500, batches: 50, batchSize: 100, logEvents: 20_000 }
    : { singleAppends: 3000, batches: 300, batchSize: 100, logEvents: 100_000 };
  await STORES[store as keyof typeof STORES](options, rounds, sizes);
}
