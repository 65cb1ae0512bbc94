import type { Decider, NewEventOf } from '../../common/event-store/index.js';
import {
  PHASE2_EVENTS,
  type Phase2DeadlineScheduled,
  type Phase2Event,
  type Phase2ProcessorReported,
  type Phase3Triggered,
  type ProcessorStatus,
  type TriggerMode,
  type TriggerReason,
} from './phase2.events.js';
import { evolvePhase2, initialPhase2State, type Phase2State } from './phase2.state.js';
import { matchProcessor } from './processor-matcher.js';
import type { PhaseProcessors } from './processors-config.js';

const MS_PER_MINUTE = 60_000;

/** What holds when a command is decided (config and clock, passed in so the decider stays pure). */
export interface Phase2Context {
  phase: PhaseProcessors;
  nowMs: number;
  /** ENABLE_PHASE2_COMPLETION_DEADLINE for this game date. */
  deadlineEnabled: boolean;
  deadlineMs: number;
  mode: TriggerMode;
}

/** One completion message, as validated by the push schema. */
export interface ProcessorReport {
  processor_name: string;
  status: ProcessorStatus;
  execution_id: string;
  /** Informational: absent when the publisher sent none (or an empty one). */
  correlation_id?: string | null | undefined;
  output_table?: string | null | undefined;
  record_count?: number | null | undefined;
  timestamp: string;
}

export type Phase2Command =
  | { kind: 'report'; report: ProcessorReport }
  | { kind: 'deadline_due' }
  | { kind: 'manual'; reason: string };

export type Phase2Decision =
  | { kind: 'append'; events: NewEventOf<Phase2Event>[] }
  | { kind: 'nothing'; why: string }
  | { kind: 'already_triggered'; trigger: Phase3Triggered };

/** The phase-2 stream of `gameDate` (`phase2-<game_date>`) as a decider. */
export const phase2Decider = (
  gameDate: string,
): Decider<Phase2Command, Phase2State, Phase2Event, Phase2Context, Phase2Decision> => ({
  initialState: () => initialPhase2State(gameDate),
  evolve: evolvePhase2,
  decide: decidePhase2,
});

/**
 * The phase-2 fan-in of one game date (pure). Every report is recorded; the first one schedules
 * the deadline (when on for the date); phase 3 is triggered once: when every required processor is
 * done (`all_complete`), when the deadline comes due first (`deadline_exceeded`, partial), or by
 * hand (`manual`). After the trigger, reports are recorded as late and trigger nothing.
 */
export function decidePhase2(
  command: Phase2Command,
  state: Phase2State,
  context: Phase2Context,
): Phase2Decision {
  switch (command.kind) {
    case 'report':
      return decideReport(state, command.report, context);
    case 'deadline_due':
      if (state.trigger) return { kind: 'nothing', why: 'phase 3 was already triggered' };
      if (!context.deadlineEnabled) {
        return {
          kind: 'nothing',
          why: `ENABLE_PHASE2_COMPLETION_DEADLINE is off for ${state.game_date}`,
        };
      }
      return { kind: 'append', events: [triggered(state, 'deadline_exceeded', context)] };
    case 'manual':
      if (state.trigger) return { kind: 'already_triggered', trigger: state.trigger };
      return {
        kind: 'append',
        events: [triggered(state, 'manual', context, { manualReason: command.reason })],
      };
  }
}

function decideReport(
  state: Phase2State,
  report: ProcessorReport,
  context: Phase2Context,
): Phase2Decision {
  const { phase, nowMs } = context;
  const match = matchProcessor(phase, report);
  const receivedAt = new Date(nowMs).toISOString();
  const reported: Phase2ProcessorReported = {
    game_date: state.game_date,
    processor: match?.processor ?? null,
    match_rule: match?.rule ?? null,
    processor_name: report.processor_name,
    status: report.status,
    counts_as_done: match !== null && countsAsDone(phase, match.processor, report.status),
    late: state.trigger !== null,
    execution_id: report.execution_id,
    correlation_id: report.correlation_id ?? null,
    output_table: report.output_table ?? null,
    record_count: report.record_count ?? null,
    reported_at: report.timestamp,
    received_at: receivedAt,
  };
  const events: NewEventOf<Phase2Event>[] = [
    { type: PHASE2_EVENTS.processorReported, data: reported },
  ];
  // Scheduled with the first report; or with a later one when the flag was turned on meanwhile
  // (still measured from the first completion).
  if (state.deadline_at === null && state.trigger === null && context.deadlineEnabled) {
    const first = state.first_completion_at ?? receivedAt;
    const scheduled: Phase2DeadlineScheduled = {
      game_date: state.game_date,
      first_completion_at: first,
      deadline_at: new Date(Date.parse(first) + context.deadlineMs).toISOString(),
      deadline_ms: context.deadlineMs,
    };
    events.push({ type: PHASE2_EVENTS.deadlineScheduled, data: scheduled });
  }
  if (state.trigger === null && reported.counts_as_done) {
    const after = events.reduce(evolvePhase2, state);
    if (missingRequired(after, phase).length === 0) {
      events.push(triggered(after, 'all_complete', context, { cause: report }));
    }
  }
  return { kind: 'append', events };
}

/** success and partial complete a processor; no_data only where configured; failed and skipped never. */
export function countsAsDone(
  phase: PhaseProcessors,
  processor: string,
  status: ProcessorStatus,
): boolean {
  if (status === 'success' || status === 'partial') return true;
  return status === 'no_data' && phase.treatNoDataAsSuccess.includes(processor);
}

/** Required processors not done yet, in configured order. */
export function missingRequired(state: Phase2State, phase: PhaseProcessors): string[] {
  return phase.required.filter((name) => !state.completed.includes(name));
}

/** What caused a trigger besides its reason: the completing report, or the manual caller's text. */
interface TriggerCause {
  cause?: ProcessorReport;
  manualReason?: string;
}

function triggered(
  state: Phase2State,
  reason: TriggerReason,
  context: Phase2Context,
  { cause, manualReason }: TriggerCause = {},
): NewEventOf<Phase2Event> {
  const missing = missingRequired(state, context.phase);
  const first = state.first_completion_at;
  const data: Phase3Triggered = {
    game_date: state.game_date,
    reason,
    partial: reason === 'deadline_exceeded' || missing.length > 0,
    mode: context.mode,
    manual_reason: manualReason ?? null,
    completed_processors: [...state.completed],
    missing_processors: missing,
    expected_processors: [...context.phase.required],
    unexpected_processors: [...state.unexpected],
    correlation_id: state.correlation_id ?? `phase3-${state.game_date}`,
    parent_execution_id: cause?.execution_id ?? null,
    parent_processor: cause?.processor_name ?? null,
    first_completion_at: first,
    minutes_elapsed:
      first === null
        ? null
        : Math.round(((context.nowMs - Date.parse(first)) / MS_PER_MINUTE) * 100) / 100,
    triggered_at: new Date(context.nowMs).toISOString(),
  };
  return { type: PHASE2_EVENTS.phase3Triggered, data };
}
