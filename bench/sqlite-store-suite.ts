import { join } from 'node:path';
import { SqliteStorage } from '../src/common/event-store/sqlite/sqlite-storage.js';
import { makeTempDir } from '../test/support/temp-dir.js';
import type { BenchOptions } from './bench-options.js';
import { pairedSingleAppends, portSingleAppends } from './paired-single-appends.js';
import { RawSqlite, rawSqliteSuite } from './raw-sqlite.js';
import {
  printStoreTable,
  type OurSuite,
  type Suite,
  type SuiteWithoutSingle,
} from './store-table.js';
import type { Measurement } from './timing.js';
import { benchClock, shotclockSuite, type BenchSizes } from './workloads.js';

/** `SqliteStorage` beside bare node:sqlite, on fresh files in a temporary directory. */
export async function sqliteStoreSuite(
  options: BenchOptions,
  rounds: number,
  sizes: BenchSizes,
): Promise<void> {
  const synchronous = options.synchronous;
  const dir = makeTempDir('shotclock-bench-');
  try {
    console.error(
      `store sqlite, synchronous=${synchronous}, ${rounds} round(s), sizes ${JSON.stringify(sizes)}`,
    );
    const openShotclock = async (name: string) =>
      new SqliteStorage(
        {
          path: join(dir.path, `${name}.sqlite`),
          synchronous,
          busyTimeoutMs: 5000,
          idempotencyTtlDays: () => 7,
        },
        benchClock,
      );
    const ours: OurSuite[] = [];
    const raw: Suite[] = [];
    for (let round = 1; round <= rounds; round++) {
      console.error(`round ${round}/${rounds} ...`);
      const rawSingle = new RawSqlite(dir.path, `raw-single-${round}`, synchronous);
      const ourSingle = await openShotclock(`shotclock-single-${round}`);
      const [ourSingles, rawSingles] = await pairedSingleAppends(
        [portSingleAppends(ourSingle), (_first, count) => rawSingle.singleTransactions(count)],
        sizes.singleAppends,
      );
      rawSingle.close();
      await ourSingle.close();

      let rawRest: SuiteWithoutSingle;
      let ourRest: SuiteWithoutSingle & { concurrent: Measurement };
      // Alternate which side goes first, so warm-up and disk state favour neither.
      if (round % 2 === 1) {
        rawRest = await rawSqliteSuite(dir.path, round, sizes, synchronous);
        ourRest = await shotclockSuite(openShotclock, round, sizes);
      } else {
        ourRest = await shotclockSuite(openShotclock, round, sizes);
        rawRest = await rawSqliteSuite(dir.path, round, sizes, synchronous);
      }
      raw.push({ ...rawRest, single: rawSingles! });
      ours.push({ ...ourRest, single: ourSingles! });
    }
    printStoreTable(
      `workload (store: sqlite, synchronous=${synchronous}, median of ${rounds})`,
      'raw node:sqlite',
      sizes.batchSize,
      ours,
      raw,
      ' (group commit)',
    );
  } finally {
    dir.cleanup();
  }
}
