// `npm run bench [-- --store sqlite] [-- --quick]`: Shotclock's store beside the bare driver, same work, same run.
import { join } from 'node:path';
import { SqliteStorage } from '../src/common/event-store/sqlite/sqlite-storage.js';
import { makeTempDir } from '../test/support/temp-dir.js';
import { describeMachine } from './machine.js';
import { rawSqliteSuite } from './raw-sqlite.js';
import { rate, type Measurement } from './timing.js';
import { benchClock, shotclockSuite, type BenchSizes } from './workloads.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? args[index + 1]! : fallback;
};
const store = option('store', 'sqlite');
const synchronous = option('synchronous', 'FULL').toUpperCase();
const sizes: BenchSizes = args.includes('--quick')
  ? { singleAppends: 500, batches: 50, batchSize: 100, logEvents: 20_000 }
  : { singleAppends: 3000, batches: 300, batchSize: 100, logEvents: 100_000 };

if (store !== 'sqlite') {
  console.error(`unknown --store ${store}: this build benchmarks sqlite`);
  process.exit(2);
}
if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
  console.error(`--synchronous must be FULL or NORMAL, got ${synchronous}`);
  process.exit(2);
}

const dir = makeTempDir('shotclock-bench-');
try {
  console.error(`machine: ${JSON.stringify(describeMachine())}`);
  console.error(`store ${store}, synchronous=${synchronous}, sizes ${JSON.stringify(sizes)}`);
  console.error('raw node:sqlite ...');
  const raw = await rawSqliteSuite(dir.path, sizes, synchronous);
  console.error('shotclock ...');
  const ours = await shotclockSuite(
    async (name) =>
      new SqliteStorage(
        {
          path: join(dir.path, `${name}.sqlite`),
          synchronous: synchronous as 'FULL' | 'NORMAL',
          busyTimeoutMs: 5000,
          idempotencyTtlDays: () => 7,
        },
        benchClock,
      ),
    sizes,
  );

  const rows: Array<[string, Measurement, Measurement]> = [
    ['append, 1 event/transaction, with idempotency key', ours.single, raw.single],
    [`append, batches of ${sizes.batchSize} (events/s)`, ours.batch, raw.batch],
    ['full-log read (events/s)', ours.read, raw.read],
    ['projection catch-up (events/s)', ours.project, raw.project],
  ];
  const format = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`| workload (store: ${store}, synchronous=${synchronous}) | Shotclock /s | raw node:sqlite /s | ratio |`);
  console.log('|---|---:|---:|---:|');
  for (const [name, shotclock, baseline] of rows) {
    console.log(`| ${name} | ${format(rate(shotclock))} | ${format(rate(baseline))} | ${(rate(shotclock) / rate(baseline)).toFixed(2)} |`);
  }
} finally {
  dir.cleanup();
}
