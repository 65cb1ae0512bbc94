// The event store beside the bare driver doing the same work, in the same run, rounds interleaved.
import { join } from 'node:path';
import { SqliteStorage } from '../src/common/event-store/sqlite/sqlite-storage.js';
import { makeTempDir } from '../test/support/temp-dir.js';
import type { BenchOptions } from './bench-options.js';
import { pairedSingleAppends } from './paired-single-appends.js';
import { RawSqlite, rawSqliteSuite } from './raw-sqlite.js';
import { medianRate } from './rounds.js';
import type { Measurement } from './timing.js';
import { benchClock, CONCURRENT_CALLERS, shotclockSuite, type BenchSizes } from './workloads.js';

type Suite = Record<'single' | 'batch' | 'read' | 'project', Measurement>;
type SuiteWithoutSingle = Omit<Suite, 'single'>;
/** Ours only: the raw driver has no concurrent callers; its single appends are the baseline. */
type OurSuite = Suite & { concurrent: Measurement };

export async function storeSuite(options: BenchOptions): Promise<void> {
  const store = options.value('store', 'sqlite');
  const synchronous = options.synchronous;
  const rounds = options.quick ? 1 : 3;
  const sizes: BenchSizes = options.quick
    ? { singleAppends: 500, batches: 50, batchSize: 100, logEvents: 20_000 }
    : { singleAppends: 3000, batches: 300, batchSize: 100, logEvents: 100_000 };

  if (store !== 'sqlite') {
    console.error(`unknown --store ${store}: this build benchmarks sqlite`);
    process.exit(2);
  }

  const dir = makeTempDir('shotclock-bench-');
  try {
    console.error(
      `store ${store}, synchronous=${synchronous}, ${rounds} round(s), sizes ${JSON.stringify(sizes)}`,
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
      const single = await pairedSingleAppends(rawSingle, ourSingle, sizes.singleAppends);
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
      raw.push({ ...rawRest, single: single.raw });
      ours.push({ ...ourRest, single: single.ours });
    }

    const rows: Array<[string, keyof Suite, keyof OurSuite]> = [
      ['append, 1 event/transaction, with idempotency key (appends/s)', 'single', 'single'],
      [
        `append, 1 event each, ${CONCURRENT_CALLERS} concurrent callers (group commit), with idempotency key (appends/s; raw: 1 event/transaction)`,
        'single',
        'concurrent',
      ],
      [`append, batches of ${sizes.batchSize} with idempotency key (events/s)`, 'batch', 'batch'],
      ['full-log read (events/s)', 'read', 'read'],
      ['projection catch-up (events/s)', 'project', 'project'],
    ];
    const format = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(
      `| workload (store: ${store}, synchronous=${synchronous}, median of ${rounds}) | Shotclock | raw node:sqlite | ratio |`,
    );
    console.log('|---|---:|---:|---:|');
    for (const [name, rawKey, ourKey] of rows) {
      const shotclock = medianRate(ours.map((suite) => suite[ourKey]));
      const baseline = medianRate(raw.map((suite) => suite[rawKey]));
      console.log(
        `| ${name} | ${format(shotclock)} | ${format(baseline)} | ${(shotclock / baseline).toFixed(2)} |`,
      );
    }
  } finally {
    dir.cleanup();
  }
}
