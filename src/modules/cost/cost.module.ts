import { Module, type OnModuleInit } from '@nestjs/common';
import { LeasesModule } from '../../common/leases/leases.module.js';
import { ProjectionRunner } from '../../common/projections/projection-runner.js';
import { ProjectionsModule } from '../../common/projections/projections.module.js';
import { GAME_SCHEDULE_ROWS, WorkflowsConfigModule } from '../workflows/index.js';
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
 * Reads the workflows' config and events; implements the workflows module's GAME_SCHEDULE_ROWS
 * port (its named query `game_schedule`), which the app hands to WorkflowsModule.forRoot.
 */
@Module({
  // LeasesModule: the export runs under a lease (AnalyticsExportService).
  imports: [WorkflowsConfigModule, ProjectionsModule, LeasesModule],
  controllers: [CostExportController, CostController],
  providers: [
    analyticsSinkProvider,
    AnalyticsExportService,
    AnalyticsQueryService,
    PartitionWatermarksReader,
    CostLedgerService,
    { provide: GAME_SCHEDULE_ROWS, useExisting: AnalyticsQueryService },
  ],
  exports: [GAME_SCHEDULE_ROWS],
})
export class CostModule implements OnModuleInit {
  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(partitionWatermarksProjection);
    this.runner.register(costLedgerProjection);
  }
}
