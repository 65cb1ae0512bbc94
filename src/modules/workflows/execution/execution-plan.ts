import type { ScraperDefinition, WorkflowDefinition } from '../workflow-config.types.js';

/** Before ENABLE_PARALLEL_CONFIG: only this workflow ran in parallel, with this many workers. */
export const LEGACY_PARALLEL_WORKFLOW = 'morning_operations';
export const LEGACY_MAX_WORKERS = 10;

export interface PlannedCall {
  scraper: string;
  /** Scrapers whose data_summary this call receives as `inputs` (those that ran before it). */
  inputsFrom: readonly string[];
}

export interface PlannedStep {
  name: string;
  /** Calls in flight at once within the step (1 = one by one, in order). */
  concurrency: number;
  calls: readonly PlannedCall[];
}

export interface ExecutionPlan {
  executionMode: 'parallel' | 'sequential';
  /** Effective limit: 1 for a sequential execution. */
  maxWorkers: number;
  steps: readonly PlannedStep[];
  /** Every scraper of the plan, in plan order. */
  scrapers: readonly string[];
}

/**
 * How a workflow runs. Steps always run one after another, in their (topological) order. With
 * ENABLE_PARALLEL_CONFIG on, the workflow's execution_mode and max_workers hold: in parallel mode a
 * `parallel` step has up to max_workers calls in flight, other steps run one by one. With the flag
 * off, the old behaviour: only morning_operations runs in parallel, with 10 workers.
 * A call receives the outputs of the steps (or scrapers) its step depends on and of the scrapers
 * it depends on.
 */
export function planExecution(
  workflow: WorkflowDefinition,
  scrapers: ReadonlyMap<string, ScraperDefinition>,
  parallelConfigEnabled: boolean,
): ExecutionPlan {
  const executionMode = parallelConfigEnabled
    ? workflow.executionMode
    : workflow.name === LEGACY_PARALLEL_WORKFLOW
      ? 'parallel'
      : 'sequential';
  const maxWorkers =
    executionMode === 'sequential'
      ? 1
      : parallelConfigEnabled
        ? Math.max(1, workflow.maxWorkers)
        : LEGACY_MAX_WORKERS;

  const stepScrapers = new Map(workflow.steps.map((step) => [step.name, step.scrapers]));
  const ranBefore = new Set<string>();
  const steps = workflow.steps.map((step): PlannedStep => {
    // depends_on names steps (all their scrapers) or scrapers of earlier steps (that one).
    const fromSteps = step.dependsOn.flatMap((name) => stepScrapers.get(name) ?? [name]);
    const concurrency = step.type === 'parallel' ? maxWorkers : 1;
    const calls = step.scrapers.map((scraper) => {
      // Only scrapers that finished before this call (in a parallel step: in earlier steps).
      const fromScrapers = (scrapers.get(scraper)?.dependsOn ?? []).filter((name) =>
        ranBefore.has(name),
      );
      const inputsFrom = unique([...fromSteps, ...fromScrapers]).filter((name) => name !== scraper);
      if (concurrency === 1) ranBefore.add(scraper);
      return { scraper, inputsFrom };
    });
    for (const scraper of step.scrapers) ranBefore.add(scraper);
    return { name: step.name, concurrency, calls };
  });
  return {
    executionMode,
    maxWorkers,
    steps,
    scrapers: unique(workflow.steps.flatMap((step) => step.scrapers)),
  };
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
