import type { DecisionRow, ExecutionRow } from '../../src/modules/cost/analytics-rows.js';
import { decisionRows, scrapersOf } from '../../src/modules/cost/export/decision-rows.mapper.js';
import { executionRow } from '../../src/modules/cost/export/execution-row.mapper.js';
import type { WorkflowsDefinition } from '../../src/modules/workflows/workflow-config.types.js';
import { DEFAULT_ENVIRONMENT } from '../../src/modules/workflows/workflows-settings.token.js';
import type {
  DecisionAction,
  StepOutcome,
  WorkflowDecision,
  WorkflowEvaluationRecorded,
} from '../../src/modules/workflows/workflow.events.js';

/** A deterministic generator (mulberry32), so every report run plants the same history. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60_000;
/** Share of hourly decisions that are RUN (the rest SKIP, a few ABORT), as in production logs. */
const RUN_SHARE = 0.3;
const ABORT_SHARE = 0.01;
const STEP_FAILURE_SHARE = 0.04;
const SLOW_RUN_SHARE = 0.03;

const REASONS: Record<DecisionAction, readonly string[]> = {
  RUN: [
    'In ideal window 06:00-10:00',
    'Games today and not yet collected',
    'Data not found yet today',
  ],
  SKIP: [
    'Ran 0.5h ago (every 2h)',
    'Outside ideal window 06:00-10:00',
    'No games today',
    'Data found today',
  ],
  ABORT: ['Schedule unavailable: cannot decide game-aware workflows'],
};

export interface HourRows {
  decisions: DecisionRow[];
  executions: ExecutionRow[];
}

const pick = <T>(items: readonly T[], random: () => number) =>
  items[Math.floor(random() * items.length)]!;

/**
 * One hourly controller evaluation of every workflow of the production set and the runs of its
 * RUN decisions, mapped to analytics rows by the export's own mappers (so the rows have
 * production sizes: context JSON, scraper lists, error texts).
 */
export function syntheticHour(
  definition: WorkflowsDefinition,
  hourStart: Date,
  random: () => number,
  controllerVersion: string,
): HourRows {
  const hourKey = hourStart.toISOString().slice(0, 13);
  const evaluationId = `ev-${hourKey}`;
  const decisions: WorkflowDecision[] = definition.workflows.map((workflow) => {
    const roll = random();
    const action: DecisionAction =
      roll < ABORT_SHARE ? 'ABORT' : roll < ABORT_SHARE + RUN_SHARE ? 'RUN' : 'SKIP';
    return {
      workflow: workflow.name,
      action,
      reason: pick(REASONS[action], random),
      priority: workflow.priority,
      decision_type: workflow.decisionType,
    };
  });
  const evaluatedAt = new Date(hourStart.getTime() + 5 * MS_PER_SECOND).toISOString();
  const event: WorkflowEvaluationRecorded = {
    evaluation_id: evaluationId,
    hour_key: hourKey,
    local_date: hourKey.slice(0, 10),
    timezone: definition.timezone,
    evaluated_at: evaluatedAt,
    decisions,
  };
  const context = { definition, controllerVersion, environment: DEFAULT_ENVIRONMENT };
  const rows = decisionRows(event, evaluatedAt, context);
  const executions = decisions
    .filter((decision) => decision.action === 'RUN')
    .map((decision) => runOf(decision.workflow, evaluationId, hourStart, random, context));
  return { decisions: rows, executions };
}

function runOf(
  workflow: string,
  evaluationId: string,
  hourStart: Date,
  random: () => number,
  context: Parameters<typeof decisionRows>[2],
): ExecutionRow {
  const executionId = `${evaluationId}:${workflow}`;
  const startedAt = new Date(hourStart.getTime() + MS_PER_MINUTE + random() * MS_PER_MINUTE);
  const scrapers = scrapersOf(context.definition, workflow);
  const outcomes: StepOutcome[] = scrapers.map(() =>
    random() < STEP_FAILURE_SHARE ? 'failed' : random() < 0.05 ? 'no_data' : 'success',
  );
  const baseSeconds = 20 + random() * 60;
  const durationMs = Math.round(
    (random() < SLOW_RUN_SHARE ? baseSeconds * 5 : baseSeconds) * MS_PER_SECOND,
  );
  const counts: Record<StepOutcome, number> = {
    success: 0,
    no_data: 0,
    failed: 0,
    timed_out: 0,
    circuit_open: 0,
  };
  for (const outcome of outcomes) counts[outcome] += 1;
  const finishedAt = new Date(startedAt.getTime() + durationMs).toISOString();
  return executionRow(
    {
      started: {
        execution_id: executionId,
        workflow,
        evaluation_id: evaluationId,
        trigger: 'scheduled',
        local_date: startedAt.toISOString().slice(0, 10),
        started_at: startedAt.toISOString(),
        execution_mode: 'parallel',
        max_workers: 4,
        scrapers,
      },
      steps: scrapers.map((scraper, i) => ({
        execution_id: executionId,
        workflow,
        step: 'main',
        scraper,
        outcome: outcomes[i]!,
        attempts: 1,
        duration_ms: durationMs,
        row_count: outcomes[i] === 'success' ? 25 : null,
        error:
          outcomes[i] === 'failed'
            ? `${scraper}: HTTP 503 from scraper service after 3 attempts`
            : null,
        finished_at: finishedAt,
      })),
      finished: {
        execution_id: executionId,
        workflow,
        status: counts.failed > 0 ? 'failed' : 'completed',
        counts,
        duration_ms: durationMs,
        errors: scrapers
          .filter((_, i) => outcomes[i] === 'failed')
          .map((scraper) => `${scraper}: HTTP 503 from scraper service after 3 attempts`),
        finished_at: finishedAt,
      },
      finishedRecordedAt: finishedAt,
    },
    context,
  );
}
