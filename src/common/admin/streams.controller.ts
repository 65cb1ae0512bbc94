import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { STORAGE, type Storage } from '../event-store/index.js';
import { parseInput } from '../http/query-validation.js';
import { STREAM_SUMMARIES, type StreamSummary } from '../projections/stream-summary.projection.js';

const streamsQuery = z.object({
  prefix: z.string().optional(),
  after: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/streams')
export class StreamsController {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  @Get()
  @ApiOperation({
    summary: 'Streams with their version and last event (stream-summaries read model)',
  })
  async list(@Query() query: unknown) {
    const { prefix, after, limit } = parseInput(streamsQuery, query);
    const docs = await this.storage.readModels.list<StreamSummary>(STREAM_SUMMARIES, {
      limit,
      ...(prefix ? { prefix } : {}),
      ...(after ? { after } : {}),
    });
    return {
      streams: docs.map((d) => d.doc),
      next: docs.length === limit ? docs[docs.length - 1]!.key : null,
    };
  }
}
