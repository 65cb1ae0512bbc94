import type { NewEvent } from '../../common/event-store/index.js';
import {
  decidePhase2,
  type Phase2Command,
  type Phase2Context,
  type ProcessorReport,
} from './phase2.decider.js';
import {
  PHASE2_EVENTS,
  type Phase2ProcessorReported,
  type Phase3Triggered,
  type ProcessorStatus,
} from './phase2.events.js';
import { evolvePhase2, initialPhase2State, type Phase2State } from './phase2.state.js';
import type { PhaseProcessors } from './processors-config.js';

const DATE = '2026-01-22';
const T0 = Date.parse('2026-01-22T12:00:00.000Z');
const DEADLINE_MS = 30 * 60_000;
const at = (ms: number) => new Date(T0 + ms).toISOString();

const phase: PhaseProcessors = {
  phase: 'phase_2_raw',
  required: ['a_one', 'b_two', 'c_three'],
  tracked: ['d_opt'],
  treatNoDataAsSuccess: ['c_three'],
  aliases: { LegacyAProcessor: 'a_one', BTwoBatchProcessor: 'b_two' },
};

const context = (overrides: Partial<Phase2Context> = {}): Phase2Context => ({
  phase,
  nowMs: T0,
  deadlineEnabled: true,
  deadlineMs: DEADLINE_MS,
  mode: 'trigger',
  ...overrides,
});

const report = (name: string, status: ProcessorStatus = 'success'): Phase2Command => ({
  kind: 'report',
  report: {
    processor_name: name,
    status,
    execution_id: `exec-${name}`,
    correlation_id: `corr-${name}`,
    timestamp: '2026-01-22T11:58:41Z',
  } satisfies ProcessorReport,
});

/** Given these commands decided and applied in order (each at its time). */
function given(...steps: Array<[Phase2Command, number?]>): Phase2State {
  let state = initialPhase2State(DATE);
  for (const [command, ms = 0] of steps) {
    const decision = decidePhase2(command, state, context({ nowMs: T0 + ms }));
    if (decision.kind === 'append') state = decision.events.reduce(evolvePhase2, state);
  }
  return state;
}

const types = (events: NewEvent[]) => events.map((event) => event.type);
const eventsOf = (decision: ReturnType<typeof decidePhase2>) => {
  if (decision.kind !== 'append') throw new Error(`expected an append, got ${decision.kind}`);
  return decision.events;
};
const triggerOf = (events: NewEvent[]) =>
  events.find((event) => event.type === PHASE2_EVENTS.phase3Triggered)?.data as
    Phase3Triggered | undefined;

