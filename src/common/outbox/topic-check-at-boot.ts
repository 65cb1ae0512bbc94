import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { SINGLETON_JOBS_ENABLED } from '../config/index.js';
import { OutboxService } from './outbox.service.js';
import { PUBLISHER, type Publisher } from './publisher.port.js';

/**
 * At boot, the publisher checks every registered topic (OUTBOX_PUBLISHER=pubsub: that it exists),
 * bounded in time; the result shows in GET /v1/outbox and readiness. Not in command-line tools.
 */
@Injectable()
export class TopicCheckAtBoot implements OnApplicationBootstrap {
  constructor(
    private readonly outbox: OutboxService,
    @Inject(PUBLISHER) private readonly publisher: Publisher,
    @Inject(SINGLETON_JOBS_ENABLED) private readonly enabled: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    await this.publisher.checkTopics?.(this.outbox.topics);
  }
}
