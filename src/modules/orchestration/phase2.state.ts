import {
  PHASE2_EVENTS,
  type Phase2Event,
  type Phase2ProcessorReported,
  type Phase3Triggered,
  type ProcessorStatus,
} from './phase2.events.js';

/** The latest report of one configured processor. */
export interface ProcessorProgress {
  /** Last status reported. */
  status: ProcessorStatus;
  /** Done once a report counted as done; later failures do not undo it. */
  done: boolean;
  reports: number;
  last_received_at: string;
  /** Every class name (processor_name as sent) that reported for it, sorted. */
  reported_names: string[];
  /** The class name whose report first made it done (null while not done). */
  done_by: string | null;
}

/**
 * Everything known about one game date's phase 2, folded from its stream. Plain JSON: the
 * phase-status projection stores it as is, and the deciders rebuild it from the stream.
 */
export interface Phase2State {
  [key: string]: unknown;
  game_date: string;
  /** Version of `phase2-<game_date>` this state reflects (0: no stream). */
  version: number;
  /** From the first report that carries one. */
  correlation_id: string | null;
  first_completion_at: string | null;
  deadline_at: string | null;
  processors: Record<string, ProcessorProgress>;
  /** Configured processors done, sorted. */
  completed: string[];
  /** Reported names that match no configured processor, sorted. */
  unexpected: string[];
  /** Names (configured, or as reported when unexpected) that reported after the trigger, sorted. */
  late: string[];
  trigger: Phase3Triggered | null;
}

export function initialPhase2State(gameDate: string): Phase2State {
  return {
    game_date: gameDate,
    version: 0,
    correlation_id: null,
    first_completion_at: null,
    deadline_at: null,
    processors: {},
    completed: [],
    unexpected: [],
    late: [],
    trigger: null,
  };
}

/** Applies one event of the stream (pure; the version moves by one per event). */
export function evolvePhase2(state: Phase2State, event: Phase2Event): Phase2State {
  const next = { ...state, version: state.version + 1 };
  switch (event.type) {
    case PHASE2_EVENTS.processorReported:
      return withReport(next, event.data);
    case PHASE2_EVENTS.deadlineScheduled:
      return { ...next, deadline_at: event.data.deadline_at };
    case PHASE2_EVENTS.phase3Triggered:
      return { ...next, trigger: event.data };
    default:
      return next;
  }
}

function withReport(state: Phase2State, report: Phase2ProcessorReported): Phase2State {
  const next: Phase2State = {
    ...state,
    correlation_id: state.correlation_id ?? report.correlation_id,
    first_completion_at: state.first_completion_at ?? report.received_at,
  };
  const label = report.processor ?? report.processor_name;
  if (report.late) next.late = addSorted(state.late, label);
  if (report.processor === null) {
    next.unexpected = addSorted(state.unexpected, report.processor_name);
    return next;
  }
  const previous = state.processors[report.processor];
  const done = (previous?.done ?? false) || report.counts_as_done;
  next.processors = {
    ...state.processors,
    [report.processor]: {
      status: report.status,
      done,
      reports: (previous?.reports ?? 0) + 1,
      last_received_at: report.received_at,
      // Progress folded before these fields existed has neither.
      reported_names: addSorted(previous?.reported_names ?? [], report.processor_name),
      done_by: previous?.done ? (previous.done_by ?? null) : done ? report.processor_name : null,
    },
  };
  if (done) next.completed = addSorted(state.completed, report.processor);
  return next;
}

function addSorted(list: readonly string[], item: string): string[] {
  return list.includes(item) ? [...list] : [...list, item].sort();
}
