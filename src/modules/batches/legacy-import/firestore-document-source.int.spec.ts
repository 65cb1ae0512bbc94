import { FieldPath, Timestamp, type Firestore } from '@google-cloud/firestore';
import {
  startFirestoreTarget,
  uniqueFirestoreProjectId,
  type FirestoreTarget,
} from '../../../../test/support/firestore/index.js';
import {
  FIXTURE_COMPLETIONS,
  legacyBatch,
  subcollectionCounters,
  writeLegacyBatches,
} from '../../../../test/support/legacy-batches-in-firestore.js';
import {
  openFirestoreLegacyDocuments,
  type FirestoreSourceOptions,
} from './firestore-document-source.js';
import { pagesOf } from './firestore-paging.js';
import type { SourceItem } from './legacy-document-source.js';

const READ_TIMEOUT_MS = 10_000;

describe('openFirestoreLegacyDocuments (real client, Firestore target)', () => {
  let target: FirestoreTarget;
  let db: Firestore;

  beforeAll(async () => {
    target = await startFirestoreTarget();
    db = target.client(uniqueFirestoreProjectId('legacy-source'));
  });
  afterAll(() => target.stop());

  async function read(options: Partial<FirestoreSourceOptions> & { collection: string }) {
    const notes: string[] = [];
    const source = await openFirestoreLegacyDocuments(
      db,
      { since: null, readTimeoutMs: READ_TIMEOUT_MS, ...options },
      (line) => notes.push(line),
    );
    const items: SourceItem[] = [];
    for await (const item of source.items) items.push(item);
    return { format: source.format, total: source.total, items, notes };
  }

  it('reads both layouts and a mixed batch, paged, in document id order', async () => {
    const collection = 'layouts';
    await writeLegacyBatches(db, collection, [
      { doc: legacyBatch('batch_a_legacy', '2026-01-20') },
      {
        // Subcollection layout only: the legacy fields were initialised empty and never grew.
        doc: legacyBatch('batch_b_subcollection', '2026-01-21', {
          completed_players: [],
          predictions_by_player: {},
          total_predictions: 0,
          ...subcollectionCounters(FIXTURE_COMPLETIONS),
        }),
        completions: FIXTURE_COMPLETIONS,
      },
      {
        // Dual-written, not atomically: nikola-jokic's legacy update was lost.
        doc: legacyBatch('batch_c_mixed', '2026-01-22', {
          completed_players: ['lebron-james', 'stephen-curry'],
          predictions_by_player: { 'lebron-james': 5, 'stephen-curry': 5 },
          total_predictions: 10,
          ...subcollectionCounters(FIXTURE_COMPLETIONS),
        }),
        completions: FIXTURE_COMPLETIONS,
      },
    ]);

    // Pages of two: the collection spans two pages, each completions subcollection two.
    const result = await read({ collection, pageSize: 2 });
    expect(result).toMatchObject({ format: 'firestore', total: 3, notes: [] });
    expect(result.items.map((item) => item.location)).toEqual([
      'layouts/batch_a_legacy',
      'layouts/batch_b_subcollection',
      'layouts/batch_c_mixed',
    ]);
    const [legacy, subcollection, mixed] = result.items;
    expect(legacy).toEqual({
      location: 'layouts/batch_a_legacy',
      value: legacyBatch('batch_a_legacy', '2026-01-20'),
      layoutMismatches: [],
      unknownFields: [],
      warnings: [],
    });
    expect(subcollection!.layoutMismatches).toEqual([]);
    expect(subcollection!.value).toEqual(
      legacyBatch('batch_b_subcollection', '2026-01-21', {
        // Completion documents come in document id order.
        completed_players: ['lebron-james', 'nikola-jokic', 'stephen-curry'],
        predictions_by_player: { 'lebron-james': 5, 'nikola-jokic': 4, 'stephen-curry': 5 },
        total_predictions: 14,
      }),
    );
    expect(mixed!.value).toMatchObject({
      completed_players: ['lebron-james', 'stephen-curry', 'nikola-jokic'],
      predictions_by_player: { 'lebron-james': 5, 'stephen-curry': 5, 'nikola-jokic': 4 },
      total_predictions: 10,
    });
    expect(mixed!.layoutMismatches).toEqual([
      'layouts disagree on completed players: only in the completions subcollection 1 (nikola-jokic); only in completed_players none',
      'layouts disagree on predictions: total_predictions 10 vs total_predictions_subcoll 14',
    ]);
  });

  it('reads Firestore timestamps as RFC 3339 and names unknown fields and a batch id that is not the document id', async () => {
    const collection = 'typed';
    await writeLegacyBatches(db, collection, [
      {
        id: 'batch_typed',
        doc: legacyBatch('batch_typed_other', '2026-01-20', {
          start_time: new Timestamp(1768921200, 123456000),
          completion_time: Timestamp.fromDate(new Date('2026-01-20T15:09:12Z')),
          stall_reason: null,
        }),
        completions: [
          { player: 'lebron-james', predictions: 5, data: { predictions_count: 5, worker: 'w' } },
        ],
      },
    ]);
    const { items } = await read({ collection });
    expect(items).toHaveLength(1);
    expect(items[0]!.value).toMatchObject({
      batch_id: 'batch_typed_other',
      start_time: '2026-01-20T15:00:00.123456Z',
      completion_time: '2026-01-20T15:09:12Z',
      stall_reason: null,
    });
    expect(items[0]!.unknownFields).toEqual(['completions.worker']);
    expect(items[0]!.warnings).toEqual([
      'batch_id batch_typed_other differs from the document id; imported as batch batch_typed_other',
    ]);
  });

  it('selects game_date >= since across pages, and counts only those', async () => {
    const collection = 'since';
    await writeLegacyBatches(
      db,
      collection,
      ['2026-01-18', '2026-01-19', '2026-01-20', '2026-01-20', '2026-01-21', '2026-02-01'].map(
        (date, i) => ({ doc: legacyBatch(`batch_${9 - i}`, date) }),
      ),
    );
    const result = await read({ collection, since: '2026-01-20', pageSize: 2 });
    expect(result.total).toBe(4);
    // game_date first, then the document id.
    expect(result.items.map((item) => item.location)).toEqual([
      'since/batch_6',
      'since/batch_7',
      'since/batch_5',
      'since/batch_4',
    ]);
  });

  it('makes a bad completion document the batch problem, naming it, and reads the rest', async () => {
    const collection = 'bad';
    await writeLegacyBatches(db, collection, [
      {
        doc: legacyBatch('batch_1_bad', '2026-01-20', subcollectionCounters(FIXTURE_COMPLETIONS)),
        completions: [
          ...FIXTURE_COMPLETIONS.slice(0, 2),
          {
            player: 'nikola-jokic',
            predictions: 4,
            data: { player_lookup: 'nikola-jokic', predictions_count: 'four' },
          },
        ],
      },
      { doc: legacyBatch('batch_2_good', '2026-01-21') },
    ]);
    const { items } = await read({ collection });
    expect(items.map((item) => [item.location, item.problem])).toEqual([
      [
        'bad/batch_1_bad',
        'completions/nikola-jokic: predictions_count: Invalid input: expected number, received string',
      ],
      ['bad/batch_2_good', undefined],
    ]);
  });

  it('reads an empty collection as no documents', async () => {
    expect(await read({ collection: 'empty' })).toMatchObject({ total: 0, items: [] });
  });

  it('reads a page as of the given read time (both layouts of one moment)', async () => {
    const parent = db.collection('moment').doc('batch_moment');
    await parent.collection('completions').doc('lebron-james').set({ predictions_count: 5 });
    const before = await parent.collection('completions').get();
    await parent.collection('completions').doc('stephen-curry').set({ predictions_count: 5 });

    const query = parent.collection('completions').orderBy(FieldPath.documentId());
    const read = async (readTime?: Timestamp) => {
      const ids: string[] = [];
      const options = { pageSize: 1, pageTimeoutMs: READ_TIMEOUT_MS, what: 'moment' };
      for await (const page of pagesOf(db, query, readTime ? { ...options, readTime } : options)) {
        ids.push(...page.docs.map((doc) => doc.id));
      }
      return ids;
    };
    expect(await read(before.readTime)).toEqual(['lebron-james']);
    expect(await read()).toEqual(['lebron-james', 'stephen-curry']);
  });
});
