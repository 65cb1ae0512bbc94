import type { Holds, SameEventTypes, TypedEvent } from '../../common/event-store/index.js';

/**
 * Events of the batches module. Streams:
 * - `batch-<batch_id>`: BatchCreated, BatchPlayersExpected (chunks), BatchStallCheckDue, BatchCompleted
 * - `batch-date-<game_date>`: BatchOpenedForDate, BatchClosedForDate (at most one running batch per date)
 * - `batch-<batch_id>-player-<player_lookup>`: PredictionCompleted, PredictionFailed
 */
export const BATCH_EVENTS = {
  created: 'BatchCreated',
  playersExpected: 'BatchPlayersExpected',
  openedForDate: 'BatchOpenedForDate',
  closedForDate: 'BatchClosedForDate',
  predictionCompleted: 'PredictionCompleted',
  predictionFailed: 'PredictionFailed',
  stallCheckDue: 'BatchStallCheckDue',
  completed: 'BatchCompleted',
} as const;

/**
 * Expected player ids are written in chunks of this many per event. Log followers read up to 1,000
 * events at a time, so this bounds what one projection batch holds (and writes) to 100,000 players,
 * whatever the batch size; with 10,000 a 1,000,000-player list would sit in memory at once.
 */
export const EXPECTED_PLAYERS_CHUNK = 100;

export const batchStream = (batchId: string) => `batch-${batchId}`;
export const batchDateStream = (gameDate: string) => `batch-date-${gameDate}`;
export const playerStream = (batchId: string, player: string) =>
  `batch-${batchId}-player-${player}`;

export interface BatchCreated {
  batch_id: string;
  game_date: string;
  expected_count: number;
  /** True when expected_players was given (then chunks of BatchPlayersExpected follow). */
  has_expected_list: boolean;
  correlation_id: string;
  min_completion_pct: number;
  forced: boolean;
  /** How the batch came to be: 'api' or 'legacy_import'. */
  source: 'api' | 'legacy_import';
  started_at: string;
}

export interface BatchPlayersExpected {
  batch_id: string;
  players: string[];
}

export interface BatchOpenedForDate {
  batch_id: string;
  /** True when another batch of the date was still running and the caller passed force. */
  forced?: boolean;
}

export interface BatchClosedForDate {
  batch_id: string;
  reason: CompletionReason;
}

export interface PredictionCompleted {
  batch_id: string;
  player_lookup: string;
  /** As sent, cut to TEXT_LIMITS.reportedText (informational; the batch's date is its own). */
  game_date: string | null;
  game_date_truncated_from?: number;
  predictions_generated: number;
  /** As sent, cut to TEXT_LIMITS.workerInstance. */
  worker_instance: string | null;
  /** Present when worker_instance was cut: its length as sent. */
  worker_instance_truncated_from?: number;
  /** When Shotclock received it (its clock); stall detection measures from this. */
  completed_at: string;
  message_id: string | null;
  /** The worker's own `timestamp`, as sent, cut to TEXT_LIMITS.reportedText. */
  reported_at?: string | null;
  reported_at_truncated_from?: number;
}

export interface PredictionFailed {
  batch_id: string;
  player_lookup: string;
  /** As sent, cut to TEXT_LIMITS.errorMessage. */
  error_message: string;
  /** Present when error_message was cut: its length as sent. */
  error_message_truncated_from?: number;
  /** When Shotclock received it (its clock). */
  failed_at: string;
  message_id: string | null;
}

export interface BatchStallCheckDue {
  batch_id: string;
  /** Increments each time the check is rescheduled (timer ids stay unique). */
  generation: number;
}

export type CompletionReason = 'all_players' | 'stalled' | 'legacy_import';

export interface BatchCompleted {
  batch_id: string;
  game_date: string;
  correlation_id: string;
  reason: CompletionReason;
  expected_players: number;
  completed_players: number;
  failed_players: number;
  unexpected_players: number;
  missing_players: number;
  total_predictions: number;
  completion_percentage: number;
  completed_at: string;
}

/** Every event of the batches module: `switch (event.type)` narrows `event.data`. */
export type BatchEvent =
  | TypedEvent<typeof BATCH_EVENTS.created, BatchCreated>
  | TypedEvent<typeof BATCH_EVENTS.playersExpected, BatchPlayersExpected>
  | TypedEvent<typeof BATCH_EVENTS.openedForDate, BatchOpenedForDate>
  | TypedEvent<typeof BATCH_EVENTS.closedForDate, BatchClosedForDate>
  | TypedEvent<typeof BATCH_EVENTS.predictionCompleted, PredictionCompleted>
  | TypedEvent<typeof BATCH_EVENTS.predictionFailed, PredictionFailed>
  | TypedEvent<typeof BATCH_EVENTS.stallCheckDue, BatchStallCheckDue>
  | TypedEvent<typeof BATCH_EVENTS.completed, BatchCompleted>;

type _EveryBatchEvent = Holds<SameEventTypes<BatchEvent, typeof BATCH_EVENTS>>;