describe('decidePhase2: reports', () => {
  it('records the first report and schedules the deadline from it', () => {
    const events = eventsOf(decidePhase2(report('a_one'), given(), context()));
    expect(types(events)).toEqual([
      PHASE2_EVENTS.processorReported,
      PHASE2_EVENTS.deadlineScheduled,
    ]);
    expect(events[0]!.data).toMatchObject({
      processor: 'a_one',
      match_rule: 'exact',
      counts_as_done: true,
      late: false,
      received_at: at(0),
    });
    expect(events[1]!.data).toEqual({
      game_date: DATE,
      first_completion_at: at(0),
      deadline_at: at(DEADLINE_MS),
      deadline_ms: DEADLINE_MS,
    });
  });

  it('schedules no deadline when the flag is off for the date', () => {
    const events = eventsOf(
      decidePhase2(report('a_one'), given(), context({ deadlineEnabled: false })),
    );
    expect(types(events)).toEqual([PHASE2_EVENTS.processorReported]);
  });

  it('schedules the deadline from the first completion when the flag is turned on later', () => {
    let state = initialPhase2State(DATE);
    const first = eventsOf(
      decidePhase2(report('a_one'), state, context({ deadlineEnabled: false })),
    );
    state = first.reduce(evolvePhase2, state);
    const later = eventsOf(decidePhase2(report('b_two'), state, context({ nowMs: T0 + 60_000 })));
    expect(later[1]).toMatchObject({
      type: PHASE2_EVENTS.deadlineScheduled,
      data: { first_completion_at: at(0), deadline_at: at(DEADLINE_MS) },
    });
  });

  it('schedules the deadline only once', () => {
    const events = eventsOf(decidePhase2(report('b_two'), given([report('a_one')]), context()));
    expect(types(events)).toEqual([PHASE2_EVENTS.processorReported]);
  });

  it('triggers all_complete with the report that completes the last required processor', () => {
    const state = given([report('a_one')], [report('d_opt')], [report('b_two', 'partial')]);
    const events = eventsOf(
      decidePhase2(report('CThreeProcessor'), state, context({ nowMs: T0 + 90_000 })),
    );
    expect(types(events)).toEqual([PHASE2_EVENTS.processorReported, PHASE2_EVENTS.phase3Triggered]);
    expect(triggerOf(events)).toEqual({
      game_date: DATE,
      reason: 'all_complete',
      partial: false,
      mode: 'trigger',
      manual_reason: null,
      completed_processors: ['a_one', 'b_two', 'c_three', 'd_opt'],
      missing_processors: [],
      expected_processors: ['a_one', 'b_two', 'c_three'],
      unexpected_processors: [],
      correlation_id: 'corr-a_one',
      parent_execution_id: 'exec-CThreeProcessor',
      parent_processor: 'CThreeProcessor',
      first_completion_at: at(0),
      minutes_elapsed: 1.5,
      triggered_at: at(90_000),
    });
  });

  it.each([
    ['failed', 'failed'],
    ['skipped', 'skipped'],
    ['no_data where not configured', 'no_data'],
  ] as const)('does not complete a processor that reports %s', (_, status) => {
    const state = given([report('a_one')], [report('c_three')]);
    const events = eventsOf(decidePhase2(report('b_two', status), state, context()));
    expect(types(events)).toEqual([PHASE2_EVENTS.processorReported]);
    expect((events[0]!.data as Phase2ProcessorReported).counts_as_done).toBe(false);
  });

  it('counts no_data as done where treat_no_data_as_success is configured', () => {
    const state = given([report('a_one')], [report('b_two')]);
    const events = eventsOf(decidePhase2(report('c_three', 'no_data'), state, context()));
    expect(triggerOf(events)?.reason).toBe('all_complete');
  });

  it('keeps a processor done when a failure arrives after its success (out of order)', () => {
    const state = given([report('a_one')], [report('a_one', 'failed')], [report('b_two')]);
    expect(state.processors.a_one).toMatchObject({ status: 'failed', done: true, reports: 2 });
    const events = eventsOf(decidePhase2(report('c_three'), state, context()));
    expect(triggerOf(events)?.reason).toBe('all_complete');
  });

  it('records an unmatched name as unexpected, and it never completes the phase', () => {
    const state = given([report('a_one')], [report('ZzTopProcessor')]);
    expect(state.unexpected).toEqual(['ZzTopProcessor']);
    expect(state.completed).toEqual(['a_one']);
    const events = eventsOf(decidePhase2(report('ZzTopProcessor'), state, context()));
    expect(events[0]!.data).toMatchObject({
      processor: null,
      match_rule: null,
      counts_as_done: false,
    });
  });

  it('records reports after the trigger as late, and never triggers again', () => {
    const state = given([report('a_one')], [report('b_two')], [report('c_three')]);
    expect(state.trigger?.reason).toBe('all_complete');
    const events = eventsOf(decidePhase2(report('d_opt'), state, context()));
    expect(types(events)).toEqual([PHASE2_EVENTS.processorReported]);
    expect(events[0]!.data).toMatchObject({ late: true });
    const after = events.reduce(evolvePhase2, state);
    expect(after.late).toEqual(['d_opt']);
    expect(after.trigger).toBe(state.trigger);
  });

  it('completes a processor when any of its class names reports done, and keeps every name', () => {
    const state = given(
      [report('b_two', 'failed')],
      [report('BTwoBatchProcessor')],
      [report('b_two', 'failed')],
    );
    expect(state.processors.b_two).toMatchObject({
      status: 'failed',
      done: true,
      reports: 3,
      reported_names: ['BTwoBatchProcessor', 'b_two'],
      done_by: 'BTwoBatchProcessor',
    });
    expect(state.completed).toEqual(['b_two']);
  });

  it('takes the correlation id from the first report that carries one', () => {
    const bare = (name: string): Phase2Command => {
      const command = report(name);
      if (command.kind !== 'report') throw new Error('a report');
      return { kind: 'report', report: { ...command.report, correlation_id: undefined } };
    };
    const state = given([bare('a_one')], [report('b_two')], [report('d_opt')]);
    expect(state.correlation_id).toBe('corr-b_two');
    const events = eventsOf(decidePhase2(bare('c_three'), state, context()));
    expect(events[0]!.data).toMatchObject({ correlation_id: null });
    expect(triggerOf(events)).toMatchObject({ correlation_id: 'corr-b_two' });
  });

  it('a duplicate completion of a done processor changes nothing but the count', () => {
    const state = given([report('a_one')], [report('a_one')]);
    expect(state.completed).toEqual(['a_one']);
    expect(state.processors.a_one!.reports).toBe(2);
    expect(state.version).toBe(3);
  });

  it('records the trigger in monitor mode with mode monitor', () => {
    const state = given([report('a_one')], [report('b_two')]);
    const events = eventsOf(decidePhase2(report('c_three'), state, context({ mode: 'monitor' })));
    expect(triggerOf(events)).toMatchObject({ reason: 'all_complete', mode: 'monitor' });
  });
});

