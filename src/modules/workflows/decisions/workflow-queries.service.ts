import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../../common/clock/clock.js';
import {
  STORAGE,
  type ReadModelDocument,
  type Storage,
} from '../../../common/event-store/index.js';
import type {
  WorkflowDefinition,
  WorkflowSchedule,
  WorkflowsDefinition,
} from '../workflow-config.types.js';
import { localTime } from '../local-time.js';
import type { ExecutionStatus } from './workflow.decider.js';
import type { ExecutionsQuery } from './workflow-queries.schema.js';
import {
  WORKFLOW_COLLECTIONS as C,
  type EvaluationView,
  type ExecutionView,
  type LastDecisionView,
} from './workflow-history.view.js';
import { WORKFLOWS_DEFINITION } from './workflows-definition.token.js';

const PAGE_SIZE = 500;
const STATUSES: readonly ExecutionStatus[] = ['running', 'completed', 'failed', 'interrupted'];

/** The workflow read APIs: config with latest decision and execution, decisions and executions by local date. */
@Injectable()
export class WorkflowQueriesService {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKFLOWS_DEFINITION) private readonly definition: WorkflowsDefinition,
  ) {}

  async workflows() {
    const workflows = await Promise.all(
      this.definition.workflows.map(async (workflow) => ({
        ...configSummary(workflow),
        last_decision: await this.storage.readModels.get<LastDecisionView>(
          C.lastDecision,
          workflow.name,
        ),
        last_execution: await this.storage.readModels.get<ExecutionView>(
          C.lastExecution,
          workflow.name,
        ),
      })),
    );
    return {
      source: this.definition.source,
      timezone: this.definition.timezone,
      controller_interval_minutes: this.definition.controllerIntervalMinutes,
      workflows,
    };
  }

  async decisions(date: string | undefined) {
    const localDate = date ?? this.today();
    const evaluations = await this.listAll<EvaluationView>(C.evaluationsByDate, `${localDate}|`);
    return { date: localDate, timezone: this.definition.timezone, evaluations };
  }

  async executions(query: ExecutionsQuery) {
    const localDate = query.date ?? this.today();
    const all = await this.listAll<ExecutionView>(C.executionsByDate, `${localDate}|`);
    const counts = Object.fromEntries(
      STATUSES.map((status) => [status, all.filter((view) => view.status === status).length]),
    );
    return {
      date: localDate,
      timezone: this.definition.timezone,
      status: query.status ?? null,
      counts: { total: all.length, ...counts },
      executions: query.status ? all.filter((view) => view.status === query.status) : all,
    };
  }

  private today(): string {
    return localTime(this.clock.now(), this.definition.timezone).date;
  }

  /** Every document under `prefix` (one local date: tens to hundreds), page by page. */
  private async listAll<T extends ReadModelDocument>(
    collection: string,
    prefix: string,
  ): Promise<T[]> {
    const docs: T[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.storage.readModels.list<T>(collection, {
        prefix,
        limit: PAGE_SIZE,
        ...(after !== undefined ? { after } : {}),
      });
      docs.push(...page.map((row) => row.doc));
      if (page.length < PAGE_SIZE) return docs;
      after = page[page.length - 1]!.key;
    }
  }
}

function configSummary(workflow: WorkflowDefinition) {
  return {
    name: workflow.name,
    enabled: workflow.enabled,
    priority: workflow.priority,
    decision_type: workflow.decisionType,
    schedule: scheduleSummary(workflow.schedule),
    execution_mode: workflow.executionMode,
    max_workers: workflow.maxWorkers,
    require_all_critical: workflow.requireAllCritical,
    steps: workflow.steps.map((step) => ({
      name: step.name,
      type: step.type,
      scrapers: step.scrapers,
      depends_on: step.dependsOn,
    })),
  };
}

/** The schedule as written in the YAML (snake_case). */
function scheduleSummary(schedule: WorkflowSchedule) {
  switch (schedule.kind) {
    case 'self_aware':
      return {
        ideal_window: {
          start_hour: schedule.idealWindow.startHour,
          end_hour: schedule.idealWindow.endHour,
        },
      };
    case 'fixed_time':
      return { fixed_time: schedule.fixedTime, tolerance_minutes: schedule.toleranceMinutes };
    case 'game_aware':
      return {
        hours_before_first_game: schedule.hoursBeforeFirstGame,
        frequency_hours: schedule.frequencyHours,
      };
    case 'discovery':
      return {
        max_attempts_per_day: schedule.maxAttemptsPerDay,
        min_interval_hours: schedule.minIntervalHours,
      };
  }
}
