import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { ProjectionRunner } from '../../common/projections/projection-runner.js';
import { WorkflowDecisionsModule } from '../workflows/decisions/workflow-decisions.module.js';
import { ANALYTICS_SINK } from './analytics-sink.port.js';
import { analyticsSinkProvider } from './analytics-sink.provider.js';
import { CostExportController } from './cost-export.controller.js';
import { CostController } from './cost.controller.js';
import { costLedgerProjection } from './ledger/cost-ledger.projection.js';
import { CostLedgerService } from './ledger/cost-ledger.service.js';
import { AnalyticsQueryService } from './queries/analytics-query.service.js';
import { partitionWatermarksProjection } from './queries/partition-watermarks.projection.js';
import { PartitionWatermarksReader } from './queries/partition-watermarks.reader.js';
import { AnalyticsExportService } from './export/analytics-export.service.js';

/**
 * Analytics and its cost (issue #5): the sink port (ANALYTICS_SINK, embedded or BigQuery), the
 * export that follows the log into it (GET /v1/cost/export, POST /v1/cost/export/rebuild), the
 * named queries with their cache (GET /v1/analytics/queries[/:query], POST
 * /v1/cost/dry-run/:query) and the cost ledger (GET /v1/cost).
 *
 * Global: the workflows module's BigQuery game schedule runs its query through
 * AnalyticsQueryService, while this module reads the workflows definition (an import the other
 * way round would be a cycle).
 */
@Global()
@Module({
  imports: [WorkflowDecisionsModule],
  controllers: [CostExportController, CostController],
  providers: [
    analyticsSinkProvider,
    AnalyticsExportService,
    AnalyticsQueryService,
    PartitionWatermarksReader,
    CostLedgerService,
  ],
  exports: [ANALYTICS_SINK, AnalyticsExportService, AnalyticsQueryService],
})
export class CostModule implements OnModuleInit {
  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(partitionWatermarksProjection);
    this.runner.register(costLedgerProjection);
  }
}
