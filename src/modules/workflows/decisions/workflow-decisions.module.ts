import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import { ProjectionRunner } from '../../../common/projections/projection-runner.js';
import { WorkflowAlertsService } from '../alerts/workflow-alerts.service.js';
import type { WorkflowsDefinition } from '../workflow-config.types.js';
import { gameScheduleProvider } from './game-schedule.provider.js';
import { workflowDecisionsProjection } from './workflow-decisions.projection.js';
import { WorkflowEvaluationService } from './workflow-evaluation.service.js';
import { workflowExecutionsProjection } from './workflow-executions.projection.js';
import { WorkflowHistoryReader } from './workflow-history.reader.js';
import { WorkflowQueriesService } from './workflow-queries.service.js';
import { WorkflowsController } from './workflows.controller.js';
import { loadWorkflowsDefinition } from './workflows-config.loader.js';
import { WORKFLOWS_DEFINITION } from './workflows-definition.token.js';

/**
 * Workflow config loading (exported as WORKFLOWS_DEFINITION), hourly decisions
 * (POST /v1/workflows/evaluate), the workflow alerts, and the workflow read models and their
 * read APIs.
 */
@Module({
  controllers: [WorkflowsController],
  providers: [
    {
      provide: WORKFLOWS_DEFINITION,
      // Throws (and so fails the boot) listing every problem of the file; warns once otherwise.
      useFactory: (config: AppConfig) =>
        logWarnings(loadWorkflowsDefinition(config.workflows.workflowsConfigPath)),
      inject: [APP_CONFIG],
    },
    gameScheduleProvider,
    WorkflowHistoryReader,
    WorkflowEvaluationService,
    WorkflowQueriesService,
    WorkflowAlertsService,
  ],
  exports: [WORKFLOWS_DEFINITION, WorkflowAlertsService],
})
export class WorkflowDecisionsModule implements OnModuleInit {
  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(workflowExecutionsProjection);
    this.runner.register(workflowDecisionsProjection);
  }
}

/** Each warning of the file, once, at boot (also listed at GET /v1/workflows/config). */
function logWarnings(definition: WorkflowsDefinition): WorkflowsDefinition {
  const logger = new Logger('WorkflowsConfig');
  for (const warning of definition.warnings) {
    logger.warn(`${definition.source}: ${warning.path}: ${warning.message}`);
  }
  return definition;
}
