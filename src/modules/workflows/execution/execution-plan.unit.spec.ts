import type { ScraperDefinition, WorkflowDefinition } from '../workflow-config.types.js';
import { planExecution } from './execution-plan.js';

const scraper = (name: string, dependsOn: string[] = []): ScraperDefinition => ({
  name,
  critical: true,
  processorName: null,
  estimatedDurationSeconds: null,
  dependsOn,
  treatNoDataAsSuccess: false,
});
const SCRAPERS = new Map(
  [scraper('a'), scraper('b'), scraper('c', ['a']), scraper('d')].map((s) => [s.name, s]),
);
const workflow = (overrides: Partial<WorkflowDefinition>): WorkflowDefinition => ({
  name: 'wf',
  enabled: true,
  priority: 'HIGH',
  decisionType: 'fixed_time',
  schedule: { kind: 'fixed_time', fixedTime: '22:00', toleranceMinutes: 30 },
  steps: [{ name: 'main', type: 'parallel', scrapers: ['a', 'b', 'd'], dependsOn: [] }],
  executionMode: 'parallel',
  maxWorkers: 2,
  requireAllCritical: false,
  alerts: { failure: null, timingDrift: null, maxAttemptsReached: null },
  ...overrides,
});

describe('planExecution', () => {
  it('given ENABLE_PARALLEL_CONFIG on and a parallel plan, then max_workers from the config', () => {
    const plan = planExecution(workflow({}), SCRAPERS, true);
    expect(plan).toMatchObject({
      executionMode: 'parallel',
      maxWorkers: 2,
      scrapers: ['a', 'b', 'd'],
    });
    expect(plan.steps[0]!.concurrency).toBe(2);
  });

  it('given the flag on and execution_mode sequential, then one call at a time even in a parallel step', () => {
    const plan = planExecution(workflow({ executionMode: 'sequential' }), SCRAPERS, true);
    expect(plan.maxWorkers).toBe(1);
    expect(plan.steps[0]!.concurrency).toBe(1);
  });

  it('given the flag off, then only morning_operations runs in parallel, with 10 workers', () => {
    const morning = planExecution(
      workflow({ name: 'morning_operations', maxWorkers: 3 }),
      SCRAPERS,
      false,
    );
    expect(morning).toMatchObject({ executionMode: 'parallel', maxWorkers: 10 });
    expect(morning.steps[0]!.concurrency).toBe(10);
    const other = planExecution(workflow({ name: 'post_game_window_1' }), SCRAPERS, false);
    expect(other).toMatchObject({ executionMode: 'sequential', maxWorkers: 1 });
    expect(other.steps[0]!.concurrency).toBe(1);
  });

  it('given single and sequential steps in parallel mode, then those steps run one by one', () => {
    const plan = planExecution(
      workflow({
        steps: [
          { name: 'step_1', type: 'single', scrapers: ['a'], dependsOn: [] },
          { name: 'step_2', type: 'sequential', scrapers: ['b', 'd'], dependsOn: [] },
        ],
      }),
      SCRAPERS,
      true,
    );
    expect(plan.steps.map((s) => s.concurrency)).toEqual([1, 1]);
  });

  it('passes outputs of depended-on steps and of scrapers that ran before', () => {
    const plan = planExecution(
      workflow({
        executionMode: 'sequential',
        steps: [
          { name: 'step_1', type: 'single', scrapers: ['a'], dependsOn: [] },
          { name: 'step_2', type: 'parallel', scrapers: ['b', 'c'], dependsOn: ['step_1'] },
          { name: 'step_3', type: 'single', scrapers: ['d'], dependsOn: [] },
        ],
      }),
      SCRAPERS,
      true,
    );
    expect(plan.steps.map((s) => s.calls)).toEqual([
      [{ scraper: 'a', inputsFrom: [] }],
      [
        { scraper: 'b', inputsFrom: ['a'] },
        { scraper: 'c', inputsFrom: ['a'] },
      ],
      [{ scraper: 'd', inputsFrom: [] }],
    ]);
  });

  it("a step that depends on a scraper of an earlier step gets that scraper's output only", () => {
    const plan = planExecution(
      workflow({
        executionMode: 'sequential',
        steps: [
          { name: 'step_1', type: 'parallel', scrapers: ['a', 'b'], dependsOn: [] },
          { name: 'step_2', type: 'single', scrapers: ['d'], dependsOn: ['a'] },
        ],
      }),
      SCRAPERS,
      true,
    );
    expect(plan.steps[1]!.calls).toEqual([{ scraper: 'd', inputsFrom: ['a'] }]);
  });

  it('in a sequential flat plan, a scraper gets the outputs of the scrapers it depends on that ran before it', () => {
    const plan = planExecution(
      workflow({
        executionMode: 'sequential',
        steps: [{ name: 'main', type: 'sequential', scrapers: ['a', 'c'], dependsOn: [] }],
      }),
      SCRAPERS,
      true,
    );
    expect(plan.steps[0]!.calls).toEqual([
      { scraper: 'a', inputsFrom: [] },
      { scraper: 'c', inputsFrom: ['a'] },
    ]);
  });

  it('in a parallel step, a dependency inside the same step is not awaited (no inputs from it)', () => {
    const plan = planExecution(
      workflow({
        steps: [{ name: 'main', type: 'parallel', scrapers: ['a', 'c'], dependsOn: [] }],
      }),
      SCRAPERS,
      true,
    );
    expect(plan.steps[0]!.calls[1]).toEqual({ scraper: 'c', inputsFrom: [] });
  });
});
