import { Module } from '@nestjs/common';

/** Phase fan-in: phase-2 completions to exactly one phase-3 trigger per game date. */
@Module({})
export class OrchestrationModule {}
