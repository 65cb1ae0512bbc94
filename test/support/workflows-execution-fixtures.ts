import type { Clock } from '../../src/common/clock/clock.js';
import type { Storage } from '../../src/common/event-store/index.js';
import { CircuitBreakers } from '../../src/modules/workflows/execution/circuit-breakers.js';
import { scraperCallBounds } from '../../src/modules/workflows/execution/scraper-call-bounds.js';
import { ScraperClient } from '../../src/modules/workflows/execution/scraper-client.js';
import {
  WorkflowRunner,
  type ExecutionRequest,
  type WorkflowRunnerDeps,
} from '../../src/modules/workflows/execution/workflow-runner.js';
import { workflowExecutionStream } from '../../src/modules/workflows/workflow.events.js';
import type {
  ExecutionStep,
  ScraperDefinition,
  WorkflowDefinition,
  WorkflowsDefinition,
} from '../../src/modules/workflows/workflow-config.types.js';

export const scraperDef = (
  name: string,
  overrides: Partial<ScraperDefinition> = {},
): ScraperDefinition => ({
  name,
  critical: false,
  processorName: null,
  estimatedDurationSeconds: null,
  dependsOn: [],
  treatNoDataAsSuccess: false,
  ...overrides,
});

export const workflowDef = (
  name: string,
  steps: ExecutionStep[],
  overrides: Partial<WorkflowDefinition> = {},
): WorkflowDefinition => ({
  name,
  enabled: true,
  priority: 'HIGH',
  decisionType: 'fixed_time',
  schedule: { kind: 'fixed_time', fixedTime: '22:00', toleranceMinutes: 30 },
  steps,
  executionMode: steps.length === 1 && steps[0]!.type === 'parallel' ? 'parallel' : 'sequential',
  maxWorkers: 10,
  requireAllCritical: false,
  alerts: { failure: null, timingDrift: null, maxAttemptsReached: null },
  ...overrides,
});

export const step = (
  name: string,
  type: ExecutionStep['type'],
  scrapers: string[],
  dependsOn: string[] = [],
): ExecutionStep => ({ name, type, scrapers, dependsOn });

export const definitionOf = (
  workflows: WorkflowDefinition[],
  scrapers: ScraperDefinition[],
): WorkflowsDefinition => ({
  source: 'test-workflows.yaml',
  version: null,
  environment: null,
  timezone: 'America/New_York',
  controllerIntervalMinutes: 60,
  scheduleRefreshIntervalHours: null,
  scraperTimeouts: null,
  scrapers: new Map(scrapers.map((s) => [s.name, s])),
  workflows,
  warnings: [],
  shown: { settings: {}, scrapers: new Map(), workflows: new Map() },
});

export interface RunnerSetup {
  runner: WorkflowRunner;
  breakers: CircuitBreakers;
}

/** The real runner with the real HTTP client pointed at `scraperUrl`. */
export function runnerFor(
  storage: Storage,
  clock: Clock,
  definition: WorkflowsDefinition,
  scraperUrl: string,
  options: {
    callTimeoutMs?: number;
    workflowExecutionMs?: number;
    parallelConfig?: boolean;
    breakers?: CircuitBreakers;
  } = {},
): RunnerSetup {
  const timeouts = {
    workflowExecutionMs: options.workflowExecutionMs ?? 20_000,
    retryBackoffBaseMs: 40,
    retryBackoffMaxMs: 200,
    circuitBreakerWindowMs: 60_000,
    circuitBreakerResetMs: 300_000,
  };
  const breakers = options.breakers ?? new CircuitBreakers(clock, timeouts);
  const deps: WorkflowRunnerDeps = {
    events: storage.events,
    clock,
    // No scraper_timeouts in the file: TimeoutConfig's two bounds, the whole call 1 s longer.
    scrapers: new ScraperClient(
      scraperUrl,
      scraperCallBounds(null, {
        scraperHttpMs: options.callTimeoutMs ?? 5_000,
        scraperFutureMs: (options.callTimeoutMs ?? 5_000) + 1_000,
      }),
    ),
    breakers,
    timeouts,
    parallelConfigEnabled: () => options.parallelConfig ?? true,
    random: () => 0.5,
  };
  return { runner: new WorkflowRunner(deps, definition), breakers };
}

export const manualRequest = (
  workflow: WorkflowDefinition,
  executionId: string,
): ExecutionRequest => ({
  executionId,
  workflow,
  evaluationId: null,
  trigger: 'manual',
  localDate: '2026-01-22',
});

export async function executionEvents(storage: Storage, executionId: string) {
  const events: Array<{ type: string; data: Record<string, unknown> }> = [];
  for await (const event of storage.events.readStream(workflowExecutionStream(executionId))) {
    events.push({ type: event.type, data: event.data as Record<string, unknown> });
  }
  return events;
}
