import { BadRequestException, Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  InvalidPositionError,
  STORAGE,
  type RecordedEvent,
  type Storage,
} from '../event-store/index.js';
import { parseInput } from '../http/query-validation.js';

const eventsQuery = z.object({
  after: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  type: z.string().min(1).optional(),
});

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  @Get()
  @ApiOperation({ summary: 'Read the log after a checkpoint, in order' })
  @ApiQuery({ name: 'after', required: false, description: 'position token from a previous page' })
  @ApiQuery({ name: 'limit', required: false, description: '1..1000, default 100' })
  @ApiQuery({ name: 'type', required: false, description: 'only events of this type' })
  async list(@Query() query: unknown) {
    const { after, limit, type } = parseInput(eventsQuery, query);
    const events: RecordedEvent[] = [];
    try {
      for await (const event of this.storage.events.readAll({
        after: after ?? null,
        limit,
        ...(type ? { types: [type] } : {}),
      })) {
        events.push(event);
      }
    } catch (error) {
      if (error instanceof InvalidPositionError) {
        throw new BadRequestException({
          statusCode: 400,
          error: 'Bad Request',
          message: `after: ${error.message}`,
          issues: [{ field: 'after', problem: error.message }],
        });
      }
      throw error;
    }
    return { events, next: events.length === limit ? events[events.length - 1]!.position : null };
  }
}
