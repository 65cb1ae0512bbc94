import type { Decider, EventOfType } from '../../common/event-store/index.js';
import {
  WORKFLOW_EVENTS,
  type WorkflowEvaluationRecorded,
  type WorkflowEvent,
} from './workflow.events.js';

/** The events of an hour's evaluation stream, `workflow-evaluation-<hour_key>`. */
export type EvaluationStreamEvent = EventOfType<
  WorkflowEvent,
  typeof WORKFLOW_EVENTS.evaluationRecorded
>;

/** An hour's evaluation as its stream tells it: the first one recorded, if any. */
export interface EvaluationState {
  recorded: WorkflowEvaluationRecorded | null;
}

/** Decisions made for the hour (by the evaluation service, which reads what they need). */
export interface RecordEvaluation {
  kind: 'record';
  recorded: WorkflowEvaluationRecorded;
}

export type EvaluationDecision =
  | {
      kind: 'record';
      events: [
        { type: typeof WORKFLOW_EVENTS.evaluationRecorded; data: WorkflowEvaluationRecorded },
      ];
    }
  /** The hour was evaluated already: its first evaluation stands. */
  | { kind: 'replay'; recorded: WorkflowEvaluationRecorded };

export function evolveEvaluation(
  state: EvaluationState,
  event: EvaluationStreamEvent,
): EvaluationState {
  if (state.recorded || event.type !== WORKFLOW_EVENTS.evaluationRecorded) return state;
  return { recorded: event.data };
}

/** One evaluation per local hour (pure): the first recorded stands, later ones replay it. */
export function decideEvaluation(
  command: RecordEvaluation,
  state: EvaluationState,
): EvaluationDecision {
  if (state.recorded) return { kind: 'replay', recorded: state.recorded };
  return {
    kind: 'record',
    events: [{ type: WORKFLOW_EVENTS.evaluationRecorded, data: command.recorded }],
  };
}

/** An hour's evaluation stream as a decider. */
export const evaluationDecider: Decider<
  RecordEvaluation,
  EvaluationState,
  EvaluationStreamEvent,
  void,
  EvaluationDecision
> = {
  initialState: () => ({ recorded: null }),
  evolve: evolveEvaluation,
  decide: decideEvaluation,
};
