import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { describe, STORAGE, type Storage } from '../event-store/index.js';
import { FOLLOWER_TIMING, type FollowerTiming } from '../event-store/follower-timing.js';
import type { ProjectionDefinition } from './projection-definition.js';
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
  private started = false;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(FOLLOWER_TIMING) private readonly timing: FollowerTiming,
  ) {}

  register(definition: ProjectionDefinition): void {
    if (this.workers.has(definition.name)) {
      throw new Error(
        `projection ${definition.name} is registered twice: projection names must be unique`,
      );
    }
    const worker = new ProjectionWorker(
      definition,
      this.storage.events,
      this.storage.projections,
      this.timing,
    );
    this.workers.set(definition.name, worker);
    if (this.started) worker.start();
  }

  onApplicationBootstrap(): void {
    this.started = true;
    for (const worker of this.workers.values()) worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopAll();
  }

  async stopAll(): Promise<void> {
    this.started = false;
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
  }

  names(): string[] {
    return [...this.workers.keys()];
  }

  statuses(): Promise<ProjectionStatus[]> {
    return Promise.all([...this.workers.values()].map((worker) => worker.status()));
  }

  status(name: string): Promise<ProjectionStatus> {
    return this.worker(name).status();
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

  private worker(name: string): ProjectionWorker {
    const worker = this.workers.get(name);
    if (!worker) {
      throw new NotFoundException(
        `no projection named '${name}'; known projections: ${this.names().join(', ') || 'none'}`,
      );
    }
    return worker;
  }
}
