import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { parseInput } from '../../common/http/query-validation.js';
import { ManualTriggerService } from './manual-trigger.service.js';
import { PhaseQueriesService } from './phase-queries.service.js';
import {
  manualTriggerSchema,
  phaseDateParamSchema,
  phaseRangeQuerySchema,
} from './phase-queries.schema.js';
import { QueryParams } from '../../common/http/query-params.decorator.js';

@ApiTags('phases')
@ApiBearerAuth()
@Controller('v1/phases')
export class PhasesController {
  constructor(
    private readonly queries: PhaseQueriesService,
    private readonly manual: ManualTriggerService,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Phase-2 status of the game dates from..to (inclusive, at most 366 days) that have activity',
  })
  @QueryParams(phaseRangeQuerySchema)
  list(@Query() query: unknown) {
    return this.queries.list(parseInput(phaseRangeQuerySchema, query));
  }

  @Get(':gameDate')
  @ApiOperation({
    summary: "A game date's phase 2: status, trigger, completed/missing/unexpected/late processors",
  })
  get(@Param('gameDate') gameDate: string) {
    return this.queries.get(parseInput(phaseDateParamSchema, { gameDate }).gameDate);
  }

  @Post(':gameDate/trigger')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Trigger phase 3 of a game date by hand ({reason}); 409 naming the existing trigger when already triggered',
  })
  trigger(
    @Param('gameDate') gameDate: string,
    @Body() body: unknown,
    @Headers('x-correlation-id') correlationId?: string,
  ) {
    const date = parseInput(phaseDateParamSchema, { gameDate }).gameDate;
    const { reason } = parseInput(manualTriggerSchema, body ?? {});
    return this.manual.trigger(date, reason, correlationId);
  }
}
