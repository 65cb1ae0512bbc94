import { legacyBatchWrites } from './legacy-batch-events.js';
import { parseLegacyDocument, type LegacyBatchDocument } from './legacy-batch-document.schema.js';

const base = {
  batch_id: 'batch_2026-01-20_1768910400',
  game_date: '2026-01-20',
  expected_players: 4,
  completed_players: ['lebron-james', 'stephen-curry', 'nikola-jokic'],
  failed_players: ['joel-embiid'],
  predictions_by_player: { 'lebron-james': 5, 'stephen-curry': 5, 'nikola-jokic': 4 },
  total_predictions: 14,
  is_complete: true,
  start_time: '2026-01-20T15:00:00Z',
  completion_time: '2026-01-20T15:09:12Z',
  correlation_id: 'corr-2026-01-20',
};

function parse(value: unknown): LegacyBatchDocument {
  const parsed = parseLegacyDocument(value);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.document;
}

describe('legacyBatchWrites', () => {
  it('writes BatchCreated first, one stream per player, and a BatchCompleted with the written counts', () => {
    const writes = legacyBatchWrites(parse(base), 'f');
    const [batch, ...players] = writes.history;
    expect(batch!.streamId).toBe('batch-batch_2026-01-20_1768910400');
    expect(batch!.expectedVersion).toBe('no-stream');
    expect(batch!.events[0]).toMatchObject({
      type: 'BatchCreated',
      data: {
        expected_count: 4,
        has_expected_list: false,
        source: 'legacy_import',
        started_at: '2026-01-20T15:00:00Z',
      },
      metadata: {
        correlationId: 'corr-2026-01-20',
        source: 'legacy_import',
        legacyFingerprint: 'f',
      },
    });
    expect(
      players.map((write) => [write.streamId, write.events.map((event) => event.type)]),
    ).toEqual([
      ['batch-batch_2026-01-20_1768910400-player-joel-embiid', ['PredictionFailed']],
      ['batch-batch_2026-01-20_1768910400-player-lebron-james', ['PredictionCompleted']],
      ['batch-batch_2026-01-20_1768910400-player-stephen-curry', ['PredictionCompleted']],
      ['batch-batch_2026-01-20_1768910400-player-nikola-jokic', ['PredictionCompleted']],
    ]);
    expect(writes.completion?.data).toMatchObject({
      reason: 'legacy_import',
      expected_players: 4,
      completed_players: 3,
      failed_players: 1,
      missing_players: 0,
      total_predictions: 14,
      completion_percentage: 100,
      completed_at: '2026-01-20T15:09:12Z',
    });
  });

  it('writes a listed-twice player once, 0 predictions when absent, failure before success', () => {
    const writes = legacyBatchWrites(
      parse({
        ...base,
        completed_players: ['lebron-james', 'lebron-james', 'joel-embiid'],
        predictions_by_player: { 'lebron-james': 5 },
        is_complete: false,
      }),
      'f',
    );
    const players = writes.history.slice(1);
    expect(players).toHaveLength(2);
    expect(players[0]!.events.map((event) => event.type)).toEqual([
      'PredictionFailed',
      'PredictionCompleted',
    ]);
    expect(players[0]!.events[1]!.data).toMatchObject({
      player_lookup: 'joel-embiid',
      predictions_generated: 0,
    });
    expect(writes.completion).toBeNull();
  });

  it('rejects a document without a start time or with a wrong field, naming the fields', () => {
    const { start_time: _start, ...withoutStart } = base;
    expect(parseLegacyDocument(withoutStart)).toEqual({
      ok: false,
      problem: 'start_time: needs start_time or created_at (the batch start time)',
    });
    const parsed = parseLegacyDocument({ ...base, expected_players: -1, is_complete: 'yes' });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toMatch(/expected_players: .*; is_complete: /);
  });

  it("unwraps the fixture's {description, document} wrapper", () => {
    expect(parseLegacyDocument({ description: 'x', document: base }).ok).toBe(true);
  });
});
