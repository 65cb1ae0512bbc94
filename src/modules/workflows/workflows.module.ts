import { Module, type DynamicModule, type OnModuleInit, type Type } from '@nestjs/common';
import { LeasesModule } from '../../common/leases/leases.module.js';
import { ProjectionRunner } from '../../common/projections/projection-runner.js';
import { ProjectionsModule } from '../../common/projections/projections.module.js';
import { AlertsModule } from '../alerts/index.js';
import { workflowDecisionsPart } from './decisions/workflow-decisions.parts.js';
import { workflowExecutionPart } from './execution/workflow-execution.parts.js';
import { WorkflowsConfigModule } from './workflows-config.module.js';

const PARTS = [workflowDecisionsPart, workflowExecutionPart];

export interface WorkflowsModuleOptions {
  /**
   * The module exporting GAME_SCHEDULE_ROWS (decisions/game-schedule-rows.port.ts), read when
   * GAME_SCHEDULE_SOURCE=bigquery: the cost module. Given by the app, so that workflows imports
   * no analytics code while cost reads workflows' config and events.
   */
  gameScheduleRows: Type<unknown> | DynamicModule;
}

/**
 * Config-driven scraper workflows: hourly decisions (decisions/) and their execution
 * (execution/), with their alerts (alerts/) and read models.
 */
@Module({})
export class WorkflowsModule implements OnModuleInit {
  static forRoot(options: WorkflowsModuleOptions): DynamicModule {
    return {
      module: WorkflowsModule,
      imports: [
        WorkflowsConfigModule,
        AlertsModule,
        ProjectionsModule,
        // Which instances are alive (InterruptedExecutionsRecovery).
        LeasesModule,
        options.gameScheduleRows,
      ],
      controllers: PARTS.flatMap((part) => part.controllers),
      providers: PARTS.flatMap((part) => part.providers),
    };
  }

  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    for (const projection of PARTS.flatMap((part) => part.projections)) {
      this.runner.register(projection);
    }
  }
}
