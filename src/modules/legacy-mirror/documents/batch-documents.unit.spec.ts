import { Timestamp } from '@google-cloud/firestore';
import type { BatchCompleted, BatchCreated } from '../../batches/index.js';
import {
  createdBatch,
  legacyPlayerRecord,
  NO_RECORD,
  playerSource,
  subcollectionPlayerRecord,
  withBatchCompleted,
  withCompletion,
  withFailure,
  type BatchDocument,
  type BatchMirrorState,
} from './batch-documents.js';
import type { BatchLayout } from './batch-layout.js';
import { LEGACY_HEADROOM_BYTES } from './legacy-fields.js';
import {
  documentBytes,
  FIRESTORE_MAX_DOCUMENT_BYTES,
  valueBytes,
} from './firestore-document-size.js';

const CREATED: BatchCreated = {
  batch_id: 'b1',
  game_date: '2026-01-22',
  expected_count: 3,
  has_expected_list: true,
  correlation_id: 'corr-1',
  min_completion_pct: 95,
  forced: false,
  source: 'api',
  started_at: '2026-01-22T15:00:00.000Z',
};
const T1 = '2026-01-22T15:01:00.000Z';
const T2 = '2026-01-22T15:02:00.000Z';
const DUAL: BatchLayout = { subcollection: true, legacy: true };

type Batch = { document: BatchDocument; state: BatchMirrorState };

/** Applies one message as the projection does: the previous record from where the state says. */
function apply(
  batch: Batch,
  player: string,
  message: number | 'failed',
  completions: Map<string, number>,
  at = T1,
) {
  const source = playerSource(batch.state);
  const previous =
    source === 'legacy'
      ? legacyPlayerRecord(batch.document, player)
      : source === 'subcollection' && completions.has(player)
        ? subcollectionPlayerRecord({
            player_lookup: player,
            completed_at: Timestamp.fromDate(new Date(at)),
            predictions_count: completions.get(player)!,
          })
        : NO_RECORD;
  const change =
    message === 'failed'
      ? withFailure(batch.document, batch.state, previous, player, at)
      : withCompletion(
          batch.document,
          batch.state,
          previous,
          { player, predictions: message, completedAt: at },
          at,
        );
  if (change?.completion) completions.set(player, change.completion.predictions_count);
  return { batch: change ? { document: change.document, state: change.state } : batch, change };
}

function run(layout: BatchLayout, messages: Array<[string, number | 'failed']>) {
  let batch: Batch = createdBatch(CREATED, layout, CREATED.started_at);
  const completions = new Map<string, number>();
  for (const [player, message] of messages)
    batch = apply(batch, player, message, completions).batch;
  return { ...batch, completions };
}

/** The legacy fields' entries, summed from scratch. */
function entryBytes(document: BatchDocument): number {
  return (
    valueBytes(document.completed_players ?? []) +
    valueBytes(document.failed_players ?? []) +
    valueBytes(document.predictions_by_player ?? {})
  );
}

