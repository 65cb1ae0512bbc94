import { Timestamp } from '@google-cloud/firestore';
import type { Phase2ProcessorReported, Phase3Triggered } from '../../orchestration/index.js';
import { withReport, withTrigger } from './phase2-documents.js';

const at = (iso: string) => Timestamp.fromDate(new Date(iso));

function report(overrides: Partial<Phase2ProcessorReported>): Phase2ProcessorReported {
  return {
    game_date: '2026-01-22',
    processor: 'bdl_games',
    match_rule: null,
    processor_name: 'BdlGamesProcessor',
    status: 'success',
    counts_as_done: true,
    late: false,
    execution_id: 'exec-1',
    correlation_id: 'corr-1',
    output_table: null,
    record_count: 12,
    reported_at: '2026-01-22T06:00:00.000Z',
    received_at: '2026-01-22T06:00:01.000Z',
    ...overrides,
  };
}

const TRIGGER: Phase3Triggered = {
  game_date: '2026-01-22',
  reason: 'deadline_exceeded',
  partial: true,
  mode: 'trigger',
  manual_reason: null,
  completed_processors: ['bdl_games'],
  missing_processors: ['nbac_schedule'],
  expected_processors: ['bdl_games', 'nbac_schedule'],
  unexpected_processors: [],
  correlation_id: 'corr-1',
  first_completion_at: '2026-01-22T06:00:01.000Z',
  minutes_elapsed: 60,
  triggered_at: '2026-01-22T07:00:00.000Z',
};

describe('phase2_completion documents', () => {
  it('keeps the report that made a processor done; a redelivery or later failure changes nothing', () => {
    const first = withReport(null, report({ status: 'failed', counts_as_done: false }));
    expect(first.document).toMatchObject({
      _completed_count: 0,
      _first_completion_at: at('2026-01-22T06:00:01.000Z'),
      bdl_games: { status: 'failed', execution_id: 'exec-1' },
    });
    const done = withReport(
      first,
      report({ execution_id: 'exec-2', received_at: '2026-01-22T06:05:00.000Z' }),
    );
    expect(done.document).toMatchObject({
      _completed_count: 1,
      _first_completion_at: at('2026-01-22T06:00:01.000Z'),
      bdl_games: {
        completed_at: at('2026-01-22T06:05:00.000Z'),
        correlation_id: 'corr-1',
        status: 'success',
        record_count: 12,
        execution_id: 'exec-2',
      },
    });
    const again = withReport(
      done,
      report({ execution_id: 'exec-2', received_at: '2026-01-22T06:05:00.000Z' }),
    );
    const failedLater = withReport(
      again,
      report({ status: 'failed', counts_as_done: false, execution_id: 'exec-3' }),
    );
    expect(failedLater.document).toEqual(done.document);
  });

  it('counts processors, not reports, and gives unconfigured or `_` names no field', () => {
    let current = withReport(null, report({}));
    current = withReport(current, report({ processor: 'nbac_schedule', execution_id: 'exec-9' }));
    current = withReport(current, report({ processor: null, processor_name: 'SomethingElse' }));
    current = withReport(current, report({ processor: '_triggered' }));
    expect(current.document._completed_count).toBe(2);
    expect(Object.keys(current.document).sort()).toEqual([
      '_completed_count',
      '_first_completion_at',
      '_partial_completion',
      '_triggered',
      '_triggered_at',
      '_triggered_reason',
      'bdl_games',
      'nbac_schedule',
    ]);
    expect(current.document._triggered).toBe(false);
  });

  it('records the trigger with its reason and whether it was partial', () => {
    const triggered = withTrigger(withReport(null, report({})), TRIGGER);
    expect(triggered.document).toMatchObject({
      _completed_count: 1,
      _triggered: true,
      _triggered_at: at('2026-01-22T07:00:00.000Z'),
      _triggered_reason: 'deadline_exceeded',
      _partial_completion: true,
    });
  });
});
