import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { STORAGE, type Position, type Storage } from '../event-store/index.js';
import { LeaseCoordinator } from '../leases/lease-coordinator.js';
import type { FollowerTiming } from '../event-store/follower-timing.js';
import type { OutboxRoute } from './outbox-route.js';
import { PUBLISHER, type Publisher } from './publisher.port.js';
import { TopicDispatcher } from './topic-dispatcher.js';

export const OUTBOX_PUBLISH_TIMEOUT_MS = Symbol('OUTBOX_PUBLISH_TIMEOUT_MS');
/** Poll and backoff of the topic dispatchers. */
export const OUTBOX_TIMING = Symbol('OUTBOX_TIMING');

export interface TopicStatus {
  topic: string;
  state: string;
  checkpoint: Position | null;
  backlog: number;
  last_error: string | null;
  failed_attempts: number;
}

/** The lease under which a topic's dispatcher runs (one instance at a time). */
export const outboxLease = (topic: string) => `outbox:${topic}`;

/** Modules register routes at init; one dispatcher per topic runs from bootstrap to shutdown. */
@Injectable()
export class OutboxService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly dispatchers = new Map<string, TopicDispatcher>();
  private started = false;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(PUBLISHER) private readonly publisher: Publisher,
    @Inject(OUTBOX_TIMING) private readonly timing: FollowerTiming,
    @Inject(OUTBOX_PUBLISH_TIMEOUT_MS) private readonly publishTimeoutMs: number,
    // Null only when built by hand (unit tests): in the app a module that forgot LeasesModule
    // fails to boot rather than run its job on every instance.
    @Inject(LeaseCoordinator) private readonly leases: LeaseCoordinator | null = null,
  ) {}

  register(route: OutboxRoute): void {
    if (this.dispatchers.has(route.topic)) {
      throw new Error(
        `outbox topic ${route.topic} has two routes: map all its event types in one route`,
      );
    }
    const dispatcher = new TopicDispatcher(
      route,
      this.storage.events,
      this.storage.projections,
      this.storage.outbox,
      this.publisher,
      this.publishTimeoutMs,
      this.timing,
    );
    this.dispatchers.set(route.topic, dispatcher);
    if (this.leases) this.leases.register(outboxLease(route.topic), dispatcher);
    else if (this.started) dispatcher.start();
  }

  /** With leases, each topic's dispatcher runs on the instance holding `outbox:<topic>`. */
  onApplicationBootstrap(): void {
    this.started = true;
    if (!this.leases) for (const dispatcher of this.dispatchers.values()) dispatcher.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.started = false;
    await Promise.all([...this.dispatchers.values()].map((dispatcher) => dispatcher.stop()));
  }

  get publisherKind(): string {
    return this.publisher.kind;
  }

  async statuses(): Promise<TopicStatus[]> {
    const head = await this.storage.events.head();
    return Promise.all(
      [...this.dispatchers.values()].map(async (dispatcher) => {
        const runsElsewhere =
          this.leases !== null && !this.leases.holds(outboxLease(dispatcher.name));
        const checkpoint = await dispatcher.position();
        return {
          topic: dispatcher.name,
          state: runsElsewhere ? 'standby' : dispatcher.state,
          checkpoint,
          backlog: await this.storage.events.distance(checkpoint, head),
          last_error: dispatcher.lastError,
          failed_attempts: dispatcher.failedAttempts,
        };
      }),
    );
  }
}
