import { Inject, Module, type DynamicModule, type OnModuleInit, type Type } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import { STORAGE, type Storage } from '../../common/event-store/index.js';
import { OutboxModule } from '../../common/outbox/outbox.module.js';
import { OutboxService } from '../../common/outbox/outbox.service.js';
import { ProjectionRunner } from '../../common/projections/projection-runner.js';
import { ProjectionsModule } from '../../common/projections/projections.module.js';
import { TimersModule } from '../../common/timers/timers.module.js';
import { DedupModule, PushIngestionService, QuarantineService } from '../dedup/index.js';
import { batchStream } from './batch.events.js';
import { BatchCompletionReaction } from './batch-completion.reaction.js';
import { BatchCreatedReaction } from './batch-created.reaction.js';
import { BatchCreationService } from './batch-creation.service.js';
import { batchProgressProjection } from './batch-progress.projection.js';
import { BatchProgressWaiter } from './batch-progress-waiter.js';
import { BatchQueriesService } from './batch-queries.service.js';
import { BatchesController } from './batches.controller.js';
import { phase5OutboxRoute } from './phase5-outbox.route.js';
import { PredictionCompletionPlanner } from './prediction-completion.planner.js';
import { PredictionCompletionsController } from './prediction-completions.controller.js';
import { PredictionCompletionsPullController } from './prediction-completions.pull.controller.js';

export interface BatchesModuleOptions {
  /**
   * The module exporting LEGACY_MIRROR_REPORTS (legacy-mirror-reports.port.ts) when the legacy
   * mirror runs: GET /v1/batches/:id then shows its latest check. Given by the app, so that
   * batches imports nothing of the mirror.
   */
  legacyMirrorReports?: Type<unknown> | DynamicModule;
}

/**
 * Prediction batches: creation, worker completions (push), progress read models, exactly-once
 * completion (all players, or stalled by a durable timer) and the phase-5 message.
 */
@Module({
  imports: [ProjectionsModule, TimersModule, OutboxModule, DedupModule],
  controllers: [
    BatchesController,
    PredictionCompletionsController,
    PredictionCompletionsPullController,
  ],
  providers: [
    BatchCreationService,
    BatchQueriesService,
    BatchProgressWaiter,
    PredictionCompletionPlanner,
    BatchCreatedReaction,
    BatchCompletionReaction,
  ],
})
export class BatchesModule implements OnModuleInit {
  static forRoot(options: BatchesModuleOptions = {}): DynamicModule {
    return {
      module: BatchesModule,
      imports: options.legacyMirrorReports ? [options.legacyMirrorReports] : [],
    };
  }

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: ProjectionRunner,
    private readonly outbox: OutboxService,
    private readonly ingestion: PushIngestionService,
    private readonly quarantine: QuarantineService,
    private readonly planner: PredictionCompletionPlanner,
    private readonly createdReaction: BatchCreatedReaction,
    private readonly completionReaction: BatchCompletionReaction,
  ) {}

  onModuleInit(): void {
    this.runner.register(batchProgressProjection);
    this.runner.registerReaction(this.createdReaction.definition);
    this.runner.registerReaction(this.completionReaction.definition);
    this.outbox.register(phase5OutboxRoute(this.config.ingestion.phase5Topic));
    // Replays of quarantined completions work after a restart, before any new delivery.
    this.ingestion.registerPlanner(this.planner);
    this.quarantine.registerParkResolver(
      'batch',
      async (batchId) => (await this.storage.events.streamVersion(batchStream(batchId))) > 0,
    );
  }
}
