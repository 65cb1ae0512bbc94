import type { ConfigWarning, ExecutionStep } from '../workflow-config.types.js';
import { dependencyOrder } from './dependency-order.js';
import { parseTolerant } from './tolerant-parse.js';
import { rawStepSchema, type RawStep } from './workflows-config.schema.js';

export type NormalizedPlan =
  | { ok: true; steps: ExecutionStep[]; warnings: ConfigWarning[] }
  | { ok: false; problems: string[]; warnings: ConfigWarning[] };

/**
 * A raw `execution_plan` as steps in dependency order. A flat plan (`{type, scrapers|scraper}`) is
 * one step named `main`; otherwise each key is a step (`step_1: {type, scraper(s), depends_on}`),
 * whose `depends_on` names other steps or scrapers of other steps (production writes both).
 * Problems name the plan path; unknown scrapers are checked by the caller. A step that fails its
 * own validation is reported once: a dependency on it (or on a scraper it lists) is not reported
 * again. `path` is the plan's dotted path from the file's root (for warnings).
 */
export function normalizeExecutionPlan(
  plan: Record<string, unknown>,
  path: string,
): NormalizedPlan {
  const flat = 'type' in plan;
  const rawSteps = flat ? { main: plan } : plan;
  const problems: string[] = [];
  const warnings: ConfigWarning[] = [];
  const steps = new Map<string, ExecutionStep>();
  /** Names a dependency may use without a second report: steps that failed, and their scrapers. */
  const reportedElsewhere = new Set<string>();
  if (Object.keys(rawSteps).length === 0) {
    return {
      ok: false,
      problems: ['execution_plan: expected {type, scrapers} or at least one step'],
      warnings,
    };
  }
  for (const [name, value] of Object.entries(rawSteps)) {
    const where = flat ? 'execution_plan' : `execution_plan.${name}`;
    const parsed = parseTolerant(rawStepSchema, value, flat ? path : `${path}.${name}`, {
      problemPrefix: where,
    });
    warnings.push(...parsed.warnings);
    const scrapers = parsed.ok ? stepScrapers(parsed.data) : 'invalid';
    if (!parsed.ok || typeof scrapers === 'string') {
      if (!parsed.ok) problems.push(...parsed.problems);
      else problems.push(`${where}: ${scrapers}`);
      reportedElsewhere.add(name);
      for (const scraper of looseScrapers(value)) reportedElsewhere.add(scraper);
      continue;
    }
    steps.set(name, { name, type: parsed.data.type, scrapers, dependsOn: parsed.data.depends_on });
  }

  const stepOfScraper = new Map<string, string>();
  for (const step of steps.values()) {
    for (const scraper of step.scrapers) stepOfScraper.set(scraper, step.name);
  }
  const order = new Map<string, string[]>();
  for (const step of steps.values()) {
    const after: string[] = [];
    for (const dependency of step.dependsOn) {
      const target = steps.has(dependency) ? dependency : stepOfScraper.get(dependency);
      if (target === step.name) {
        problems.push(
          `execution_plan.${step.name}: depends_on names ${dependency}, which is this step's own scraper`,
        );
      } else if (target !== undefined) {
        after.push(target);
      } else if (!reportedElsewhere.has(dependency)) {
        problems.push(
          `execution_plan.${step.name}: depends_on names unknown step ${dependency} ` +
            `(steps: ${[...steps.keys()].join(', ')}; or a scraper of one of them)`,
        );
      }
    }
    order.set(step.name, after);
  }
  const sorted = dependencyOrder(order);
  if (!sorted.ok) {
    problems.push(`execution_plan: step dependency cycle ${sorted.cycle.join(' -> ')}`);
  }
  if (problems.length > 0 || !sorted.ok) {
    return { ok: false, problems, warnings };
  }
  return { ok: true, steps: sorted.order.map((name) => steps.get(name)!), warnings };
}

/** The step's scrapers, or the problem with them. */
function stepScrapers(step: RawStep): string[] | string {
  if (step.type === 'single') {
    if (step.scraper !== undefined && step.scrapers === undefined) return [step.scraper];
    if (step.scraper === undefined && step.scrapers?.length === 1) return step.scrapers;
    return 'a single step takes exactly one scraper (`scraper: name`)';
  }
  if (step.scrapers !== undefined && step.scraper === undefined && step.scrapers.length > 0) {
    return step.scrapers;
  }
  return `a ${step.type} step takes a non-empty list \`scrapers: [...]\``;
}

/** Whatever scraper names an invalid step lists (to avoid reporting them again as unknown). */
function looseScrapers(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const { scraper, scrapers } = value as Record<string, unknown>;
  return [scraper, ...(Array.isArray(scrapers) ? scrapers : [])].filter(
    (name): name is string => typeof name === 'string',
  );
}
