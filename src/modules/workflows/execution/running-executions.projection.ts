import { defineProjection } from '../../../common/projections/projection-definition.js';
import { WORKFLOW_EVENTS, type WorkflowEvent } from '../workflow.events.js';

export const RUNNING_EXECUTIONS_PROJECTION = 'workflow-running-executions';
export const RUNNING_EXECUTIONS = 'workflow_running_executions';

/** An execution started and not finished (yet, or ever: a crash leaves it here). */
export interface RunningExecution {
  execution_id: string;
  workflow: string;
  started_at: string;
  /** Log position of its WorkflowExecutionStarted. */
  position: string;
  /** The instance running it; null for executions recorded before instances were named. */
  instance_id: string | null;
  [key: string]: unknown;
}

/** Executions started and not finished, keyed by execution id: what the crash recovery looks at. */
export const runningExecutionsProjection = defineProjection<WorkflowEvent>()({
  name: RUNNING_EXECUTIONS_PROJECTION,
  eventTypes: [WORKFLOW_EVENTS.executionStarted, WORKFLOW_EVENTS.executionFinished],
  collections: [RUNNING_EXECUTIONS],
  async apply(event, tx) {
    if (event.type === WORKFLOW_EVENTS.executionStarted) {
      const data = event.data;
      const doc: RunningExecution = {
        execution_id: data.execution_id,
        workflow: data.workflow,
        started_at: data.started_at,
        position: event.position,
        instance_id: data.instance_id ?? null,
      };
      await tx.put(RUNNING_EXECUTIONS, data.execution_id, doc);
    } else {
      const data = event.data;
      await tx.delete(RUNNING_EXECUTIONS, data.execution_id);
    }
  },
});
