import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { DedupStatsService } from './stats/dedup-stats.service.js';
import { DedupKeysService } from './keys/dedup-keys.service.js';

@ApiTags('dedup')
@ApiBearerAuth()
@Controller('v1/dedup')
export class DedupController {
  constructor(
    private readonly keys: DedupKeysService,
    private readonly stats: DedupStatsService,
  ) {}

  @Get('keys/:key')
  @ApiOperation({
    summary:
      'One live idempotency key: when it was written and expires, its fingerprint, the result it stored and who wrote it',
  })
  @ApiParam({
    name: 'key',
    description: 'The key, URL-encoded (e.g. push:<endpoint>:<subscription>/<message id>)',
  })
  key(@Param('key') key: string) {
    return this.keys.get(key);
  }

  @Get('stats')
  @ApiOperation({
    summary:
      'Live keys, duplicates and conflicts answered by this instance, conflicts recorded, quarantine by reason',
  })
  getStats() {
    return this.stats.stats();
  }
}
