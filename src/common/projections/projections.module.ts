import { Module, type OnModuleInit } from '@nestjs/common';
import { LeasesModule } from '../leases/leases.module.js';
import { ProjectionRunner } from './projection-runner.js';
import { streamSummaryProjection } from './stream-summary.projection.js';

/** The projection runner; feature modules register their projections with it in onModuleInit. */
@Module({ imports: [LeasesModule], providers: [ProjectionRunner], exports: [ProjectionRunner] })
export class ProjectionsModule implements OnModuleInit {
  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(streamSummaryProjection);
  }
}
