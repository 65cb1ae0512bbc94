import { ConflictException, Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import { errorMessage } from '../../common/errors/error-message.js';
import {
  handleCommand,
  STORAGE,
  WrongExpectedVersionError,
  type Storage,
} from '../../common/event-store/index.js';
import { TimerScheduler } from '../../common/timers/timer-scheduler.js';
import { batchDateStream, batchStream } from './batch.events.js';
import { batchCreationDecider, type CreateBatchCommand } from './batch-creation.decider.js';
import { defaultBatchId } from './batch-identifiers.js';
import { startedProgress } from './batch-progress.evolve.js';
import { withPace, type BatchReadView } from './batch-pace.js';
import { BATCH_COLLECTIONS, toBatchView, type BatchProgress } from './batch-progress.view.js';
import { BatchProgressWaiter } from './batch-progress-waiter.js';
import { stallCheckTimer } from './batch-stall-timer.js';
import type { CreateBatchBody } from './create-batch.schema.js';

/** POST /v1/batches: one atomic append of the batch, its expected players and its date's opening. */
@Injectable()
export class BatchCreationService {
  private readonly logger = new Logger(BatchCreationService.name);

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly timers: TimerScheduler,
    private readonly waiter: BatchProgressWaiter,
  ) {}

  async create(body: CreateBatchBody): Promise<CreatedBatchView> {
    const now = this.clock.now();
    const batchId = body.batch_id ?? defaultBatchId(body.game_date, now);
    if ((await this.storage.events.streamVersion(batchStream(batchId))) > 0) {
      throw batchExists(batchId);
    }
    const command: CreateBatchCommand = {
      batchId,
      gameDate: body.game_date,
      ...(body.expected_players ? { expectedPlayers: body.expected_players } : {}),
      ...(body.expected_count !== undefined ? { expectedCount: body.expected_count } : {}),
      correlationId: body.correlation_id ?? batchId,
      force: body.force,
      minCompletionPct: body.min_completion_pct,
      startedAt: now.toISOString(),
    };
    const { decision, append } = await handleCommand(
      this.storage,
      batchDateStream(body.game_date),
      batchCreationDecider,
      command,
      undefined,
      {
        // Another creation for the same date may win the race; more often means a hot spot.
        onExhausted: (_conflict, attempts) =>
          new ConflictException(
            `game date ${body.game_date} kept changing while creating batch ${batchId} ` +
              `(${attempts} attempts); retry the request`,
          ),
      },
    ).catch((error: unknown) => {
      // The batch's own stream must not exist: reading the date again cannot change that.
      if (error instanceof WrongExpectedVersionError && error.streamId === batchStream(batchId)) {
        throw batchExists(batchId);
      }
      throw error;
    });
    if (decision.kind === 'date_busy') {
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        message:
          `batch ${decision.runningBatchId} for game date ${body.game_date} is still running; ` +
          'wait for it to complete or pass "force": true to run another beside it',
        running_batch_id: decision.runningBatchId,
        running_batch_ids: decision.runningBatchIds,
      });
    }
    // The batch-created reaction schedules it too (after a crash here); the timer id makes it once.
    await this.timers.schedule(
      stallCheckTimer(batchId, 0, now.getTime() + this.config.timeouts.stallDetectionMs),
    );
    const initial = startedProgress(decision.created, append!.streams[0]!.streamVersion);
    return this.viewAfter(append!.lastPosition!, initial);
  }

  /**
   * The read model once it has the batch, so a GET right after the 201 finds it. A very large list
   * may take the projection longer than the wait, and on PostgreSQL a transaction open elsewhere
   * keeps the new events from every reader until it ends; the answer is then the same view
   * computed here, marked `view_may_lag` (a GET may not show the batch yet).
   */
  private async viewAfter(position: string, initial: BatchProgress): Promise<CreatedBatchView> {
    try {
      await this.waiter.within(position, this.config.timeouts.readYourWritesMs);
    } catch (error) {
      this.logger.warn(
        `batch ${initial.batch_id} created, but batch-progress has not applied it yet (${errorMessage(error)}); ` +
          'answering with the initial view (view_may_lag)',
      );
      return { ...this.readView(initial), view_may_lag: true };
    }
    const stored = await this.storage.readModels.get<BatchProgress>(
      BATCH_COLLECTIONS.batches,
      initial.batch_id,
    );
    return this.readView(stored ?? initial);
  }

  private readView(progress: BatchProgress): BatchReadView {
    return withPace(toBatchView(progress), {
      nowMs: this.clock.now().getTime(),
      stallMs: this.config.timeouts.stallDetectionMs,
    });
  }
}

/** The answer to POST /v1/batches. */
export type CreatedBatchView = BatchReadView & {
  /** Present (true) when the read model had not applied the batch within the wait: GET may not show it yet. */
  view_may_lag?: true;
};

function batchExists(batchId: string): ConflictException {
  return new ConflictException({
    statusCode: 409,
    error: 'Conflict',
    message: `batch ${batchId} already exists; read it at GET /v1/batches/${batchId} or create another with a new batch_id`,
    batch_id: batchId,
  });
}
