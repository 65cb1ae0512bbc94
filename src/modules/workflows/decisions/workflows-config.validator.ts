import type {
  DecisionType,
  ExecutionStep,
  ScraperDefinition,
  WorkflowDefinition,
  WorkflowSchedule,
  WorkflowsDefinition,
} from '../workflow-config.types.js';
import { dependencyOrder } from './dependency-order.js';
import { normalizeExecutionPlan } from './execution-plan.normalizer.js';
import { isValidTimeZone } from '../local-time.js';
import {
  rawConfigSchema,
  rawScraperSchema,
  rawWorkflowSchema,
  scheduleSchemas,
  zodProblems,
} from './workflows-config.schema.js';
import { WorkflowsConfigError } from './workflows-config.error.js';

/**
 * Validates parsed workflows YAML into a WorkflowsDefinition, or throws a WorkflowsConfigError
 * listing every problem, each line `<source>: <where>: <problem>` (where = `settings`,
 * `scraper <name>` or `workflow <name>`).
 */
export function validateWorkflowsConfig(raw: unknown, source: string): WorkflowsDefinition {
  const lines: string[] = [];
  const fail = (where: string, problems: readonly string[]) =>
    lines.push(...problems.map((problem) => `${source}: ${where}: ${problem}`));

  const top = rawConfigSchema.safeParse(raw);
  if (!top.success) {
    fail('file', zodProblems(top.error));
    throw new WorkflowsConfigError(source, lines);
  }
  const { settings } = top.data;
  if (!isValidTimeZone(settings.timezone)) {
    fail('settings', [
      `timezone: ${settings.timezone} is not an IANA time zone (e.g. America/New_York)`,
    ]);
  }

  const scrapers = new Map<string, ScraperDefinition>();
  for (const [name, value] of Object.entries(top.data.scrapers)) {
    const parsed = rawScraperSchema.safeParse(value ?? {});
    if (!parsed.success) {
      fail(`scraper ${name}`, zodProblems(parsed.error));
      continue;
    }
    scrapers.set(name, {
      name,
      critical: parsed.data.critical,
      processorName: parsed.data.processor_name ?? null,
      estimatedDurationSeconds: parsed.data.estimated_duration_seconds ?? null,
      dependsOn: parsed.data.depends_on,
      treatNoDataAsSuccess: parsed.data.treat_no_data_as_success,
    });
  }
  fail('scrapers', scraperDependencyProblems(scrapers));

  const workflows: WorkflowDefinition[] = [];
  for (const [name, value] of Object.entries(top.data.workflows)) {
    const result = validateWorkflow(name, value, scrapers);
    if (typeof result === 'object' && 'problems' in result)
      fail(`workflow ${name}`, result.problems);
    else workflows.push(result);
  }

  if (lines.length > 0) throw new WorkflowsConfigError(source, lines);
  return {
    source,
    timezone: settings.timezone,
    controllerIntervalMinutes: settings.controller_interval_minutes,
    scrapers,
    workflows,
  };
}

function scraperDependencyProblems(scrapers: ReadonlyMap<string, ScraperDefinition>): string[] {
  const problems: string[] = [];
  for (const scraper of scrapers.values()) {
    for (const dependency of scraper.dependsOn) {
      if (!scrapers.has(dependency)) {
        problems.push(`${scraper.name}: depends_on names unknown scraper ${dependency}`);
      }
    }
  }
  if (problems.length > 0) return problems;
  const order = dependencyOrder(
    new Map([...scrapers].map(([name, scraper]) => [name, scraper.dependsOn])),
  );
  return order.ok ? [] : [`scraper dependency cycle ${order.cycle.join(' -> ')}`];
}

function validateWorkflow(
  name: string,
  value: unknown,
  scrapers: ReadonlyMap<string, ScraperDefinition>,
): WorkflowDefinition | { problems: string[] } {
  const parsed = rawWorkflowSchema.safeParse(value);
  // On a shape error, schedule and plan are still checked so one boot lists every problem.
  const problems = parsed.success ? [] : zodProblems(parsed.error);
  const fields = isRecord(value) ? value : {};

  const decisionType = rawWorkflowSchema.shape.decision_type.safeParse(fields['decision_type']);
  const schedule =
    decisionType.success && isRecord(fields['schedule'])
      ? parseSchedule(decisionType.data, fields['schedule'])
      : null;
  if (schedule && 'problems' in schedule) problems.push(...schedule.problems);

  const plan = isRecord(fields['execution_plan'])
    ? normalizeExecutionPlan(fields['execution_plan'])
    : null;
  if (plan && !plan.ok) problems.push(...plan.problems);
  if (plan?.ok) problems.push(...planScraperProblems(plan.steps, scrapers));

  if (!parsed.success || !schedule || 'problems' in schedule || !plan?.ok || problems.length > 0) {
    return { problems };
  }
  const raw = parsed.data;
  const singleParallelStep = plan.steps.length === 1 && plan.steps[0]!.type === 'parallel';
  return {
    name,
    enabled: raw.enabled,
    priority: raw.priority,
    decisionType: raw.decision_type,
    schedule,
    steps: plan.steps,
    executionMode: raw.execution_mode ?? (singleParallelStep ? 'parallel' : 'sequential'),
    maxWorkers: raw.max_workers,
    requireAllCritical: raw.require_all_critical,
  };
}

function planScraperProblems(
  steps: readonly ExecutionStep[],
  scrapers: ReadonlyMap<string, ScraperDefinition>,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const step of steps) {
    const where = step.name === 'main' ? 'execution_plan' : `execution_plan.${step.name}`;
    for (const scraper of step.scrapers) {
      if (!scrapers.has(scraper)) {
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

function parseSchedule(
  decisionType: DecisionType,
  rawSchedule: Record<string, unknown>,
): WorkflowSchedule | { problems: string[] } {
  switch (decisionType) {
    case 'self_aware': {
      const parsed = scheduleSchemas.self_aware.safeParse(rawSchedule);
      if (!parsed.success) return { problems: zodProblems(parsed.error, 'schedule') };
      const window = parsed.data.ideal_window;
      return {
        kind: 'self_aware',
        idealWindow: { startHour: window.start_hour, endHour: window.end_hour },
      };
    }
    case 'fixed_time': {
      const parsed = scheduleSchemas.fixed_time.safeParse(rawSchedule);
      if (!parsed.success) return { problems: zodProblems(parsed.error, 'schedule') };
      return {
        kind: 'fixed_time',
        fixedTime: parsed.data.fixed_time,
        toleranceMinutes: parsed.data.tolerance_minutes,
      };
    }
    case 'game_aware': {
      const parsed = scheduleSchemas.game_aware.safeParse(rawSchedule);
      if (!parsed.success) return { problems: zodProblems(parsed.error, 'schedule') };
      return {
        kind: 'game_aware',
        hoursBeforeFirstGame: parsed.data.hours_before_first_game,
        frequencyHours: parsed.data.frequency_hours,
      };
    }
    case 'discovery': {
      const parsed = scheduleSchemas.discovery.safeParse(rawSchedule);
      if (!parsed.success) return { problems: zodProblems(parsed.error, 'schedule') };
      return {
        kind: 'discovery',
        maxAttemptsPerDay: parsed.data.max_attempts_per_day,
        minIntervalHours: parsed.data.min_interval_hours,
      };
    }
  }
}
