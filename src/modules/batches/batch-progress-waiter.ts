import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import { errorMessage } from '../../common/errors/error-message.js';
import { type Position } from '../../common/event-store/index.js';
import { ProjectionRunner } from '../../common/projections/projection-runner.js';
import { BATCH_PROGRESS_PROJECTION } from './batch-progress.view.js';

/** Read-your-writes on the batch-progress read model. */
@Injectable()
export class BatchProgressWaiter {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Resolves once batch-progress has applied `position`; rejects after `timeoutMs`. */
  within(position: Position, timeoutMs: number): Promise<void> {
    return this.runner.waitFor(BATCH_PROGRESS_PROJECTION, position, timeoutMs);
  }

  /**
   * Waits as long as the projection keeps running (under a burst it may lag for longer than one
   * slice); gives up only when it has failed or stopped, so a caller never acts on a stale view.
   * Slices are one idle poll long, so a shutdown (which stops the projection) ends the wait quickly.
   */
  async until(position: Position): Promise<void> {
    for (;;) {
      try {
        await this.within(position, this.config.timeouts.projectionIdlePollMs);
        return;
      } catch (error) {
        const status = await this.runner.status(BATCH_PROGRESS_PROJECTION);
        if (status.checkpoint !== null && status.checkpoint >= position) return;
        if (status.state === 'failed' || status.state === 'stopped') {
          throw new Error(
            `projection ${BATCH_PROGRESS_PROJECTION} is ${status.state} at ${status.checkpoint ?? 'the start'} ` +
              `before reaching ${position} (${status.last_error ?? errorMessage(error)}); ` +
              'see GET /v1/projections',
            { cause: error },
          );
        }
      }
    }
  }
}
