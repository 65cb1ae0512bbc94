import { Module } from '@nestjs/common';
import { LeaseCoordinator } from './lease-coordinator.js';
import { LeasesController } from './leases.controller.js';

/**
 * Which instance runs each singleton job (GET /v1/leases). Whether this process takes leases at
 * all is SINGLETON_JOBS_ENABLED (the config module).
 */
@Module({
  controllers: [LeasesController],
  providers: [LeaseCoordinator],
  exports: [LeaseCoordinator],
})
export class LeasesModule {}
