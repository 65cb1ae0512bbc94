import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import type { Response } from 'express';
import { PublicRoute } from '../http/route-access.decorator.js';
import { RequestStats } from '../metrics/request-stats.js';
import { DependencyChecks } from './dependency-checks.js';
import { DEPLOYMENT_ENVIRONMENT } from './deployment-environment.js';
import { HEALTH_OPTIONS, type HealthOptions } from './health-options.js';
import { ShutdownState } from './shutdown-state.js';

@ApiTags('health')
@PublicRoute()
@Controller('health')
export class HealthController {
  private readonly startedAt = Date.now();

  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: DependencyChecks,
    private readonly shutdown: ShutdownState,
    private readonly stats: RequestStats,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    @Inject(DEPLOYMENT_ENVIRONMENT) private readonly environment: string,
  ) {}

  /** The process is up; never touches a dependency. */
  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  /** Ready to take traffic: store reachable, projections running within the lag bound, not shutting down. */
  @Get('ready')
  @HealthCheck()
  ready() {
    if (this.shutdown.shuttingDown) {
      throw new ServiceUnavailableException({
        status: 'error',
        error: { shutdown: { status: 'down', message: 'shutting down: no new traffic' } },
      });
    }
    return this.health.check([
      () => this.checks.indicator('event_store', () => this.checks.eventStore()),
      () => this.checks.indicator('projections', () => this.checks.projectionsHealth()),
      // Reported, never failing: see DependencyChecks.outboxReadiness.
      () => this.checks.indicator('outbox', () => this.checks.outboxReadiness()),
      // Fails only in a worker: see DependencyChecks.pubsubPullHealth.
      ...(this.checks.pullsMessages
        ? [() => this.checks.indicator('pubsub_pull', () => this.checks.pubsubPullReadiness())]
        : []),
    ]);
  }

  /** Summary for people and dashboards: 200 when healthy or degraded, 503 when unhealthy. */
  @Get()
  async summary(@Res({ passthrough: true }) res: Response) {
    const [eventStore, projections, outbox] = await Promise.all([
      this.checks.eventStore(),
      this.checks.projectionsHealth(),
      this.checks.outboxHealth(),
    ]);
    const pull = this.checks.pullsMessages ? this.checks.pubsubPullHealth() : null;
    const status = !eventStore.healthy
      ? 'unhealthy'
      : projections.healthy &&
          outbox.healthy &&
          (pull?.healthy ?? true) &&
          !this.shutdown.shuttingDown &&
          !eventStore.warning
        ? 'healthy'
        : 'degraded';
    res.status(status === 'unhealthy' ? 503 : 200);
    return {
      status,
      uptime_seconds: Math.round((Date.now() - this.startedAt) / 1000),
      request_count: this.stats.requestCount,
      avg_latency_ms: this.stats.averageMs(),
      p95_latency_ms: this.stats.percentileMs(95),
      last_request_at: this.stats.lastRequestAt,
      version: this.options.version,
      environment: this.environment,
      shutting_down: this.shutdown.shuttingDown,
      push_auth: this.options.pushAuth,
      dependencies: {
        event_store: eventStore,
        projections,
        outbox,
        ...(pull ? { pubsub_pull: pull } : {}),
      },
    };
  }
}
