import { Module } from '@nestjs/common';
import { WorkflowDecisionsModule } from '../workflows/decisions/workflow-decisions.module.js';
import { ANALYTICS_SINK } from './analytics-sink.port.js';
import { analyticsSinkProvider } from './analytics-sink.provider.js';
import { CostExportController } from './cost-export.controller.js';
import { AnalyticsExportService } from './export/analytics-export.service.js';

/**
 * Analytics export of decisions and executions (issue #5): the sink port (ANALYTICS_SINK,
 * embedded or BigQuery by ANALYTICS_SINK) and the export that follows the log into it
 * (GET /v1/cost/export, POST /v1/cost/export/rebuild).
 */
@Module({
  imports: [WorkflowDecisionsModule],
  controllers: [CostExportController],
  providers: [analyticsSinkProvider, AnalyticsExportService],
  exports: [ANALYTICS_SINK, AnalyticsExportService],
})
export class CostModule {}
