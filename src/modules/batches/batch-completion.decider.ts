import type { BatchCompleted } from './batch.events.js';
import type { BatchProgress, BatchView } from './batch-progress.view.js';

/** What made the completion reaction look at a batch. */
export type CompletionTrigger =
  { kind: 'player_outcome' } | { kind: 'stall_check'; generation: number };

/** The clock and the stall threshold when deciding. */
export interface CompletionContext {
  nowMs: number;
  stallMs: number;
}

export type CompletionDecision =
  | { kind: 'complete'; completed: BatchCompleted }
  | { kind: 'check_again'; generation: number; dueAtMs: number }
  | { kind: 'nothing'; why: string };

/**
 * A batch completes once: when every expected player has completed or failed (`all_players`), or,
 * on a stall check, when at least min_completion_pct is done and no counted player reported for
 * `stallMs` (`stalled`). A stall check that cannot complete the batch asks for the next one at the
 * earliest moment a stall could be declared (`stallMs` after the last activity), or `stallMs` from
 * now when the batch is idle but below its threshold.
 */
export function decideBatchCompletion(
  trigger: CompletionTrigger,
  progress: BatchProgress,
  { nowMs, stallMs }: CompletionContext,
): CompletionDecision {
  if (progress.is_complete) return { kind: 'nothing', why: 'already complete' };
  if (progress.source !== 'api') {
    return { kind: 'nothing', why: 'imported history completes only through its import' };
  }
  const done = progress.completed_count + progress.failed_count;
  if (done >= progress.expected_players) {
    return { kind: 'complete', completed: completion(progress, 'all_players', nowMs) };
  }
  if (trigger.kind !== 'stall_check') return { kind: 'nothing', why: 'players still missing' };

  const lastActivityMs = lastActivityMsOf(progress);
  const idleMs = nowMs - lastActivityMs;
  const enoughDone = done * 100 >= progress.min_completion_pct * progress.expected_players;
  if (idleMs >= stallMs && enoughDone) {
    return { kind: 'complete', completed: completion(progress, 'stalled', nowMs) };
  }
  return {
    kind: 'check_again',
    generation: trigger.generation + 1,
    dueAtMs: idleMs < stallMs ? lastActivityMs + stallMs : nowMs + stallMs,
  };
}

/** The last outcome of a counted player, or the start while none: what a stall is measured from. */
export function lastActivityMsOf(progress: Pick<BatchView, 'last_completion_at' | 'started_at'>) {
  return Date.parse(progress.last_completion_at ?? progress.started_at);
}

function completion(
  progress: BatchProgress,
  reason: 'all_players' | 'stalled',
  nowMs: number,
): BatchCompleted {
  return {
    batch_id: progress.batch_id,
    game_date: progress.game_date,
    correlation_id: progress.correlation_id,
    reason,
    expected_players: progress.expected_players,
    completed_players: progress.completed_count,
    failed_players: progress.failed_count,
    unexpected_players: progress.unexpected_count,
    missing_players: progress.missing_count,
    total_predictions: progress.total_predictions,
    completion_percentage: progress.completion_percentage,
    completed_at: new Date(nowMs).toISOString(),
  };
}
