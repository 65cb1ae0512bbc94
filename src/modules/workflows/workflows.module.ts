import { Module } from '@nestjs/common';
import { WorkflowDecisionsModule } from './decisions/workflow-decisions.module.js';
import { WorkflowExecutionModule } from './execution/workflow-execution.module.js';

/** Config-driven scraper workflows: hourly decisions (decisions/) and their execution (execution/). */
@Module({
  imports: [WorkflowDecisionsModule, WorkflowExecutionModule],
})
export class WorkflowsModule {}
