import { Logger } from '@nestjs/common';
import type {
  EventOfType,
  ReadModelTransaction,
  Recorded,
  RecordedOf,
} from '../../../common/event-store/index.js';
import { defineProjection } from '../../../common/projections/projection-definition.js';
import {
  WORKFLOW_EVENTS,
  type WorkflowEvent,
  type WorkflowExecutionStarted,
} from '../workflow.events.js';
import {
  dayKey,
  emptyCounts,
  EXECUTION_COLLECTIONS,
  executionDateKey,
  WORKFLOW_COLLECTIONS as C,
  WORKFLOW_EXECUTIONS_PROJECTION,
  type ExecutionView,
  type WorkflowDayView,
} from './workflow-history.view.js';

const logger = new Logger('WorkflowExecutionsProjection');

const APPLIED = [
  WORKFLOW_EVENTS.executionStarted,
  WORKFLOW_EVENTS.stepFinished,
  WORKFLOW_EVENTS.executionFinished,
] as const;
type Finished = Recorded<EventOfType<WorkflowEvent, typeof WORKFLOW_EVENTS.executionFinished>>;

/**
 * Executions (by id, by local date, latest per workflow) and per-workflow day summaries (attempts,
 * success, last status: the decider's history), from the executor's events. A handful of
 * documents per event.
 */
export const workflowExecutionsProjection = defineProjection<WorkflowEvent>()({
  name: WORKFLOW_EXECUTIONS_PROJECTION,
  eventTypes: APPLIED,
  collections: EXECUTION_COLLECTIONS,
  async apply(event, tx) {
    switch (event.type) {
      case WORKFLOW_EVENTS.executionStarted:
        return onStarted(event.data, tx);
      case WORKFLOW_EVENTS.stepFinished: {
        const data = event.data;
        await update(event, data.execution_id, tx, (view) => ({
          ...view,
          counts: { ...view.counts, [data.outcome]: view.counts[data.outcome] + 1 },
          steps_finished: view.steps_finished + 1,
        }));
        return;
      }
      case WORKFLOW_EVENTS.executionFinished:
        return onFinished(event, tx);
    }
  },
});

async function onStarted(data: WorkflowExecutionStarted, tx: ReadModelTransaction) {
  const view: ExecutionView = {
    execution_id: data.execution_id,
    workflow: data.workflow,
    evaluation_id: data.evaluation_id,
    trigger: data.trigger,
    local_date: data.local_date,
    status: 'running',
    started_at: data.started_at,
    finished_at: null,
    duration_ms: null,
    counts: emptyCounts(),
    steps_finished: 0,
    errors: [],
    execution_mode: data.execution_mode,
    max_workers: data.max_workers,
    scrapers: data.scrapers,
  };
  await putExecution(view, tx);
  const last = await tx.get<ExecutionView>(C.lastExecution, data.workflow);
  if (!last || last.started_at <= data.started_at)
    await tx.put(C.lastExecution, data.workflow, view);

  const key = dayKey(data.workflow, data.local_date);
  const day = await tx.get<WorkflowDayView>(C.days, key);
  const latest = !day || day.last_started_at <= data.started_at;
  await tx.put(C.days, key, {
    workflow: data.workflow,
    local_date: data.local_date,
    attempts: (day?.attempts ?? 0) + 1,
    succeeded: day?.succeeded ?? false,
    last_execution_id: latest ? data.execution_id : day.last_execution_id,
    last_started_at: latest ? data.started_at : day.last_started_at,
    last_status: latest ? 'running' : day.last_status,
  } satisfies WorkflowDayView);
}

async function onFinished(event: Finished, tx: ReadModelTransaction) {
  const data = event.data;
  const view = await update(event, data.execution_id, tx, (current) => ({
    ...current,
    status: data.status,
    finished_at: data.finished_at,
    duration_ms: data.duration_ms,
    counts: { ...emptyCounts(), ...data.counts },
    errors: data.errors,
  }));
  if (!view) return;
  const key = dayKey(view.workflow, view.local_date);
  const day = await tx.get<WorkflowDayView>(C.days, key);
  if (!day) return;
  await tx.put(C.days, key, {
    ...day,
    succeeded: day.succeeded || data.status === 'completed',
    found_data: (day.found_data ?? false) || (data.counts.success ?? 0) > 0,
    last_status: day.last_execution_id === view.execution_id ? data.status : day.last_status,
  } satisfies WorkflowDayView);
}

/** Applies `change` to an execution everywhere it is copied; null (logged) for an unknown id. */
async function update(
  event: RecordedOf<WorkflowEvent, typeof APPLIED>,
  executionId: string,
  tx: ReadModelTransaction,
  change: (view: ExecutionView) => ExecutionView,
): Promise<ExecutionView | null> {
  const current = await tx.get<ExecutionView>(C.executions, executionId);
  if (!current) {
    logger.warn(
      `${event.type} ${event.eventId} in ${event.streamId} names execution ${executionId}, ` +
        'which has no WorkflowExecutionStarted: ignored by the workflow read models',
    );
    return null;
  }
  const next = change(current);
  await putExecution(next, tx);
  const last = await tx.get<ExecutionView>(C.lastExecution, next.workflow);
  if (last?.execution_id === executionId) await tx.put(C.lastExecution, next.workflow, next);
  return next;
}

async function putExecution(view: ExecutionView, tx: ReadModelTransaction) {
  await tx.put(C.executions, view.execution_id, view);
  await tx.put(C.executionsByDate, executionDateKey(view), view);
}
