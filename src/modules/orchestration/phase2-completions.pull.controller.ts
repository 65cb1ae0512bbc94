import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { PulledOutcome } from '../../common/transport/pubsub/ack-decision.js';
import type { PulledMessage } from '../../common/transport/pubsub/pulled-message.js';
import { PushIngestionService } from '../dedup/index.js';
import {
  Phase2CompletionPlanner,
  PHASE2_COMPLETIONS_ENDPOINT,
} from './phase2-completion.planner.js';

/**
 * Phase-2 completions pulled from Pub/Sub (PUBSUB_SUBSCRIPTIONS route `phase2-completions`): the
 * push route's pipeline and keys; the outcome decides the ack.
 */
@Controller()
export class Phase2CompletionsPullController {
  constructor(
    private readonly ingestion: PushIngestionService,
    private readonly planner: Phase2CompletionPlanner,
  ) {}

  @MessagePattern(PHASE2_COMPLETIONS_ENDPOINT)
  receive(@Payload() message: PulledMessage): Promise<PulledOutcome> {
    return this.ingestion.receivePulled(this.planner, message);
  }
}
