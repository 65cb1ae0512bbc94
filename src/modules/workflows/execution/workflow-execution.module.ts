import { Module } from '@nestjs/common';

/** Running workflows: scraper calls with retries, breakers and worker limits, all recorded. */
@Module({})
export class WorkflowExecutionModule {}
