import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import {
  describe,
  STORAGE,
  type Position,
  type RecordedEvent,
  type Storage,
} from '../../../common/event-store/index.js';
import { ProjectionRunner } from '../../../common/projections/projection-runner.js';
import { WORKFLOW_EVENTS, workflowExecutionStream } from '../workflow.events.js';
import { interruptedFinish } from './interrupted-execution.js';
import {
  RUNNING_EXECUTIONS,
  RUNNING_EXECUTIONS_PROJECTION,
  type RunningExecution,
} from './running-executions.projection.js';
import { executionFinishedKey } from './workflow-runner.js';

const PAGE = 500;

/**
 * At bootstrap, closes every execution that a previous process started and never finished
 * (crash, SIGKILL) with WorkflowExecutionFinished `interrupted`. Only executions started before
 * this process's boot position are touched, so runs started meanwhile by this process are safe.
 * Runs in the background once the running-executions projection has caught up with the boot head.
 * Assumes a single instance runs workflows (another live instance's runs would be closed too).
 */
@Injectable()
export class InterruptedExecutionsRecovery
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(InterruptedExecutionsRecovery.name);
  private stopped = false;
  /** Settles when the recovery is over (tests and shutdown wait for it). */
  done: Promise<number> = Promise.resolve(0);

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly projections: ProjectionRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const bootHead = await this.storage.events.head();
    if (bootHead === null) return;
    this.done = this.recover(bootHead).catch((error: unknown) => {
      if (!this.stopped) {
        this.logger.error(
          `marking interrupted workflow executions failed: ${describe(error)}; they stay running until the next start`,
        );
      }
      return 0;
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  private async recover(bootHead: Position): Promise<number> {
    await this.caughtUp(bootHead);
    let marked = 0;
    let after: string | undefined;
    for (;;) {
      if (this.stopped) return marked;
      const page = await this.storage.readModels.list<RunningExecution>(RUNNING_EXECUTIONS, {
        limit: PAGE,
        ...(after === undefined ? {} : { after }),
      });
      for (const { doc } of page) {
        if (this.stopped) return marked;
        if (doc.position <= bootHead && (await this.markInterrupted(doc.execution_id))) marked += 1;
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.key;
    }
    if (marked > 0) this.logger.warn(`marked ${marked} workflow execution(s) interrupted`);
    return marked;
  }

  private async caughtUp(bootHead: Position): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      try {
        // One read-your-writes wait, repeated until the read model has caught up (or shutdown).
        await this.projections.waitFor(
          RUNNING_EXECUTIONS_PROJECTION,
          bootHead,
          this.config.timeouts.readYourWritesMs,
        );
        return;
      } catch (error) {
        this.logger.warn(
          `${describe(error)}; still waiting before marking interrupted workflow executions`,
        );
      }
    }
  }

  private async markInterrupted(executionId: string): Promise<boolean> {
    const streamId = workflowExecutionStream(executionId);
    const events: RecordedEvent[] = [];
    for await (const event of this.storage.events.readStream(streamId)) events.push(event);
    const finish = interruptedFinish(events, this.clock.now());
    if (!finish) return false;
    const result = await this.storage.events.append(
      streamId,
      [{ type: WORKFLOW_EVENTS.executionFinished, data: finish }],
      { expectedVersion: 'any', idempotencyKey: executionFinishedKey(executionId) },
    );
    return !result.duplicate;
  }
}
