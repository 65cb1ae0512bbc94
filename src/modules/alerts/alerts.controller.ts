import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { parseInput } from '../../common/http/query-validation.js';
import { boundedString, TEXT_LIMITS } from '../../common/http/text-limits.js';
import { AlertQueriesService } from './alert-queries.service.js';
import { QueryParams } from '../../common/http/query-params.decorator.js';

const listQuery = z.object({
  kind: boundedString(TEXT_LIMITS.queryText).min(1).optional(),
  cursor: boundedString(TEXT_LIMITS.queryText).min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertQueriesService) {}

  @Get()
  @ApiOperation({
    summary:
      'Raised alerts in log order (oldest first), optionally of one kind, with delivery status',
  })
  @QueryParams(listQuery)
  list(@Query() query: unknown) {
    return this.alerts.list(parseInput(listQuery, query));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One alert with its delivery attempts and delivery status' })
  get(@Param('id') id: string) {
    return this.alerts.get(id);
  }
}
