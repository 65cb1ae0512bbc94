import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import { errorMessage } from '../../../common/errors/error-message.js';
import {
  STORAGE,
  streamEvents,
  type Position,
  type Recorded,
  type Storage,
} from '../../../common/event-store/index.js';
import { LeaseCoordinator } from '../../../common/leases/lease-coordinator.js';
import { ProjectionRunner } from '../../../common/projections/projection-runner.js';
import {
  WORKFLOW_EVENTS,
  workflowExecutionStream,
  type WorkflowEvent,
} from '../workflow.events.js';
import { interruptedFinish } from './interrupted-execution.js';
import {
  RUNNING_EXECUTIONS,
  RUNNING_EXECUTIONS_PROJECTION,
  type RunningExecution,
} from './running-executions.projection.js';
import { executionFinishedKey } from './workflow-runner.js';

const PAGE = 500;

/**
 * Closes executions whose process is gone (crash, SIGKILL) with WorkflowExecutionFinished
 * `interrupted`. At bootstrap: those started before this process's boot position by this
 * INSTANCE_ID (a previous life) or by a process that recorded no instance. Then, with leases,
 * every TIMEOUT_LEASE_TTL_MS: those of other instances whose liveness lease (`instance:<id>`) has
 * lapsed, so the runs of a dead instance are closed while the others keep running; live
 * instances' runs are never touched. One Finished per execution (idempotency key), so instances
 * sweeping at once are harmless. Runs once the running-executions read model has caught up.
 */
@Injectable()
export class InterruptedExecutionsRecovery
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(InterruptedExecutionsRecovery.name);
  private stopped = false;
  /** Settles when the boot recovery (then each sweep) is over (tests and shutdown wait for it). */
  done: Promise<number> = Promise.resolve(0);
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly projections: ProjectionRunner,
    // Null only when built by hand (unit tests): in the app a module that forgot LeasesModule
    // fails to boot rather than run its job on every instance.
    @Inject(LeaseCoordinator) private readonly leases: LeaseCoordinator | null = null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const bootHead = await this.storage.events.head();
    this.done = this.guarded(
      (async () => this.recover(bootHead, await this.liveInstances(), true))(),
    );
    this.scheduleSweep();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    await this.done;
  }

  private scheduleSweep(): void {
    if (!this.leases || this.stopped) return;
    this.sweepTimer = setTimeout(() => {
      this.done = this.done.then(() => this.guarded(this.sweepDeadInstances()));
      void this.done.then(() => this.scheduleSweep());
    }, this.config.timeouts.leaseTtlMs);
    this.sweepTimer.unref();
  }

  private async sweepDeadInstances(): Promise<number> {
    const head = await this.storage.events.head();
    return this.recover(head, await this.liveInstances(), false);
  }

  /** Instances whose liveness lease is live; without leases, none is known (only the boot rule applies). */
  private async liveInstances(): Promise<ReadonlySet<string> | null> {
    return this.leases ? this.leases.liveInstances() : null;
  }

  private guarded(work: Promise<number>): Promise<number> {
    return work.catch((error: unknown) => {
      if (!this.stopped) {
        this.logger.error(
          `marking interrupted workflow executions failed: ${errorMessage(error)}; retried at the next sweep or start`,
        );
      }
      return 0;
    });
  }

  /** Marks every abandoned execution (see isAbandoned) known up to `head`. */
  private async recover(
    head: Position | null,
    live: ReadonlySet<string> | null,
    boot: boolean,
  ): Promise<number> {
    if (head === null) return 0;
    await this.caughtUp(head);
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
        if (
          this.isAbandoned(doc, head, live, boot) &&
          (await this.markInterrupted(doc.execution_id))
        )
          marked += 1;
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.key;
    }
    if (marked > 0) this.logger.warn(`marked ${marked} workflow execution(s) interrupted`);
    return marked;
  }

  /**
   * At boot: this instance id's earlier lives and unnamed (older) processes, started before the
   * boot head. Always: other instances whose liveness lease is not live. Never this process's runs.
   */
  private isAbandoned(
    doc: RunningExecution,
    head: Position,
    live: ReadonlySet<string> | null,
    boot: boolean,
  ): boolean {
    const instance = doc.instance_id ?? null;
    const me = this.config.server.instanceId;
    if (instance === null || instance === me) return boot && doc.position <= head;
    return live !== null && !live.has(instance);
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
          `${errorMessage(error)}; still waiting before marking interrupted workflow executions`,
        );
      }
    }
  }

  private async markInterrupted(executionId: string): Promise<boolean> {
    const streamId = workflowExecutionStream(executionId);
    const events: Recorded<WorkflowEvent>[] = [];
    for await (const event of streamEvents<WorkflowEvent>(this.storage, streamId)) {
      events.push(event);
    }
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
