import { Module } from '@nestjs/common';

/** Workflow config loading, hourly decisions and the workflow read models. */
@Module({})
export class WorkflowDecisionsModule {}
