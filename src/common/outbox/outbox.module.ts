import { Module } from '@nestjs/common';
import { APP_CONFIG, backoffMs, type AppConfig } from '../config/index.js';
import { LeasesModule } from '../leases/leases.module.js';
import { STORAGE, type Storage } from '../event-store/index.js';
import { EmbeddedPublisher } from './embedded-publisher.js';
import { OUTBOX_PUBLISH_TIMEOUT_MS, OUTBOX_TIMING, OutboxService } from './outbox.service.js';
import { PUBLISHER } from './publisher.port.js';

/** Outbound messages: each registered route's dispatcher publishes from the log (under a lease). */
@Module({
  imports: [LeasesModule],
  providers: [
    {
      provide: PUBLISHER,
      useFactory: (storage: Storage) => new EmbeddedPublisher(storage.outbox),
      inject: [STORAGE],
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
  ],
  exports: [OutboxService],
})
export class OutboxModule {}
