import type { RecordedEvent } from '../../../common/event-store/index.js';
import {
  WORKFLOW_EVENTS,
  type WorkflowExecutionFinished,
  type WorkflowExecutionStarted,
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
  stream: readonly RecordedEvent[],
  finishedAt: Date,
): WorkflowExecutionFinished | null {
  const started = stream.find((event) => event.type === WORKFLOW_EVENTS.executionStarted) as
    RecordedEvent<WorkflowExecutionStarted> | undefined;
  if (!started) return null;
  if (stream.some((event) => event.type === WORKFLOW_EVENTS.executionFinished)) return null;
  const steps = stream
    .filter((event) => event.type === WORKFLOW_EVENTS.stepFinished)
    .map((event) => (event as RecordedEvent<WorkflowStepFinished>).data);
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
