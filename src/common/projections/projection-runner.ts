import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { describe, STORAGE, type Position, type Storage } from '../event-store/index.js';
import { FOLLOWER_TIMING, type FollowerTiming } from '../event-store/follower-timing.js';
import type { ProjectionDefinition } from './projection-definition.js';
import type { ReactionDefinition } from './reaction-definition.js';
import { ReactionWorker } from './reaction-worker.js';
import {
  ProjectionWorker,
  type ProjectionStatus,
  type RebuildProgress,
} from './projection-worker.js';

/** Owns every projection: modules register theirs at init; all start at bootstrap and stop at shutdown. */
@Injectable()
export class ProjectionRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProjectionRunner.name);
  private readonly workers = new Map<string, ProjectionWorker>();
  private readonly reactions = new Map<string, ReactionWorker>();
  private started = false;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(FOLLOWER_TIMING) private readonly timing: FollowerTiming,
  ) {}

  register(definition: ProjectionDefinition): void {
    this.assertUnique(definition.name);
    const worker = new ProjectionWorker(
      definition,
      this.storage.events,
      this.storage.projections,
      this.timing,
    );
    this.workers.set(definition.name, worker);
    if (this.started) worker.start();
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
    if (this.started) worker.start();
  }

  onApplicationBootstrap(): void {
    this.started = true;
    for (const worker of this.all()) worker.start();
  }

  /**
   * Resolves once projection `name` has applied everything up to `position` (read-your-writes for
   * a caller that just appended); rejects after `timeoutMs`.
   */
  async waitFor(name: string, position: Position, timeoutMs: number): Promise<void> {
    const worker = this.worker(name);
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

  statuses(): Promise<ProjectionStatus[]> {
    return Promise.all(this.all().map((worker) => worker.status()));
  }

  status(name: string): Promise<ProjectionStatus> {
    return (this.reactions.get(name) ?? this.worker(name)).status();
  }

  /** Starts a rebuild in the background (progress shows in `status`); 409 when one is already running. */
  startRebuild(name: string): void {
    const worker = this.worker(name);
    if (worker.state === 'rebuilding') {
      throw new ConflictException(
        `projection ${name} is already rebuilding; watch GET /v1/projections`,
      );
    }
    this.rebuild(name).catch((error: unknown) =>
      this.logger.error(`rebuild of projection ${name} failed: ${describe(error)}`),
    );
  }

  /** Stops the projection, resets its read model, replays the whole log, and restarts it if it was running. */
  async rebuild(name: string, onProgress?: RebuildProgress): Promise<{ applied: number }> {
    const worker = this.worker(name);
    const restart = this.started;
    await worker.stop();
    try {
      return { applied: await worker.rebuild(onProgress) };
    } finally {
      if (restart) worker.start();
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
