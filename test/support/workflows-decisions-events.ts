import type { Storage } from '../../src/common/event-store/index.js';
import {
  WORKFLOW_EVENTS,
  workflowExecutionStream,
  type WorkflowExecutionFinished,
  type WorkflowExecutionStarted,
} from '../../src/modules/workflows/workflow.events.js';

export interface PastExecution {
  executionId: string;
  workflow: string;
  localDate: string;
  startedAt: string;
  /** Absent: still running. */
  status?: WorkflowExecutionFinished['status'];
  durationMs?: number;
}

/**
 * Appends an execution's events exactly as the executor does (WorkflowExecutionStarted, then
 * WorkflowExecutionFinished when `status` is given), straight through the Storage port.
 */
export async function appendPastExecution(storage: Storage, run: PastExecution): Promise<void> {
  const started: WorkflowExecutionStarted = {
    execution_id: run.executionId,
    workflow: run.workflow,
    evaluation_id: null,
    trigger: 'manual',
    local_date: run.localDate,
    started_at: run.startedAt,
    execution_mode: 'sequential',
    max_workers: 1,
    scrapers: ['nbac_injury_report'],
  };
  const events: Array<{ type: string; data: unknown }> = [
    { type: WORKFLOW_EVENTS.executionStarted, data: started },
  ];
  if (run.status) {
    const durationMs = run.durationMs ?? 1000;
    const finished: WorkflowExecutionFinished = {
      execution_id: run.executionId,
      workflow: run.workflow,
      status: run.status,
      counts: {
        success: run.status === 'completed' ? 1 : 0,
        no_data: 0,
        failed: run.status === 'failed' ? 1 : 0,
        timed_out: 0,
        circuit_open: 0,
      },
      duration_ms: durationMs,
      errors: run.status === 'failed' ? ['HTTP 500 from scraper'] : [],
      finished_at: new Date(Date.parse(run.startedAt) + durationMs).toISOString(),
    };
    events.push({ type: WORKFLOW_EVENTS.executionFinished, data: finished });
  }
  await storage.events.append(workflowExecutionStream(run.executionId), events, {
    expectedVersion: 'no-stream',
  });
}
