import type {
  AlertLevel,
  ConfigWarning,
  ExecutionStep,
  WorkflowDefinition,
} from '../workflow-config.types.js';
import { normalizeExecutionPlan } from './execution-plan.normalizer.js';
import { parseTolerant } from './tolerant-parse.js';
import { parseSchedule } from './workflow-schedule.parser.js';
import {
  RAISED_ALERT_CONDITIONS,
  rawWorkflowSchema,
  SHOWN_ALERT_CONDITIONS,
} from './workflows-config.schema.js';

/** What a workflow's plan may name. */
export interface ScraperReferences {
  /** Scrapers that passed their own validation. */
  valid: ReadonlySet<string>;
  /** Declared under `scrapers:` (valid or not); null when `scrapers:` itself is unusable. */
  declared: ReadonlySet<string> | null;
}

export type WorkflowEntryResult =
  | {
      ok: true;
      workflow: WorkflowDefinition;
      shown: Record<string, unknown>;
      dependencies: { requires: string[]; required_for: string[] };
      warnings: ConfigWarning[];
    }
  | { ok: false; problems: string[]; warnings: ConfigWarning[] };

const KNOWN_ALERT_CONDITIONS: ReadonlySet<string> = new Set([
  ...RAISED_ALERT_CONDITIONS,
  ...SHOWN_ALERT_CONDITIONS,
]);

/**
 * One entry of `workflows:`. On a shape error, schedule and plan are still checked so one boot
 * lists every problem; a scraper that failed its own validation is not reported again here.
 */
export function validateWorkflowEntry(
  name: string,
  value: unknown,
  scrapers: ScraperReferences,
): WorkflowEntryResult {
  const path = `workflows.${name}`;
  const parsed = parseTolerant(rawWorkflowSchema, value, path);
  const warnings = [...parsed.warnings];
  const problems = parsed.ok ? [] : [...parsed.problems];
  const fields = isRecord(value) ? value : {};

  const decisionType = rawWorkflowSchema.shape.decision_type.safeParse(fields['decision_type']);
  const schedule =
    decisionType.success && isRecord(fields['schedule'])
      ? parseSchedule(decisionType.data, fields['schedule'], `${path}.schedule`)
      : null;
  if (schedule) warnings.push(...schedule.warnings);
  if (schedule && !schedule.ok) problems.push(...schedule.problems);

  const plan = isRecord(fields['execution_plan'])
    ? normalizeExecutionPlan(fields['execution_plan'], `${path}.execution_plan`)
    : null;
  if (plan) warnings.push(...plan.warnings);
  if (plan && !plan.ok) problems.push(...plan.problems);
  if (plan?.ok) problems.push(...planScraperProblems(plan.steps, scrapers));

  if (!parsed.ok || !schedule?.ok || !plan?.ok || problems.length > 0) {
    return { ok: false, problems, warnings };
  }
  const raw = parsed.data;
  for (const condition of Object.keys(raw.alerts)) {
    if (!KNOWN_ALERT_CONDITIONS.has(condition)) {
      warnings.push({
        path: `${path}.alerts.${condition}`,
        message: 'alert condition unknown to Shotclock: shown, never raised',
      });
    }
  }
  const singleParallelStep = plan.steps.length === 1 && plan.steps[0]!.type === 'parallel';
  return {
    ok: true,
    workflow: {
      name,
      enabled: raw.enabled,
      priority: raw.priority,
      decisionType: raw.decision_type,
      schedule: schedule.data,
      steps: plan.steps,
      executionMode: raw.execution_mode ?? (singleParallelStep ? 'parallel' : 'sequential'),
      maxWorkers: raw.max_workers,
      requireAllCritical: raw.require_all_critical,
      alerts: {
        failure: level(raw.alerts['failure']),
        timingDrift: level(raw.alerts['timing_drift']),
        maxAttemptsReached: level(raw.alerts['max_attempts_reached']),
      },
    },
    shown: {
      description: raw.description ?? null,
      alerts: raw.alerts,
      dependencies: raw.dependencies,
    },
    dependencies: raw.dependencies,
    warnings,
  };
}

/** The schema checked the raised conditions' levels: anything else is absent. */
function level(value: unknown): AlertLevel | null {
  return value === 'CRITICAL' || value === 'WARNING' || value === 'INFO' ? value : null;
}

function planScraperProblems(
  steps: readonly ExecutionStep[],
  scrapers: ScraperReferences,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const step of steps) {
    const where = step.name === 'main' ? 'execution_plan' : `execution_plan.${step.name}`;
    for (const scraper of step.scrapers) {
      // Reported at its root: a declared scraper that failed, or an unusable `scrapers:` section.
      const reportedElsewhere = scrapers.declared === null || scrapers.declared.has(scraper);
      if (!scrapers.valid.has(scraper) && !reportedElsewhere) {
        problems.push(`${where}: unknown scraper ${scraper} (not under scrapers: in this file)`);
      }
      if (seen.has(scraper))
        problems.push(`${where}: scraper ${scraper} appears twice in the plan`);
      seen.add(scraper);
    }
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
