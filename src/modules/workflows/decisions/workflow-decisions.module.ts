import { Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import { ProjectionRunner } from '../../../common/projections/projection-runner.js';
import { GAME_SCHEDULE } from './game-schedule.port.js';
import { workflowDecisionsProjection } from './workflow-decisions.projection.js';
import { WorkflowEvaluationService } from './workflow-evaluation.service.js';
import { workflowExecutionsProjection } from './workflow-executions.projection.js';
import { WorkflowHistoryReader } from './workflow-history.reader.js';
import { WorkflowQueriesService } from './workflow-queries.service.js';
import { WorkflowsController } from './workflows.controller.js';
import { loadWorkflowsDefinition } from './workflows-config.loader.js';
import { WORKFLOWS_DEFINITION } from './workflows-definition.token.js';
import { YamlGameSchedule } from './yaml-game-schedule.adapter.js';

/**
 * Workflow config loading (exported as WORKFLOWS_DEFINITION), hourly decisions
 * (POST /v1/workflows/evaluate) and the workflow read models and their read APIs.
 */
@Module({
  controllers: [WorkflowsController],
  providers: [
    {
      provide: WORKFLOWS_DEFINITION,
      // Throws (and so fails the boot) listing every problem of the file.
      useFactory: (config: AppConfig) =>
        loadWorkflowsDefinition(config.workflows.workflowsConfigPath),
      inject: [APP_CONFIG],
    },
    {
      provide: GAME_SCHEDULE,
      useFactory: (config: AppConfig) =>
        YamlGameSchedule.fromFile(config.workflows.gameSchedulePath),
      inject: [APP_CONFIG],
    },
    WorkflowHistoryReader,
    WorkflowEvaluationService,
    WorkflowQueriesService,
  ],
  exports: [WORKFLOWS_DEFINITION],
})
export class WorkflowDecisionsModule implements OnModuleInit {
  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(workflowExecutionsProjection);
    this.runner.register(workflowDecisionsProjection);
  }
}
