import { WorkflowAlertsService } from '../alerts/workflow-alerts.service.js';
import { gameScheduleProvider } from './game-schedule.provider.js';
import { workflowDecisionsProjection } from './workflow-decisions.projection.js';
import { WorkflowEvaluationService } from './workflow-evaluation.service.js';
import { workflowExecutionsProjection } from './workflow-executions.projection.js';
import { WorkflowHistoryReader } from './workflow-history.reader.js';
import { WorkflowQueriesService } from './workflow-queries.service.js';
import type { WorkflowsPart } from '../workflows-part.js';
import { WorkflowsController } from './workflows.controller.js';

/**
 * Hourly decisions (POST /v1/workflows/evaluate), the game schedule, the workflow alerts, and the
 * workflow read models with their read APIs.
 */
export const workflowDecisionsPart: WorkflowsPart = {
  controllers: [WorkflowsController],
  providers: [
    gameScheduleProvider,
    WorkflowHistoryReader,
    WorkflowEvaluationService,
    WorkflowQueriesService,
    WorkflowAlertsService,
  ],
  projections: [workflowExecutionsProjection, workflowDecisionsProjection],
};
