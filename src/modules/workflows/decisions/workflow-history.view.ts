import type { DecisionAction, StepOutcome } from '../workflow.events.js';
import type { ExecutionStatus } from './workflow.decider.js';

/** Read models of workflow executions and decisions (owned by the two projections below). */
export const WORKFLOW_EXECUTIONS_PROJECTION = 'workflow-executions';
export const WORKFLOW_DECISIONS_PROJECTION = 'workflow-decisions';

export const WORKFLOW_COLLECTIONS = {
  /** execution_id -> ExecutionView */
  executions: 'workflow_executions',
  /** `<local_date>|<started_at>|<execution_id>` -> ExecutionView (the day's list, in start order) */
  executionsByDate: 'workflow_executions_by_date',
  /** `<workflow>|<local_date>` -> WorkflowDayView */
  days: 'workflow_days',
  /** workflow -> ExecutionView of its latest started execution */
  lastExecution: 'workflow_last_execution',
  /** `<local_date>|<hour_key>` -> EvaluationView */
  evaluationsByDate: 'workflow_evaluations_by_date',
  /** workflow -> LastDecisionView */
  lastDecision: 'workflow_last_decision',
} as const;

export const EXECUTION_COLLECTIONS = [
  WORKFLOW_COLLECTIONS.executions,
  WORKFLOW_COLLECTIONS.executionsByDate,
  WORKFLOW_COLLECTIONS.days,
  WORKFLOW_COLLECTIONS.lastExecution,
];
export const DECISION_COLLECTIONS = [
  WORKFLOW_COLLECTIONS.evaluationsByDate,
  WORKFLOW_COLLECTIONS.lastDecision,
];

export const executionDateKey = (
  view: Pick<ExecutionView, 'local_date' | 'started_at' | 'execution_id'>,
) => `${view.local_date}|${view.started_at}|${view.execution_id}`;
export const dayKey = (workflow: string, localDate: string) => `${workflow}|${localDate}`;
export const evaluationDateKey = (localDate: string, hourKey: string) => `${localDate}|${hourKey}`;

export interface ExecutionView {
  [key: string]: unknown;
  execution_id: string;
  workflow: string;
  evaluation_id: string | null;
  trigger: 'scheduled' | 'manual';
  local_date: string;
  status: ExecutionStatus;
  started_at: string;
  finished_at: string | null;
  /** From WorkflowExecutionFinished; null while running. */
  duration_ms: number | null;
  /** Per step outcome: live while running, the executor's final counts once finished. */
  counts: Record<StepOutcome, number>;
  steps_finished: number;
  errors: string[];
  execution_mode: 'parallel' | 'sequential';
  max_workers: number;
  scrapers: string[];
}

export interface WorkflowDayView {
  [key: string]: unknown;
  workflow: string;
  local_date: string;
  /** Executions started that day. */
  attempts: number;
  last_execution_id: string;
  last_started_at: string;
  last_status: ExecutionStatus;
  /** Some execution of the day finished `completed`. */
  succeeded: boolean;
  /** Some execution of the day finished with a scraper that returned rows (outcome `success`). */
  found_data?: boolean;
}

export interface EvaluationView {
  [key: string]: unknown;
  evaluation_id: string;
  hour_key: string;
  local_date: string;
  timezone: string;
  evaluated_at: string;
  decisions: Array<{
    workflow: string;
    action: DecisionAction;
    reason: string;
    priority: string;
    decision_type: string;
  }>;
}

export interface LastDecisionView {
  [key: string]: unknown;
  evaluation_id: string;
  hour_key: string;
  evaluated_at: string;
  action: DecisionAction;
  reason: string;
}

export const emptyCounts = (): Record<StepOutcome, number> => ({
  success: 0,
  no_data: 0,
  failed: 0,
  timed_out: 0,
  circuit_open: 0,
});
