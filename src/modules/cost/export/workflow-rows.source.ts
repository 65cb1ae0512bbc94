import type { EventLog, RecordedEvent } from '../../../common/event-store/index.js';
import type { AnalyticsRows } from '../analytics-rows.js';
import {
  WORKFLOW_EVENTS,
  workflowExecutionStream,
  type WorkflowEvaluationRecorded,
  type WorkflowExecutionFinished,
  type WorkflowExecutionStarted,
  type WorkflowStepFinished,
} from '../../workflows/index.js';
import { decisionRows, type DecisionRowContext } from './decision-rows.mapper.js';
import { executionRow } from './execution-row.mapper.js';

/** The event types the export reads from the log. */
export const EXPORTED_EVENT_TYPES = [
  WORKFLOW_EVENTS.evaluationRecorded,
  WORKFLOW_EVENTS.executionFinished,
] as const;

export interface ExportRows {
  decisions: Array<AnalyticsRows['workflow_decisions']>;
  executions: Array<AnalyticsRows['workflow_executions']>;
}

/**
 * Turns an exported event into rows: an evaluation into its decision rows; a finished execution
 * into its execution row, with its start and steps read from the execution's stream.
 */
export class WorkflowRowsSource {
  constructor(
    private readonly events: EventLog,
    private readonly context: DecisionRowContext,
  ) {}

  async rowsOf(event: RecordedEvent): Promise<ExportRows> {
    if (event.type === WORKFLOW_EVENTS.evaluationRecorded) {
      const data = event.data as WorkflowEvaluationRecorded;
      return { decisions: decisionRows(data, event.recordedAt, this.context), executions: [] };
    }
    if (event.type === WORKFLOW_EVENTS.executionFinished) {
      const finished = event.data as WorkflowExecutionFinished;
      let started: WorkflowExecutionStarted | null = null;
      const steps: WorkflowStepFinished[] = [];
      for await (const earlier of this.events.readStream(
        workflowExecutionStream(finished.execution_id),
      )) {
        if (earlier.type === WORKFLOW_EVENTS.executionStarted) {
          started = earlier.data as WorkflowExecutionStarted;
        } else if (earlier.type === WORKFLOW_EVENTS.stepFinished) {
          steps.push(earlier.data as WorkflowStepFinished);
        }
      }
      const row = executionRow(
        { started, steps, finished, finishedRecordedAt: event.recordedAt },
        this.context,
      );
      return { decisions: [], executions: [row] };
    }
    return { decisions: [], executions: [] };
  }
}
