import { performance } from 'node:perf_hooks';
import type { Clock } from '../../../common/clock/clock.js';
import type { TimeoutConfig } from '../../../common/config/index.js';
import { WrongExpectedVersionError, type EventLog } from '../../../common/event-store/index.js';
import {
  WORKFLOW_EVENTS,
  workflowExecutionStream,
  type StepOutcome,
  type WorkflowExecutionFinished,
  type WorkflowExecutionStarted,
  type WorkflowStepFinished,
} from '../workflow.events.js';
import type { WorkflowDefinition, WorkflowsDefinition } from '../workflow-config.types.js';
import { BREAKER_FAILURE_THRESHOLD } from './circuit-breaker.js';
import type { CircuitBreakers } from './circuit-breakers.js';
import { truncateError } from './error-text.js';
import { planExecution, type ExecutionPlan, type PlannedCall } from './execution-plan.js';
import { decideExecutionStatus, emptyCounts, type FinishedCall } from './execution-status.js';
import { callWithRetries, scraperRetryPolicy, type RetryPolicy } from './retry-policy.js';
import type { ScraperAttempt } from './scraper-attempt.js';
import type { ScraperCaller } from './scraper-client.js';
import { runBounded } from './run-bounded.js';

export interface ExecutionRequest {
  executionId: string;
  workflow: WorkflowDefinition;
  /** null for a manual run. */
  evaluationId: string | null;
  trigger: 'scheduled' | 'manual';
  localDate: string;
}

export interface StartedExecution {
  request: ExecutionRequest;
  plan: ExecutionPlan;
  started: WorkflowExecutionStarted;
}

export interface WorkflowRunnerDeps {
  events: EventLog;
  clock: Clock;
  scrapers: ScraperCaller;
  breakers: CircuitBreakers;
  timeouts: Pick<
    TimeoutConfig,
    'workflowExecutionMs' | 'retryBackoffBaseMs' | 'retryBackoffMaxMs' | 'circuitBreakerWindowMs'
  >;
  /** ENABLE_PARALLEL_CONFIG for a workflow. */
  parallelConfigEnabled(workflow: string): boolean;
  /** Randomness of the retry jitter, in [0, 1). */
  random: () => number;
  /** INSTANCE_ID of this process, recorded on each start so a crash of this instance can be told apart. */
  instanceId?: string;
}

/** The key that lets exactly one WorkflowExecutionFinished into an execution's stream. */
export const executionFinishedKey = (executionId: string) =>
  `workflow-execution-finished:${executionId}`;

/** Thrown through a run when the service shuts down: the execution ends `interrupted`. */
class ShutdownAbort extends Error {}

/**
 * Runs workflow executions and records everything as events on `workflow-execution-<id>`:
 * WorkflowExecutionStarted (expected version 'no-stream': an execution starts at most once), one
 * WorkflowStepFinished per scraper call after its retries, and one WorkflowExecutionFinished.
 */
export class WorkflowRunner {
  private readonly retry: RetryPolicy;

  constructor(
    private readonly deps: WorkflowRunnerDeps,
    private readonly definition: WorkflowsDefinition,
  ) {
    this.retry = scraperRetryPolicy(deps.timeouts, deps.random);
  }

  /** Appends WorkflowExecutionStarted; null when this execution id was already started. */
  async start(request: ExecutionRequest): Promise<StartedExecution | null> {
    const plan = planExecution(
      request.workflow,
      this.definition.scrapers,
      this.deps.parallelConfigEnabled(request.workflow.name),
    );
    const started: WorkflowExecutionStarted = {
      execution_id: request.executionId,
      workflow: request.workflow.name,
      evaluation_id: request.evaluationId,
      trigger: request.trigger,
      local_date: request.localDate,
      started_at: this.deps.clock.now().toISOString(),
      execution_mode: plan.executionMode,
      max_workers: plan.maxWorkers,
      scrapers: [...plan.scrapers],
      ...(this.deps.instanceId === undefined ? {} : { instance_id: this.deps.instanceId }),
    };
    try {
      await this.deps.events.append(
        workflowExecutionStream(request.executionId),
        [{ type: WORKFLOW_EVENTS.executionStarted, data: started }],
        { expectedVersion: 'no-stream' },
      );
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return null;
      throw error;
    }
    return { request, plan, started };
  }

