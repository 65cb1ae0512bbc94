import { Global, Module, type DynamicModule } from '@nestjs/common';
import { LeaseCoordinator, SINGLETON_JOBS_ENABLED } from './lease-coordinator.js';
import { LeasesController } from './leases.controller.js';

/** Which instance runs each singleton job (GET /v1/leases). */
@Global()
@Module({
  controllers: [LeasesController],
  providers: [LeaseCoordinator],
  exports: [LeaseCoordinator],
})
export class LeasesModule {
  /** `enabled` false: this process takes no lease and runs no singleton job (command-line tools). */
  static forRoot(enabled: boolean): DynamicModule {
    return {
      module: LeasesModule,
      providers: [{ provide: SINGLETON_JOBS_ENABLED, useValue: enabled }],
    };
  }
}
