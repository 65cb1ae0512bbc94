import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PushIngestionService } from '../dedup/index.js';
import { PushRoute } from '../../common/http/route-access.decorator.js';
import {
  PredictionCompletionPlanner,
  PREDICTION_COMPLETIONS_ENDPOINT,
} from './prediction-completion.planner.js';

@ApiTags('push')
@Controller('v1/push')
export class PredictionCompletionsController {
  constructor(
    private readonly ingestion: PushIngestionService,
    private readonly planner: PredictionCompletionPlanner,
  ) {}

  @Post(PREDICTION_COMPLETIONS_ENDPOINT)
  @PushRoute(PREDICTION_COMPLETIONS_ENDPOINT)
  @ApiOperation({
    summary:
      "Pub/Sub push of a prediction worker's completion or failure (wrapped or unwrapped); see the response policy",
  })
  async receive(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.ingestion.respond(this.planner, req, res);
  }
}
