import { Timestamp } from '@google-cloud/firestore';
import type { AlertRequest } from '../../../common/alerts/alert.port.js';
import type { BatchCompleted, BatchCreated } from '../../batches/index.js';
import type { BatchLayout } from './batch-layout.js';
import { stringBytes } from './firestore-document-size.js';
import { fitsWithHeadroom, legacyWithCompletion, stopLegacy } from './legacy-fields.js';
import { batchDocumentPath } from './mirror-paths.js';

/** `prediction_batches/{batch_id}` in the platform's layout (times are Firestore timestamps). */
export interface BatchDocument extends Record<string, unknown> {
  batch_id: string;
  game_date: string;
  expected_players: number;
  /** Sum of the latest predictions count of every completed player. */
  total_predictions: number;
  is_complete: boolean;
  start_time: Timestamp;
  completion_time: Timestamp | null;
  correlation_id: string;
  stall_completed: boolean;
  stall_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  // Subcollection layout.
  completed_count?: number;
  total_predictions_subcoll?: number;
  // Legacy layout.
  completed_players?: string[];
  failed_players?: string[];
  predictions_by_player?: Record<string, number>;
  legacy_write_stopped?: boolean;
  legacy_write_stopped_reason?: string | null;
}

/** `prediction_batches/{batch_id}/completions/{player_lookup}`. */
export interface CompletionDocument extends Record<string, unknown> {
  player_lookup: string;
  /** When Shotclock received the player's latest success. */
  completed_at: Timestamp;
  predictions_count: number;
}

/** The mirror's own record of a batch (never read by the platform). */
export interface BatchMirrorState extends Record<string, unknown> {
  kind: 'batch';
  /** The document it backs: a reset deletes it with its completions. */
  document_path: string;
  batch_id: string;
  layout: BatchLayout;
  /** Bytes the names and counts in the legacy fields take, so sizing a change costs O(1). */
  legacy_entry_bytes: number;
  /** The legacy fields stopped before the document would pass 1 MiB. */
  legacy_stopped: boolean;
}

/** What the mirror knows of a player before one of its messages. */
export interface PlayerRecord {
  completed: boolean;
  /** Latest predictions count while completed (0 otherwise). */
  predictions: number;
  failed: boolean;
}

export const NO_RECORD: PlayerRecord = { completed: false, predictions: 0, failed: false };

export interface BatchChange {
  document: BatchDocument;
  state: BatchMirrorState;
  /** The player's completion document to write (subcollection layout). */
  completion: CompletionDocument | null;
  alert: AlertRequest | null;
}

const timestamp = (iso: string) => Timestamp.fromDate(new Date(iso));

export function createdBatch(
  created: BatchCreated,
  layout: BatchLayout,
  recordedAt: string,
): { document: BatchDocument; state: BatchMirrorState } {
  const document: BatchDocument = {
    batch_id: created.batch_id,
    game_date: created.game_date,
    expected_players: created.expected_count,
    total_predictions: 0,
    is_complete: false,
    start_time: timestamp(created.started_at),
    completion_time: null,
    correlation_id: created.correlation_id,
    stall_completed: false,
    stall_reason: null,
    created_at: timestamp(recordedAt),
    updated_at: timestamp(recordedAt),
    ...(layout.subcollection ? { completed_count: 0, total_predictions_subcoll: 0 } : {}),
    ...(layout.legacy
      ? {
          completed_players: [],
          failed_players: [],
          predictions_by_player: {},
          legacy_write_stopped: false,
          legacy_write_stopped_reason: null,
        }
      : {}),
  };
  const state: BatchMirrorState = {
    kind: 'batch',
    document_path: batchDocumentPath(created.batch_id),
    batch_id: created.batch_id,
    layout,
    legacy_entry_bytes: 0,
    legacy_stopped: false,
  };
  return { document, state };
}

/**
 * Where a player's earlier outcome is kept: the legacy fields while they are written (they list
 * failures too), else its completion document, else nowhere (a legacy-only batch whose fields
 * stopped: its later messages are not mirrored).
 */
export function playerSource(state: BatchMirrorState): 'legacy' | 'subcollection' | null {
  if (state.layout.legacy && !state.legacy_stopped) return 'legacy';
  return state.layout.subcollection ? 'subcollection' : null;
}

