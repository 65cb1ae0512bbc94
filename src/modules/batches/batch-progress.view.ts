import type { CompletionReason } from './batch.events.js';

/** Projection `batch-progress` and the read-model collections it owns. */
export const BATCH_PROGRESS_PROJECTION = 'batch-progress';

export const BATCH_COLLECTIONS = {
  /** Key `<batch_id>`: BatchProgress, one document per batch (O(1) progress reads). */
  batches: 'batches',
  /** Key `<game_date>/<batch_id>`: `{batch_id}`. */
  byDate: 'batches_by_date',
  /** Key `<running|complete>/<game_date>/<batch_id>`: `{batch_id}`. */
  byStatus: 'batches_by_status',
  /** Key `<batch_id>/<player_lookup>`: PlayerProgress of every player that reported. */
  players: 'batch_players',
  /** Key `<batch_id>/<player_lookup>`: `{player_lookup}` of expected players not yet reported. */
  pending: 'batch_pending',
} as const;

export const playerKey = (batchId: string, player: string) => `${batchId}/${player}`;
export const dateKey = (gameDate: string, batchId: string) => `${gameDate}/${batchId}`;
export const statusKey = (status: BatchStatus, gameDate: string, batchId: string) =>
  `${status}/${gameDate}/${batchId}`;

export type BatchStatus = 'running' | 'complete';

/** The public progress of a batch (GET /v1/batches/:id). */
export interface BatchView {
  batch_id: string;
  game_date: string;
  status: BatchStatus;
  /** How many players are expected (the list's length, or expected_count). */
  expected_players: number;
  /** Counted players whose latest outcome is a success (a success replaces an earlier failure). */
  completed_count: number;
  /** Counted players that failed and never succeeded. */
  failed_count: number;
  /** Players that reported but are not in expected_players; never counted toward completion. */
  unexpected_count: number;
  /** Expected players with no outcome yet. */
  missing_count: number;
  /** Sum of the latest predictions_generated of the completed counted players. */
  total_predictions: number;
  /** (completed + failed) / expected, 0..100 with two decimals. */
  completion_percentage: number;
  is_complete: boolean;
  completion_reason: CompletionReason | null;
  started_at: string;
  /** Last outcome (success or failure) of a counted player. */
  last_completion_at: string | null;
  completed_at: string | null;
  correlation_id: string;
  min_completion_pct: number;
  has_expected_list: boolean;
  forced: boolean;
  source: 'api' | 'legacy_import';
}

/** The stored document: the view plus what the completion reaction needs for its optimistic append. */
export interface BatchProgress extends BatchView, Record<string, unknown> {
  /** Version of stream `batch-<id>` this document reflects. */
  batch_stream_version: number;
}

/** One player of a batch as seen in GET /v1/batches/:id/completions. */
export interface PlayerProgress extends Record<string, unknown> {
  player_lookup: string;
  status: 'completed' | 'failed';
  /** False for a player not in the batch's expected list (not counted). */
  expected: boolean;
  /** Latest predictions_generated; null while the player has only failed. */
  predictions_count: number | null;
  /** When the current status was reached (Shotclock's receipt time). */
  completed_at: string;
  /** Latest error of a failure (at most TEXT_LIMITS.errorMessage); kept after a later success for the record. */
  error_message: string | null;
  /** Present when that error was cut: its length as sent. */
  error_message_truncated_from?: number;
  success_messages: number;
  failure_messages: number;
}

export function toBatchView(progress: BatchProgress): BatchView {
  const { batch_stream_version: _version, ...view } = progress;
  return view;
}

/** Share of the expected players that are done, 0..100 with two decimals. */
export function completionPercentage(done: number, expected: number): number {
  if (expected <= 0) return 100;
  return Math.min(100, Math.round((done / expected) * 10_000) / 100);
}
