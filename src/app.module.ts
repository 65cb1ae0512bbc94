import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Clock } from './common/clock/clock.js';
import { AdminModule } from './common/admin/admin.module.js';
import { AppConfigModule, type AppConfig } from './common/config/index.js';
import { EventStoreModule } from './common/event-store/event-store.module.js';
import { HealthModule } from './common/health/health.module.js';
import { HttpSecurityModule } from './common/http/http.module.js';
import { StoreUnavailableFilter } from './common/http/store-unavailable.filter.js';
import { UnsupportedTextFilter } from './common/http/unsupported-text.filter.js';
import { LeasesModule } from './common/leases/leases.module.js';
import { LoggingModule } from './common/logging/index.js';
import { MetricsModule } from './common/metrics/metrics.module.js';
import { OutboxAlertsModule } from './common/outbox/outbox-alerts.module.js';
import { OutboxModule } from './common/outbox/outbox.module.js';
import { ProjectionsModule } from './common/projections/projections.module.js';
import { ShutdownCoordinator } from './common/shutdown/shutdown-coordinator.js';
import { TimersModule } from './common/timers/timers.module.js';
import { AlertsModule } from './modules/alerts/index.js';
import { BatchesModule } from './modules/batches/index.js';
import { ConsoleModule } from './modules/console/index.js';
import { CostModule } from './modules/cost/index.js';
import { DedupModule } from './modules/dedup/index.js';
import { LegacyMirrorModule } from './modules/legacy-mirror/index.js';
import { OrchestrationModule } from './modules/orchestration/index.js';
import { WorkflowsConfigModule, WorkflowsModule } from './modules/workflows/index.js';

/** What tests may replace: only what cannot be controlled from outside (time). */
export interface AppOverrides {
  clock?: Clock;
  /**
   * false for command-line tools: no lease is taken, so no projection, timer, dispatcher or export
   * runs in the tool (a service on the same store keeps running them). Default true.
   */
  singletonJobs?: boolean;
}

/** Wires the infrastructure (src/common) and the feature modules (src/modules). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, overrides: AppOverrides = {}): DynamicModule {
    const legacyMirror = config.legacyMirror.firestoreLegacyMirror;
    return {
      module: AppModule,
      imports: [
        // Global: the logger, the configuration and the store (with the clock).
        LoggingModule.forRoot({
          structured: config.flags.isEnabled('ENABLE_STRUCTURED_LOGGING'),
          level: config.logging.logLevel,
          ...(config.logging.gcpProjectId ? { gcpProjectId: config.logging.gcpProjectId } : {}),
        }),
        AppConfigModule.forRoot(config, { singletonJobs: overrides.singletonJobs ?? true }),
        EventStoreModule.forRoot(overrides.clock),
        // The rest of the kernel; each module imports the parts it uses.
        LeasesModule,
        ProjectionsModule,
        TimersModule,
        OutboxModule,
        MetricsModule,
        HttpSecurityModule,
        HealthModule.forRoot(WorkflowsConfigModule),
        AdminModule,
        // Feature modules (src/modules); each imports what it depends on.
        DedupModule,
        AlertsModule,
        // The outbox raises an alert when a topic stops, through the alerts module's port.
        OutboxAlertsModule.forRoot(AlertsModule),
        // With the legacy mirror, GET /v1/batches/:id shows its checks through the mirror's module.
        BatchesModule.forRoot(legacyMirror ? { legacyMirrorReports: LegacyMirrorModule } : {}),
        OrchestrationModule,
        CostModule,
        // Workflows' BigQuery game schedule reads its rows through the cost module.
        WorkflowsModule.forRoot({ gameScheduleRows: CostModule }),
        ...(legacyMirror ? [LegacyMirrorModule] : []),
        // The operator console: static files calling the admin API above.
        ConsoleModule,
      ],
      providers: [
        ShutdownCoordinator,
        { provide: APP_FILTER, useClass: StoreUnavailableFilter },
        { provide: APP_FILTER, useClass: UnsupportedTextFilter },
      ],
    };
  }
}
