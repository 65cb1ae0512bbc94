import { Module } from '@nestjs/common';

/** Analytics export of decisions and executions, and what querying them costs (issue #5). */
@Module({})
export class CostModule {}
