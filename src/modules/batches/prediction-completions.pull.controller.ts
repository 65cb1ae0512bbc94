import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { PulledOutcome } from '../../common/transport/pubsub/ack-decision.js';
import type { PulledMessage } from '../../common/transport/pubsub/pulled-message.js';
import { PushIngestionService } from '../dedup/index.js';
import {
  PredictionCompletionPlanner,
  PREDICTION_COMPLETIONS_ENDPOINT,
} from './prediction-completion.planner.js';

/**
 * Prediction completions pulled from Pub/Sub (PUBSUB_SUBSCRIPTIONS route
 * `prediction-completions`): the push route's pipeline and keys; the outcome decides the ack.
 */
@Controller()
export class PredictionCompletionsPullController {
  constructor(
    private readonly ingestion: PushIngestionService,
    private readonly planner: PredictionCompletionPlanner,
  ) {}

  @MessagePattern(PREDICTION_COMPLETIONS_ENDPOINT)
  receive(@Payload() message: PulledMessage): Promise<PulledOutcome> {
    return this.ingestion.receivePulled(this.planner, message);
  }
}
