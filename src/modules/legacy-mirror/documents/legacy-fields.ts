import { Timestamp } from '@google-cloud/firestore';
import type { AlertRequest } from '../../../common/alerts/alert.port.js';
import type { BatchDocument, BatchMirrorState, PlayerRecord } from './batch-documents.js';
import {
  documentBytes,
  FIRESTORE_MAX_DOCUMENT_BYTES,
  NUMBER_BYTES,
  stringBytes,
} from './firestore-document-size.js';
import { batchDocumentPath } from './mirror-paths.js';

/**
 * Room kept free in a batch document with legacy fields for what still grows after they stop
 * (stall_reason, completion_time, the stop's reason), so the document never reaches the limit.
 */
export const LEGACY_HEADROOM_BYTES = 1024;

const timestamp = (iso: string) => Timestamp.fromDate(new Date(iso));

/**
 * A success added to the legacy fields (`completed_players`, `failed_players`,
 * `predictions_by_player`), with the bytes their entries take and whether the document still
 * leaves LEGACY_HEADROOM_BYTES free.
 */
export function legacyWithCompletion(
  document: BatchDocument,
  state: BatchMirrorState,
  previous: PlayerRecord,
  player: string,
  predictions: number,
): { fits: boolean; document: BatchDocument; entryBytes: number } {
  const name = stringBytes(player);
  let entryBytes = state.legacy_entry_bytes;
  let completed = document.completed_players ?? [];
  let failed = document.failed_players ?? [];
  if (!previous.completed) {
    completed = [...completed, player];
    entryBytes += name + name + NUMBER_BYTES;
  }
  if (previous.failed) {
    failed = failed.filter((listed) => listed !== player);
    entryBytes -= name;
  }
  const next: BatchDocument = {
    ...document,
    completed_players: completed,
    failed_players: failed,
    predictions_by_player: { ...document.predictions_by_player, [player]: predictions },
  };
  return { fits: fitsWithHeadroom(next, entryBytes), document: next, entryBytes };
}

/** Whether the document, its legacy entries counted as `entryBytes`, leaves the headroom free. */
export function fitsWithHeadroom(document: BatchDocument, entryBytes: number): boolean {
  const withoutEntries = {
    ...document,
    completed_players: [],
    failed_players: [],
    predictions_by_player: {},
  };
  const bytes = documentBytes(batchDocumentPath(document.batch_id), withoutEntries) + entryBytes;
  return bytes + LEGACY_HEADROOM_BYTES <= FIRESTORE_MAX_DOCUMENT_BYTES;
}

/** The legacy fields stay as they are for good; the document and state say why; one alert. */
export function stopLegacy(
  document: BatchDocument,
  state: BatchMirrorState,
  recordedAt: string,
): { document: BatchDocument; state: BatchMirrorState; alert: AlertRequest } {
  const listed = document.completed_players?.length ?? 0;
  const keeps = state.layout.subcollection
    ? 'the completions subcollection holds every player'
    : 'later completions are not mirrored (ENABLE_SUBCOLLECTION_COMPLETIONS was off for this batch)';
  const reason =
    `legacy fields stopped at ${listed} completed players: the document would pass ` +
    `${FIRESTORE_MAX_DOCUMENT_BYTES} bytes (1 MiB); ${keeps}`;
  return {
    document: {
      ...document,
      legacy_write_stopped: true,
      legacy_write_stopped_reason: reason,
      updated_at: timestamp(recordedAt),
    },
    state: { ...state, legacy_stopped: true },
    alert: {
      key: `legacy-mirror-document-too-large:${document.batch_id}`,
      kind: 'legacy_mirror_document_too_large',
      severity: state.layout.subcollection ? 'warning' : 'critical',
      summary: `batch ${document.batch_id}: ${reason}; ${stopAction(document.batch_id, state)}`,
      details: {
        batch_id: document.batch_id,
        legacy_players: listed,
        limit_bytes: FIRESTORE_MAX_DOCUMENT_BYTES,
        layout: state.layout,
      },
      correlationId: document.correlation_id,
    },
  };
}

/** What an operator does about a stop. */
function stopAction(batchId: string, state: BatchMirrorState): string {
  return state.layout.subcollection
    ? `readers of this batch must read the subcollection (USE_SUBCOLLECTION_READS on for ${batchId})`
    : `its full progress is only in GET /v1/batches/${batchId}; turn ENABLE_SUBCOLLECTION_COMPLETIONS ` +
        'on so that batches this large are mirrored whole';
}
