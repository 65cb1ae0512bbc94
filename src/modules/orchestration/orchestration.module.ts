import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import { OutboxModule } from '../../common/outbox/outbox.module.js';
import { OutboxService } from '../../common/outbox/outbox.service.js';
import { ProjectionRunner } from '../../common/projections/projection-runner.js';
import { ProjectionsModule } from '../../common/projections/projections.module.js';
import { TimersModule } from '../../common/timers/timers.module.js';
import { AlertsModule } from '../alerts/index.js';
import { DedupModule, PushIngestionService } from '../dedup/index.js';
import { ManualTriggerService } from './manual-trigger.service.js';
import { Phase2CompletionPlanner } from './phase2-completion.planner.js';
import { Phase2CompletionsController } from './phase2-completions.controller.js';
import { Phase2CompletionsPullController } from './phase2-completions.pull.controller.js';
import { Phase2DeadlineReaction } from './phase2-deadline.reaction.js';
import { Phase2StreamService } from './phase2-stream.service.js';
import { phase3OutboxRoute } from './phase3-outbox.route.js';
import { Phase3TriggerAlertsReaction } from './phase3-trigger-alerts.reaction.js';
import { PhaseQueriesService } from './phase-queries.service.js';
import { phaseStatusProjection } from './phase-status.projection.js';
import { PhasesController } from './phases.controller.js';
import { loadProcessorsConfig } from './processors-config.loader.js';
import { PROCESSORS_CONFIG } from './processors-config.js';

/**
 * Phase fan-in: phase-2 completions (push) to exactly one phase-3 trigger per game date
 * (all required processors done, the durable deadline, or by hand), the trigger message via the
 * outbox, alerts, and the phase-status read model.
 */
@Module({
  imports: [ProjectionsModule, TimersModule, OutboxModule, DedupModule, AlertsModule],
  controllers: [Phase2CompletionsController, Phase2CompletionsPullController, PhasesController],
  providers: [
    {
      provide: PROCESSORS_CONFIG,
      inject: [APP_CONFIG],
      // Validated at boot: a bad file stops the start with a message naming it and the problem.
      useFactory: (config: AppConfig) =>
        loadProcessorsConfig(config.orchestration.processorsConfigPath),
    },
    Phase2StreamService,
    Phase2CompletionPlanner,
    PhaseQueriesService,
    ManualTriggerService,
    Phase2DeadlineReaction,
    Phase3TriggerAlertsReaction,
  ],
})
export class OrchestrationModule implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: ProjectionRunner,
    private readonly outbox: OutboxService,
    private readonly ingestion: PushIngestionService,
    private readonly planner: Phase2CompletionPlanner,
    private readonly deadlineReaction: Phase2DeadlineReaction,
    private readonly alertsReaction: Phase3TriggerAlertsReaction,
  ) {}

  onModuleInit(): void {
    this.runner.register(phaseStatusProjection);
    this.runner.registerReaction(this.deadlineReaction.definition);
    this.runner.registerReaction(this.alertsReaction.definition);
    this.outbox.register(phase3OutboxRoute(this.config.orchestration.phase3Topic));
    // Replays of quarantined completions work after a restart, before any new delivery.
    this.ingestion.registerPlanner(this.planner);
  }
}
