import { decideBatchCompletion, type CompletionTrigger } from './batch-completion.decider.js';
import type { BatchProgress } from './batch-progress.view.js';

const STALL_MS = 600_000;
const T0 = Date.parse('2026-01-22T15:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

const progress = (overrides: Partial<BatchProgress> = {}): BatchProgress => ({
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
  batch_stream_version: 2,
  ...overrides,
});
const done = (completed: number, failed = 0, lastMs = 0): Partial<BatchProgress> => ({
  completed_count: completed,
  failed_count: failed,
  missing_count: 100 - completed - failed,
  total_predictions: completed * 5,
  completion_percentage: completed + failed,
  last_completion_at: at(lastMs),
});
const outcome: CompletionTrigger = { kind: 'player_outcome' };
const check = (generation = 0): CompletionTrigger => ({ kind: 'stall_check', generation });

describe('decideBatchCompletion (given the progress view, when triggered at a time, then ...)', () => {
  it.each([
    ['every player completed', done(100), outcome],
    ['completed and failed make every player', done(97, 3), outcome],
    ['every player done, seen by a stall check', done(99, 1), check()],
  ])('completes with all_players when %s', (_, view, trigger) => {
    const decision = decideBatchCompletion(trigger, progress(view), {
      nowMs: T0 + 1000,
      stallMs: STALL_MS,
    });
    expect(decision).toMatchObject({
      kind: 'complete',
      completed: { reason: 'all_players', completed_at: at(1000) },
    });
  });

  it('records the counts in BatchCompleted', () => {
    const decision = decideBatchCompletion(
      check(),
      progress({ ...done(96, 0, 60_000), unexpected_count: 2 }),
      { nowMs: T0 + 60_000 + STALL_MS, stallMs: STALL_MS },
    );
    expect(decision).toEqual({
      kind: 'complete',
      completed: {
        batch_id: 'b1',
        game_date: '2026-01-22',
        correlation_id: 'corr',
        reason: 'stalled',
        expected_players: 100,
        completed_players: 96,
        failed_players: 0,
        unexpected_players: 2,
        missing_players: 4,
        total_predictions: 480,
        completion_percentage: 96,
        completed_at: at(60_000 + STALL_MS),
      },
    });
  });

  it('does nothing on a player outcome while players are missing', () => {
    expect(
      decideBatchCompletion(outcome, progress(done(99)), {
        nowMs: T0 + 10 * STALL_MS,
        stallMs: STALL_MS,
      }),
    ).toMatchObject({ kind: 'nothing' });
  });

  it.each([
    [
      'already complete',
      { ...done(100), is_complete: true, completion_reason: 'all_players' as const },
    ],
    ['imported history', { ...done(100), source: 'legacy_import' as const }],
  ])('does nothing when %s', (_, view) => {
    expect(
      decideBatchCompletion(check(), progress(view), { nowMs: T0 + STALL_MS, stallMs: STALL_MS }),
    ).toMatchObject({
      kind: 'nothing',
    });
  });

  it('completes as stalled when min_completion_pct is done and nothing came for the stall timeout', () => {
    const decision = decideBatchCompletion(check(3), progress(done(95, 0, 60_000)), {
      nowMs: T0 + 60_000 + STALL_MS,
      stallMs: STALL_MS,
    });
    expect(decision).toMatchObject({
      kind: 'complete',
      completed: { reason: 'stalled', missing_players: 5 },
    });
  });

  it('counts failures toward min_completion_pct', () => {
    expect(
      decideBatchCompletion(check(), progress(done(90, 5)), {
        nowMs: T0 + STALL_MS,
        stallMs: STALL_MS,
      }),
    ).toMatchObject({
      kind: 'complete',
      completed: { reason: 'stalled' },
    });
  });

  it('checks again stall-timeout after the last completion when one came since', () => {
    expect(
      decideBatchCompletion(check(0), progress(done(96, 0, 60_000)), {
        nowMs: T0 + STALL_MS,
        stallMs: STALL_MS,
      }),
    ).toEqual({
      kind: 'check_again',
      generation: 1,
      dueAtMs: T0 + 60_000 + STALL_MS,
    });
  });

  it('measures from the start when no player reported', () => {
    expect(
      decideBatchCompletion(check(0), progress(), { nowMs: T0 + STALL_MS - 1, stallMs: STALL_MS }),
    ).toEqual({
      kind: 'check_again',
      generation: 1,
      dueAtMs: T0 + STALL_MS,
    });
  });

  it('keeps checking, stall-timeout from now, an idle batch below its threshold', () => {
    expect(
      decideBatchCompletion(check(4), progress(done(94)), {
        nowMs: T0 + 3 * STALL_MS,
        stallMs: STALL_MS,
      }),
    ).toEqual({
      kind: 'check_again',
      generation: 5,
      dueAtMs: T0 + 4 * STALL_MS,
    });
  });

  it('honours a batch-specific min_completion_pct', () => {
    const view = progress({ ...done(80), min_completion_pct: 80 });
    expect(
      decideBatchCompletion(check(), view, { nowMs: T0 + STALL_MS, stallMs: STALL_MS }),
    ).toMatchObject({
      kind: 'complete',
    });
    expect(
      decideBatchCompletion(
        check(),
        { ...view, min_completion_pct: 80.5 },
        { nowMs: T0 + STALL_MS, stallMs: STALL_MS },
      ),
    ).toMatchObject({ kind: 'check_again' });
  });
});
