import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import { STORAGE, type Storage } from '../../../common/event-store/index.js';
import { LeaseCoordinator } from '../../../common/leases/lease-coordinator.js';
import {
  FOLLOWER_TIMING,
  type FollowerTiming,
} from '../../../common/event-store/follower-timing.js';
import { ANALYTICS_SINK, type AnalyticsSink } from '../analytics-sink.port.js';
import {
  WORKFLOWS_DEFINITION,
  WORKFLOWS_SETTINGS,
  type WorkflowsDefinition,
  type WorkflowsSettings,
} from '../../workflows/index.js';
import { EmbeddedAnalyticsSink } from '../embedded/embedded-analytics.sink.js';
import { AnalyticsExportFollower } from './analytics-export.follower.js';
import { AnalyticsLoadRecorder } from './analytics-load.recorder.js';
import { dailyLoadBudget } from './export-batch.js';
import { WorkflowRowsSource } from './workflow-rows.source.js';

/** The lease under which the export runs (one instance at a time). */
export const ANALYTICS_EXPORT_LEASE = 'analytics-export';

/** Runs the export from bootstrap to shutdown; reports it and restarts it from the log start. */
@Injectable()
export class AnalyticsExportService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AnalyticsExportService.name);
  private readonly follower: AnalyticsExportFollower;
  private readonly recorder: AnalyticsLoadRecorder;

  constructor(
    @Inject(ANALYTICS_SINK) private readonly sink: AnalyticsSink,
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(FOLLOWER_TIMING) timing: FollowerTiming,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORKFLOWS_DEFINITION) definition: WorkflowsDefinition,
    @Inject(WORKFLOWS_SETTINGS) settings: WorkflowsSettings,
    // Null only when built by hand (unit tests): in the app a module that forgot LeasesModule
    // fails to boot rather than run its job on every instance.
    @Inject(LeaseCoordinator) private readonly leases: LeaseCoordinator | null = null,
  ) {
    this.recorder = new AnalyticsLoadRecorder(storage.events);
    this.follower = new AnalyticsExportFollower({
      sink,
      events: storage.events,
      checkpoints: storage.projections,
      timing,
      clock,
      policy: {
        batchRows: config.analytics.analyticsExportBatchRows,
        intervalMs: config.timeouts.analyticsExportIntervalMs,
      },
      source: new WorkflowRowsSource(storage.events, {
        definition,
        controllerVersion: config.server.serviceVersion,
        environment: settings.environment,
      }),
      recorder: this.recorder,
    });
  }

  /** With leases, the export runs on the instance holding `analytics-export`. */
  onApplicationBootstrap(): void {
    if (this.leases) this.leases.register(ANALYTICS_EXPORT_LEASE, this.follower);
    else this.follower.start();
  }

  /** Stops at a checkpoint, then closes the embedded sink's connection (its own, not the store's). */
  /** Before any onApplicationShutdown hook, so the export stops while the store is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.follower.stop();
    if (this.sink instanceof EmbeddedAnalyticsSink) this.sink.close();
  }

  /** Nudges the export to look at the log (and at its interval) now. */
  poke(): void {
    this.follower.poke();
  }

  /** Resets the export checkpoint: the whole log is exported again (natural ids: no duplicates). */
  async rebuild(): Promise<void> {
    if (this.leases && !this.leases.holds(ANALYTICS_EXPORT_LEASE)) {
      throw new ConflictException(
        'the analytics export runs on another instance (GET /v1/leases shows which); send the rebuild there',
      );
    }
    await this.follower.stop();
    await this.storage.projections.reset(this.follower.checkpointName, []);
    this.follower.restartFromCheckpoint();
    this.follower.start();
    this.logger.log('analytics export checkpoint reset: re-exporting the log from its start');
  }

  async status() {
    const runsElsewhere = this.leases !== null && !this.leases.holds(ANALYTICS_EXPORT_LEASE);
    const [checkpoint, head] = await Promise.all([
      this.follower.position(),
      this.storage.events.head(),
    ]);
    const today = this.clock.now().toISOString().slice(0, 10);
    return {
      sink: this.sink.kind,
      dataset: this.config.analytics.analyticsDataset,
      tables: this.follower.tableReports,
      export: {
        state: runsElsewhere ? 'standby' : this.follower.state,
        checkpoint,
        lag_events: await this.storage.events.distance(checkpoint, head),
        pending_rows: this.follower.pending(),
        held: this.follower.held,
        last_error: this.follower.lastError,
        failed_attempts: this.follower.failedAttempts,
        batch_rows: this.config.analytics.analyticsExportBatchRows,
        interval_ms: this.config.timeouts.analyticsExportIntervalMs,
      },
      last_load: this.recorder.last,
      loads_today: {
        date: today,
        budget_per_table: dailyLoadBudget(this.config.timeouts.analyticsExportIntervalMs),
        ...(await this.recorder.countsOn(today)),
      },
    };
  }
}