export function legacyPlayerRecord(document: BatchDocument, player: string): PlayerRecord {
  const predictions = document.predictions_by_player ?? {};
  const completed = Object.hasOwn(predictions, player);
  return {
    completed,
    predictions: completed ? (predictions[player] ?? 0) : 0,
    failed: (document.failed_players ?? []).includes(player),
  };
}

export function subcollectionPlayerRecord(completion: CompletionDocument | null): PlayerRecord {
  return completion
    ? { completed: true, predictions: completion.predictions_count, failed: false }
    : NO_RECORD;
}

/**
 * A player's success: counted once (a duplicate keeps the latest predictions count and time), a
 * success replaces an earlier failure. Counters are recomputed from the player's previous record,
 * never incremented blindly, so a message the log holds twice does not count twice.
 */
export function withCompletion(
  document: BatchDocument,
  state: BatchMirrorState,
  previous: PlayerRecord,
  success: { player: string; predictions: number; completedAt: string },
  recordedAt: string,
): BatchChange {
  const { player, predictions } = success;
  const newPlayer = previous.completed ? 0 : 1;
  const predictionsDelta = predictions - previous.predictions;
  let next: BatchDocument = {
    ...document,
    total_predictions: document.total_predictions + predictionsDelta,
    updated_at: timestamp(recordedAt),
  };
  let nextState = state;
  let alert: AlertRequest | null = null;

  if (state.layout.legacy && !state.legacy_stopped) {
    const legacy = legacyWithCompletion(next, state, previous, player, predictions);
    if (legacy.fits) {
      next = legacy.document;
      nextState = { ...state, legacy_entry_bytes: legacy.entryBytes };
    } else {
      ({ document: next, state: nextState, alert } = stopLegacy(document, state, recordedAt));
      // Legacy-only: nothing holds this player any more, so its success changes no total.
      if (!state.layout.subcollection)
        return { document: next, state: nextState, completion: null, alert };
      next = { ...next, total_predictions: next.total_predictions + predictionsDelta };
    }
  }

  if (!state.layout.subcollection)
    return { document: next, state: nextState, completion: null, alert };
  next = {
    ...next,
    completed_count: (next.completed_count ?? 0) + newPlayer,
    total_predictions_subcoll: (next.total_predictions_subcoll ?? 0) + predictionsDelta,
  };
  const completion: CompletionDocument = {
    player_lookup: player,
    completed_at: timestamp(success.completedAt),
    predictions_count: predictions,
  };
  return { document: next, state: nextState, completion, alert };
}

/**
 * A player's failure: listed in `failed_players` (legacy layout) until a success replaces it;
 * nothing when the player succeeded before, already failed, or the batch has no legacy fields
 * (the subcollection records successes only). Null: nothing changes.
 */
export function withFailure(
  document: BatchDocument,
  state: BatchMirrorState,
  previous: PlayerRecord,
  player: string,
  recordedAt: string,
): BatchChange | null {
  if (!state.layout.legacy || state.legacy_stopped || previous.completed || previous.failed) {
    return null;
  }
  const entryBytes = state.legacy_entry_bytes + stringBytes(player);
  const next: BatchDocument = {
    ...document,
    failed_players: [...(document.failed_players ?? []), player],
    updated_at: timestamp(recordedAt),
  };
  if (!fitsWithHeadroom(next, entryBytes))
    return { ...stopLegacy(document, state, recordedAt), completion: null };
  return {
    document: next,
    state: { ...state, legacy_entry_bytes: entryBytes },
    completion: null,
    alert: null,
  };
}

export function withBatchCompleted(
  document: BatchDocument,
  completed: BatchCompleted,
  recordedAt: string,
): BatchDocument {
  const stalled = completed.reason === 'stalled';
  return {
    ...document,
    is_complete: true,
    completion_time: timestamp(completed.completed_at),
    stall_completed: stalled,
    stall_reason: stalled ? stallReason(completed) : null,
    updated_at: timestamp(recordedAt),
  };
}

function stallReason(completed: BatchCompleted): string {
  return (
    `stalled at ${completed.completion_percentage}% of ${completed.expected_players} players ` +
    `(${completed.completed_players} completed, ${completed.failed_players} failed, ${completed.missing_players} missing)`
  );
}