describe('mirrored batch documents', () => {
  it('starts a batch with the fields of its layout', () => {
    const subcollection = createdBatch(
      CREATED,
      { subcollection: true, legacy: false },
      T1,
    ).document;
    expect(subcollection).toMatchObject({ completed_count: 0, total_predictions_subcoll: 0 });
    expect(subcollection).not.toHaveProperty('completed_players');
    const legacy = createdBatch(CREATED, { subcollection: false, legacy: true }, T1).document;
    expect(legacy).toMatchObject({
      completed_players: [],
      failed_players: [],
      predictions_by_player: {},
      legacy_write_stopped: false,
      legacy_write_stopped_reason: null,
    });
    expect(legacy).not.toHaveProperty('completed_count');
    expect(legacy.start_time).toEqual(Timestamp.fromDate(new Date(CREATED.started_at)));
    expect(legacy.created_at).toEqual(Timestamp.fromDate(new Date(T1)));
  });

  it.each([
    ['dual', DUAL],
    ['subcollection', { subcollection: true, legacy: false }],
    ['legacy', { subcollection: false, legacy: true }],
  ] as const)(
    '%s: counts each player once, keeps the latest count, lets a success replace a failure',
    (_name, layout) => {
      const batch = run(layout, [
        ['a', 'failed'],
        ['a', 4],
        ['b', 5],
        ['b', 7], // a second success: counted once, latest count
        ['b', 'failed'], // a failure after a success: the success stands
        ['c', 'failed'],
        ['c', 'failed'],
        ['p.j.-washington', 2],
      ]);
      expect(batch.document.total_predictions).toBe(4 + 7 + 2);
      if (layout.subcollection) {
        expect(batch.document.completed_count).toBe(3);
        expect(batch.document.total_predictions_subcoll).toBe(13);
        expect([...batch.completions]).toEqual([
          ['a', 4],
          ['b', 7],
          ['p.j.-washington', 2],
        ]);
      }
      if (layout.legacy) {
        expect(batch.document.completed_players).toEqual(['a', 'b', 'p.j.-washington']);
        expect(batch.document.failed_players).toEqual(['c']);
        expect(batch.document.predictions_by_player).toEqual({ a: 4, b: 7, 'p.j.-washington': 2 });
        expect(batch.state.legacy_entry_bytes).toBe(entryBytes(batch.document));
      }
    },
  );

  it('changes nothing for a failure the layout does not record', () => {
    const batch = createdBatch(CREATED, { subcollection: true, legacy: false }, T1);
    expect(withFailure(batch.document, batch.state, NO_RECORD, 'a', T2)).toBeNull();
  });

  it('completes a batch, saying why when it stalled', () => {
    const batch = createdBatch(CREATED, DUAL, T1);
    const completed: BatchCompleted = {
      batch_id: 'b1',
      game_date: '2026-01-22',
      correlation_id: 'corr-1',
      reason: 'stalled',
      expected_players: 3,
      completed_players: 2,
      failed_players: 0,
      unexpected_players: 0,
      missing_players: 1,
      total_predictions: 9,
      completion_percentage: 66.67,
      completed_at: T2,
    };
    expect(withBatchCompleted(batch.document, completed, T2)).toMatchObject({
      is_complete: true,
      completion_time: Timestamp.fromDate(new Date(T2)),
      stall_completed: true,
      stall_reason: 'stalled at 66.67% of 3 players (2 completed, 0 failed, 1 missing)',
      updated_at: Timestamp.fromDate(new Date(T2)),
    });
  });

  describe('the 1 MiB limit of the legacy fields', () => {
    const long = (n: number) => `player-${String(n).padStart(5, '0')}-${'x'.repeat(177)}`;

    function fillUntilStopped(layout: BatchLayout) {
      let batch: Batch = createdBatch(CREATED, layout, T1);
      const completions = new Map<string, number>();
      for (let n = 0; ; n++) {
        const before = batch;
        const step = apply(batch, long(n), 1, completions);
        batch = step.batch;
        if (batch.state.legacy_stopped)
          return { before, after: batch, change: step.change!, stoppedAt: n, completions };
      }
    }

    it('stops before the player that would leave less than the headroom, once, keeping the subcollection', () => {
      const { before, after, change, stoppedAt, completions } = fillUntilStopped(DUAL);
      const path = 'prediction_batches/b1';
      expect(documentBytes(path, before.document) + LEGACY_HEADROOM_BYTES).toBeLessThanOrEqual(
        FIRESTORE_MAX_DOCUMENT_BYTES,
      );
      expect(before.state.legacy_entry_bytes).toBe(entryBytes(before.document));
      const crossing = {
        ...before.document,
        completed_players: [...before.document.completed_players!, long(stoppedAt)],
        predictions_by_player: { ...before.document.predictions_by_player, [long(stoppedAt)]: 1 },
      };
      expect(documentBytes(path, crossing) + LEGACY_HEADROOM_BYTES).toBeGreaterThan(
        FIRESTORE_MAX_DOCUMENT_BYTES,
      );

      expect(after.document.completed_players).toEqual(before.document.completed_players);
      expect(after.document.legacy_write_stopped).toBe(true);
      expect(documentBytes(path, after.document)).toBeLessThanOrEqual(
        FIRESTORE_MAX_DOCUMENT_BYTES - LEGACY_HEADROOM_BYTES / 2,
      );
      expect(change.alert).toMatchObject({
        key: 'legacy-mirror-document-too-large:b1',
        severity: 'warning',
      });
      expect(change.completion?.player_lookup).toBe(long(stoppedAt));
      expect(after.document.completed_count).toBe(stoppedAt + 1);
      expect(after.document.total_predictions).toBe(stoppedAt + 1);

      // Later players: the subcollection only, and no second alert.
      const next = apply(after, long(stoppedAt + 1), 1, completions);
      expect(next.change?.alert).toBeNull();
      expect(next.batch.document.completed_players).toEqual(before.document.completed_players);
      expect(next.batch.document.completed_count).toBe(stoppedAt + 2);
    });

    it('legacy only: stops with a critical alert, and later completions change nothing', () => {
      const { before, after, change } = fillUntilStopped({ subcollection: false, legacy: true });
      expect(change.alert).toMatchObject({ severity: 'critical' });
      expect(change.completion).toBeNull();
      expect(after.document.total_predictions).toBe(before.document.total_predictions);
      expect(playerSource(after.state)).toBeNull();
    });
  });
});
