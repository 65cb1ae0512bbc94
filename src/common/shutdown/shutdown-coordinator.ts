import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { STORAGE, type Storage } from '../event-store/index.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { TimerScheduler } from '../timers/timer-scheduler.js';

/**
 * Stops the log's followers at a checkpoint, then closes the store, in that order whatever order
 * Nest calls module hooks in (the followers' own hooks are then no-ops).
 */
@Injectable()
export class ShutdownCoordinator implements OnApplicationShutdown {
  private readonly logger = new Logger(ShutdownCoordinator.name);

  constructor(
    private readonly projections: ProjectionRunner,
    private readonly outbox: OutboxService,
    private readonly timers: TimerScheduler,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  async onApplicationShutdown(signal?: string): Promise<void> {
    await Promise.all([
      this.projections.stopAll(),
      this.outbox.onApplicationShutdown(),
      this.timers.onApplicationShutdown(),
    ]);
    await this.storage.close();
    this.logger.log(
      `stopped projections, outbox and timers at their checkpoints; store closed${signal ? ` (${signal})` : ''}`,
    );
  }
}
