import type { Firestore } from '@google-cloud/firestore';
import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ALERTS, type AlertPort } from '../../common/alerts/alert.port.js';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import { STORAGE, type Storage } from '../../common/event-store/index.js';
import { createFirestoreClient } from '../../common/gcp/firestore-client.js';
import { ProjectionRunner } from '../../common/projections/projection-runner.js';
import { ProjectionsModule } from '../../common/projections/projections.module.js';
import { AlertsModule } from '../alerts/index.js';
import { LEGACY_MIRROR_REPORTS } from '../batches/index.js';
import { BatchLogReader } from './check/batch-log-reader.js';
import { ConsistencyCheckReaction } from './check/consistency-check.reaction.js';
import { ConsistencyCheckService } from './check/consistency-check.service.js';
import { LegacyMirrorReportsService } from './check/legacy-mirror-reports.service.js';
import { mirrorChecksProjection } from './check/mirror-checks.projection.js';
import { MirrorSnapshotReader } from './check/mirror-snapshot.reader.js';
import { layoutFromFlags } from './documents/batch-layout.js';
import { MIRROR_CHECKPOINTS } from './documents/mirror-paths.js';
import { FirestoreProjectionStore } from './firestore/firestore-projection-store.js';
import { LegacyMirrorController } from './legacy-mirror.controller.js';
import { LEGACY_MIRROR_BATCH_SIZE, legacyMirrorProjection } from './legacy-mirror.projection.js';
import { LEGACY_MIRROR_FIRESTORE, LEGACY_MIRROR_STORE } from './legacy-mirror.tokens.js';

/**
 * FIRESTORE_LEGACY_MIRROR: the platform's Firestore documents (`prediction_batches` with their
 * completions, `phase2_completion`) written from the log by the `legacy-mirror` projection, whose
 * checkpoint lives in Firestore with them; the consistency check of a sample of batches (reaction
 * `legacy-mirror-check`, POST /v1/legacy-mirror/batches/:id/check) and its reports, which batches
 * shows through LEGACY_MIRROR_REPORTS. The app imports it only when the flag is on.
 */
@Module({
  imports: [ProjectionsModule, AlertsModule],
  controllers: [LegacyMirrorController],
  providers: [
    {
      provide: LEGACY_MIRROR_FIRESTORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Firestore => {
        const { firestoreEmulatorHost, firestoreDatabaseId } = config.firestore;
        const projectId = config.pubsubPublisher.googleCloudProject;
        return createFirestoreClient({
          ...(projectId === undefined ? {} : { projectId }),
          ...(firestoreDatabaseId === undefined ? {} : { databaseId: firestoreDatabaseId }),
          ...(firestoreEmulatorHost === undefined ? {} : { emulatorHost: firestoreEmulatorHost }),
        });
      },
    },
    {
      provide: LEGACY_MIRROR_STORE,
      inject: [LEGACY_MIRROR_FIRESTORE, STORAGE, ALERTS, APP_CONFIG],
      useFactory: (db: Firestore, storage: Storage, alerts: AlertPort, config: AppConfig) =>
        new FirestoreProjectionStore(db, storage.events, alerts, {
          checkpoints: MIRROR_CHECKPOINTS,
          readWriteMs: config.timeouts.firestoreReadWriteMs,
          transactionMs: config.timeouts.firestoreTransactionMs,
        }),
    },
    MirrorSnapshotReader,
    BatchLogReader,
    ConsistencyCheckService,
    ConsistencyCheckReaction,
    LegacyMirrorReportsService,
    { provide: LEGACY_MIRROR_REPORTS, useExisting: LegacyMirrorReportsService },
  ],
  exports: [LEGACY_MIRROR_REPORTS],
})
export class LegacyMirrorModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LEGACY_MIRROR_FIRESTORE) private readonly db: Firestore,
    @Inject(LEGACY_MIRROR_STORE) private readonly store: FirestoreProjectionStore,
    private readonly runner: ProjectionRunner,
    private readonly checkReaction: ConsistencyCheckReaction,
  ) {}

  onModuleInit(): void {
    const flags = this.config.flags;
    this.runner.register(
      legacyMirrorProjection({ layoutOf: (batchId) => layoutFromFlags(flags, batchId) }),
      { store: this.store, batchSize: LEGACY_MIRROR_BATCH_SIZE },
    );
    this.runner.register(mirrorChecksProjection);
    this.runner.registerReaction(this.checkReaction.definition);
  }

  /**
   * After the lease coordinator has stopped the projection (before application shutdown); a
   * rebuild running in the background stops between two pages of its reset first.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close(this.config.timeouts.shutdownDrainMs);
    await this.db.terminate();
  }
}
