import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { STORAGE, type Storage } from '../event-store/index.js';
import { parseInput } from '../http/query-validation.js';
import { OutboxService } from '../outbox/outbox.service.js';

const outboxQuery = z.object({
  topic: z.string().min(1).optional(),
  after: z.string().regex(/^\d+$/, 'must be the cursor of a previous page').optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/outbox')
export class OutboxController {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    private readonly outbox: OutboxService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Dispatcher state per topic, and the messages the embedded publisher received',
  })
  async list(@Query() query: unknown) {
    const { topic, after, limit } = parseInput(outboxQuery, query);
    const messages = await this.storage.outbox.embeddedMessages({
      limit,
      ...(topic ? { topic } : {}),
      ...(after ? { after } : {}),
    });
    return {
      publisher: this.outbox.publisherKind,
      topics: await this.outbox.statuses(),
      messages,
      next: messages.length === limit ? messages[messages.length - 1]!.cursor : null,
    };
  }
}
