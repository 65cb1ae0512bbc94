import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { STORAGE, type Storage } from '../event-store/index.js';
import { boundedPage } from '../http/page-budget.js';
import { parseInput } from '../http/query-validation.js';
import { boundedString, TEXT_LIMITS } from '../http/text-limits.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { QueryParams } from '../http/query-params.decorator.js';
import { asBadCursor } from './invalid-position.js';

const outboxQuery = z.object({
  topic: boundedString(TEXT_LIMITS.queryText).min(1).optional(),
  after: z
    .string()
    .regex(/^\d{1,40}$/, 'must be the cursor of a previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/outbox')
export class OutboxController {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Dispatcher state per topic, and the messages the embedded publisher received',
  })
  @QueryParams(outboxQuery)
  async list(@Query() query: unknown) {
    const { topic, after, limit } = parseInput(outboxQuery, query);
    const messages = await this.storage.outbox
      .embeddedMessages({ limit, ...(topic ? { topic } : {}), ...(after ? { after } : {}) })
      .catch((error: unknown) => {
        throw asBadCursor(error, 'after');
      });
    const page = boundedPage(
      messages.map((message) => ({ item: message, cursor: message.cursor })),
      limit,
      this.config.server.responsePageMaxBytes,
    );
    return {
      publisher: this.outbox.publisherKind,
      topics: await this.outbox.statuses(),
      messages: page.items,
      next: page.next,
    };
  }

  @Post(':topic/resume')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Publish again to a stopped topic, from the message it stopped at (409 on an instance not holding the topic)',
  })
  resume(@Param('topic') topic: string) {
    const { resumed } = this.outbox.resume(topic);
    return { topic, resumed, status: `/v1/outbox?topic=${encodeURIComponent(topic)}` };
  }
}
