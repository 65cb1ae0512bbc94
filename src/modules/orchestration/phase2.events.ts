import type { Holds, SameEventTypes, TypedEvent } from '../../common/event-store/index.js';
import type { MatchRule } from './processor-matcher.js';

/**
 * Events of the phase-2 fan-in. One stream per game date, `phase2-<game_date>`:
 * Phase2ProcessorReported (every completion message), Phase2DeadlineScheduled (with the first
 * report, when the deadline is on for the date), Phase2DeadlineDue (appended by the durable timer),
 * Phase3Triggered (exactly once: the stream's expected version makes a second one impossible).
 */
export const PHASE2_EVENTS = {
  processorReported: 'Phase2ProcessorReported',
  deadlineScheduled: 'Phase2DeadlineScheduled',
  deadlineDue: 'Phase2DeadlineDue',
  phase3Triggered: 'Phase3Triggered',
} as const;

export const PHASE2_STREAM_PREFIX = 'phase2-';
export const phase2Stream = (gameDate: string) => `${PHASE2_STREAM_PREFIX}${gameDate}`;

/** Message statuses; newer publishers may send `skipped`. */
export const PROCESSOR_STATUSES = ['success', 'partial', 'no_data', 'failed', 'skipped'] as const;
export type ProcessorStatus = (typeof PROCESSOR_STATUSES)[number];

export interface Phase2ProcessorReported {
  game_date: string;
  /** The configured name it matched, or null (an unexpected processor). */
  processor: string | null;
  match_rule: MatchRule | null;
  /** As sent (a class name). */
  processor_name: string;
  status: ProcessorStatus;
  /** Whether this report makes the processor done (success, partial, no_data where configured). */
  counts_as_done: boolean;
  /** Arrived after phase 3 was triggered: recorded, never triggers again. */
  late: boolean;
  execution_id: string;
  /** As sent; null when absent or empty (informational). */
  correlation_id: string | null;
  output_table: string | null;
  record_count: number | null;
  /** The publisher's own timestamp, as sent. */
  reported_at: string;
  /** When Shotclock received it (its clock). */
  received_at: string;
}

export interface Phase2DeadlineScheduled {
  game_date: string;
  first_completion_at: string;
  deadline_at: string;
  deadline_ms: number;
}

export interface Phase2DeadlineDue {
  game_date: string;
}

export type TriggerReason = 'all_complete' | 'deadline_exceeded' | 'manual';
export type TriggerMode = 'trigger' | 'monitor';

export interface Phase3Triggered {
  game_date: string;
  reason: TriggerReason;
  /** True when a required processor was missing at the trigger. */
  partial: boolean;
  /** trigger: the message is published; monitor: recorded and alerted only. */
  mode: TriggerMode;
  /** The caller's reason of a manual trigger. */
  manual_reason: string | null;
  /** Configured processors done at the trigger (required and tracked). */
  completed_processors: string[];
  /** Required processors not done at the trigger. */
  missing_processors: string[];
  /** The required processors. */
  expected_processors: string[];
  unexpected_processors: string[];
  correlation_id: string;
  /**
   * The report that completed the fan-in (all_complete): its execution_id and processor_name as
   * sent. Null for a deadline or manual trigger (no report caused it), and in triggers recorded
   * before these fields existed.
   */
  parent_execution_id?: string | null;
  parent_processor?: string | null;
  first_completion_at: string | null;
  /** Minutes from the first completion to the trigger (null without a completion). */
  minutes_elapsed: number | null;
  triggered_at: string;
}

/** Every event of the phase-2 fan-in: `switch (event.type)` narrows `event.data`. */
export type Phase2Event =
  | TypedEvent<typeof PHASE2_EVENTS.processorReported, Phase2ProcessorReported>
  | TypedEvent<typeof PHASE2_EVENTS.deadlineScheduled, Phase2DeadlineScheduled>
  | TypedEvent<typeof PHASE2_EVENTS.deadlineDue, Phase2DeadlineDue>
  | TypedEvent<typeof PHASE2_EVENTS.phase3Triggered, Phase3Triggered>;

type _EveryPhase2Event = Holds<SameEventTypes<Phase2Event, typeof PHASE2_EVENTS>>;
