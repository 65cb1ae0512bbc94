// Crash-test writer: appends 3-event batches forever while a projection follows, printing
// "committed <n>" after each append resolves. The parent kills it with SIGKILL at a random moment.
import { SystemClock } from '../../src/common/clock/clock.js';
import { SqliteStorage } from '../../src/common/event-store/sqlite/sqlite-storage.js';
import { ProjectionRunner } from '../../src/common/projections/projection-runner.js';
import { streamSummaryProjection } from '../../src/common/projections/stream-summary.projection.js';

const [path, startArg] = process.argv.slice(2);
if (!path) throw new Error('usage: append-loop.child.js <sqlite-path> [start-index]');

const storage = new SqliteStorage(
  { path, synchronous: 'FULL', busyTimeoutMs: 5000, idempotencyTtlDays: () => 7 },
  new SystemClock(),
);
const runner = new ProjectionRunner(storage, {
  idlePollMs: 50,
  skipCheckpointIntervalMs: 50,
  backoffMs: () => 50,
});
runner.register(streamSummaryProjection);
runner.onApplicationBootstrap();

for (let n = Number(startArg ?? 0); ; n++) {
  await storage.events.append(
    `crash-${n % 20}`,
    [0, 1, 2].map((part) => ({ type: 'CrashTestEvent', data: { append: n, part } })),
    { expectedVersion: 'any', idempotencyKey: `append-${n}` },
  );
  process.stdout.write(`committed ${n}\n`);
}
