// Instance B of the wake-up bench (see postgres-wakeup-suite.ts): a PostgresStorage of its own
// in this process, following the log with the stream-summaries projection, and telling the
// parent each position it applied. Arguments: <database url> <schema> <notify|poll> <idle poll ms>.
import { PostgresStorage } from '../src/common/event-store/postgres/postgres-storage.js';
import { ProjectionWorker } from '../src/common/projections/projection-worker.js';
import { streamSummaryProjection } from '../src/common/projections/stream-summary.projection.js';
import { benchClock } from './workloads.js';

export type WakeUpChildMessage = { ready: true } | { applied: string };

const [url, schema, mode, idlePollMs] = process.argv.slice(2);
const send = (message: WakeUpChildMessage) => process.send!(message);

const storage = await PostgresStorage.open(
  {
    connectionString: url!,
    schema: schema!,
    poolMax: 10,
    statementTimeoutMs: 30_000,
    busyTimeoutMs: 5_000,
    applicationName: 'shotclock-bench-wakeup-b',
    idempotencyTtlDays: () => 7,
    wakeOtherInstances: mode === 'notify',
  },
  benchClock,
);
const worker = new ProjectionWorker(streamSummaryProjection, storage.events, storage.projections, {
  idlePollMs: Number(idlePollMs),
  skipCheckpointIntervalMs: 1000,
  backoffMs: () => 1000,
});
worker.onProgress((position) => send({ applied: position }));
worker.start();
while (worker.state !== 'running') await new Promise((resolve) => setTimeout(resolve, 5));
send({ ready: true });
process.on('disconnect', () => {
  void worker
    .stop()
    .then(() => storage.close())
    .catch((error: unknown) => {
      console.error(`wake-up bench child: closing failed: ${String(error)}`);
      process.exitCode = 1;
    });
});
