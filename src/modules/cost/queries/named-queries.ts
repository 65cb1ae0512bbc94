import type { NamedQuery, PresentContext } from './named-query.js';
import { lastDays, lastHours } from './query-range.js';
import { numberOf, textOf, timeOf } from './result-values.js';
import { unansweredRunDecisionsSql } from './unanswered-run-decisions.sql.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** A workflow spikes when more than this share of its runs in the last hour failed. */
export const FAILURE_SPIKE_SHARE = 0.2;
/** A run is slow when it took more than this many times its workflow's average. */
export const SLOW_RUN_FACTOR = 2;

export interface PendingDecision {
  decision_id: string;
  workflow_name: string;
  decision_time: string;
  priority: string | null;
  minutes_pending: number;
}

export type MissingClass = 'RECENT' | 'DELAYED' | 'MISSED';

const unanswered = (rows: ReadonlyArray<Record<string, unknown>>, now: Date): PendingDecision[] =>
  rows
    .map((row) => {
      const decisionTime = timeOf(row.decision_time)!;
      return {
        decision_id: textOf(row.decision_id)!,
        workflow_name: textOf(row.workflow_name)!,
        decision_time: decisionTime,
        priority: textOf(row.priority),
        minutes_pending: Math.floor((now.getTime() - Date.parse(decisionTime)) / MINUTE_MS),
      };
    })
    .filter((decision) => decision.minutes_pending >= 0);

/** RECENT (the run may still be starting), DELAYED or MISSED by age (TIMEOUT_MISSING_EXECUTION_*_MS). */
export const missingClass = (
  minutes: number,
  timeouts: PresentContext['timeouts'],
): MissingClass =>
  minutes * MINUTE_MS < timeouts.missingExecutionRecentMs
    ? 'RECENT'
    : minutes * MINUTE_MS < timeouts.missingExecutionDelayedMs
      ? 'DELAYED'
      : 'MISSED';

const pendingRunDecisions: NamedQuery<{ decisions: PendingDecision[] }> = {
  name: 'pending_run_decisions',
  description: 'RUN decisions of the last hour that no execution answers yet',
  tables: ['workflow_decisions', 'workflow_executions'],
  defaultRange: (now) => lastHours(now, 1),
  sql: unansweredRunDecisionsSql,
  present: (rows, { now }) => ({
    decisions: unanswered(rows, now).filter((d) => d.minutes_pending < 60),
  }),
};

const missingExecutions: NamedQuery<{
  counts: Record<MissingClass, number>;
  decisions: Array<PendingDecision & { class: MissingClass }>;
}> = {
  name: 'missing_executions',
  description:
    'RUN decisions without an execution, classified RECENT (< 10 min), DELAYED (< 30 min) or MISSED (TIMEOUT_MISSING_EXECUTION_*_MS)',
  tables: ['workflow_decisions', 'workflow_executions'],
  defaultRange: (now) => lastHours(now, 2),
  sql: unansweredRunDecisionsSql,
  present: (rows, { now, timeouts }) => {
    const decisions = unanswered(rows, now).map((d) => ({
      ...d,
      class: missingClass(d.minutes_pending, timeouts),
    }));
    const counts: Record<MissingClass, number> = { RECENT: 0, DELAYED: 0, MISSED: 0 };
    for (const decision of decisions) counts[decision.class] += 1;
    return { counts, decisions };
  },
};

const successRate: NamedQuery<{
  workflows: Array<{
    workflow_name: string;
    runs: number;
    succeeded: number;
    failed: number;
    success_rate: number;
  }>;
}> = {
  name: 'success_rate_7d',
  description: 'Runs, successes, failures and success rate per workflow over the last 7 days',
  tables: ['workflow_executions'],
  defaultRange: (now) => lastDays(now, 7),
  sql: (source) => `
SELECT e.workflow_name, COUNT(*) AS runs,
  SUM(CASE WHEN e.status = 'completed' THEN 1 ELSE 0 END) AS succeeded,
  SUM(CASE WHEN e.status = 'failed' THEN 1 ELSE 0 END) AS failed
FROM ${source('workflow_executions')} AS e
GROUP BY e.workflow_name
ORDER BY e.workflow_name`,
  present: (rows) => ({
    workflows: rows.map((row) => {
      const runs = numberOf(row.runs) ?? 0;
      const succeeded = numberOf(row.succeeded) ?? 0;
      return {
        workflow_name: textOf(row.workflow_name)!,
        runs,
        succeeded,
        failed: numberOf(row.failed) ?? 0,
        success_rate: runs === 0 ? 0 : succeeded / runs,
      };
    }),
  }),
};

