import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { STORAGE, type Storage } from '../event-store/index.js';
import { boundedPage } from '../http/page-budget.js';
import { parseInput } from '../http/query-validation.js';
import { boundedString, TEXT_LIMITS } from '../http/text-limits.js';
import { STREAM_SUMMARIES, type StreamSummary } from '../projections/stream-summary.projection.js';
import { QueryParams } from '../http/query-params.decorator.js';

const streamsQuery = z.object({
  prefix: boundedString(TEXT_LIMITS.queryText).optional(),
  after: boundedString(TEXT_LIMITS.queryText).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/streams')
export class StreamsController {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Streams with their version and last event (stream-summaries read model)',
  })
  @QueryParams(streamsQuery)
  async list(@Query() query: unknown) {
    const { prefix, after, limit } = parseInput(streamsQuery, query);
    const docs = await this.storage.readModels.list<StreamSummary>(STREAM_SUMMARIES, {
      limit,
      ...(prefix ? { prefix } : {}),
      ...(after ? { after } : {}),
    });
    const page = boundedPage(
      docs.map((d) => ({ item: d.doc, cursor: d.key })),
      limit,
      this.config.server.responsePageMaxBytes,
    );
    return { streams: page.items, next: page.next };
  }
}
