import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { parseInput } from '../../../common/http/query-validation.js';
import { QuarantineService } from './quarantine.service.js';
import { QueryParams } from '../../../common/http/query-params.decorator.js';

const listQuery = z.object({
  reason: z.string().min(1).optional(),
  cursor: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

@ApiTags('quarantine')
@ApiBearerAuth()
@Controller('v1/quarantine')
export class QuarantineController {
  constructor(private readonly quarantine: QuarantineService) {}

  @Get()
  @ApiOperation({ summary: 'Quarantined messages, oldest first, optionally by reason' })
  @QueryParams(listQuery)
  list(@Query() query: unknown) {
    return this.quarantine.list(parseInput(listQuery, query));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One quarantined message with its raw envelope and replay history' })
  get(@Param('id') id: string) {
    return this.quarantine.get(id);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run the stored message through the pipeline again (its effect happens at most once)',
  })
  replay(@Param('id') id: string) {
    return this.quarantine.replay(id);
  }
}
