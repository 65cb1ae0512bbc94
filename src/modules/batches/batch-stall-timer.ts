import type { ScheduledTimer } from '../../common/event-store/index.js';
import { BATCH_EVENTS, batchStream, type BatchStallCheckDue } from './batch.events.js';

/** Unique per generation, so rescheduling never collides with a fired timer (scheduling is idempotent by id). */
export const stallTimerId = (batchId: string, generation: number) =>
  `batch-stall:${batchId}:${generation}`;

/** The durable timer that appends BatchStallCheckDue to `batch-<id>` at `dueAtMs`. */
export function stallCheckTimer(
  batchId: string,
  generation: number,
  dueAtMs: number,
): ScheduledTimer {
  const data: BatchStallCheckDue = { batch_id: batchId, generation };
  return {
    timerId: stallTimerId(batchId, generation),
    streamId: batchStream(batchId),
    dueAtMs,
    event: { type: BATCH_EVENTS.stallCheckDue, data },
  };
}
