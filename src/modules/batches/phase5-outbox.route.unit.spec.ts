import type { RecordedEvent } from '../../common/event-store/index.js';
import { BATCH_EVENTS, type BatchCompleted } from './batch.events.js';
import { phase5OutboxRoute } from './phase5-outbox.route.js';

const completed = (
  overrides: Partial<BatchCompleted> = {},
): RecordedEvent<BatchCompleted, typeof BATCH_EVENTS.completed> => ({
  eventId: 'e-1',
  streamId: 'batch-b1',
  streamVersion: 3,
  position: '00000000000000000003',
  type: BATCH_EVENTS.completed,
  metadata: {},
  recordedAt: '2026-01-22T15:10:00.000Z',
  data: {
    batch_id: 'b1',
    game_date: '2026-01-22',
    correlation_id: 'corr-1',
    reason: 'all_players',
    expected_players: 4,
    completed_players: 4,
    failed_players: 0,
    unexpected_players: 1,
    missing_players: 0,
    total_predictions: 20,
    completion_percentage: 100,
    completed_at: '2026-01-22T15:09:12.000Z',
    ...overrides,
  },
});

describe('phase-5 outbox route', () => {
  const route = phase5OutboxRoute('topic-x');

  it('builds the old coordinator message from BatchCompleted alone', () => {
    expect(route).toMatchObject({ topic: 'topic-x', eventTypes: [BATCH_EVENTS.completed] });
    expect(route.toMessage(completed())).toEqual({
      attributes: {
        batch_id: 'b1',
        game_date: '2026-01-22',
        correlation_id: 'corr-1',
        status: 'success',
      },
      body: {
        processor_name: 'PredictionCoordinator',
        phase: 'phase_5_predictions',
        execution_id: 'b1',
        correlation_id: 'corr-1',
        game_date: '2026-01-22',
        output_table: 'player_prop_predictions',
        status: 'success',
        record_count: 20,
        timestamp: '2026-01-22T15:09:12.000Z',
        metadata: {
          batch_id: 'b1',
          expected_predictions: 4,
          completed_predictions: 4,
          failed_predictions: 0,
          completion_pct: 100,
          expected_players: 4,
          completed_players: 4,
          failed_players: 0,
          total_predictions: 20,
          completion_percentage: 100,
          completion_reason: 'all_players',
        },
      },
    });
  });

  it.each([
    ['some players failed', { completed_players: 3, failed_players: 1 }],
    [
      'the batch stalled',
      {
        reason: 'stalled' as const,
        completed_players: 3,
        missing_players: 1,
        completion_percentage: 75,
      },
    ],
  ])('reports partial when %s', (_, overrides) => {
    expect(route.toMessage(completed(overrides))?.body).toMatchObject({ status: 'partial' });
  });

  it.each([
    ['every player failed', { completed_players: 0, failed_players: 4, total_predictions: 0 }],
    [
      'the batch stalled with only failures',
      { reason: 'stalled' as const, completed_players: 0, failed_players: 3, missing_players: 1 },
    ],
  ])('reports failed when %s (nothing for phase 6)', (_, overrides) => {
    expect(route.toMessage(completed(overrides))?.body).toMatchObject({ status: 'failed' });
  });

  it('counts completion_pct over succeeded players only, unlike completion_percentage', () => {
    const body = route.toMessage(
      completed({ completed_players: 3, failed_players: 1, completion_percentage: 100 }),
    )?.body;
    expect(body).toMatchObject({
      status: 'partial',
      metadata: { completion_pct: 75, completion_percentage: 100, failed_predictions: 1 },
    });
  });

  it('publishes nothing for imported history', () => {
    expect(route.toMessage(completed({ reason: 'legacy_import' }))).toBeNull();
  });
});
