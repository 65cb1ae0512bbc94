import { missingRequired } from './phase2.decider.js';
import type { Phase3Triggered, TriggerMode, TriggerReason } from './phase2.events.js';
import type { Phase2State, ProcessorProgress } from './phase2.state.js';
import { deadlineReason, type DeadlineSetting } from './phase-deadline.reason.js';
import type { PhaseProcessors } from './processors-config.js';

export const PHASE_STATUS_PROJECTION = 'phase-status';
/** Phase2State per game date, keyed by the date (YYYY-MM-DD sorts by time). */
export const PHASE_STATUS_COLLECTION = 'phase_status';

export type PhaseStatus = 'not_started' | 'in_progress' | 'triggered';

/** What GET /v1/phases/:gameDate answers. */
export interface PhaseView {
  game_date: string;
  status: PhaseStatus;
  trigger_reason: TriggerReason | null;
  partial: boolean | null;
  /** monitor: the trigger was recorded and alerted, not published. */
  trigger_mode: TriggerMode | null;
  manual_reason: string | null;
  /** The required processors (current config). */
  required_processors: string[];
  /** Tracked processors: recorded and shown, never waited for (current config). */
  tracked_processors: string[];
  /** At the trigger once triggered (as published), else now. */
  completed_processors: string[];
  /** Required processors not done: at the trigger once triggered, else now (current config). */
  missing_processors: string[];
  unexpected_processors: string[];
  late_processors: string[];
  processors: Record<string, ProcessorProgress>;
  first_completion_at: string | null;
  deadline_at: string | null;
  /** ENABLE_PHASE2_COMPLETION_DEADLINE for this date now. */
  deadline_enabled: boolean;
  /** Why there is no deadline that will fire (null when deadline_at is set and will). */
  deadline_reason: string | null;
  triggered_at: string | null;
  /**
   * Id of the phase-3 message as the outbox publishes it (its `shotclock_message_id` attribute);
   * null before a trigger and for a trigger in monitor mode (nothing published).
   */
  trigger_message_id: string | null;
  correlation_id: string | null;
}

export function toPhaseView(
  state: Phase2State,
  phase: PhaseProcessors,
  deadline: DeadlineSetting,
  triggerMessageId: string | null,
): PhaseView {
  const trigger: Phase3Triggered | null = state.trigger;
  return {
    game_date: state.game_date,
    status: trigger ? 'triggered' : state.first_completion_at ? 'in_progress' : 'not_started',
    trigger_reason: trigger?.reason ?? null,
    partial: trigger?.partial ?? null,
    trigger_mode: trigger?.mode ?? null,
    manual_reason: trigger?.manual_reason ?? null,
    required_processors: [...phase.required],
    tracked_processors: [...phase.tracked],
    completed_processors: trigger ? trigger.completed_processors : state.completed,
    missing_processors: trigger ? trigger.missing_processors : missingRequired(state, phase),
    unexpected_processors: state.unexpected,
    late_processors: state.late,
    processors: withNames(state.processors),
    first_completion_at: state.first_completion_at,
    deadline_at: state.deadline_at,
    deadline_enabled: deadline.enabled,
    deadline_reason: deadlineReason(state, deadline),
    triggered_at: trigger?.triggered_at ?? null,
    trigger_message_id: trigger?.mode === 'trigger' ? triggerMessageId : null,
    correlation_id: state.correlation_id,
  };
}

type StoredProgress = Omit<ProcessorProgress, 'reported_names' | 'done_by'> &
  Partial<Pick<ProcessorProgress, 'reported_names' | 'done_by'>>;

/** Progress folded before `reported_names`/`done_by` existed lacks them: shown as empty. */
function withNames(processors: Record<string, StoredProgress>): Record<string, ProcessorProgress> {
  return Object.fromEntries(
    Object.entries(processors).map(([name, progress]) => [
      name,
      {
        ...progress,
        reported_names: progress.reported_names ?? [],
        done_by: progress.done_by ?? null,
      },
    ]),
  );
}
