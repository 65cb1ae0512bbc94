import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { QueryParams } from '../../common/http/query-params.decorator.js';
import { parseInput } from '../../common/http/query-validation.js';
import { RequestBody } from '../../common/http/request-body.decorator.js';
import { BatchCreationService } from './batch-creation.service.js';
import { BatchQueriesService } from './batch-queries.service.js';
import { batchListQuerySchema, batchPageQuerySchema } from './batch-queries.schema.js';
import { createBatchSchema } from './create-batch.schema.js';

@ApiTags('batches')
@ApiBearerAuth()
@Controller('v1/batches')
export class BatchesController {
  constructor(
    private readonly creation: BatchCreationService,
    private readonly queries: BatchQueriesService,
  ) {}

  @Post()
  @HttpCode(201)
  @RequestBody({ format: 'json', limit: 'batch' })
  @ApiOperation({
    summary:
      'Create a prediction batch (expected_players or expected_count); 409 while another batch of the date runs, unless force',
  })
  create(@Body() body: unknown) {
    return this.creation.create(parseInput(createBatchSchema, body));
  }

  @Get()
  @ApiOperation({ summary: 'Batches, optionally of one game date and/or status, by cursor' })
  @QueryParams(batchListQuerySchema)
  list(@Query() query: unknown) {
    return this.queries.list(parseInput(batchListQuerySchema, query));
  }

  @Get(':id')
  @ApiOperation({ summary: "A batch's progress (one read, whatever its size)" })
  get(@Param('id') id: string) {
    return this.queries.get(id);
  }

  @Get(':id/completions')
  @ApiOperation({
    summary: 'Every player that reported, with status and predictions count, by cursor',
  })
  @QueryParams(batchPageQuerySchema)
  completions(@Param('id') id: string, @Query() query: unknown) {
    return this.queries.completions(id, parseInput(batchPageQuerySchema, query));
  }

  @Get(':id/missing')
  @ApiOperation({
    summary: 'Expected players that have not reported, by cursor (batches with a list)',
  })
  @QueryParams(batchPageQuerySchema)
  missing(@Param('id') id: string, @Query() query: unknown) {
    return this.queries.missing(id, parseInput(batchPageQuerySchema, query));
  }
}
