import { SystemClock } from '../src/common/clock/clock.js';
import type { NewEvent, Storage } from '../src/common/event-store/index.js';
import { ProjectionWorker } from '../src/common/projections/projection-worker.js';
import { streamSummaryProjection } from '../src/common/projections/stream-summary.projection.js';
import { measure, type Measurement } from './timing.js';

export interface BenchSizes {
  singleAppends: number;
  batches: number;
  batchSize: number;
  logEvents: number;
}

export type StorageOpener = (name: string) => Promise<Storage>;

const event = (n: number): NewEvent => ({
  type: 'BenchEvent',
  data: { n, player: 'lebron-james' },
});

/** Concurrent callers, as under HTTP load: the group commit shares one transaction among them. */
export const CONCURRENT_CALLERS = 16;

/**
 * The same work through the port: keyed appends, batches, a full-log read, a projection catch-up.
 * `afterFill` runs (untimed) between filling the log and reading it, with the log's store name.
 */
export async function shotclockSuite(
  open: StorageOpener,
  round: number,
  sizes: BenchSizes,
  afterFill: (name: string) => Promise<void> = async () => {},
) {
  const store = await open(`shotclock-${round}`);
  const perCaller = Math.ceil(sizes.singleAppends / CONCURRENT_CALLERS);
  const concurrent = await measure(perCaller * CONCURRENT_CALLERS, async () => {
    await Promise.all(
      Array.from({ length: CONCURRENT_CALLERS }, async (_, caller) => {
        for (let n = 0; n < perCaller; n++) {
          await store.events.append(`c-${caller}`, [event(n)], {
            expectedVersion: 'any',
            idempotencyKey: `concurrent-${caller}-${n}`,
          });
        }
      }),
    );
  });
  const batch = await measure(sizes.batches * sizes.batchSize, async () => {
    for (let b = 0; b < sizes.batches; b++) {
      const events = Array.from({ length: sizes.batchSize }, (_, i) =>
        event(b * sizes.batchSize + i),
      );
      await store.events.append(`b-${b % 50}`, events, {
        expectedVersion: 'any',
        idempotencyKey: `batch-${b}`,
      });
    }
  });
  await store.close();

  const logName = `shotclock-log-${round}`;
  const log = await open(logName);
  for (let done = 0; done < sizes.logEvents; done += 1000) {
    const events = Array.from({ length: 1000 }, (_, i) => event(done + i));
    await log.events.append(`s-${(done / 1000) % 50}`, events, { expectedVersion: 'any' });
  }
  await afterFill(logName);
  let readCount = 0;
  const read = await measure(0, async () => {
    for await (const _ of log.events.readAll()) readCount += 1;
  });
  const worker = new ProjectionWorker(streamSummaryProjection, log.events, log.projections, {
    idlePollMs: 1000,
    skipCheckpointIntervalMs: 1000,
    backoffMs: () => 1000,
  });
  let applied = 0;
  const project = await measure(0, async () => {
    applied = await worker.rebuild();
  });
  await log.close();
  return {
    concurrent,
    batch,
    read: { ...read, operations: readCount } as Measurement,
    project: { ...project, operations: applied } as Measurement,
  };
}

export const benchClock = new SystemClock();
