import type { RecordedEvent } from '../../common/event-store/index.js';
import type { Phase3Triggered } from './phase2.events.js';
import { phase3OutboxRoute } from './phase3-outbox.route.js';

const trigger: Phase3Triggered = {
  game_date: '2026-01-22',
  reason: 'deadline_exceeded',
  partial: true,
  mode: 'trigger',
  manual_reason: null,
  completed_processors: ['a_one', 'd_opt'],
  missing_processors: ['b_two'],
  expected_processors: ['a_one', 'b_two'],
  unexpected_processors: [],
  correlation_id: 'corr-1',
  first_completion_at: '2026-01-22T12:00:00.000Z',
  minutes_elapsed: 30,
  triggered_at: '2026-01-22T12:30:00.000Z',
};

const recorded = (data: Phase3Triggered) =>
  ({ type: 'Phase3Triggered', data, eventId: 'e1' }) as unknown as RecordedEvent;

describe('phase3OutboxRoute', () => {
  const route = phase3OutboxRoute('nba-phase3-trigger');

  it('maps a trigger to the phase-3 message', () => {
    expect(route.toMessage(recorded(trigger))).toEqual({
      attributes: {
        game_date: '2026-01-22',
        correlation_id: 'corr-1',
        trigger_reason: 'deadline_exceeded',
        partial: 'true',
      },
      body: {
        game_date: '2026-01-22',
        correlation_id: 'corr-1',
        trigger_source: 'orchestrator',
        triggered_by: 'shotclock',
        trigger_reason: 'deadline_exceeded',
        partial: true,
        completed_processors: ['a_one', 'd_opt'],
        missing_processors: ['b_two'],
        expected_processors: ['a_one', 'b_two'],
        upstream_processors_count: 2,
        timestamp: '2026-01-22T12:30:00.000Z',
      },
    });
  });

  it('publishes nothing for a trigger recorded in monitor mode', () => {
    expect(route.toMessage(recorded({ ...trigger, mode: 'monitor' }))).toBeNull();
  });
});
