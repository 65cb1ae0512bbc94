import type { BatchCreated } from '../../batches/index.js';
import { createdBatch, withCompletion, NO_RECORD } from '../documents/batch-documents.js';
import type { BatchLayout } from '../documents/batch-layout.js';
import {
  compareMirroredBatch,
  layoutToRead,
  type MirroredBatch,
} from './compare-mirrored-batch.js';

const CREATED: BatchCreated = {
  batch_id: 'b1',
  game_date: '2026-01-22',
  expected_count: 1,
  has_expected_list: false,
  correlation_id: 'corr-1',
  min_completion_pct: 95,
  forced: false,
  source: 'api',
  started_at: '2026-01-22T15:00:00.000Z',
};
const AT = '2026-01-22T15:01:00.000Z';
const SUBCOLLECTION: BatchLayout = { subcollection: true, legacy: false };
const LEGACY: BatchLayout = { subcollection: false, legacy: true };
const DUAL: BatchLayout = { subcollection: true, legacy: true };

/** A batch with one completed player, as the mirror writes it in `layout`. */
function mirroredBatch(layout: BatchLayout): MirroredBatch {
  const { document, state } = createdBatch(CREATED, layout, CREATED.started_at);
  const change = withCompletion(
    document,
    state,
    NO_RECORD,
    { player: 'p1', predictions: 4, completedAt: AT },
    AT,
  );
  return {
    state: change.state,
    document: change.document,
    completions: new Map(change.completion ? [['p1', change.completion]] : []),
  };
}

describe('the legacy mirror check: which layout it reads (USE_SUBCOLLECTION_READS)', () => {
  it('reads the layout the flag names, and both of a dual-written batch', () => {
    expect(layoutToRead(SUBCOLLECTION, true)).toBe('subcollection');
    expect(layoutToRead(SUBCOLLECTION, false)).toBe('legacy');
    expect(layoutToRead(LEGACY, true)).toBe('subcollection');
    expect(layoutToRead(LEGACY, false)).toBe('legacy');
    expect(layoutToRead(DUAL, true)).toBe('both');
    expect(layoutToRead(DUAL, false)).toBe('both');
  });

  it('finds nothing when the documents are those the log gives, in the layout the readers use', () => {
    for (const [layout, reads] of [
      [SUBCOLLECTION, true],
      [LEGACY, false],
      [DUAL, true],
      [DUAL, false],
    ] as const) {
      const batch = mirroredBatch(layout);
      expect(compareMirroredBatch('b1', layoutToRead(layout, reads), batch, batch, 1)).toEqual([]);
    }
  });

  it('reports a batch whose layout is not the one the flag has its readers use', () => {
    const subcollectionOnly = mirroredBatch(SUBCOLLECTION);
    expect(compareMirroredBatch('b1', 'legacy', subcollectionOnly, subcollectionOnly, 1)).toEqual([
      {
        document: 'prediction_batches/b1',
        field: null,
        expected:
          'readers use the legacy completion fields (USE_SUBCOLLECTION_READS is off for it)',
        actual: 'the batch was not written in that layout (its flags when it was created)',
      },
    ]);
    const legacyOnly = mirroredBatch(LEGACY);
    expect(compareMirroredBatch('b1', 'subcollection', legacyOnly, legacyOnly, 1)).toEqual([
      expect.objectContaining({
        expected:
          'readers use the completions subcollection (USE_SUBCOLLECTION_READS is on for it)',
      }),
    ]);
  });

  it('compares only the layout read: a wrong completion document matters to subcollection readers', () => {
    const expected = mirroredBatch(DUAL);
    const actual: MirroredBatch = {
      ...expected,
      completions: new Map([['p1', { ...expected.completions.get('p1')!, predictions_count: 5 }]]),
    };
    expect(compareMirroredBatch('b1', 'legacy', expected, actual, 1)).toEqual([]);
    expect(compareMirroredBatch('b1', 'subcollection', expected, actual, 1)).toEqual([
      {
        document: 'prediction_batches/b1/completions/p1',
        field: 'predictions_count',
        expected: 4,
        actual: 5,
      },
    ]);
  });
});
