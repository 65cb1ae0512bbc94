// Crash-test writer for the WAL flush: 8 loops append 3-event batches at once while a projection
// follows, on a disk whose flush takes 100 ms, so commits always wait for one. It prints
// "flushing" as each flush starts and "committed <n>" after each append resolves; the parent
// SIGKILLs it right after a "flushing" line, between a group's commit and its answer.
import { setTimeout as sleep } from 'node:timers/promises';
import { SystemClock } from '../../src/common/clock/clock.js';
import { SqliteStorage } from '../../src/common/event-store/sqlite/sqlite-storage.js';
import { ProjectionRunner } from '../../src/common/projections/projection-runner.js';
import { streamSummaryProjection } from '../../src/common/projections/stream-summary.projection.js';

const [path] = process.argv.slice(2);
if (!path) throw new Error('usage: slow-flush-appends.child.js <sqlite-path>');

const storage = new SqliteStorage(
  {
    path,
    synchronous: 'FULL',
    busyTimeoutMs: 5000,
    idempotencyTtlDays: () => 7,
    flushFile: async (file) => {
      process.stdout.write('flushing\n');
      await sleep(100);
      await file.datasync();
    },
  },
  new SystemClock(),
);
const runner = new ProjectionRunner(storage, {
  idlePollMs: 50,
  skipCheckpointIntervalMs: 50,
  backoffMs: () => 50,
});
runner.register(streamSummaryProjection);
runner.onApplicationBootstrap();

const LOOPS = 8;
await Promise.all(
  Array.from({ length: LOOPS }, async (_, loop) => {
    for (let n = loop; ; n += LOOPS) {
      await storage.events.append(
        `crash-${n % 20}`,
        [0, 1, 2].map((part) => ({ type: 'CrashTestEvent', data: { append: n, part } })),
        { expectedVersion: 'any', idempotencyKey: `append-${n}` },
      );
      process.stdout.write(`committed ${n}\n`);
    }
  }),
);
