import { randomUUID } from 'node:crypto';
import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../../../common/clock/clock.js';
import { TEXT_LIMITS } from '../../../common/http/text-limits.js';
import { tooLongInput } from '../../../common/http/too-long-input.js';
import { errorMessage } from '../../../common/errors/error-message.js';
import { aggregateStream, STORAGE, type Storage } from '../../../common/event-store/index.js';
import { WORKFLOWS_DEFINITION } from '../decisions/workflows-definition.token.js';
import { workflowEvaluationStream, type WorkflowEvaluationRecorded } from '../workflow.events.js';
import { evaluationDecider } from '../workflow-evaluation.decider.js';
import type { WorkflowsDefinition } from '../workflow-config.types.js';
import { localTime } from '../local-time.js';
import { WorkflowAlertsService } from '../alerts/workflow-alerts.service.js';
import { WorkflowRunner, type ExecutionRequest, type StartedExecution } from './workflow-runner.js';

export interface StartedRef {
  execution_id: string;
  workflow: string;
}

export interface DueExecutionsAnswer {
  evaluation_id: string;
  hour_key: string;
  /** Started now; they run in the background. */
  started: StartedRef[];
  /** RUN decisions whose execution already exists (an earlier call started it). */
  already_started: StartedRef[];
  /** RUN decisions that cannot run: workflow no longer in the config, or disabled. */
  skipped: Array<{ workflow: string; reason: string }>;
}

export interface ManualExecutionAnswer {
  execution_id: string;
  workflow: string;
  trigger: 'manual';
  started_at: string;
}

/**
 * Starts workflow executions (recorded before answering) and runs them in the background; on
 * shutdown, runs in flight are abandoned and finish `interrupted`.
 */
@Injectable()
export class WorkflowExecutionService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkflowExecutionService.name);
  private readonly shutdown = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKFLOWS_DEFINITION) private readonly definition: WorkflowsDefinition,
    private readonly runner: WorkflowRunner,
    private readonly alerts: WorkflowAlertsService,
  ) {}

  /** Starts every RUN decision of the current hour's evaluation that has no execution yet. */
  async executeDue(): Promise<DueExecutionsAnswer> {
    const hourKey = localTime(this.clock.now(), this.definition.timezone).hourKey;
    const evaluation = await this.evaluation(hourKey);
    if (!evaluation) {
      throw new NotFoundException(
        `no workflow evaluation for hour ${hourKey} (${this.definition.timezone}); ` +
          'call POST /v1/workflows/evaluate first',
      );
    }
    const answer: DueExecutionsAnswer = {
      evaluation_id: evaluation.evaluation_id,
      hour_key: hourKey,
      started: [],
      already_started: [],
      skipped: [],
    };
    for (const decision of evaluation.decisions.filter((d) => d.action === 'RUN')) {
      const workflow = this.definition.workflows.find((w) => w.name === decision.workflow);
      if (!workflow || !workflow.enabled) {
        answer.skipped.push({
          workflow: decision.workflow,
          reason: workflow
            ? `disabled in ${this.definition.source}`
            : `not in ${this.definition.source}`,
        });
        continue;
      }
      const ref = {
        execution_id: `${evaluation.evaluation_id}:${workflow.name}`,
        workflow: workflow.name,
      };
      const started = await this.runner.start({
        executionId: ref.execution_id,
        workflow,
        evaluationId: evaluation.evaluation_id,
        trigger: 'scheduled',
        localDate: evaluation.local_date,
      });
      if (started) {
        this.runInBackground(started);
        answer.started.push(ref);
      } else answer.already_started.push(ref);
    }
    return answer;
  }

  /** Runs one workflow now, whatever the decisions say (trigger `manual`). */
  async executeNow(name: string): Promise<ManualExecutionAnswer> {
    if (name.length > TEXT_LIMITS.configName) throw tooLongInput('name', TEXT_LIMITS.configName);
    const workflow = this.definition.workflows.find((w) => w.name === name);
    if (!workflow) {
      throw new NotFoundException(
        `unknown workflow ${name}; known: ${this.definition.workflows.map((w) => w.name).join(', ')}`,
      );
    }
    if (!workflow.enabled) {
      throw new ConflictException(
        `workflow ${name} is disabled in ${this.definition.source}; enable it there to run it`,
      );
    }
    const now = this.clock.now();
    const request: ExecutionRequest = {
      executionId: `manual:${name}:${randomUUID()}`,
      workflow,
      evaluationId: null,
      trigger: 'manual',
      localDate: localTime(now, this.definition.timezone).date,
    };
    const started = await this.runner.start(request);
    if (!started) throw new Error(`execution id ${request.executionId} already exists`);
    this.runInBackground(started);
    return {
      execution_id: request.executionId,
      workflow: name,
      trigger: 'manual',
      started_at: started.started.started_at,
    };
  }

  /** Resolves when every execution running in this process has finished (tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.shutdown.abort();
    await this.idle();
  }

  /** Runs the execution, and raises the alerts its workflow asks for (timing drift, failure). */
  private runInBackground(execution: StartedExecution): void {
    const id = execution.started.execution_id;
    const drift = this.alerts
      .executionStarted(execution.started)
      .catch((error: unknown) => this.alertFailed('timing_drift', id, error));
    const run = this.runner.run(execution, this.shutdown.signal).then(
      async (finished) => {
        this.logger.log(
          `workflow ${finished.workflow} execution ${finished.execution_id}: ${finished.status} ` +
            `in ${finished.duration_ms} ms (${JSON.stringify(finished.counts)})`,
        );
        await this.alerts
          .executionFinished(finished)
          .catch((error: unknown) => this.alertFailed('failure', id, error));
      },
      (error: unknown) =>
        this.logger.error(
          `workflow execution ${id} stopped: ${errorMessage(error)}; ` +
            'it is marked interrupted at the next start',
        ),
    );
    const both = Promise.all([drift, run])
      .then(() => undefined)
      .finally(() => this.inFlight.delete(both));
    this.inFlight.add(both);
  }

  private alertFailed(condition: string, executionId: string, error: unknown): void {
    this.logger.error(
      `workflow execution ${executionId}: the ${condition} alert could not be raised: ${errorMessage(error)}; ` +
        'see GET /v1/workflows/executions for the execution itself',
    );
  }

  private async evaluation(hourKey: string): Promise<WorkflowEvaluationRecorded | null> {
    const stream = workflowEvaluationStream(hourKey);
    return (await aggregateStream(this.storage, stream, evaluationDecider)).state.recorded;
  }
}
