import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { QueryParams } from '../../../common/http/query-params.decorator.js';
import { parseInput } from '../../../common/http/query-validation.js';
import { activityQuerySchema } from './ingestion-activity.schema.js';
import { IngestionActivityService } from './ingestion-activity.service.js';

@ApiTags('ingestion')
@ApiBearerAuth()
@Controller('v1/ingestion')
export class IngestionActivityController {
  constructor(private readonly activity: IngestionActivityService) {}

  @Get('activity')
  @ApiOperation({
    summary:
      'Ingestion per UTC minute of the last `minutes` (1..1440, default 60), oldest first: messages recorded per push endpoint, quarantined by reason, replayed, and totals',
  })
  @QueryParams(activityQuerySchema)
  get(@Query() query: unknown) {
    return this.activity.activity(parseInput(activityQuerySchema, query).minutes);
  }
}
