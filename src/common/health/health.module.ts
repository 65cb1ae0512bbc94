import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { ProjectionsModule } from '../projections/projections.module.js';
import { PubSubPullModule } from '../transport/pubsub/pubsub-pull.module.js';
import { DependencyChecks } from './dependency-checks.js';
import { HEALTH_OPTIONS, type HealthOptions } from './health-options.js';
import { HealthController } from './health.controller.js';
import { ShutdownState } from './shutdown-state.js';

/** GET /health, /health/live and /health/ready. */
@Module({
  imports: [
    TerminusModule.forRoot({ errorLogStyle: 'json' }),
    MetricsModule,
    ProjectionsModule,
    OutboxModule,
    PubSubPullModule,
  ],
  controllers: [HealthController],
  providers: [
    ShutdownState,
    DependencyChecks,
    {
      provide: HEALTH_OPTIONS,
      useFactory: (config: AppConfig): HealthOptions => ({
        checkTimeoutMs: config.timeouts.healthCheckMs,
        cacheMs: config.timeouts.healthCacheMs,
        maxProjectionLagEvents: config.health.readinessMaxProjectionLagEvents,
        longTransactionWarnMs: config.timeouts.storeLongTransactionWarnMs,
        version: config.server.serviceVersion,
        pushAuth: { mode: config.pushAuth.mode, source: config.pushAuth.modeSource },
        pullFailsReadiness: config.pubsubPull.mode === 'worker',
      }),
      inject: [APP_CONFIG],
    },
  ],
  exports: [ShutdownState],
})
export class HealthModule {
  /** `environment`: the module exporting DEPLOYMENT_ENVIRONMENT (the workflows config module). */
  static forRoot(environment: Type<unknown>): DynamicModule {
    return { module: HealthModule, imports: [environment] };
  }
}
