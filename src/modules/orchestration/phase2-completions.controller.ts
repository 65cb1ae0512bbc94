import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PushRoute } from '../../common/http/route-access.decorator.js';
import { PushIngestionService } from '../dedup/index.js';
import {
  Phase2CompletionPlanner,
  PHASE2_COMPLETIONS_ENDPOINT,
} from './phase2-completion.planner.js';

@ApiTags('push')
@Controller('v1/push')
export class Phase2CompletionsController {
  constructor(
    private readonly ingestion: PushIngestionService,
    private readonly planner: Phase2CompletionPlanner,
  ) {}

  @Post(PHASE2_COMPLETIONS_ENDPOINT)
  @PushRoute(PHASE2_COMPLETIONS_ENDPOINT)
  @ApiOperation({
    summary:
      "Pub/Sub push of a phase-2 processor's completion (wrapped or unwrapped); see the response policy",
  })
  async receive(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.ingestion.respond(this.planner, req, res);
  }
}
