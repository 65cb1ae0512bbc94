import type { OutboxRoute } from '../../common/outbox/outbox-route.js';
import { PHASE2_EVENTS, type Phase3Triggered } from './phase2.events.js';

/** The phase-3 trigger message downstream consumers parse (the old orchestrator's format). */
export interface Phase3TriggerMessage {
  game_date: string;
  correlation_id: string;
  trigger_source: 'orchestrator';
  triggered_by: 'shotclock';
  trigger_reason: Phase3Triggered['reason'];
  partial: boolean;
  completed_processors: string[];
  missing_processors: string[];
  expected_processors: string[];
  upstream_processors_count: number;
  timestamp: string;
}

export function phase3TriggerMessage(trigger: Phase3Triggered): Phase3TriggerMessage {
  return {
    game_date: trigger.game_date,
    correlation_id: trigger.correlation_id,
    trigger_source: 'orchestrator',
    triggered_by: 'shotclock',
    trigger_reason: trigger.reason,
    partial: trigger.partial,
    completed_processors: trigger.completed_processors,
    missing_processors: trigger.missing_processors,
    expected_processors: trigger.expected_processors,
    upstream_processors_count: trigger.completed_processors.length,
    timestamp: trigger.triggered_at,
  };
}

/** Each Phase3Triggered recorded in trigger mode; in monitor mode the decision publishes nothing. */
export function phase3OutboxRoute(topic: string): OutboxRoute {
  return {
    topic,
    eventTypes: [PHASE2_EVENTS.phase3Triggered],
    toMessage(event) {
      const trigger = event.data as Phase3Triggered;
      if (trigger.mode === 'monitor') return null;
      return {
        attributes: {
          game_date: trigger.game_date,
          correlation_id: trigger.correlation_id,
          trigger_reason: trigger.reason,
          partial: String(trigger.partial),
        },
        body: phase3TriggerMessage(trigger),
      };
    },
  };
}
