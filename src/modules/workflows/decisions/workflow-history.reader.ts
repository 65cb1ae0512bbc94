import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import { errorMessage } from '../../../common/errors/error-message.js';
import { STORAGE, type Storage } from '../../../common/event-store/index.js';
import { ProjectionRunner } from '../../../common/projections/projection-runner.js';
import type { WorkflowHistory } from './workflow.decider.js';
import {
  dayKey,
  WORKFLOW_COLLECTIONS as C,
  WORKFLOW_EXECUTIONS_PROJECTION,
  type ExecutionView,
  type WorkflowDayView,
} from './workflow-history.view.js';

/** The decider's view of a workflow's past runs, read from the workflow-executions read model. */
@Injectable()
export class WorkflowHistoryReader {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: ProjectionRunner,
  ) {}

  /**
   * Waits until the read model has applied every event committed so far, so a decision never
   * misses an execution that already started. 503 (retry) when it stays behind the readable log.
   * PostgreSQL: events committed behind a transaction still open elsewhere are not readable yet,
   * so no read model can apply them until it ends; after the wait the decision goes ahead on the
   * readable log, and `viewMayLag` says so.
   */
  async catchUp(): Promise<{ viewMayLag: boolean }> {
    const readable = await this.storage.events.head();
    const committed = await this.storage.events.head({ committed: true });
    if (committed === null) return { viewMayLag: false };
    try {
      await this.runner.waitFor(
        WORKFLOW_EXECUTIONS_PROJECTION,
        committed,
        this.config.timeouts.readYourWritesMs,
      );
      return { viewMayLag: false };
    } catch (error) {
      const { checkpoint } = await this.runner.status(WORKFLOW_EXECUTIONS_PROJECTION);
      const caughtUpWithReadable =
        readable === null || (checkpoint !== null && checkpoint >= readable);
      if (caughtUpWithReadable && (readable === null || committed > readable)) {
        return { viewMayLag: true };
      }
      throw new ServiceUnavailableException(
        `the ${WORKFLOW_EXECUTIONS_PROJECTION} read model is behind the event log (${errorMessage(error)}); ` +
          'nothing was decided: retry the evaluation, and see GET /v1/projections if it persists',
      );
    }
  }

  async history(workflow: string, localDate: string): Promise<WorkflowHistory> {
    const [day, last] = await Promise.all([
      this.storage.readModels.get<WorkflowDayView>(C.days, dayKey(workflow, localDate)),
      this.storage.readModels.get<ExecutionView>(C.lastExecution, workflow),
    ]);
    return {
      attemptsToday: day?.attempts ?? 0,
      succeededToday: day?.succeeded ?? false,
      foundDataToday: day?.found_data ?? false,
      lastStartedAt: last?.started_at ?? null,
      lastStatus: last?.status ?? null,
    };
  }
}
