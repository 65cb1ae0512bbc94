import { parseLegacyDocument } from './legacy-batch-document.schema.js';

const base = {
  batch_id: 'batch_2026-11-28_1795824000',
  game_date: '2026-11-28',
  expected_players: 1,
  completed_players: ['lebron-james'],
  predictions_by_player: { 'lebron-james': 5 },
  total_predictions: 5,
  is_complete: true,
  start_time: '2026-11-28T00:00:00Z',
};

const parsed = (overrides: Record<string, unknown>) =>
  parseLegacyDocument({ ...base, ...overrides });

describe('legacy batch document timestamps', () => {
  it.each([
    ['str(datetime), naive', '2026-11-28 00:00:00', '2026-11-28T00:00:00Z'],
    [
      'str(datetime), aware',
      '2026-11-28 00:00:00.123456+00:00',
      '2026-11-28T00:00:00.123456+00:00',
    ],
    ['isoformat(), naive', '2026-11-28T00:00:00.5', '2026-11-28T00:00:00.5Z'],
    ['isoformat(), aware', '2026-11-28T01:00:00-05:00', '2026-11-28T01:00:00-05:00'],
  ])('reads %s as RFC 3339 (naive means UTC)', (_, sent, stored) => {
    expect(parsed({ start_time: sent, completion_time: sent })).toMatchObject({
      ok: true,
      document: { start_time: stored, completion_time: stored },
    });
  });

  it.each([
    ['an hour past 23', '2026-11-28 24:00:00'],
    ['a day that does not exist', '2026-02-30 00:00:00'],
    ['no seconds', '2026-11-28 00:00'],
    ['a day-first date', '28/11/2026 00:00:00'],
  ])('rejects %s, naming the field', (_, sent) => {
    const result = parsed({ completion_time: sent });
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.problem).toMatch(/^completion_time: /);
  });

  it('keeps RFC 3339 text as it was (the fingerprint of an earlier import is unchanged)', () => {
    for (const sent of ['2026-11-28T00:09:12Z', '2026-11-28T00:09:12.000+00:00']) {
      expect(parsed({ completion_time: sent })).toMatchObject({
        ok: true,
        document: { completion_time: sent },
      });
    }
  });

  it('treats an empty correlation_id or timestamp as absent', () => {
    expect(parsed({ correlation_id: '', completion_time: '' })).toEqual({
      ok: true,
      document: expect.not.objectContaining({ correlation_id: expect.anything() }),
    });
    // The start time is still needed: an empty one is no start time.
    expect(parsed({ start_time: '' })).toMatchObject({ ok: false });
  });
});
