import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { ProjectionRunner } from './projection-runner.js';
import { streamSummaryProjection } from './stream-summary.projection.js';

/** The projection runner; feature modules register their projections with it in onModuleInit. */
@Global()
@Module({ providers: [ProjectionRunner], exports: [ProjectionRunner] })
export class ProjectionsModule implements OnModuleInit {
  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(streamSummaryProjection);
  }
}
