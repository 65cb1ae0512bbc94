import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { isLive, LeaseCoordinator } from './lease-coordinator.js';

@ApiTags('leases')
@ApiBearerAuth()
@Controller('v1/leases')
export class LeasesController {
  constructor(private readonly coordinator: LeaseCoordinator) {}

  @Get()
  @ApiOperation({
    summary:
      'Each singleton job (projections, reactions, timers, outbox topics, analytics export): which instance holds its lease and until when',
  })
  async list() {
    const now = Date.now();
    return {
      instance: this.coordinator.holder,
      leases: (await this.coordinator.list()).map((lease) => ({
        name: lease.name,
        holder: lease.holder,
        live: isLive(lease, now),
        held_here: lease.holder === this.coordinator.holder,
        expires_at: lease.expiresAt,
        acquired_at: lease.acquiredAt,
        renewed_at: lease.renewedAt,
      })),
    };
  }
}
