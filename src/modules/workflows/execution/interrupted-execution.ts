import type { EventOfType, Recorded } from '../../../common/event-store/index.js';
import {
  WORKFLOW_EVENTS,
  type WorkflowEvent,
  type WorkflowExecutionFinished,
  type WorkflowStepFinished,
} from '../workflow.events.js';
import { emptyCounts } from './execution-status.js';

export const INTERRUPTED_ERROR =
  'interrupted: the service stopped (crash, kill or restart) before this execution finished; ' +
  'recorded at the next start. Run it again with POST /v1/workflows/:name/execute if needed';

/**
 * The WorkflowExecutionFinished that closes an execution left running by a crash, from its
 * stream: the steps it recorded are counted, the duration runs to its last recorded event.
 * null when the stream already holds a finish (or no start).
 */
export function interruptedFinish(
  stream: readonly Recorded<WorkflowEvent>[],
  finishedAt: Date,
): WorkflowExecutionFinished | null {
  let started: Recorded<
    EventOfType<WorkflowEvent, typeof WORKFLOW_EVENTS.executionStarted>
  > | null = null;
  const steps: WorkflowStepFinished[] = [];
  for (const event of stream) {
    switch (event.type) {
      case WORKFLOW_EVENTS.executionStarted:
        started ??= event;
        break;
      case WORKFLOW_EVENTS.stepFinished:
        steps.push(event.data);
        break;
      case WORKFLOW_EVENTS.executionFinished:
        return null;
    }
  }
  if (!started) return null;
  const counts = emptyCounts();
  for (const step of steps) counts[step.outcome] += 1;
  const last = stream[stream.length - 1]!;
  return {
    execution_id: started.data.execution_id,
    workflow: started.data.workflow,
    status: 'interrupted',
    counts,
    duration_ms: Math.max(0, Date.parse(last.recordedAt) - Date.parse(started.recordedAt)),
    errors: [
      ...steps.flatMap((step) => (step.error === null ? [] : [step.error])),
      INTERRUPTED_ERROR,
    ],
    finished_at: finishedAt.toISOString(),
  };
}
