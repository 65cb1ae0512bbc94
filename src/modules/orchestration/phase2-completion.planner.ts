import { Injectable, Logger } from '@nestjs/common';
import type { PushContext, PushPlan, PushPlanner } from '../../common/ingestion/push-planner.js';
import { expectedAt } from '../../common/event-store/index.js';
import { decidePhase2 } from './phase2.decider.js';
import { PHASE2_EVENTS, phase2Stream } from './phase2.events.js';
import { Phase2StreamService } from './phase2-stream.service.js';
import {
  phase2CompletionSchema,
  type Phase2CompletionMessage,
} from './phase2-completion.schema.js';
import { PHASE2 } from './processors-config.js';

export const PHASE2_COMPLETIONS_ENDPOINT = 'phase2-completions';

/**
 * A processor's completion becomes Phase2ProcessorReported on `phase2-<game_date>`: the planner
 * reads the stream, the pure phase-2 decider decides on it, and the plan appends at the version
 * read (the pipeline plans again on a concurrent append). The same append may schedule the
 * deadline and trigger phase 3.
 */
@Injectable()
export class Phase2CompletionPlanner implements PushPlanner<Phase2CompletionMessage> {
  private readonly logger = new Logger(Phase2CompletionPlanner.name);
  readonly endpoint = PHASE2_COMPLETIONS_ENDPOINT;
  readonly schema = phase2CompletionSchema;

  constructor(private readonly stream: Phase2StreamService) {}

  /** Undefined when the message has none: the pipeline takes the header's or the message id. */
  correlationIdOf(message: Phase2CompletionMessage): string | undefined {
    return message.correlation_id;
  }

  async plan(message: Phase2CompletionMessage, context: PushContext): Promise<PushPlan> {
    if (message.phase !== PHASE2) {
      return {
        kind: 'reject',
        reason: 'wrong_phase',
        detail:
          `phase ${message.phase} of ${message.processor_name} (${message.game_date}) is not ${PHASE2}; ` +
          `only ${PHASE2} completions belong on /v1/push/${PHASE2_COMPLETIONS_ENDPOINT}`,
      };
    }
    const gameDate = message.game_date;
    const state = await this.stream.load(gameDate);
    const decision = decidePhase2({ kind: 'report', report: message }, state, {
      ...this.stream.context(gameDate),
      nowMs: context.receivedAt.getTime(),
    });
    if (decision.kind !== 'append') {
      return { kind: 'ignore', note: decision.kind === 'nothing' ? decision.why : 'triggered' };
    }
    const [reported] = decision.events;
    if (reported?.type === PHASE2_EVENTS.processorReported && reported.data.processor === null) {
      this.logger.warn(
        `${gameDate}: processor_name ${message.processor_name} (output_table ${message.output_table ?? 'none'}) ` +
          `matches no configured ${PHASE2} processor; recorded as unexpected. Add it (or an alias) to ` +
          'the processors config if phase 3 should wait for it',
      );
    }
    return {
      kind: 'append',
      writes: [
        {
          streamId: phase2Stream(gameDate),
          events: decision.events,
          expectedVersion: expectedAt(state.version),
        },
      ],
    };
  }
}
