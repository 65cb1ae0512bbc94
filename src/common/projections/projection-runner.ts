import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { errorMessage } from '../errors/error-message.js';
import {
  STORAGE,
  type Position,
  type ProjectionStore,
  type Storage,
} from '../event-store/index.js';
import { FOLLOWER_TIMING, type FollowerTiming } from '../event-store/follower-timing.js';
import { LeaseCoordinator } from '../leases/lease-coordinator.js';
import type { ProjectionDefinition } from './projection-definition.js';
import type { ReactionDefinition } from './reaction-definition.js';
import { ReactionWorker } from './reaction-worker.js';
import {
  ProjectionWorker,
  type ProjectionStatus,
  type RebuildProgress,
} from './projection-worker.js';

/** The lease under which projection or reaction `name` runs (on one instance at a time). */
export const projectionLease = (name: string) => `projection:${name}`;

/**
 * Where a projection keeps its read model and checkpoint, when not in the event store: a read
 * model in another database (the legacy mirror's Firestore) commits its documents with its own
 * checkpoint there, and may need smaller batches than PROJECTION_BATCH_SIZE (one commit's limits).
 */
export interface ProjectionPlacement {
  store: ProjectionStore;
  /** Most events applied in one commit. */
  batchSize: number;
}

export interface RunnerStatus extends ProjectionStatus {
  /** The instance holding its lease (null: nobody yet, or lapsed). */
  holder: string | null;
}

/**
 * Owns every projection: modules register theirs at init. With a LeaseCoordinator (the
 * application), each runs on the instance holding its lease; without one (a test or tool on its
 * own), all start at bootstrap. All stop at shutdown.
 */
