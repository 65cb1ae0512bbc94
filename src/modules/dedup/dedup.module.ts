import { Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import { MetricsModule } from '../../common/metrics/metrics.module.js';
import { ProjectionRunner } from '../../common/projections/projection-runner.js';
import { ProjectionsModule } from '../../common/projections/projections.module.js';
import { ingestionActivityProjection } from './activity/ingestion-activity.projection.js';
import { IngestionActivityController } from './activity/ingestion-activity.controller.js';
import { IngestionActivityService } from './activity/ingestion-activity.service.js';
import { DedupController } from './dedup.controller.js';
import { DedupKeysService } from './keys/dedup-keys.service.js';
import { IdempotencyKeyPurger, PURGE_INTERVAL_MS } from './keys/idempotency-key.purger.js';
import { PushIngestionService } from './push/push-ingestion.service.js';
import { PushPipeline } from './push/push-pipeline.js';
import { QuarantineController } from './quarantine/quarantine.controller.js';
import { QuarantineService } from './quarantine/quarantine.service.js';
import { dedupStatsProjection } from './stats/dedup-stats.projection.js';
import { DedupStatsService } from './stats/dedup-stats.service.js';
import { DeliveryCounts } from './stats/delivery-counts.js';

/**
 * Exactly-once for pushed messages. The push pipeline (push/) stores each delivery's effect with
 * its idempotency key in one append (the store writes the key atomically); the dedup policy
 * (policy/) picks the key and tells a duplicate from a conflict; what cannot be processed is set
 * aside in quarantine (quarantine/: GET /v1/quarantine, replay); expired keys are purged (keys/),
 * and GET /v1/dedup/keys/:key and GET /v1/dedup/stats show them; GET /v1/ingestion/activity
 * counts what was recorded, quarantined and replayed per minute (activity/). A module with a push
 * endpoint imports this one (PushIngestionService, QuarantineService).
 */
@Module({
  imports: [ProjectionsModule, MetricsModule],
  controllers: [QuarantineController, DedupController, IngestionActivityController],
  providers: [
    PushPipeline,
    PushIngestionService,
    QuarantineService,
    DeliveryCounts,
    DedupKeysService,
    DedupStatsService,
    IngestionActivityService,
    {
      provide: PURGE_INTERVAL_MS,
      useFactory: (config: AppConfig) => config.timeouts.dedupPurgeIntervalMs,
      inject: [APP_CONFIG],
    },
    IdempotencyKeyPurger,
  ],
  exports: [PushIngestionService, QuarantineService],
})
export class DedupModule implements OnModuleInit {
  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(dedupStatsProjection);
    this.runner.register(ingestionActivityProjection);
  }
}
