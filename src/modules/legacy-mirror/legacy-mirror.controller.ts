import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { parseInput } from '../../common/http/query-validation.js';
import { ConsistencyCheckService } from './check/consistency-check.service.js';

const batchParamSchema = z.object({
  batchId: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'a batch id: letters, digits, _ . : -'),
});

@ApiTags('legacy-mirror')
@ApiBearerAuth()
@Controller('v1/legacy-mirror')
export class LegacyMirrorController {
  constructor(private readonly checks: ConsistencyCheckService) {}

  @Post('batches/:batchId/check')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Compare a batch's mirrored Firestore documents with the log now; the report also shows in GET /v1/batches/:id",
  })
  check(@Param('batchId') batchId: string) {
    return this.checks.check(parseInput(batchParamSchema, { batchId }).batchId);
  }
}
