import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import {
  STORAGE,
  type ReadModelDocument,
  type Storage,
} from '../../../common/event-store/index.js';
import { boundedPage, type PageEntry } from '../../../common/http/page-budget.js';
import type { WorkflowsDefinition } from '../workflow-config.types.js';
import { configSummary } from './workflow-config.summary.js';
import { workflowsConfigView } from './workflows-config.view.js';
import { localTime } from '../local-time.js';
import type { ExecutionStatus } from './workflow.decider.js';
import type { DecisionsQuery, ExecutionsQuery } from './workflow-queries.schema.js';
import {
  WORKFLOW_COLLECTIONS as C,
  type EvaluationView,
  type ExecutionView,
  type LastDecisionView,
} from './workflow-history.view.js';
import { WORKFLOWS_DEFINITION } from './workflows-definition.token.js';

const PAGE_SIZE = 500;

/** The workflow read APIs: config with latest decision and execution, decisions and executions by local date. */
@Injectable()
export class WorkflowQueriesService {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKFLOWS_DEFINITION) private readonly definition: WorkflowsDefinition,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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

  /** GET /v1/workflows/config. */
  configView() {
    return workflowsConfigView(this.definition, this.config.timeouts);
  }

  /** A date's evaluations in hour order, `limit` and RESPONSE_PAGE_MAX_BYTES at a time. */
  async decisions(query: DecisionsQuery) {
    const localDate = query.date ?? this.today();
    const prefix = `${localDate}|`;
    const rows = await this.storage.readModels.list<EvaluationView>(C.evaluationsByDate, {
      prefix,
      limit: query.limit,
      ...(query.cursor === undefined ? {} : { after: `${prefix}${query.cursor}` }),
    });
    const page = this.page(
      rows.map((row) => ({ item: row.doc, cursor: row.key.slice(prefix.length) })),
      query.limit,
    );
    return {
      date: localDate,
      timezone: this.definition.timezone,
      evaluations: page.items,
      next: page.next,
    };
  }

  /**
   * A date's executions in start order (of one status, when given), `limit` and
   * RESPONSE_PAGE_MAX_BYTES at a time; `counts` are of the whole date, whatever the page.
   */
  async executions(query: ExecutionsQuery) {
    const localDate = query.date ?? this.today();
    const prefix = `${localDate}|`;
    const counts: Record<ExecutionStatus, number> = {
      running: 0,
      completed: 0,
      failed: 0,
      interrupted: 0,
    };
    let total = 0;
    const entries: Array<PageEntry<ExecutionView>> = [];
    await this.scan<ExecutionView>(C.executionsByDate, prefix, (key, view) => {
      total++;
      if (view.status in counts) counts[view.status]++;
      const cursor = key.slice(prefix.length);
      const after = query.cursor === undefined || afterInKeyOrder(cursor, query.cursor);
      const wanted = query.status === undefined || view.status === query.status;
      if (after && wanted && entries.length < query.limit) entries.push({ item: view, cursor });
    });
    const page = this.page(entries, query.limit);
    return {
      date: localDate,
      timezone: this.definition.timezone,
      status: query.status ?? null,
      counts: { total, ...counts },
      executions: page.items,
      next: page.next,
    };
  }

  private today(): string {
    return localTime(this.clock.now(), this.definition.timezone).date;
  }

  private page<T>(entries: Array<PageEntry<T>>, limit: number) {
    return boundedPage(entries, limit, this.config.server.responsePageMaxBytes);
  }

  /** Visits every document under `prefix` (one local date), a store page at a time. */
  private async scan<T extends ReadModelDocument>(
    collection: string,
    prefix: string,
    visit: (key: string, doc: T) => void,
  ): Promise<void> {
    let after: string | undefined;
    for (;;) {
      const page = await this.storage.readModels.list<T>(collection, {
        prefix,
        limit: PAGE_SIZE,
        ...(after !== undefined ? { after } : {}),
      });
      for (const row of page) visit(row.key, row.doc);
      if (page.length < PAGE_SIZE) return;
      after = page[page.length - 1]!.key;
    }
  }
}

/** Whether key `a` sorts after `b` as both stores order keys (by UTF-8 bytes). */
function afterInKeyOrder(a: string, b: string): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) > 0;
}
