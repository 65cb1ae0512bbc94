import type { ExecutionStep } from '../workflow-config.types.js';
import { dependencyOrder } from './dependency-order.js';
import { rawStepSchema, zodProblems, type RawStep } from './workflows-config.schema.js';

export type NormalizedPlan =
  { ok: true; steps: ExecutionStep[] } | { ok: false; problems: string[] };

/**
 * A raw `execution_plan` as steps in dependency order. A flat plan (`{type, scrapers|scraper}`) is
 * one step named `main`; otherwise each key is a step (`step_1: {type, scraper(s), depends_on}`).
 * Problems name the plan path; unknown scrapers are checked by the caller.
 */
export function normalizeExecutionPlan(plan: Record<string, unknown>): NormalizedPlan {
  const rawSteps = 'type' in plan ? { main: plan } : plan;
  const problems: string[] = [];
  const steps = new Map<string, ExecutionStep>();
  const prefix = 'type' in plan ? 'execution_plan' : null;
  if (Object.keys(rawSteps).length === 0) {
    return {
      ok: false,
      problems: ['execution_plan: expected {type, scrapers} or at least one step'],
    };
  }
  for (const [name, value] of Object.entries(rawSteps)) {
    const where = prefix ?? `execution_plan.${name}`;
    const parsed = rawStepSchema.safeParse(value);
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error, where));
      continue;
    }
    const scrapers = stepScrapers(parsed.data);
    if (typeof scrapers === 'string') {
      problems.push(`${where}: ${scrapers}`);
      continue;
    }
    steps.set(name, { name, type: parsed.data.type, scrapers, dependsOn: parsed.data.depends_on });
  }
  if (problems.length > 0) return { ok: false, problems };

  for (const step of steps.values()) {
    for (const dependency of step.dependsOn) {
      if (!steps.has(dependency)) {
        problems.push(
          `execution_plan.${step.name}: depends_on names unknown step ${dependency} ` +
            `(steps: ${[...steps.keys()].join(', ')})`,
        );
      }
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const order = dependencyOrder(new Map([...steps].map(([name, step]) => [name, step.dependsOn])));
  if (!order.ok) {
    return {
      ok: false,
      problems: [`execution_plan: step dependency cycle ${order.cycle.join(' -> ')}`],
    };
  }
  return { ok: true, steps: order.order.map((name) => steps.get(name)!) };
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
