import { streamEvents, type EventLog, type RecordedOf } from '../../../common/event-store/index.js';
import type { AnalyticsRows } from '../analytics-rows.js';
import {
  WORKFLOW_EVENTS,
  workflowExecutionStream,
  type WorkflowEvent,
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

/** An exported event as the export follower hands it over. */
export type ExportedEvent = RecordedOf<WorkflowEvent, typeof EXPORTED_EVENT_TYPES>;

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

  async rowsOf(event: ExportedEvent): Promise<ExportRows> {
    if (event.type === WORKFLOW_EVENTS.evaluationRecorded) {
      const data = event.data;
      return { decisions: decisionRows(data, event.recordedAt, this.context), executions: [] };
    }
    if (event.type === WORKFLOW_EVENTS.executionFinished) {
      const finished = event.data;
      let started: WorkflowExecutionStarted | null = null;
      const steps: WorkflowStepFinished[] = [];
      const stream = workflowExecutionStream(finished.execution_id);
      for await (const earlier of streamEvents<WorkflowEvent>({ events: this.events }, stream)) {
        if (earlier.type === WORKFLOW_EVENTS.executionStarted) {
          started = earlier.data;
        } else if (earlier.type === WORKFLOW_EVENTS.stepFinished) {
          steps.push(earlier.data);
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
