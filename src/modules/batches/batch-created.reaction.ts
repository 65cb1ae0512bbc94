import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import type { EventOfType, Recorded } from '../../common/event-store/index.js';
import { QuarantineService } from '../dedup/index.js';
import { defineReaction } from '../../common/projections/reaction-definition.js';
import { TimerScheduler } from '../../common/timers/timer-scheduler.js';
import { BATCH_EVENTS, type BatchEvent } from './batch.events.js';
import { stallCheckTimer } from './batch-stall-timer.js';
import { batchParkKey } from './prediction-outcome.decider.js';

type Created = Recorded<EventOfType<BatchEvent, typeof BATCH_EVENTS.created>>;

/**
 * After a batch is created (surviving a crash right after the append): its first stall check is
 * scheduled, and the completions that arrived before it, parked, are replayed.
 */
@Injectable()
export class BatchCreatedReaction {
  private readonly logger = new Logger(BatchCreatedReaction.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly timers: TimerScheduler,
    private readonly quarantine: QuarantineService,
  ) {}

  readonly definition = defineReaction<BatchEvent>()({
    name: 'batch-created',
    eventTypes: [BATCH_EVENTS.created],
    handle: (event) => this.handle(event),
  });

  private async handle(event: Created): Promise<void> {
    const created = event.data;
    // Imported history is complete or abandoned already: nothing to watch.
    if (created.source === 'api') {
      const dueAtMs = Date.parse(created.started_at) + this.config.timeouts.stallDetectionMs;
      await this.timers.schedule(stallCheckTimer(created.batch_id, 0, dueAtMs));
    }
    const replayed = await this.quarantine.replayParked(batchParkKey(created.batch_id));
    if (replayed.length > 0) {
      const outcomes = replayed.map((result) => `${result.quarantine_id}: ${result.outcome}`);
      this.logger.log(
        `batch ${created.batch_id}: replayed ${replayed.length} parked completion(s) (${outcomes.join(', ')})`,
      );
    }
  }
}
