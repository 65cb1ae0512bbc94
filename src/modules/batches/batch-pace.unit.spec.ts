import { batchPace } from './batch-pace.js';
import type { BatchView } from './batch-progress.view.js';

const STALL_MS = 600_000;
const T0 = Date.parse('2026-01-22T15:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const MINUTE = 60_000;

const view = (overrides: Partial<BatchView> = {}): BatchView => ({
  batch_id: 'b1',
  game_date: '2026-01-22',
  status: 'running',
  expected_players: 100,
  completed_count: 0,
  failed_count: 0,
  unexpected_count: 0,
  missing_count: 100,
  total_predictions: 0,
  completion_percentage: 0,
  is_complete: false,
  completion_reason: null,
  started_at: at(0),
  last_completion_at: null,
  completed_at: null,
  correlation_id: 'corr',
  min_completion_pct: 95,
  has_expected_list: true,
  forced: false,
  source: 'api',
  ...overrides,
});
const done = (completed: number, failed: number, lastMs: number): Partial<BatchView> => ({
  completed_count: completed,
  failed_count: failed,
  missing_count: 100 - completed - failed,
  last_completion_at: at(lastMs),
});
const pace = (batch: BatchView, nowMs: number) =>
  batchPace(batch, { nowMs: T0 + nowMs, stallMs: STALL_MS });

describe('batchPace', () => {
  it('counts completed and failed players per minute from the start to the last outcome, and projects the rest from now', () => {
    // 40 outcomes in 4 minutes: 10 a minute; 60 missing take 6 more minutes from now (minute 5).
    expect(pace(view(done(30, 10, 4 * MINUTE)), 5 * MINUTE)).toEqual({
      rate_per_minute: 10,
      estimated_completion_at: at(11 * MINUTE),
      stalled: false,
    });
  });

  it.each([
    ['no outcome', {}],
    ['a single outcome', done(1, 0, MINUTE)],
    ['outcomes with no time between the start and the last one', done(5, 0, 0)],
  ])('has no rate and no estimate with %s', (_, overrides) => {
    expect(pace(view(overrides), MINUTE)).toMatchObject({
      rate_per_minute: null,
      estimated_completion_at: null,
    });
  });

  it('keeps the rate of a complete batch but estimates nothing', () => {
    const complete = view({
      ...done(100, 0, 20 * MINUTE),
      status: 'complete',
      is_complete: true,
      completion_reason: 'all_players',
    });
    expect(pace(complete, 30 * MINUTE)).toEqual({
      rate_per_minute: 5,
      estimated_completion_at: null,
      stalled: false,
    });
  });

  it('calls a running batch stalled once no counted player reported for the stall time, as the completion decider measures it', () => {
    const running = view(done(50, 0, 2 * MINUTE));
    expect(pace(running, 2 * MINUTE + STALL_MS - 1).stalled).toBe(false);
    expect(pace(running, 2 * MINUTE + STALL_MS).stalled).toBe(true);
    // With no outcome at all, from the start.
    expect(pace(view(), STALL_MS).stalled).toBe(true);
  });

  it('calls a batch completed by stall stalled, and an imported running batch never', () => {
    const stalledComplete = view({
      ...done(96, 0, MINUTE),
      status: 'complete',
      is_complete: true,
      completion_reason: 'stalled',
    });
    expect(pace(stalledComplete, MINUTE + STALL_MS).stalled).toBe(true);
    expect(pace(view({ source: 'legacy_import' }), 10 * STALL_MS).stalled).toBe(false);
  });
});