interface SpikeRow {
  workflow_name: string;
  runs: number;
  failed: number;
  failure_rate: number;
  spike: boolean;
}

function lastHourFailures(rows: ReadonlyArray<Record<string, unknown>>, { now }: PresentContext) {
  const since = now.getTime() - HOUR_MS;
  const byWorkflow = new Map<string, SpikeRow>();
  for (const row of rows) {
    const at = Date.parse(timeOf(row.execution_time)!);
    if (at < since || at > now.getTime()) continue;
    const name = textOf(row.workflow_name)!;
    const entry = byWorkflow.get(name) ?? {
      workflow_name: name,
      runs: 0,
      failed: 0,
      failure_rate: 0,
      spike: false,
    };
    entry.runs += 1;
    if (textOf(row.status) === 'failed') entry.failed += 1;
    byWorkflow.set(name, entry);
  }
  const workflows = [...byWorkflow.values()]
    .map((entry) => ({
      ...entry,
      failure_rate: entry.failed / entry.runs,
      spike: entry.failed / entry.runs > FAILURE_SPIKE_SHARE,
    }))
    .sort((a, b) => a.workflow_name.localeCompare(b.workflow_name));
  return { spiking: workflows.filter((w) => w.spike).map((w) => w.workflow_name), workflows };
}

const failureSpike: NamedQuery<ReturnType<typeof lastHourFailures>> = {
  name: 'failure_spike',
  description: `Workflows with more than ${FAILURE_SPIKE_SHARE * 100}% of their runs in the last hour failed`,
  tables: ['workflow_executions'],
  defaultRange: (now) => lastHours(now, 1),
  sql: (source) => `
SELECT e.workflow_name, e.execution_time, e.status
FROM ${source('workflow_executions')} AS e
ORDER BY e.execution_time`,
  present: lastHourFailures,
};

const slowRuns: NamedQuery<{
  runs: Array<{
    execution_id: string;
    workflow_name: string;
    run_time: string;
    duration_seconds: number;
    average_seconds: number;
  }>;
}> = {
  name: 'slow_runs',
  description: `Runs that took more than ${SLOW_RUN_FACTOR}x their workflow's average duration over the range (default 7 days)`,
  tables: ['workflow_executions'],
  defaultRange: (now) => lastDays(now, 7),
  // The window's column is renamed run_time so that the outer filter is not a partition filter.
  sql: (source) => `
SELECT runs.execution_id, runs.workflow_name, runs.run_time, runs.duration_seconds, runs.average_seconds
FROM (
  SELECT e.execution_id, e.workflow_name, e.execution_time AS run_time, e.duration_seconds,
    AVG(e.duration_seconds) OVER (PARTITION BY e.workflow_name) AS average_seconds
  FROM ${source('workflow_executions')} AS e
  WHERE e.duration_seconds IS NOT NULL
) AS runs
WHERE runs.duration_seconds > ${SLOW_RUN_FACTOR} * runs.average_seconds
ORDER BY runs.run_time DESC, runs.execution_id`,
  present: (rows) => ({
    runs: rows.map((row) => ({
      execution_id: textOf(row.execution_id)!,
      workflow_name: textOf(row.workflow_name)!,
      run_time: timeOf(row.run_time)!,
      duration_seconds: numberOf(row.duration_seconds)!,
      average_seconds: numberOf(row.average_seconds)!,
    })),
  }),
};

/** Every analytics query Shotclock runs: the read API, the dashboard and the cost report use these. */
export const NAMED_QUERIES = [
  pendingRunDecisions,
  missingExecutions,
  successRate,
  failureSpike,
  slowRuns,
] as const satisfies ReadonlyArray<NamedQuery>;

export function findNamedQuery(name: string): NamedQuery | undefined {
  return (NAMED_QUERIES as ReadonlyArray<NamedQuery>).find((query) => query.name === name);
}
