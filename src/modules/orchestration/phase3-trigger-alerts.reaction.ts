import { Inject, Injectable, Logger } from '@nestjs/common';
import { ALERTS, type AlertPort } from '../../common/alerts/alert.port.js';
import type { EventOfType, Recorded } from '../../common/event-store/index.js';
import { defineReaction } from '../../common/projections/reaction-definition.js';
import { PHASE2_EVENTS, type Phase2Event } from './phase2.events.js';

type Triggered = Recorded<EventOfType<Phase2Event, typeof PHASE2_EVENTS.phase3Triggered>>;

export const deadlineAlertKey = (gameDate: string) => `phase2-deadline:${gameDate}`;
export const monitorAlertKey = (gameDate: string) => `phase3-monitor:${gameDate}`;

/**
 * Tells people about a recorded trigger: a deadline trigger (what completed, what is missing,
 * minutes elapsed), and in monitor mode the trigger that was not published. Alerts are raised
 * once per key, so redelivery of the event raises nothing twice.
 */
@Injectable()
export class Phase3TriggerAlertsReaction {
  private readonly logger = new Logger('Phase3Trigger');

  constructor(@Inject(ALERTS) private readonly alerts: AlertPort) {}

  readonly definition = defineReaction<Phase2Event>()({
    name: 'phase3-trigger-alerts',
    eventTypes: [PHASE2_EVENTS.phase3Triggered],
    handle: (event) => this.handle(event),
  });

  private async handle(event: Triggered): Promise<void> {
    const trigger = event.data;
    const date = trigger.game_date;
    const lists = {
      completed_processors: trigger.completed_processors,
      missing_processors: trigger.missing_processors,
      unexpected_processors: trigger.unexpected_processors,
      minutes_elapsed: trigger.minutes_elapsed,
    };
    if (trigger.reason === 'deadline_exceeded') {
      await this.alerts.raise({
        key: deadlineAlertKey(date),
        kind: 'phase2_deadline_exceeded',
        severity: 'warning',
        summary:
          `phase 2 of ${date} missed its deadline after ${trigger.minutes_elapsed ?? '?'} min: ` +
          `${trigger.missing_processors.length} required processor(s) missing ` +
          `(${trigger.missing_processors.join(', ')}); phase 3 ` +
          (trigger.mode === 'trigger'
            ? 'triggered with partial data'
            : 'not triggered (monitor mode)'),
        details: { ...lists, mode: trigger.mode },
        correlationId: trigger.correlation_id,
      });
    }
    if (trigger.mode === 'monitor') {
      await this.alerts.raise({
        key: monitorAlertKey(date),
        kind: 'phase3_trigger_suppressed',
        severity: 'info',
        summary:
          `monitor mode: phase 3 of ${date} would have been triggered now (${trigger.reason}` +
          `${trigger.partial ? ', partial' : ''}); nothing was published`,
        details: { ...lists, reason: trigger.reason, partial: trigger.partial },
        correlationId: trigger.correlation_id,
      });
    }
    this.logger.log(
      `phase 3 of ${date} ${trigger.mode === 'trigger' ? 'triggered' : 'would be triggered (monitor mode)'}: ` +
        `${trigger.reason}${trigger.partial ? ', partial' : ''}, ${trigger.completed_processors.length} completed, ` +
        `${trigger.missing_processors.length} missing`,
    );
  }
}