@Injectable()
export class ProjectionRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProjectionRunner.name);
  private readonly workers = new Map<string, ProjectionWorker>();
  /** The checkpoint store of each projection placed outside the event store. */
  private readonly placedStores = new Map<string, ProjectionStore>();
  private readonly reactions = new Map<string, ReactionWorker>();
  private started = false;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(FOLLOWER_TIMING) private readonly timing: FollowerTiming,
    // Null only when built by hand (unit tests): in the app a module that forgot LeasesModule
    // fails to boot rather than run its job on every instance.
    @Inject(LeaseCoordinator) private readonly leases: LeaseCoordinator | null = null,
  ) {}

  /** `placement`: a store other than the event store's (default: the event store, full batches). */
  register(definition: ProjectionDefinition, placement?: ProjectionPlacement): void {
    this.assertUnique(definition.name);
    const worker = new ProjectionWorker(
      definition,
      this.storage.events,
      placement?.store ?? this.storage.projections,
      this.timing,
      placement?.batchSize,
    );
    if (placement) this.placedStores.set(definition.name, placement.store);
    this.workers.set(definition.name, worker);
    this.schedule(definition.name, worker);
  }

  /** Reactions run beside projections and show in the same status list (kind `reaction`). */
  registerReaction(definition: ReactionDefinition): void {
    this.assertUnique(definition.name);
    const worker = new ReactionWorker(
      definition,
      this.storage.events,
      this.storage.projections,
      this.timing,
    );
    this.reactions.set(definition.name, worker);
    this.schedule(definition.name, worker);
  }

  onApplicationBootstrap(): void {
    this.started = true;
    if (!this.leases) for (const worker of this.all()) worker.start();
  }

  /** Whether `name` runs in this process (it holds the lease, or there are no leases). */
  runsHere(name: string): boolean {
    return this.leases ? this.leases.holds(projectionLease(name)) : this.started;
  }

  private schedule(name: string, worker: ProjectionWorker | ReactionWorker): void {
    if (this.leases) this.leases.register(projectionLease(name), worker);
    else if (this.started) worker.start();
  }

  /**
   * Resolves once projection `name` has applied everything up to `position` (read-your-writes for
   * a caller that just appended); rejects after `timeoutMs`.
   */
  async waitFor(name: string, position: Position, timeoutMs: number): Promise<void> {
    const worker = this.worker(name);
    if (!this.runsHere(name)) return this.waitForStored(name, position, timeoutMs);
    let unsubscribe = () => {};
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        unsubscribe = worker.onProgress((checkpoint) => {
          if (checkpoint >= position) resolve();
        });
        timer = setTimeout(
          () =>
            reject(
              new Error(`projection ${name} did not reach ${position} within ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
        void worker.position().then((checkpoint) => {
          if (checkpoint !== null && checkpoint >= position) resolve();
          else worker.poke();
        }, reject);
      });
    } finally {
      unsubscribe();
      clearTimeout(timer);
    }
  }

  /** Another instance runs the projection: poll its stored checkpoint. */
  private async waitForStored(name: string, position: Position, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const store = this.placedStores.get(name) ?? this.storage.projections;
      const checkpoint = await store.checkpoint(name);
      if (checkpoint !== null && checkpoint >= position) return;
      if (Date.now() >= deadline) {
        throw new Error(
          `projection ${name} (running on another instance) did not reach ${position} within ${timeoutMs} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.timing.idlePollMs));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopAll();
  }

  async stopAll(): Promise<void> {
    this.started = false;
    await Promise.all(this.all().map((worker) => worker.stop()));
  }

  names(): string[] {
    return [...this.workers.keys(), ...this.reactions.keys()];
  }

  async statuses(): Promise<RunnerStatus[]> {
    const holders = await this.holders();
    return Promise.all(this.all().map((worker) => this.statusOf(worker, holders)));
  }

  async status(name: string): Promise<RunnerStatus> {
    return this.statusOf(this.reactions.get(name) ?? this.worker(name), await this.holders());
  }

  private async statusOf(
    worker: ProjectionWorker | ReactionWorker,
    holders: ReadonlyMap<string, string>,
  ): Promise<RunnerStatus> {
    // A worker stopped here reports the stored checkpoint, which the holder moves.
    const status = await worker.status();
    const holder = holders.get(projectionLease(worker.name)) ?? null;
    if (this.runsHere(worker.name) || !this.leases) return { ...status, holder };
    return { ...status, state: holder ? 'standby' : 'unassigned', holder };
  }

  private async holders(): Promise<Map<string, string>> {
    return this.leases ? this.leases.liveHolders() : new Map();
  }

  /** Starts a rebuild in the background (progress shows in `status`); 409 when one is already running. */
  startRebuild(name: string): void {
    const worker = this.worker(name);
    if (this.leases && !this.runsHere(name)) {
      throw new ConflictException(
        `projection ${name} runs on another instance (GET /v1/projections shows its holder); send the rebuild there`,
      );
    }
    if (worker.state === 'rebuilding') {
      throw new ConflictException(
        `projection ${name} is already rebuilding; watch GET /v1/projections`,
      );
    }
    this.rebuild(name).catch((error: unknown) =>
      this.logger.error(`rebuild of projection ${name} failed: ${errorMessage(error)}`),
    );
  }

  /** Stops the projection, resets its read model, replays the whole log, and restarts it if it was running. */
  async rebuild(name: string, onProgress?: RebuildProgress): Promise<{ applied: number }> {
    const worker = this.worker(name);
    const restart = this.runsHere(name);
    await worker.stop();
    try {
      return { applied: await worker.rebuild(onProgress) };
    } finally {
      // Not when the app shut down (or the lease went elsewhere) while it rebuilt.
      if (restart && this.runsHere(name)) worker.start();
    }
  }

  private all(): Array<ProjectionWorker | ReactionWorker> {
    return [...this.workers.values(), ...this.reactions.values()];
  }

  private assertUnique(name: string): void {
    if (this.workers.has(name) || this.reactions.has(name)) {
      throw new Error(`projection or reaction ${name} is registered twice: names must be unique`);
    }
  }

  private worker(name: string): ProjectionWorker {
    const worker = this.workers.get(name);
    if (!worker) {
      throw new NotFoundException(
        `no projection named '${name}'; known projections: ${[...this.workers.keys()].join(', ') || 'none'}`,
      );
    }
    return worker;
  }
}
