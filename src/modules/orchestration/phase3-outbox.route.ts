import { defineOutboxRoute } from '../../common/outbox/outbox-route.js';
import { PHASE2_EVENTS, type Phase2Event, type Phase3Triggered } from './phase2.events.js';

/**
 * The phase-3 trigger message on `nba-phase3-trigger`, in the shape its consumer reads (the old
 * phase2_to_phase3 orchestrator's fields) plus Shotclock's. Every field is always present;
 * test/contracts/phase3-trigger.contract.e2e.spec.ts pins names and types.
 */
export interface Phase3TriggerMessage {
  game_date: string;
  /** The first completion's correlation id that had one, else `phase3-<game_date>`. */
  correlation_id: string;
  trigger_source: 'orchestrator';
  /** Who decided: Shotclock (the old orchestrator sent `phase2_to_phase3_orchestrator`). */
  triggered_by: 'shotclock';
  trigger_reason: Phase3Triggered['reason'];
  partial: boolean;
  /** Configured processors done at the trigger, required and tracked. */
  completed_processors: string[];
  /** Required processors not done at the trigger. */
  missing_processors: string[];
  /** The required processors, a list (their count is its length). */
  expected_processors: string[];
  /** Required processors done at the trigger: expected_processors' length when all_complete. */
  upstream_processors_count: number;
  /** When the trigger was decided (ISO 8601 UTC). */
  timestamp: string;
  /** execution_id of the completion that completed the fan-in; null for deadline and manual. */
  parent_execution_id: string | null;
  /** processor_name (class name as sent) of that completion; null for deadline and manual. */
  parent_processor: string | null;
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
    upstream_processors_count:
      trigger.expected_processors.length - trigger.missing_processors.length,
    timestamp: trigger.triggered_at,
    parent_execution_id: trigger.parent_execution_id ?? null,
    parent_processor: trigger.parent_processor ?? null,
  };
}

/** Each Phase3Triggered recorded in trigger mode; in monitor mode the decision publishes nothing. */
export function phase3OutboxRoute(topic: string) {
  return defineOutboxRoute<Phase2Event>()({
    topic,
    eventTypes: [PHASE2_EVENTS.phase3Triggered],
    toMessage(event) {
      const trigger = event.data;
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
  });
}
