import { Module } from '@nestjs/common';
import { APP_CONFIG, backoffMs, type AppConfig } from '../config/index.js';
import { LeasesModule } from '../leases/leases.module.js';
import { STORAGE, type Storage } from '../event-store/index.js';
import { EmbeddedPublisher } from './embedded-publisher.js';
import { OUTBOX_PUBLISH_TIMEOUT_MS, OUTBOX_TIMING, OutboxService } from './outbox.service.js';
import { createPubSubPublisher } from './pubsub/pubsub-publisher.factory.js';
import { PUBLISHER, type Publisher } from './publisher.port.js';
import { TopicCheckAtBoot } from './topic-check-at-boot.js';

/**
 * Outbound messages: each registered route's dispatcher publishes from the log (under a lease),
 * to the store (OUTBOX_PUBLISHER=embedded) or to Pub/Sub topics (pubsub).
 */
@Module({
  imports: [LeasesModule],
  providers: [
    {
      provide: PUBLISHER,
      useFactory: (storage: Storage, config: AppConfig): Publisher =>
        config.pubsubPublisher.outboxPublisher === 'pubsub'
          ? createPubSubPublisher(config)
          : new EmbeddedPublisher(storage.outbox),
      inject: [STORAGE, APP_CONFIG],
    },
    {
      provide: OUTBOX_PUBLISH_TIMEOUT_MS,
      useFactory: (config: AppConfig) => config.timeouts.pubsubPublishMs,
      inject: [APP_CONFIG],
    },
    {
      provide: OUTBOX_TIMING,
      useFactory: (config: AppConfig) => ({
        idlePollMs: config.timeouts.outboxIdlePollMs,
        skipCheckpointIntervalMs: config.timeouts.followerSkipCheckpointMs,
        backoffMs: (attempt: number) => backoffMs(attempt, config.timeouts),
      }),
      inject: [APP_CONFIG],
    },
    OutboxService,
    TopicCheckAtBoot,
  ],
  exports: [OutboxService],
})
export class OutboxModule {}
