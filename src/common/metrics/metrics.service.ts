import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { STORAGE, type Storage } from '../event-store/index.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { ProjectionRunner } from '../projections/projection-runner.js';

/** Prometheus metrics of one app instance (its own registry, so several apps can share a process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly latency: Histogram<'method' | 'route' | 'status'>;
  private readonly pushMessages: Counter<'endpoint' | 'outcome'>;
  private readonly pushAuthFailures: Counter<'endpoint' | 'reason'>;

  constructor(
    @Inject(STORAGE) storage: Storage,
    projections: ProjectionRunner,
    outbox: OutboxService,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'shotclock_process_' });
    this.requests = new Counter({
      name: 'shotclock_http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'shotclock_http_request_duration_seconds',
      help: 'HTTP request latency by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.pushMessages = new Counter({
      name: 'shotclock_push_messages_total',
      help: 'Pushed Pub/Sub messages by endpoint and outcome (processed, duplicate, quarantined, conflict, ...)',
      labelNames: ['endpoint', 'outcome'],
      registers: [this.registry],
    });
    this.pushAuthFailures = new Counter({
      name: 'shotclock_push_auth_failures_total',
      help: 'Push deliveries refused by PUSH_AUTH, by endpoint and reason (missing_token, bad_signature, wrong_account, ...)',
      labelNames: ['endpoint', 'reason'],
      registers: [this.registry],
    });
    const stats = storage.events.stats;
    this.gaugeOf(
      'shotclock_event_appends_total',
      'Appends committed by this instance',
      () => stats.appends,
    );
    this.gaugeOf(
      'shotclock_events_appended_total',
      'Events written by this instance',
      () => stats.events,
    );
    this.gaugeOf(
      'shotclock_idempotent_duplicates_total',
      'Appends answered from an existing idempotency key (nothing written)',
      () => stats.duplicates,
    );
    new Gauge({
      name: 'shotclock_quarantine_body_bytes',
      help: 'Bytes of raw quarantined bodies held (every instance on the store; at most QUARANTINE_MAX_BYTES)',
      registers: [this.registry],
      async collect() {
        this.set((await storage.quarantineBodies.usage()).bytes);
      },
    });
    new Gauge({
      name: 'shotclock_quarantine_bodies',
      help: 'Raw quarantined bodies held (every instance on the store)',
      registers: [this.registry],
      async collect() {
        this.set((await storage.quarantineBodies.usage()).bodies);
      },
    });
    this.gaugeOf(
      'shotclock_quarantine_body_evictions_total',
      'Quarantined bodies evicted by this instance to stay under QUARANTINE_MAX_BYTES (their metadata stays)',
      () => storage.quarantineBodies.stats.evictions,
    );
    new Gauge({
      name: 'shotclock_store_write_failing',
      help: '1 while the store refuses writes (read-only or full disk), else 0',
      registers: [this.registry],
      async collect() {
        this.set((await storage.condition()).writeFailure === null ? 0 : 1);
      },
    });
    new Gauge({
      name: 'shotclock_store_oldest_transaction_age_seconds',
      help: 'PostgreSQL: age of the oldest transaction in the cluster holding back readers (0 when none or not applicable)',
      registers: [this.registry],
      async collect() {
        this.set(((await storage.condition()).oldestTransactionAgeMs ?? 0) / 1000);
      },
    });
    new Gauge({
      name: 'shotclock_projection_lag_events',
      help: 'Events between a projection checkpoint and the head of the log',
      labelNames: ['projection', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const status of await projections.statuses()) {
          this.set({ projection: status.name, state: status.state }, status.lag);
        }
      },
    });
    new Gauge({
      name: 'shotclock_outbox_backlog_events',
      help: 'Events not yet passed by an outbox topic dispatcher',
      labelNames: ['topic'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const status of await outbox.statuses())
          this.set({ topic: status.topic }, status.backlog);
      },
    });
  }

  /** A gauge read from a counter kept elsewhere (the store's own counts), sampled at scrape time. */
  private gaugeOf(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  countPushAuthFailure(endpoint: string, reason: string): void {
    this.pushAuthFailures.inc({ endpoint, reason });
  }

  countPush(endpoint: string, outcome: string): void {
    this.pushMessages.inc({ endpoint, outcome });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.latency.observe(labels, seconds);
  }
}
