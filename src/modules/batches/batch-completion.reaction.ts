import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import {
  MAX_DECIDE_ATTEMPTS,
  STORAGE,
  WrongExpectedVersionError,
  type RecordedEvent,
  type RecordedOf,
  type Storage,
} from '../../common/event-store/index.js';
import { defineReaction } from '../../common/projections/reaction-definition.js';
import { TimerScheduler } from '../../common/timers/timer-scheduler.js';
import {
  BATCH_EVENTS,
  batchDateStream,
  batchStream,
  type BatchClosedForDate,
  type BatchCompleted,
  type BatchEvent,
} from './batch.events.js';
import { decideBatchCompletion, type CompletionTrigger } from './batch-completion.decider.js';
import { BATCH_COLLECTIONS, type BatchProgress } from './batch-progress.view.js';
import { BatchProgressWaiter } from './batch-progress-waiter.js';
import { stallCheckTimer } from './batch-stall-timer.js';

const HANDLED = [
  BATCH_EVENTS.predictionCompleted,
  BATCH_EVENTS.predictionFailed,
  BATCH_EVENTS.stallCheckDue,
] as const;

/**
 * Completes each batch exactly once. After every player outcome and every stall check, once the
 * batch-progress view includes that event, the completion decider runs; BatchCompleted is appended
 * against the batch stream version the view reflects (so two deciders cannot both complete it),
 * together with the date stream's BatchClosedForDate and the key `batch-complete:<id>`.
 */
@Injectable()
export class BatchCompletionReaction {
  private readonly logger = new Logger(BatchCompletionReaction.name);

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly timers: TimerScheduler,
    private readonly waiter: BatchProgressWaiter,
  ) {}

  readonly definition = defineReaction<BatchEvent>()({
    name: 'batch-completion',
    eventTypes: HANDLED,
    handle: (event) => this.handle(event),
    // A player's outcome only prompts a look at the batch's current progress: one look per page
    // and batch covers every outcome before it. Stall checks carry a generation and stay apart.
    coalesceKey: (event) =>
      event.type === BATCH_EVENTS.stallCheckDue ? null : `outcome:${event.data.batch_id}`,
  });

  private async handle(event: RecordedOf<BatchEvent, typeof HANDLED>): Promise<void> {
    const batchId = event.data.batch_id;
    const trigger: CompletionTrigger =
      event.type === BATCH_EVENTS.stallCheckDue
        ? { kind: 'stall_check', generation: event.data.generation }
        : { kind: 'player_outcome' };
    let position = event.position;
    for (let attempt = 1; attempt <= MAX_DECIDE_ATTEMPTS; attempt++) {
      await this.waiter.until(position);
      const progress = await this.storage.readModels.get<BatchProgress>(
        BATCH_COLLECTIONS.batches,
        batchId,
      );
      // The projection has logged it: an outcome appended past the push handler, for no batch.
      if (!progress) return;
      const decision = decideBatchCompletion(trigger, progress, {
        nowMs: this.clock.now().getTime(),
        stallMs: this.config.timeouts.stallDetectionMs,
      });
      switch (decision.kind) {
        case 'nothing':
          return;
        case 'check_again':
          await this.timers.schedule(
            stallCheckTimer(batchId, decision.generation, decision.dueAtMs),
          );
          return;
        case 'complete':
          try {
            await this.complete(progress, decision.completed, event);
            return;
          } catch (error) {
            if (!(error instanceof WrongExpectedVersionError)) throw error;
            // The batch stream moved past the view: decide again on a view that includes it.
            position = (await this.storage.events.head()) ?? position;
          }
      }
    }
    throw new Error(
      `batch ${batchId}: the batch stream kept moving while completing it (${MAX_DECIDE_ATTEMPTS} attempts); ` +
        'the reaction retries',
    );
  }

  private async complete(progress: BatchProgress, completed: BatchCompleted, cause: RecordedEvent) {
    const closed: BatchClosedForDate = { batch_id: completed.batch_id, reason: completed.reason };
    const metadata = { correlationId: completed.correlation_id, causationId: cause.eventId };
    const result = await this.storage.events.appendMulti(
      [
        {
          streamId: batchStream(completed.batch_id),
          events: [{ type: BATCH_EVENTS.completed, data: completed, metadata }],
          expectedVersion: progress.batch_stream_version,
        },
        {
          streamId: batchDateStream(completed.game_date),
          events: [{ type: BATCH_EVENTS.closedForDate, data: closed, metadata }],
          expectedVersion: 'any',
        },
      ],
      { idempotencyKey: `batch-complete:${completed.batch_id}` },
    );
    if (!result.duplicate) {
      this.logger.log(
        `batch ${completed.batch_id} complete (${completed.reason}): ${completed.completed_players} completed, ` +
          `${completed.failed_players} failed, ${completed.missing_players} missing of ${completed.expected_players}`,
      );
    }
  }
}
