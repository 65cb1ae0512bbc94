import type { NewEvent, Storage } from '../../common/event-store/index.js';
import type { ProjectionRunner } from '../../common/projections/projection-runner.js';
import { projectionHarness } from '../../../test/support/projection-harness.js';
import {
  BATCH_EVENTS,
  batchStream,
  EXPECTED_PLAYERS_CHUNK,
  playerStream,
  type BatchCompleted,
  type BatchCreated,
} from './batch.events.js';
import { batchProgressProjection } from './batch-progress.projection.js';
import {
  BATCH_COLLECTIONS as C,
  BATCH_PROGRESS_PROJECTION,
  type BatchProgress,
} from './batch-progress.view.js';

const created = (overrides: Partial<BatchCreated> = {}): BatchCreated => ({
  batch_id: 'b1',
  game_date: '2026-01-22',
  expected_count: 3,
  has_expected_list: true,
  correlation_id: 'corr',
  min_completion_pct: 95,
  forced: false,
  source: 'api',
  started_at: '2026-01-22T15:00:00.000Z',
  ...overrides,
});
const at = (second: number) => `2026-01-22T15:00:${String(second).padStart(2, '0')}.000Z`;

/** The real projection on a real SQLite store, run by the real runner. */
describe('batch-progress projection (given events in the log, then the read models)', () => {
  const harness = projectionHarness(batchProgressProjection);
  let storage: Storage;
  let runner: ProjectionRunner;
  beforeEach(() => ({ storage, runner } = harness));

  const given = async (...writes: Array<[stream: string, event: NewEvent]>) => {
    for (const [stream, event] of writes)
      await storage.events.append(stream, [event], { expectedVersion: 'any' });
    await runner.waitFor(BATCH_PROGRESS_PROJECTION, (await storage.events.head())!, 5000);
  };
  const batchCreated = (
    data: BatchCreated,
    players: string[] = ['a', 'b', 'c'],
  ): Array<[string, NewEvent]> => [
    [batchStream(data.batch_id), { type: BATCH_EVENTS.created, data }],
    ...(data.has_expected_list
      ? [
          [
            batchStream(data.batch_id),
            { type: BATCH_EVENTS.playersExpected, data: { batch_id: data.batch_id, players } },
          ] as [string, NewEvent],
        ]
      : []),
  ];
  const completed = (
    player: string,
    predictions: number,
    second: number,
    batchId = 'b1',
  ): [string, NewEvent] => [
    playerStream(batchId, player),
    {
      type: BATCH_EVENTS.predictionCompleted,
      data: {
        batch_id: batchId,
        player_lookup: player,
        game_date: '2026-01-22',
        predictions_generated: predictions,
        worker_instance: 'w',
        completed_at: at(second),
        message_id: null,
      },
    },
  ];
  const failed = (player: string, second: number, batchId = 'b1'): [string, NewEvent] => [
    playerStream(batchId, player),
    {
      type: BATCH_EVENTS.predictionFailed,
      data: {
        batch_id: batchId,
        player_lookup: player,
        error_message: 'boom',
        failed_at: at(second),
        message_id: null,
      },
    },
  ];
  const batch = (id = 'b1') => storage.readModels.get<BatchProgress>(C.batches, id);
  const keys = async (collection: string) =>
    (await storage.readModels.list(collection, { limit: 1000 })).map((entry) => entry.key);

  it('indexes a new batch by id, date and status, and its expected players as pending', async () => {
    await given(...batchCreated(created()));
    expect(await batch()).toMatchObject({
      status: 'running',
      expected_players: 3,
      missing_count: 3,
      batch_stream_version: 2,
    });
    expect(await keys(C.byDate)).toEqual(['2026-01-22/b1']);
    expect(await keys(C.byStatus)).toEqual(['running/2026-01-22/b1']);
    expect(await keys(C.pending)).toEqual(['b1/a', 'b1/b', 'b1/c']);
  });

  it('applies a failure, then a success that replaces it, then a second success that keeps the latest count', async () => {
    await given(
      ...batchCreated(created()),
      failed('a', 1),
      completed('a', 4, 2),
      completed('a', 6, 3),
    );
    expect(await batch()).toMatchObject({
      completed_count: 1,
      failed_count: 0,
      missing_count: 2,
      total_predictions: 6,
      completion_percentage: 33.33,
      last_completion_at: at(3),
    });
    expect(await storage.readModels.get(C.players, 'b1/a')).toEqual({
      player_lookup: 'a',
      status: 'completed',
      expected: true,
      predictions_count: 6,
      completed_at: at(3),
      error_message: 'boom',
      success_messages: 2,
      failure_messages: 1,
    });
    expect(await keys(C.pending)).toEqual(['b1/b', 'b1/c']);
  });

  it('leaves a success standing when a failure follows it', async () => {
    await given(...batchCreated(created()), completed('a', 4, 1), failed('a', 2));
    expect(await batch()).toMatchObject({
      completed_count: 1,
      failed_count: 0,
      total_predictions: 4,
    });
    expect(await storage.readModels.get(C.players, 'b1/a')).toMatchObject({
      status: 'completed',
      completed_at: at(1),
      failure_messages: 1,
    });
  });

  it('records players outside the expected list as unexpected, once, without counting them', async () => {
    await given(
      ...batchCreated(created()),
      completed('zed', 4, 1),
      completed('zed', 4, 2),
      failed('yan', 3),
    );
    expect(await batch()).toMatchObject({
      completed_count: 0,
      failed_count: 0,
      unexpected_count: 2,
      total_predictions: 0,
      missing_count: 3,
      last_completion_at: null,
    });
    expect(await storage.readModels.get(C.players, 'b1/zed')).toMatchObject({
      expected: false,
      status: 'completed',
    });
  });

  it('counts every reporting player of a count-only batch', async () => {
    await given(
      ...batchCreated(created({ has_expected_list: false, expected_count: 2 })),
      completed('x', 1, 1),
      failed('y', 2),
      completed('z', 1, 3),
    );
    expect(await batch()).toMatchObject({
      completed_count: 2,
      failed_count: 1,
      unexpected_count: 0,
      missing_count: 0,
      completion_percentage: 100,
    });
    expect(await keys(C.pending)).toEqual([]);
  });

  it('counts no failure of a new player past the announced count of a count-only batch', async () => {
    const failures = Array.from({ length: 720 }, (_, i) => failed(`stranger-${i}`, i % 60));
    await given(
      ...batchCreated(created({ has_expected_list: false, expected_count: 5 })),
      ...failures,
    );
    expect(await batch()).toMatchObject({
      completed_count: 0,
      failed_count: 5,
      unexpected_count: 715,
      missing_count: 0,
      completion_percentage: 100,
    });
  });

  it('marks the batch complete and moves it to the complete index, following the batch stream version', async () => {
    const completion: BatchCompleted = {
      batch_id: 'b1',
      game_date: '2026-01-22',
      correlation_id: 'corr',
      reason: 'stalled',
      expected_players: 3,
      completed_players: 1,
      failed_players: 0,
      unexpected_players: 0,
      missing_players: 2,
      total_predictions: 4,
      completion_percentage: 33.33,
      completed_at: at(59),
    };
    await given(...batchCreated(created()), completed('a', 4, 1), [
      batchStream('b1'),
      { type: BATCH_EVENTS.stallCheckDue, data: { batch_id: 'b1', generation: 0 } },
    ]);
    expect((await batch())!.batch_stream_version).toBe(3);
    await given([batchStream('b1'), { type: BATCH_EVENTS.completed, data: completion }]);
    expect(await batch()).toMatchObject({
      status: 'complete',
      is_complete: true,
      completion_reason: 'stalled',
      completed_at: at(59),
      batch_stream_version: 4,
    });
    expect(await keys(C.byStatus)).toEqual(['complete/2026-01-22/b1']);
  });

  it('keeps batches apart and ignores outcomes of a batch it never saw created', async () => {
    await given(
      ...batchCreated(created()),
      ...batchCreated(created({ batch_id: 'b10', expected_count: 1 }), ['a']),
      completed('a', 1, 1, 'b10'),
      completed('a', 1, 2, 'nope'),
    );
    expect(await batch('b1')).toMatchObject({ completed_count: 0 });
    expect(await batch('b10')).toMatchObject({ completed_count: 1, missing_count: 0 });
    expect(await batch('nope')).toBeNull();
    expect(await keys(C.players)).toEqual(['b10/a']);
  });

  it('indexes a list of many chunks, one pending document per player', async () => {
    const players = Array.from(
      { length: 3 * EXPECTED_PLAYERS_CHUNK },
      (_, i) => `p-${String(i).padStart(4, '0')}`,
    );
    const chunks: Array<[string, NewEvent]> = [0, 1, 2].map((n) => [
      batchStream('b1'),
      {
        type: BATCH_EVENTS.playersExpected,
        data: {
          batch_id: 'b1',
          players: players.slice(n * EXPECTED_PLAYERS_CHUNK, (n + 1) * EXPECTED_PLAYERS_CHUNK),
        },
      },
    ]);
    await given(
      [
        batchStream('b1'),
        { type: BATCH_EVENTS.created, data: created({ expected_count: players.length }) },
      ],
      ...chunks,
      completed('p-0150', 2, 1),
    );
    expect(await batch()).toMatchObject({
      completed_count: 1,
      missing_count: players.length - 1,
      batch_stream_version: 4,
    });
    const pending = await storage.readModels.list(C.pending, { prefix: 'b1/', limit: 1000 });
    expect(pending).toHaveLength(players.length - 1);
  });
});
