import { mergeCompletionLayouts, type CompletionDocument } from './completion-layouts.js';

const legacy = {
  batch_id: 'batch_2026-01-20_1768910400',
  completed_players: ['lebron-james', 'stephen-curry', 'nikola-jokic'],
  predictions_by_player: { 'lebron-james': 5, 'stephen-curry': 5, 'nikola-jokic': 4 },
  total_predictions: 14,
};

const completion = (player: string, predictions: number): CompletionDocument => ({
  id: player,
  data: {
    player_lookup: player,
    completed_at: '2026-01-20T15:01:00Z',
    predictions_count: predictions,
  },
});

const completions = [
  completion('lebron-james', 5),
  completion('nikola-jokic', 4),
  completion('stephen-curry', 5),
];

describe('mergeCompletionLayouts', () => {
  it('leaves a legacy-only document as it is', () => {
    expect(mergeCompletionLayouts(legacy, [])).toEqual({
      value: legacy,
      layoutMismatches: [],
      unknownFields: [],
    });
  });

  it('builds the legacy fields of a subcollection-only batch, taking its counters', () => {
    const parent = {
      batch_id: legacy.batch_id,
      completed_players: [],
      predictions_by_player: {},
      total_predictions: 0,
      completed_count: 3,
      total_predictions_subcoll: 14,
    };
    const merged = mergeCompletionLayouts(parent, completions);
    expect(merged.layoutMismatches).toEqual([]);
    expect(merged.value).toEqual({
      batch_id: legacy.batch_id,
      completed_players: ['lebron-james', 'nikola-jokic', 'stephen-curry'],
      predictions_by_player: { 'lebron-james': 5, 'nikola-jokic': 4, 'stephen-curry': 5 },
      total_predictions: 14,
    });
  });

  it('reports the subcollection counters disagreeing with its documents', () => {
    const merged = mergeCompletionLayouts(
      { batch_id: legacy.batch_id, completed_count: 4, total_predictions_subcoll: 15 },
      completions,
    );
    expect(merged.layoutMismatches).toEqual([
      'subcollection completions: completed_count 4 vs completion documents 3',
      'subcollection predictions: total_predictions_subcoll 15 vs sum of predictions_count 14',
    ]);
    expect(merged.value.total_predictions).toBe(15);
  });

  it('unites a dual-written batch and reports every disagreement between the layouts', () => {
    const parent = {
      ...legacy,
      // The dual write lost joel-embiid's legacy update; the subcollection lost stephen-curry's.
      completed_count: 3,
      total_predictions_subcoll: 13,
    };
    const merged = mergeCompletionLayouts(parent, [
      completion('lebron-james', 5),
      completion('nikola-jokic', 3),
      completion('joel-embiid', 5),
    ]);
    expect(merged.value).toMatchObject({
      completed_players: ['lebron-james', 'stephen-curry', 'nikola-jokic', 'joel-embiid'],
      predictions_by_player: {
        'lebron-james': 5,
        'stephen-curry': 5,
        'nikola-jokic': 3,
        'joel-embiid': 5,
      },
      total_predictions: 14,
    });
    expect(merged.value).not.toHaveProperty('completed_count');
    expect(merged.value).not.toHaveProperty('total_predictions_subcoll');
    expect(merged.layoutMismatches).toEqual([
      'layouts disagree on completed players: only in the completions subcollection 1 (joel-embiid); ' +
        'only in completed_players 1 (stephen-curry)',
      'layouts disagree on predictions of 1 (nikola-jokic (predictions_count 3, predictions_by_player 4))',
      'layouts disagree on predictions: total_predictions 14 vs total_predictions_subcoll 13',
    ]);
  });

  it('finds nothing to report when both layouts hold the same completions', () => {
    const merged = mergeCompletionLayouts(
      { ...legacy, completed_count: 3, total_predictions_subcoll: 14 },
      completions,
    );
    expect(merged.layoutMismatches).toEqual([]);
    expect(merged.value.completed_players).toEqual(legacy.completed_players);
  });

  it('lists at most five names in a mismatch line', () => {
    const players = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
    const merged = mergeCompletionLayouts(
      { ...legacy },
      players.map((player) => completion(player, 1)),
    );
    expect(merged.layoutMismatches[0]).toContain(
      'only in the completions subcollection 7 (a1, a2, a3, a4, a5, and 2 more)',
    );
  });

  it('refuses a bad completion document or counter, naming it', () => {
    const merged = mergeCompletionLayouts({ ...legacy, completed_count: 'three' }, [
      completion('lebron-james', 5),
      { id: 'stephen-curry', data: { player_lookup: 'stephen-curry', predictions_count: -1 } },
      { id: 'nikola-jokic', data: { player_lookup: 'joel-embiid', predictions_count: 4 } },
    ]);
    expect(merged.problem).toBe(
      'completed_count: expected a non-negative integer, got "three"; ' +
        'completions/stephen-curry: predictions_count: Too small: expected number to be >=0; ' +
        'completions/nikola-jokic: player_lookup joel-embiid differs from the document id',
    );
  });

  it('names unknown fields of completion documents', () => {
    const merged = mergeCompletionLayouts(legacy, [
      { id: 'lebron-james', data: { predictions_count: 5, worker: 'w-1', retries: 0 } },
      { id: 'stephen-curry', data: { predictions_count: 5, worker: 'w-2' } },
    ]);
    expect(merged.unknownFields).toEqual(['completions.worker', 'completions.retries']);
    expect(merged.problem).toBeUndefined();
  });
});
