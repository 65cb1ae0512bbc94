import type { ExecutionRow } from '../analytics-rows.js';
import type { DecisionRowContext } from './decision-rows.mapper.js';
import type {
  StepOutcome,
  WorkflowExecutionFinished,
  WorkflowExecutionStarted,
  WorkflowStepFinished,
} from '../../workflows/index.js';

const SUCCEEDED: readonly StepOutcome[] = ['success', 'no_data'];
const FAILED: readonly StepOutcome[] = ['failed', 'timed_out', 'circuit_open'];
const MS_PER_SECOND = 1000;

/** An execution's events as read from its stream when its WorkflowExecutionFinished is exported. */
export interface FinishedExecution {
  /** null only for a stream that lost its start (not written by this service). */
  started: WorkflowExecutionStarted | null;
  steps: readonly WorkflowStepFinished[];
  finished: WorkflowExecutionFinished;
  /** When the Finished event was recorded (the row's created_at). */
  finishedRecordedAt: string;
}

const sum = (counts: Record<StepOutcome, number>, outcomes: readonly StepOutcome[]) =>
  outcomes.reduce((total, outcome) => total + (counts[outcome] ?? 0), 0);

/**
 * One row per finished execution, natural id `execution_id`. Counts come from the Finished
 * event: triggered = every scraper call with an outcome; succeeded = success + no_data (an
 * empty answer is an answer); failed = failed + timed_out + circuit_open (so triggered =
 * succeeded + failed). `scraper_execution_ids` are `<execution_id>:<step>:<scraper>` of each
 * finished step. `decision_id` = `<evaluation_id>:<workflow>` for a scheduled run, else null.
 * `environment` is the workflows file's (as on decision rows).
 */
export function executionRow(
  execution: FinishedExecution,
  context: Pick<DecisionRowContext, 'environment'>,
): ExecutionRow {
  const { started, steps, finished } = execution;
  const succeeded = sum(finished.counts, SUCCEEDED);
  const failed = sum(finished.counts, FAILED);
  const executionTime =
    started?.started_at ??
    new Date(Date.parse(finished.finished_at) - finished.duration_ms).toISOString();
  return {
    execution_id: finished.execution_id,
    execution_time: executionTime,
    workflow_name: finished.workflow,
    decision_id: started?.evaluation_id ? `${started.evaluation_id}:${started.workflow}` : null,
    scrapers_requested: started ? [...started.scrapers] : [],
    scrapers_triggered: succeeded + failed,
    scrapers_succeeded: succeeded,
    scrapers_failed: failed,
    scraper_execution_ids: steps.map((step) => `${step.execution_id}:${step.step}:${step.scraper}`),
    status: finished.status,
    duration_seconds: finished.duration_ms / MS_PER_SECOND,
    error_message: finished.errors.length > 0 ? finished.errors.join('; ') : null,
    environment: context.environment,
    created_at: execution.finishedRecordedAt,
  };
}
