import { PostgresStorage } from '../src/common/event-store/postgres/postgres-storage.js';
import type { BenchOptions } from './bench-options.js';
import { EmmettSide } from './emmett-side.js';
import { postgresWakeUpSuite } from './postgres-wakeup-suite.js';
import { pairedSingleAppends, portSingleAppends } from './paired-single-appends.js';
import { BenchSchemas, benchDatabaseUrl } from './postgres-bench-database.js';
import { RawPostgres, rawPostgresSuite } from './raw-postgres.js';
import {
  printRatioTable,
  printStoreTable,
  type OurSuite,
  type Suite,
  type SuiteWithoutSingle,
} from './store-table.js';
import type { Measurement } from './timing.js';
import { benchClock, CONCURRENT_CALLERS, shotclockSuite, type BenchSizes } from './workloads.js';

/** The service's defaults (DATABASE_POOL_MAX, TIMEOUT_STORE_*): Emmett's pool is pg's default, also 10. */
const POOL_MAX = 10;
const READ_BATCH = 1000;

type EmmettSuite = Record<'single' | 'concurrent' | 'batch' | 'read' | 'pull', Measurement>;

/**
 * `PostgresStorage` beside bare `pg` doing the same SQL and beside Emmett's PostgreSQL event store,
 * on one server: ours and raw in fresh schemas of the bench database, Emmett in fresh databases
 * (see BenchSchemas.createDatabase), all dropped at the end. Emmett runs in a child process (see
 * EmmettSide). Single appends rotate in blocks of 100; the other workloads rotate which side
 * goes first from round to round.
 */
export async function postgresStoreSuite(
  options: BenchOptions,
  rounds: number,
  sizes: BenchSizes,
): Promise<void> {
  const schemas = await BenchSchemas.connect(
    benchDatabaseUrl(options.value('database-url', '') || undefined),
  );
  const emmett = EmmettSide.start();
  try {
    const server = await schemas.describeServer();
    console.error(`store postgres, ${rounds} round(s), sizes ${JSON.stringify(sizes)}`);
    console.error(`server: ${JSON.stringify(server)}`);
    const openShotclock = (label: string) =>
      PostgresStorage.open(
        {
          connectionString: schemas.url,
          schema: schemas.name(label),
          poolMax: POOL_MAX,
          statementTimeoutMs: 30_000,
          busyTimeoutMs: 5_000,
          idempotencyTtlDays: () => 7,
        },
        benchClock,
      );
    const openEmmett = async (label: string) => emmett.open(await schemas.createDatabase(label));

    const ours: OurSuite[] = [];
    const raw: Suite[] = [];
    const theirs: EmmettSuite[] = [];
    for (let round = 1; round <= rounds; round++) {
      console.error(
        `round ${round}/${rounds}: single appends (Shotclock, raw pg, Emmett in turn) ...`,
      );
      const ourStore = await openShotclock(`shotclock_single_${round}`);
      const rawStore = await RawPostgres.open(schemas, `raw_single_${round}`);
      await openEmmett(`emmett_single_${round}`);
      const [ourSingle, rawSingle, emmettSingle] = await pairedSingleAppends(
        [
          portSingleAppends(ourStore),
          (_first, count) => rawStore.singleTransactions(count),
          (first, count) => emmett.request({ command: 'singles', first, count }),
        ],
        sizes.singleAppends,
      );
      await ourStore.close();
      await rawStore.close();

      const sides = [
        async () => {
          console.error(`round ${round}: Shotclock ...`);
          return shotclockSuite(openShotclock, round, sizes, (name) =>
            schemas.analyze(schemas.name(name)),
          );
        },
        async () => {
          console.error(`round ${round}: raw pg ...`);
          return rawPostgresSuite(schemas, round, sizes);
        },
        async () => {
          console.error(`round ${round}: Emmett ...`);
          return emmettSuite(emmett, openEmmett, round, sizes);
        },
      ] as const;
      // Rotate which side goes first, so warm-up and disk state favour none of them.
      const results: unknown[] = [];
      for (let turn = 0; turn < sides.length; turn++) {
        const side = (round - 1 + turn) % sides.length;
        results[side] = await sides[side]!();
      }
      const [ourRest, rawRest, emmettRest] = results as [
        SuiteWithoutSingle & { concurrent: Measurement },
        SuiteWithoutSingle,
        Omit<EmmettSuite, 'single'>,
      ];
      ours.push({ ...ourRest, single: ourSingle! });
      raw.push({ ...rawRest, single: rawSingle! });
      theirs.push({ ...emmettRest, single: emmettSingle! });
    }

    console.log(`PostgreSQL: ${server.version}; synchronous_commit=${server.synchronous_commit}\n`);
    printStoreTable(
      `workload (store: postgres, median of ${rounds})`,
      'raw pg',
      sizes.batchSize,
      ours,
      raw,
    );
    console.log('');
    printEmmettTable(rounds, sizes, ours, theirs);
  } finally {
    await emmett.stop();
    await schemas.close();
  }
  await postgresWakeUpSuite(options);
}

async function emmettSuite(
  emmett: EmmettSide,
  open: (label: string) => Promise<void>,
  round: number,
  sizes: BenchSizes,
): Promise<Omit<EmmettSuite, 'single'>> {
  await open(`emmett_${round}`);
  const perCaller = Math.ceil(sizes.singleAppends / CONCURRENT_CALLERS);
  const concurrent = await emmett.request({
    command: 'concurrent',
    callers: CONCURRENT_CALLERS,
    perCaller,
  });
  const batch = await emmett.request({
    command: 'batches',
    batches: sizes.batches,
    size: sizes.batchSize,
  });
  await open(`emmett_log_${round}`);
  await emmett.request({ command: 'fill', total: sizes.logEvents });
  await emmett.request({ command: 'analyze' });
  const read = await emmett.request({ command: 'read', batchSize: READ_BATCH });
  const pull = await emmett.request({ command: 'pull', batchSize: READ_BATCH });
  return { concurrent, batch, read, pull };
}

function printEmmettTable(
  rounds: number,
  sizes: BenchSizes,
  ours: readonly OurSuite[],
  theirs: readonly EmmettSuite[],
): void {
  const our = (key: keyof OurSuite) => ours.map((suite) => suite[key]);
  const their = (key: keyof EmmettSuite) => theirs.map((suite) => suite[key]);
  printRatioTable(
    [`operation (PostgreSQL, median of ${rounds})`, 'Shotclock', 'Emmett'],
    [
      ['append, 1 event per call and transaction (events/s)', our('single'), their('single')],
      [
        `append, 1 event per call, ${CONCURRENT_CALLERS} concurrent callers (events/s)`,
        our('concurrent'),
        their('concurrent'),
      ],
      [`append, ${sizes.batchSize} events per call (events/s)`, our('batch'), their('batch')],
      [
        `full-log read, pages of ${READ_BATCH} (events/s; Emmett: readMessagesBatch)`,
        our('read'),
        their('read'),
      ],
      [
        `full-log read (events/s; Emmett: postgreSQLEventStoreMessageBatchPuller, as its consumers)`,
        our('read'),
        their('pull'),
      ],
    ],
  );
}
