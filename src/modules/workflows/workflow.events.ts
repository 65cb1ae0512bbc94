import type { Holds, SameEventTypes, TypedEvent } from '../../common/event-store/index.js';

/**
 * Workflow events: the contract between decisions (evaluate, read models) and execution.
 * Decisions: one stream per local hour, `workflow-evaluation-<hour_key>` (hour_key
 * `YYYY-MM-DDTHH` in the configured time zone), appended once under idempotency key
 * `workflow-evaluate:<hour_key>`. Executions: one stream per execution, `workflow-execution-<id>`;
 * an execution of an evaluated RUN decision has id `<evaluation_id>:<workflow>` and is started
 * with expectedVersion 'no-stream', so it starts at most once.
 */
export const WORKFLOW_EVENTS = {
  evaluationRecorded: 'WorkflowEvaluationRecorded',
  executionStarted: 'WorkflowExecutionStarted',
  stepFinished: 'WorkflowStepFinished',
  executionFinished: 'WorkflowExecutionFinished',
} as const;

export const workflowEvaluationStream = (hourKey: string) => `workflow-evaluation-${hourKey}`;
export const workflowExecutionStream = (executionId: string) => `workflow-execution-${executionId}`;

export type DecisionAction = 'RUN' | 'SKIP' | 'ABORT';

export interface WorkflowDecision {
  workflow: string;
  action: DecisionAction;
  /** For humans: "Outside ideal window 06:00-10:00", "Ran 1.5h ago (every 2h)", ... */
  reason: string;
  priority: string;
  decision_type: string;
}

export interface WorkflowEvaluationRecorded {
  evaluation_id: string;
  hour_key: string;
  /** The local date (configured time zone) the decisions are about. */
  local_date: string;
  timezone: string;
  evaluated_at: string;
  decisions: WorkflowDecision[];
}

export type StepOutcome = 'success' | 'no_data' | 'failed' | 'timed_out' | 'circuit_open';

export interface WorkflowExecutionStarted {
  execution_id: string;
  workflow: string;
  /** null for a manual run. */
  evaluation_id: string | null;
  trigger: 'scheduled' | 'manual';
  local_date: string;
  started_at: string;
  execution_mode: 'parallel' | 'sequential';
  max_workers: number;
  scrapers: string[];
  /** The instance running it (absent in executions recorded before instances were named). */
  instance_id?: string;
}

export interface WorkflowStepFinished {
  execution_id: string;
  workflow: string;
  step: string;
  scraper: string;
  outcome: StepOutcome;
  attempts: number;
  duration_ms: number;
  row_count: number | null;
  /** At most 1,000 characters. */
  error: string | null;
  finished_at: string;
}

export interface WorkflowExecutionFinished {
  execution_id: string;
  workflow: string;
  status: 'completed' | 'failed' | 'interrupted';
  counts: Record<StepOutcome, number>;
  duration_ms: number;
  /** Each at most 1,000 characters. */
  errors: string[];
  finished_at: string;
}

/** Every workflow event: `switch (event.type)` narrows `event.data`. */
export type WorkflowEvent =
  | TypedEvent<typeof WORKFLOW_EVENTS.evaluationRecorded, WorkflowEvaluationRecorded>
  | TypedEvent<typeof WORKFLOW_EVENTS.executionStarted, WorkflowExecutionStarted>
  | TypedEvent<typeof WORKFLOW_EVENTS.stepFinished, WorkflowStepFinished>
  | TypedEvent<typeof WORKFLOW_EVENTS.executionFinished, WorkflowExecutionFinished>;

type _EveryWorkflowEvent = Holds<SameEventTypes<WorkflowEvent, typeof WORKFLOW_EVENTS>>;
