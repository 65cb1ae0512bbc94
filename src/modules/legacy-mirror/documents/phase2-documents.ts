import { Timestamp } from '@google-cloud/firestore';
import type { Phase2ProcessorReported, Phase3Triggered } from '../../orchestration/index.js';
import { isFirestoreName, phase2DocumentPath } from './mirror-paths.js';

/** One processor's field of `phase2_completion/{game_date}`. */
export interface ProcessorCompletionField {
  completed_at: Timestamp;
  correlation_id: string | null;
  status: string;
  record_count: number | null;
  execution_id: string;
}

/**
 * `phase2_completion/{game_date}` in the platform's layout: one map field per configured processor
 * that reported, and the `_`-prefixed fan-in fields.
 */
export interface Phase2Document extends Record<string, unknown> {
  _completed_count: number;
  _first_completion_at: Timestamp | null;
  _triggered: boolean;
  _triggered_at: Timestamp | null;
  _triggered_reason: string | null;
  _partial_completion: boolean;
}

/** The mirror's own record of a game date (never read by the platform). */
export interface Phase2MirrorState extends Record<string, unknown> {
  kind: 'phase2';
  /** The document it backs (what a reset deletes). */
  document_path: string;
  game_date: string;
  /** Configured processors done (a report counted as done; later failures do not undo it). */
  done: Record<string, true>;
}

const timestamp = (iso: string) => Timestamp.fromDate(new Date(iso));

function initial(gameDate: string): { document: Phase2Document; state: Phase2MirrorState } {
  return {
    document: {
      _completed_count: 0,
      _first_completion_at: null,
      _triggered: false,
      _triggered_at: null,
      _triggered_reason: null,
      _partial_completion: false,
    },
    state: {
      kind: 'phase2',
      document_path: phase2DocumentPath(gameDate),
      game_date: gameDate,
      done: {},
    },
  };
}

/**
 * Whether a processor's name can be a field of the document: a Firestore name that does not start
 * with `_`, which the fan-in fields own.
 */
export function isProcessorField(name: string): boolean {
  return isFirestoreName(name) && !name.startsWith('_');
}

/**
 * One completion message of a configured processor: its field holds the report that made it done
 * (the first, as the platform kept the first completion), or its latest report until one does.
 * A report of an unconfigured processor only moves `_first_completion_at`.
 */
export function withReport(
  current: { document: Phase2Document; state: Phase2MirrorState } | null,
  report: Phase2ProcessorReported,
): { document: Phase2Document; state: Phase2MirrorState } {
  const { document, state } = current ?? initial(report.game_date);
  let next: Phase2Document = {
    ...document,
    _first_completion_at: document._first_completion_at ?? timestamp(report.received_at),
  };
  let nextState = state;
  const processor = report.processor;
  if (processor !== null && isProcessorField(processor) && !state.done[processor]) {
    const field: ProcessorCompletionField = {
      completed_at: timestamp(report.received_at),
      correlation_id: report.correlation_id,
      status: report.status,
      record_count: report.record_count,
      execution_id: report.execution_id,
    };
    next = { ...next, [processor]: field };
    if (report.counts_as_done) {
      nextState = { ...state, done: { ...state.done, [processor]: true } };
      next = { ...next, _completed_count: Object.keys(nextState.done).length };
    }
  }
  return { document: next, state: nextState };
}

export function withTrigger(
  current: { document: Phase2Document; state: Phase2MirrorState } | null,
  trigger: Phase3Triggered,
): { document: Phase2Document; state: Phase2MirrorState } {
  const { document, state } = current ?? initial(trigger.game_date);
  return {
    document: {
      ...document,
      _triggered: true,
      _triggered_at: timestamp(trigger.triggered_at),
      _triggered_reason: trigger.reason,
      _partial_completion: trigger.partial,
    },
    state,
  };
}