describe('decidePhase2: the deadline', () => {
  it('triggers deadline_exceeded, partial, with the completed and missing processors', () => {
    const state = given([report('a_one')], [report('LegacyAProcessor')], [report('ZzTop')]);
    const events = eventsOf(
      decidePhase2({ kind: 'deadline_due' }, state, context({ nowMs: T0 + DEADLINE_MS })),
    );
    expect(triggerOf(events)).toMatchObject({
      reason: 'deadline_exceeded',
      partial: true,
      completed_processors: ['a_one'],
      missing_processors: ['b_two', 'c_three'],
      unexpected_processors: ['ZzTop'],
      minutes_elapsed: 30,
      parent_execution_id: null,
      parent_processor: null,
    });
  });

  it('does nothing once triggered (the timer may fire after an all_complete trigger)', () => {
    const state = given([report('a_one')], [report('b_two')], [report('c_three')]);
    expect(decidePhase2({ kind: 'deadline_due' }, state, context())).toEqual({
      kind: 'nothing',
      why: 'phase 3 was already triggered',
    });
  });

  it('does nothing when the flag was turned off for the date since', () => {
    const state = given([report('a_one')]);
    expect(
      decidePhase2({ kind: 'deadline_due' }, state, context({ deadlineEnabled: false })).kind,
    ).toBe('nothing');
  });
});

describe('decidePhase2: manual trigger', () => {
  it('triggers with reason manual, partial when required processors are missing', () => {
    const state = given([report('a_one')]);
    const events = eventsOf(
      decidePhase2(
        { kind: 'manual', reason: 'gamebook late' },
        state,
        context({ nowMs: T0 + 60_000 }),
      ),
    );
    expect(triggerOf(events)).toMatchObject({
      reason: 'manual',
      manual_reason: 'gamebook late',
      partial: true,
      missing_processors: ['b_two', 'c_three'],
      minutes_elapsed: 1,
      parent_execution_id: null,
      parent_processor: null,
    });
  });

  it('works before any completion', () => {
    const events = eventsOf(decidePhase2({ kind: 'manual', reason: 'x' }, given(), context()));
    expect(triggerOf(events)).toMatchObject({
      first_completion_at: null,
      minutes_elapsed: null,
      correlation_id: `phase3-${DATE}`,
      completed_processors: [],
    });
  });

  it('answers already_triggered with the existing trigger', () => {
    const state = given([{ kind: 'manual', reason: 'first' }]);
    const decision = decidePhase2({ kind: 'manual', reason: 'first' }, state, context());
    expect(decision).toMatchObject({
      kind: 'already_triggered',
      trigger: { reason: 'manual', manual_reason: 'first' },
    });
  });
});
