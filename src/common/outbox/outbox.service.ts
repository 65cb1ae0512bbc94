import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { AlertPort } from '../alerts/alert.port.js';
import { errorMessage } from '../errors/error-message.js';
import { STORAGE, type Position, type Storage } from '../event-store/index.js';
import { LeaseCoordinator } from '../leases/lease-coordinator.js';
import type { FollowerTiming } from '../event-store/follower-timing.js';
import type { OutboxRoute } from './outbox-route.js';
import { PUBLISHER, type Publisher, type TopicCheck } from './publisher.port.js';
import { TopicDispatcher, type TopicStop } from './topic-dispatcher.js';

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
  /** Set while the topic is `stopped`: why (the broker refused a message for good) and what to do. */
  stopped_reason: string | null;
  /** The boot check of the topic by the publisher (null when the publisher has no topics to check). */
  topic_check: TopicCheck | null;
}

/** The lease under which a topic's dispatcher runs (one instance at a time). */
export const outboxLease = (topic: string) => `outbox:${topic}`;

/** Modules register routes at init; one dispatcher per topic runs from bootstrap to shutdown. */
@Injectable()
export class OutboxService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxService.name);
  private readonly dispatchers = new Map<string, TopicDispatcher>();
  private started = false;
  /** Connected by OutboxAlertsModule (the kernel cannot import the alerts module); null: log only. */
  private alerts: AlertPort | null = null;

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
      (stop) => this.alertStopped(route.topic, stop),
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
    await this.publisher.close?.();
  }

  get publisherKind(): string {
    return this.publisher.kind;
  }

  /** The registered topics. */
  get topics(): string[] {
    return [...this.dispatchers.keys()];
  }

  connectAlerts(alerts: AlertPort): void {
    this.alerts = alerts;
  }

  /**
   * Publishes a stopped topic again from the message it stopped at. 404 for an unknown topic,
   * 409 on an instance that does not run it (send it to the lease holder, GET /v1/leases).
   */
  resume(topic: string): { topic: string; resumed: boolean } {
    const dispatcher = this.dispatchers.get(topic);
    if (!dispatcher) {
      throw new NotFoundException(
        `no outbox topic ${topic}; topics: ${this.topics.join(', ') || '(none)'}`,
      );
    }
    if (this.leases !== null && !this.leases.holds(outboxLease(topic))) {
      throw new ConflictException(
        `outbox topic ${topic} runs on another instance (GET /v1/leases shows the holder of ${outboxLease(topic)}); send the resume there`,
      );
    }
    return { topic, resumed: dispatcher.resume() };
  }

  async statuses(): Promise<TopicStatus[]> {
    const head = await this.storage.events.head();
    return Promise.all(
      [...this.dispatchers.values()].map(async (dispatcher) => {
        const runsElsewhere =
          this.leases !== null && !this.leases.holds(outboxLease(dispatcher.name));
        const checkpoint = await dispatcher.position();
        const stop = runsElsewhere ? null : dispatcher.permanentStop;
        return {
          topic: dispatcher.name,
          state: runsElsewhere ? 'standby' : stop ? 'stopped' : dispatcher.state,
          checkpoint,
          backlog: await this.storage.events.distance(checkpoint, head),
          last_error: stop ? `${stop.code}: ${stop.reason}` : dispatcher.lastError,
          failed_attempts: dispatcher.failedAttempts,
          stopped_reason: stop?.reason ?? null,
          topic_check: this.publisher.topicCheck?.(dispatcher.name) ?? null,
        };
      }),
    );
  }

  /** One alert per topic and refused message: raising it again (another instance, a retry) adds nothing. */
  private alertStopped(topic: string, stop: TopicStop): void {
    if (!this.alerts) {
      this.logger.error(
        `outbox topic ${topic} stopped (no alert port connected to raise an alert): ${stop.reason}`,
      );
      return;
    }
    this.alerts
      .raise({
        key: `outbox-topic-stopped:${topic}:${stop.messageId}:${stop.code}`,
        kind: 'outbox_topic_stopped',
        severity: 'critical',
        summary: `Outbox topic ${topic} stopped: the broker refused ${stop.messageId} (${stop.code}); nothing more is published to it until it is resumed`,
        details: {
          topic,
          code: stop.code,
          message_id: stop.messageId,
          event_id: stop.eventId,
          reason: stop.reason,
        },
      })
      .catch((error: unknown) =>
        this.logger.error(
          `raising the alert for stopped outbox topic ${topic} failed (the stop shows in GET /v1/outbox): ${errorMessage(error)}`,
        ),
      );
  }
}
