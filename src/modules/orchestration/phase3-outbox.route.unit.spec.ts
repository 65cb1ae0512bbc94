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
  parent_execution_id: null,
  parent_processor: null,
  first_completion_at: '2026-01-22T12:00:00.000Z',
  minutes_elapsed: 30,
  triggered_at: '2026-01-22T12:30:00.000Z',
};

const recorded = (data: Phase3Triggered) =>
  ({ type: 'Phase3Triggered', data, eventId: 'e1' }) as unknown as RecordedEvent<
    Phase3Triggered,
    'Phase3Triggered'
  >;

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
        // Required processors done (a_one); the tracked d_opt is not counted.
        upstream_processors_count: 1,
        timestamp: '2026-01-22T12:30:00.000Z',
        parent_execution_id: null,
        parent_processor: null,
      },
    });
  });

  it('names the completion that completed the fan-in as the parent', () => {
    const complete: Phase3Triggered = {
      ...trigger,
      reason: 'all_complete',
      partial: false,
      completed_processors: ['a_one', 'b_two', 'd_opt'],
      missing_processors: [],
      parent_execution_id: 'exec-9',
      parent_processor: 'BTwoBatchProcessor',
    };
    expect(route.toMessage(recorded(complete))!.body).toMatchObject({
      upstream_processors_count: 2,
      parent_execution_id: 'exec-9',
      parent_processor: 'BTwoBatchProcessor',
    });
  });

  it('maps a trigger recorded before the parent fields existed with null parents', () => {
    const { parent_execution_id: _id, parent_processor: _processor, ...older } = trigger;
    expect(route.toMessage(recorded(older))!.body).toMatchObject({
      parent_execution_id: null,
      parent_processor: null,
    });
  });

  it('publishes nothing for a trigger recorded in monitor mode', () => {
    expect(route.toMessage(recorded({ ...trigger, mode: 'monitor' }))).toBeNull();
  });
});
