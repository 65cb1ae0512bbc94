import type { DecisionRow } from '../analytics-rows.js';
import type { WorkflowsDefinition } from '../../workflows/index.js';
import type {
  DecisionAction,
  WorkflowDecision,
  WorkflowEvaluationRecorded,
} from '../../workflows/index.js';

/** What a decision row needs beside the event (constant for one process). */
export interface DecisionRowContext {
  definition: Pick<WorkflowsDefinition, 'workflows' | 'controllerIntervalMinutes'>;
  controllerVersion: string;
  /** The workflows file's `environment` (WORKFLOWS_SETTINGS). */
  environment: string;
}

/** Every decision is made by the hourly controller evaluation (POST /v1/workflows/evaluate). */
export const DECISION_TRIGGERED_BY = 'controller';

const MS_PER_MINUTE = 60_000;

/**
 * How loud a decision is: an ABORT of a CRITICAL workflow is `critical`, of a HIGH one `error`,
 * of any other `warning`; a RUN is `info`; a SKIP is `none`.
 */
export function alertLevel(action: DecisionAction, priority: string): string {
  if (action === 'SKIP') return 'none';
  if (action === 'RUN') return 'info';
  if (priority === 'CRITICAL') return 'critical';
  if (priority === 'HIGH') return 'error';
  return 'warning';
}

/** The scrapers a RUN decision triggers: every scraper of the workflow's steps, in step order. */
export function scrapersOf(
  definition: DecisionRowContext['definition'],
  workflow: string,
): string[] {
  const found = definition.workflows.find((candidate) => candidate.name === workflow);
  if (!found) return [];
  return [...new Set(found.steps.flatMap((step) => step.scrapers))];
}

/**
 * One row per decision of an evaluation; `decision_id` = `<evaluation_id>:<workflow>`, so a
 * replay of the same event writes the same rows. `created_at` is when the event was recorded.
 */
export function decisionRows(
  event: WorkflowEvaluationRecorded,
  recordedAt: string,
  context: DecisionRowContext,
): DecisionRow[] {
  const nextCheck = new Date(
    Date.parse(event.evaluated_at) + context.definition.controllerIntervalMinutes * MS_PER_MINUTE,
  ).toISOString();
  return event.decisions.map((decision: WorkflowDecision) => ({
    decision_id: `${event.evaluation_id}:${decision.workflow}`,
    decision_time: event.evaluated_at,
    workflow_name: decision.workflow,
    action: decision.action,
    reason: decision.reason,
    context: JSON.stringify({
      evaluation_id: event.evaluation_id,
      hour_key: event.hour_key,
      local_date: event.local_date,
      timezone: event.timezone,
      decision_type: decision.decision_type,
    }),
    scrapers_triggered:
      decision.action === 'RUN' ? scrapersOf(context.definition, decision.workflow) : [],
    target_games: [],
    next_check_time: nextCheck,
    priority: decision.priority,
    alert_level: alertLevel(decision.action, decision.priority),
    controller_version: context.controllerVersion,
    environment: context.environment,
    triggered_by: DECISION_TRIGGERED_BY,
    created_at: recordedAt,
  }));
}
