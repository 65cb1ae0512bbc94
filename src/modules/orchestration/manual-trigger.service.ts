import { ConflictException, Injectable } from '@nestjs/common';
import { TEXT_LIMITS } from '../../common/http/text-limits.js';
import { tooLongInput } from '../../common/http/too-long-input.js';
import { Phase2StreamService } from './phase2-stream.service.js';
import { PhaseQueriesService } from './phase-queries.service.js';
import type { PhaseView } from './phase-status.view.js';

/**
 * A recorded manual trigger: Phase3Triggered (reason `manual`, the caller's text in
 * manual_reason) appended at the stream version read, so it cannot race an automatic trigger.
 * A date triggered already (by anything, including an earlier identical request) answers 409.
 */
@Injectable()
export class ManualTriggerService {
  constructor(
    private readonly stream: Phase2StreamService,
    private readonly queries: PhaseQueriesService,
  ) {}

  async trigger(gameDate: string, reason: string, correlationId?: string): Promise<PhaseView> {
    if (correlationId !== undefined && correlationId.length > TEXT_LIMITS.correlationId) {
      throw tooLongInput('x-correlation-id', TEXT_LIMITS.correlationId);
    }
    const outcome = await this.stream.execute(
      gameDate,
      { kind: 'manual', reason },
      { source: 'api:manual-trigger', ...(correlationId ? { correlationId } : {}) },
    );
    if (outcome.decision.kind === 'already_triggered') {
      const existing = outcome.decision.trigger;
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        message:
          `phase 3 of ${gameDate} was already triggered at ${existing.triggered_at} ` +
          `(reason ${existing.reason}${existing.manual_reason ? `: ${existing.manual_reason}` : ''}); ` +
          'it is triggered once per game date, see GET /v1/phases/' +
          gameDate,
        existing_trigger: {
          trigger_reason: existing.reason,
          manual_reason: existing.manual_reason,
          partial: existing.partial,
          trigger_mode: existing.mode,
          triggered_at: existing.triggered_at,
        },
      });
    }
    return await this.queries.view(outcome.state);
  }
}
