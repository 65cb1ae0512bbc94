import { DatabaseSync } from 'node:sqlite';
import type { Storage } from '../../src/common/event-store/index.js';
import {
  WORKFLOW_EVENTS,
  workflowEvaluationStream,
  workflowExecutionStream,
  type StepOutcome,
  type WorkflowDecision,
  type WorkflowEvaluationRecorded,
  type WorkflowExecutionFinished,
  type WorkflowExecutionStarted,
  type WorkflowStepFinished,
} from '../../src/modules/workflows/workflow.events.js';

/** Appends an hourly evaluation as WorkflowEvaluationService does (contract shape). */
export async function appendEvaluation(
  storage: Storage,
  evaluation: {
    evaluationId: string;
    hourKey: string;
    evaluatedAt: string;
    decisions: WorkflowDecision[];
  },
): Promise<void> {
  const data: WorkflowEvaluationRecorded = {
    evaluation_id: evaluation.evaluationId,
    hour_key: evaluation.hourKey,
    local_date: evaluation.hourKey.slice(0, 10),
    timezone: 'America/New_York',
    evaluated_at: evaluation.evaluatedAt,
    decisions: evaluation.decisions,
  };
  await storage.events.append(
    workflowEvaluationStream(evaluation.hourKey),
    [{ type: WORKFLOW_EVENTS.evaluationRecorded, data }],
    { expectedVersion: 'no-stream' },
  );
}

export interface ExecutionRun {
  executionId: string;
  workflow: string;
  evaluationId: string | null;
  startedAt: string;
  /** One finished step per scraper, in order. */
  outcomes: Array<[scraper: string, outcome: StepOutcome]>;
  /** The run's duration (2 s when omitted). */
  durationMs?: number;
}

/** Appends WorkflowExecutionStarted and the steps' WorkflowStepFinished (no Finished yet). */
export async function appendExecutionStart(storage: Storage, run: ExecutionRun): Promise<void> {
  const started: WorkflowExecutionStarted = {
    execution_id: run.executionId,
    workflow: run.workflow,
    evaluation_id: run.evaluationId,
    trigger: run.evaluationId ? 'scheduled' : 'manual',
    local_date: run.startedAt.slice(0, 10),
    started_at: run.startedAt,
    execution_mode: 'parallel',
    max_workers: 4,
    scrapers: run.outcomes.map(([scraper]) => scraper),
  };
  const steps = run.outcomes.map(([scraper, outcome]): WorkflowStepFinished => ({
    execution_id: run.executionId,
    workflow: run.workflow,
    step: 'main',
    scraper,
    outcome,
    attempts: 1,
    duration_ms: 500,
    row_count: outcome === 'success' ? 3 : null,
    error: outcome === 'success' || outcome === 'no_data' ? null : `${scraper}: ${outcome}`,
    finished_at: run.startedAt,
  }));
  await storage.events.append(
    workflowExecutionStream(run.executionId),
    [
      { type: WORKFLOW_EVENTS.executionStarted, data: started },
      ...steps.map((data) => ({ type: WORKFLOW_EVENTS.stepFinished, data })),
    ],
    { expectedVersion: 'no-stream' },
  );
}

/** Appends WorkflowExecutionFinished for a run whose start and steps are in its stream. */
export async function appendExecutionFinish(
  storage: Storage,
  run: ExecutionRun,
  status: WorkflowExecutionFinished['status'],
): Promise<void> {
  const counts: Record<StepOutcome, number> = {
    success: 0,
    no_data: 0,
    failed: 0,
    timed_out: 0,
    circuit_open: 0,
  };
  for (const [, outcome] of run.outcomes) counts[outcome] += 1;
  const finished: WorkflowExecutionFinished = {
    execution_id: run.executionId,
    workflow: run.workflow,
    status,
    counts,
    duration_ms: run.durationMs ?? 2_000,
    errors: run.outcomes
      .filter(([, outcome]) => outcome !== 'success' && outcome !== 'no_data')
      .map(([scraper, outcome]) => `${scraper}: ${outcome}`),
    finished_at: new Date(Date.parse(run.startedAt) + (run.durationMs ?? 2_000)).toISOString(),
  };
  await storage.events.append(
    workflowExecutionStream(run.executionId),
    [{ type: WORKFLOW_EVENTS.executionFinished, data: finished }],
    { expectedVersion: 1 + run.outcomes.length },
  );
}

/** Reads an embedded analytics table (empty until created) straight from the SQLite file (a connection of the test's own). */
export function embeddedRows(
  sqlitePath: string,
  table: 'workflow_decisions' | 'workflow_executions',
  dataset = 'nba_orchestration',
): Array<Record<string, unknown>> {
  const db = new DatabaseSync(sqlitePath, { readOnly: true });
  try {
    const name = `${dataset}__${table}`;
    const exists = db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
      .get(name);
    if (!exists) return [];
    const key = table === 'workflow_decisions' ? 'decision_id' : 'execution_id';
    return db.prepare(`SELECT * FROM "${dataset}__${table}" ORDER BY ${key}`).all() as Array<
      Record<string, unknown>
    >;
  } finally {
    db.close();
  }
}