  /**
   * Runs a started execution to its end. The whole execution has workflowExecutionMs: calls not
   * finished by then are recorded `timed_out`. When `shutdown` aborts, the calls in flight are
   * abandoned (not recorded) and the execution finishes `interrupted`.
   */
  async run(
    execution: StartedExecution,
    shutdown: AbortSignal,
  ): Promise<WorkflowExecutionFinished> {
    const startedAt = performance.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.deps.timeouts.workflowExecutionMs);
    const signal = AbortSignal.any([deadline.signal, shutdown]);
    const outputs = new Map<string, Record<string, unknown>>();
    const finished: FinishedCall[] = [];
    try {
      for (const step of execution.plan.steps) {
        await runBounded(step.calls, step.concurrency, async (call) => {
          const result = await this.runCall(execution, step.name, call, outputs, signal, shutdown);
          finished.push(result);
        });
      }
    } catch (error) {
      if (!(error instanceof ShutdownAbort)) throw error;
    } finally {
      clearTimeout(timer);
    }
    return this.finish(execution, finished, performance.now() - startedAt, shutdown.aborted);
  }

  private async runCall(
    execution: StartedExecution,
    step: string,
    call: PlannedCall,
    outputs: Map<string, Record<string, unknown>>,
    signal: AbortSignal,
    shutdown: AbortSignal,
  ): Promise<FinishedCall> {
    const { workflow } = execution.request;
    if (shutdown.aborted) throw new ShutdownAbort();
    const startedAt = performance.now();
    const record = (
      outcome: StepOutcome,
      attempts: number,
      rowCount: number | null,
      error: string | null,
    ) =>
      this.recordStep(execution, {
        step,
        scraper: call.scraper,
        outcome,
        attempts,
        duration_ms: Math.round(performance.now() - startedAt),
        row_count: rowCount,
        error: error === null ? null : truncateError(error),
      });

    if (signal.aborted) {
      return record('timed_out', 0, null, this.workflowTimeoutError(workflow.name, call.scraper));
    }
    const breaker = this.deps.breakers.forScraper(call.scraper);
    if (!breaker.allowsCall()) {
      const retryAt = breaker.retryAtMs;
      return record(
        'circuit_open',
        0,
        null,
        `scraper ${call.scraper}: circuit breaker open (${BREAKER_FAILURE_THRESHOLD} failures within ` +
          `${this.deps.timeouts.circuitBreakerWindowMs} ms); not called` +
          (retryAt === null ? '' : `, next trial call after ${new Date(retryAt).toISOString()}`),
      );
    }

    const inputs = Object.fromEntries(
      call.inputsFrom.flatMap((name) => {
        const output = outputs.get(name);
        return output ? [[name, output] as const] : [];
      }),
    );
    let attemptsMade = 0;
    let last: ScraperAttempt;
    try {
      ({ last } = await callWithRetries(
        (attempt) => {
          attemptsMade = attempt;
          return this.deps.scrapers.call(
            {
              scraper: call.scraper,
              workflow: workflow.name,
              source: 'CONTROLLER',
              ...(Object.keys(inputs).length > 0 ? { inputs } : {}),
            },
            signal,
          );
        },
        this.retry,
        signal,
      ));
    } catch (error) {
      if (shutdown.aborted) throw new ShutdownAbort();
      if (!signal.aborted) throw error;
      return record(
        'timed_out',
        attemptsMade,
        null,
        this.workflowTimeoutError(workflow.name, call.scraper),
      );
    }

    switch (last.kind) {
      case 'success':
      case 'no_data':
        breaker.recordSuccess();
        outputs.set(call.scraper, last.dataSummary);
        return record(last.kind, attemptsMade, last.rowCount, null);
      case 'failed':
        breaker.recordFailure();
        return record('failed', attemptsMade, null, last.error);
      case 'retryable':
        breaker.recordFailure();
        return record(
          last.reason === 'timeout' ? 'timed_out' : 'failed',
          attemptsMade,
          null,
          `${last.error} (after ${attemptsMade} attempts)`,
        );
    }
  }

  private async recordStep(
    execution: StartedExecution,
    step: Omit<WorkflowStepFinished, 'execution_id' | 'workflow' | 'finished_at'>,
  ): Promise<FinishedCall> {
    const data: WorkflowStepFinished = {
      execution_id: execution.started.execution_id,
      workflow: execution.started.workflow,
      ...step,
      finished_at: this.deps.clock.now().toISOString(),
    };
    await this.deps.events.append(
      workflowExecutionStream(data.execution_id),
      [{ type: WORKFLOW_EVENTS.stepFinished, data }],
      { expectedVersion: 'any' },
    );
    return { scraper: step.scraper, outcome: step.outcome, error: step.error };
  }

  private async finish(
    execution: StartedExecution,
    calls: readonly FinishedCall[],
    durationMs: number,
    interrupted: boolean,
  ): Promise<WorkflowExecutionFinished> {
    const verdict = decideExecutionStatus(
      calls,
      this.definition.scrapers,
      execution.request.workflow.requireAllCritical,
    );
    const data: WorkflowExecutionFinished = {
      execution_id: execution.started.execution_id,
      workflow: execution.started.workflow,
      status: interrupted ? 'interrupted' : verdict.status,
      counts: calls.length === 0 ? emptyCounts() : verdict.counts,
      duration_ms: Math.round(durationMs),
      errors: interrupted
        ? [
            ...verdict.errors,
            'the service shut down during this execution; calls in flight were abandoned',
          ]
        : verdict.errors,
      finished_at: this.deps.clock.now().toISOString(),
    };
    await this.deps.events.append(
      workflowExecutionStream(data.execution_id),
      [{ type: WORKFLOW_EVENTS.executionFinished, data }],
      { expectedVersion: 'any', idempotencyKey: executionFinishedKey(data.execution_id) },
    );
    return data;
  }

  private workflowTimeoutError(workflow: string, scraper: string): string {
    return (
      `scraper ${scraper}: workflow ${workflow} exceeded its ${this.deps.timeouts.workflowExecutionMs} ms ` +
      'limit (TIMEOUT_WORKFLOW_EXECUTION_MS) before this call finished'
    );
  }
}
