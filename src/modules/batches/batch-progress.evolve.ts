import type { BatchCompleted, BatchCreated } from './batch.events.js';
import {
  completionPercentage,
  type BatchProgress,
  type PlayerProgress,
} from './batch-progress.view.js';

/** A player's message as the projection sees it. */
export type PlayerOutcome =
  | { kind: 'completed'; predictions: number; at: string }
  | { kind: 'failed'; error: string; errorTruncatedFrom: number | null; at: string };

/** A player's new state and what it changes in the batch counters. */
export interface PlayerOutcomeEffect {
  player: PlayerProgress;
  completed: number;
  failed: number;
  unexpected: number;
  predictions: number;
  /** Whether the message is progress of a counted player (moves last_completion_at). */
  counted: boolean;
}

export function startedProgress(created: BatchCreated, streamVersion: number): BatchProgress {
  return {
    batch_id: created.batch_id,
    game_date: created.game_date,
    status: 'running',
    expected_players: created.expected_count,
    completed_count: 0,
    failed_count: 0,
    unexpected_count: 0,
    missing_count: created.expected_count,
    total_predictions: 0,
    completion_percentage: completionPercentage(0, created.expected_count),
    is_complete: false,
    completion_reason: null,
    started_at: created.started_at,
    last_completion_at: null,
    completed_at: null,
    correlation_id: created.correlation_id,
    min_completion_pct: created.min_completion_pct,
    has_expected_list: created.has_expected_list,
    forced: created.forced,
    source: created.source,
    batch_stream_version: streamVersion,
  };
}

/**
 * One message of a player, applied in log order: the first outcome counts the player; a success
 * replaces an earlier failure; a second success counts once and keeps the latest predictions count;
 * a failure after a success leaves the success standing. An unexpected player is counted only in
 * unexpected_count, once.
 */
export function applyPlayerOutcome(
  previous: PlayerProgress | null,
  playerLookup: string,
  outcome: PlayerOutcome,
  expected: boolean,
): PlayerOutcomeEffect {
  const base: PlayerProgress = previous ?? {
    player_lookup: playerLookup,
    status: outcome.kind,
    expected,
    predictions_count: null,
    completed_at: outcome.at,
    error_message: null,
    success_messages: 0,
    failure_messages: 0,
  };
  const wasCompleted = previous?.status === 'completed';
  const wasFailed = previous?.status === 'failed';
  const player: PlayerProgress =
    outcome.kind === 'completed'
      ? {
          ...base,
          status: 'completed',
          predictions_count: outcome.predictions,
          completed_at: outcome.at,
          success_messages: base.success_messages + 1,
        }
      : withError(
          {
            ...base,
            status: wasCompleted ? 'completed' : 'failed',
            completed_at: wasCompleted ? base.completed_at : outcome.at,
            failure_messages: base.failure_messages + 1,
          },
          outcome,
        );
  const unexpected = !base.expected;
  if (unexpected) {
    return {
      player,
      completed: 0,
      failed: 0,
      unexpected: previous ? 0 : 1,
      predictions: 0,
      counted: false,
    };
  }
  const nowCompleted = player.status === 'completed';
  const previousPredictions = wasCompleted ? (previous!.predictions_count ?? 0) : 0;
  return {
    player,
    completed: (nowCompleted ? 1 : 0) - (wasCompleted ? 1 : 0),
    failed: (nowCompleted ? 0 : 1) - (wasFailed ? 1 : 0),
    unexpected: 0,
    predictions: (nowCompleted ? (player.predictions_count ?? 0) : 0) - previousPredictions,
    counted: true,
  };
}

/** The player with the latest error (and, when it was cut, its length as sent) in place of the earlier one. */
function withError(
  player: PlayerProgress,
  outcome: Extract<PlayerOutcome, { kind: 'failed' }>,
): PlayerProgress {
  const { error_message_truncated_from: _earlier, ...rest } = player;
  return {
    ...rest,
    error_message: outcome.error,
    ...(outcome.errorTruncatedFrom === null
      ? {}
      : { error_message_truncated_from: outcome.errorTruncatedFrom }),
  };
}

/** The batch after one player message. */
export function withPlayerOutcome(
  progress: BatchProgress,
  effect: PlayerOutcomeEffect,
  at: string,
): BatchProgress {
  const completed = progress.completed_count + effect.completed;
  const failed = progress.failed_count + effect.failed;
  const lastCompletion =
    effect.counted && (progress.last_completion_at === null || at > progress.last_completion_at)
      ? at
      : progress.last_completion_at;
  return {
    ...progress,
    completed_count: completed,
    failed_count: failed,
    unexpected_count: progress.unexpected_count + effect.unexpected,
    missing_count: Math.max(0, progress.expected_players - completed - failed),
    total_predictions: progress.total_predictions + effect.predictions,
    completion_percentage: completionPercentage(completed + failed, progress.expected_players),
    last_completion_at: lastCompletion,
  };
}

export function completedProgress(
  progress: BatchProgress,
  completed: BatchCompleted,
  streamVersion: number,
): BatchProgress {
  return {
    ...progress,
    status: 'complete',
    is_complete: true,
    completion_reason: completed.reason,
    completed_at: completed.completed_at,
    batch_stream_version: streamVersion,
  };
}
