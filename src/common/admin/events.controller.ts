import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { STORAGE, type RecordedEvent, type Storage } from '../event-store/index.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { PageBudget } from '../http/page-budget.js';
import { parseInput } from '../http/query-validation.js';
import { asBadCursor } from './invalid-position.js';
import { boundedString, TEXT_LIMITS } from '../http/text-limits.js';
import { QueryParams } from '../http/query-params.decorator.js';

const eventsQuery = z.object({
  after: boundedString(TEXT_LIMITS.queryText).min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  type: boundedString(TEXT_LIMITS.queryText).min(1).optional(),
});

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Read the log after a checkpoint, in order' })
  @ApiQuery({ name: 'after', required: false, description: 'position token from a previous page' })
  @ApiQuery({ name: 'limit', required: false, description: '1..1000, default 100' })
  @ApiQuery({ name: 'type', required: false, description: 'only events of this type' })
  @QueryParams(eventsQuery)
  async list(@Query() query: unknown) {
    const { after, limit, type } = parseInput(eventsQuery, query);
    const events: RecordedEvent[] = [];
    const budget = new PageBudget(this.config.server.responsePageMaxBytes);
    let cut = false;
    try {
      for await (const event of this.storage.events.readAll({
        after: after ?? null,
        limit,
        ...(type ? { types: [type] } : {}),
      })) {
        if (!budget.admit(event)) {
          cut = true;
          break;
        }
        events.push(event);
      }
    } catch (error) {
      throw asBadCursor(error, 'after');
    }
    const more = cut || events.length === limit;
    return { events, next: more ? events[events.length - 1]!.position : null };
  }
}
