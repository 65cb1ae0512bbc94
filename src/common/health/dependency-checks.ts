import { Inject, Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { errorMessage } from '../errors/error-message.js';
import { STORAGE, type Storage } from '../event-store/index.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { PullStatus } from '../transport/pubsub/pull-status.js';
import { HEALTH_OPTIONS, type HealthOptions } from './health-options.js';

export interface DependencyHealth {
  healthy: boolean;
  latency_ms: number;
  error: string | null;
  [detail: string]: unknown;
}

/**
 * Checks of what the service depends on. Each runs under the health-check timeout and never throws,
 * so a hung store cannot hang or crash a health request.
 */
@Injectable()
export class DependencyChecks {
  private readonly logger = new Logger(DependencyChecks.name);
  /** The long-transaction warning last logged; null once it cleared. */
  private longTransaction: string | null = null;
  private readonly cache = new Map<
    string,
    { result: Promise<DependencyHealth>; expiresAt: number }
  >();

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    private readonly projections: ProjectionRunner,
    private readonly outbox: OutboxService,
    private readonly indicators: HealthIndicatorService,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    private readonly pull: PullStatus,
  ) {}

  /** Whether this process pulls Pub/Sub subscriptions (their streams are then part of health). */
  get pullsMessages(): boolean {
    return this.pull.pulling;
  }

  /**
   * Each pulled subscription's stream (state, last error). Unhealthy while one is not open; that
   * fails readiness only in a worker (SHOTCLOCK_MODE=worker), which does nothing else: in a process
   * that also serves the API, a subscription problem is the same on every instance, and a 503
   * would take the HTTP API (and push) out of the load balancer everywhere for it.
   */
  pubsubPullHealth(): DependencyHealth {
    const problem = this.pull.problems();
    return {
      healthy: problem === null,
      latency_ms: 0,
      error: problem,
      fails_readiness: this.options.pullFailsReadiness,
      subscriptions: this.pull.list(),
    };
  }

  async pubsubPullReadiness(): Promise<DependencyHealth> {
    const health = this.pubsubPullHealth();
    return { ...health, healthy: health.healthy || !this.options.pullFailsReadiness };
  }

  eventStore(): Promise<DependencyHealth> {
    return this.timed('event_store', async () => {
      await this.storage.ping();
      const condition = await this.storage.condition();
      if (condition.writeFailure !== null) {
        throw new Error(`the store cannot write: ${condition.writeFailure}`);
      }
      const warning = this.longTransactionWarning(condition.oldestTransactionAgeMs);
      return {
        store: this.storage.kind,
        oldest_transaction_age_ms: condition.oldestTransactionAgeMs,
        warning,
      };
    });
  }

  /** A warning (logged when it starts and when it clears) while a transaction is open too long. */
  private longTransactionWarning(ageMs: number | null): string | null {
    const limitMs = this.options.longTransactionWarnMs;
    const warning =
      ageMs !== null && ageMs > limitMs
        ? `a transaction has been open for ${Math.round(ageMs / 1000)} s (warning past ` +
          `${Math.round(limitMs / 1000)} s, TIMEOUT_STORE_LONG_TRANSACTION_WARN_MS): new events stay ` +
          'unreadable to projections and log readers until it ends; find it with SELECT pid, datname, ' +
          'usename, application_name, xact_start, state FROM pg_stat_activity WHERE backend_xid IS NOT ' +
          'NULL ORDER BY xact_start (and pg_prepared_xacts)'
        : null;
    if (warning !== null && this.longTransaction === null) this.logger.warn(warning);
    if (warning === null && this.longTransaction !== null) {
      this.logger.log('no store transaction is open past the warning limit any more');
    }
    this.longTransaction = warning;
    return warning;
  }

  projectionsHealth(): Promise<DependencyHealth> {
    return this.timed('projections', async () => {
      const statuses = await this.projections.statuses();
      const problems = statuses
        .filter((s) => s.state === 'failed' || s.lag > this.options.maxProjectionLagEvents)
        .map((s) =>
          s.state === 'failed'
            ? `${s.name} failed: ${s.last_error}`
            : `${s.name} lags ${s.lag} events (bound ${this.options.maxProjectionLagEvents})`,
        );
      if (problems.length > 0) throw new Error(problems.join('; '));
      return { projections: statuses.map(({ name, state, lag }) => ({ name, state, lag })) };
    });
  }

  outboxHealth(): Promise<DependencyHealth> {
    return this.timed('outbox', async () => {
      const statuses = await this.outbox.statuses();
      // A retrying topic is `catching_up` during each attempt and `failed` only between them.
      const failing = statuses.filter((s) => s.state === 'stopped' || s.failed_attempts > 0);
      if (failing.length > 0) {
        throw new Error(
          failing
            .map((s) =>
              s.state === 'stopped'
                ? `${s.topic} stopped: ${s.last_error}`
                : `${s.topic} failing (${s.failed_attempts} failed attempts): ${s.last_error}`,
            )
            .join('; '),
        );
      }
      return { publisher: this.outbox.publisherKind, topics: statuses.length };
    });
  }

  /**
   * The outbox's part of readiness: never takes the instance out of the load balancer, but names
   * topics that publish nothing. A stopped or missing topic (a topic or permission problem of the
   * project) is the same on every instance, and the log keeps every message until it is fixed, so
   * a 503 would only stop ingestion everywhere; GET /health turns degraded and an alert is raised.
   * When the statuses cannot be read, `error` says so (the store's own check fails readiness then).
   */
  async outboxReadiness(): Promise<DependencyHealth> {
    const result = await this.timed('outbox_readiness', async () => {
      const statuses = await this.outbox.statuses();
      return {
        publisher: this.outbox.publisherKind,
        stopped_topics: statuses
          .filter((s) => s.state === 'stopped')
          .map((s) => ({ topic: s.topic, reason: s.stopped_reason })),
        missing_topics: statuses
          .filter((s) => s.topic_check?.state === 'missing')
          .map((s) => ({ topic: s.topic, detail: s.topic_check?.detail ?? null })),
      };
    });
    return { ...result, healthy: true };
  }

  /** Terminus form of a check, for `/health/ready`. */
  async indicator(key: string, check: () => Promise<DependencyHealth>) {
    const result = await check();
    const session = this.indicators.check(key);
    return result.healthy ? session.up(result) : session.down(result);
  }

  /** Results are reused for `cacheMs`, so frequent probes cost the store one check per window. */
  private timed(
    key: string,
    check: () => Promise<Record<string, unknown>>,
  ): Promise<DependencyHealth> {
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.result;
    const result = this.run(check);
    this.cache.set(key, { result, expiresAt: Date.now() + this.options.cacheMs });
    return result;
  }

  private async run(check: () => Promise<Record<string, unknown>>): Promise<DependencyHealth> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.options.checkTimeoutMs} ms`)),
        this.options.checkTimeoutMs,
      );
    });
    try {
      const details = await Promise.race([check(), timeout]);
      return { healthy: true, latency_ms: elapsed(started), error: null, ...details };
    } catch (error) {
      return { healthy: false, latency_ms: elapsed(started), error: errorMessage(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
