import { createHash } from 'node:crypto';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ALERTS, type AlertPort } from '../../../common/alerts/alert.port.js';
import { CLOCK, type Clock } from '../../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import { STORAGE, type Storage } from '../../../common/event-store/index.js';
import { BATCH_EVENTS, type LegacyMirrorReport } from '../../batches/index.js';
import { layoutFromFlags } from '../documents/batch-layout.js';
import {
  LEGACY_MIRROR_EVENTS,
  legacyMirrorStream,
  type LegacyMirrorChecked,
} from '../legacy-mirror.events.js';
import { BatchLogReader } from './batch-log-reader.js';
import { compareMirroredBatch, layoutToRead } from './compare-mirrored-batch.js';
import { MirrorSnapshotReader } from './mirror-snapshot.reader.js';
import { completedPlayers, replayBatch } from './replay-batch.js';

/** Mismatches a report keeps (mismatch_count counts them all). */
export const MISMATCHES_KEPT = 20;
const ALERT_MISMATCHES_SHOWN = 5;

/**
 * Reads a batch's mirrored documents back and compares them with the documents its events give
 * (replayed up to the position the documents reflect), in the layout(s) the platform's readers use
 * (USE_SUBCOLLECTION_READS, or both for a dual-written batch). The report is appended to the log
 * (LegacyMirrorChecked, shown in GET /v1/batches/:id); mismatches raise an alert.
 */
@Injectable()
export class ConsistencyCheckService {
  constructor(
    private readonly snapshots: MirrorSnapshotReader,
    private readonly log: BatchLogReader,
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(ALERTS) private readonly alerts: AlertPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `idempotencyKey`: a repeated check (a reaction's redelivery) records nothing new. */
  async check(batchId: string, idempotencyKey?: string): Promise<LegacyMirrorReport> {
    const snapshot = await this.snapshots.read(batchId);
    const events = await this.log.eventsOf(batchId, snapshot.position);
    const creation = events.find((event) => event.type === BATCH_EVENTS.created);
    if (creation?.type !== BATCH_EVENTS.created) {
      throw new NotFoundException(
        `no batch ${batchId} in the log up to the mirror's position ${snapshot.position ?? '(nothing mirrored yet)'}: ` +
          'check the id (GET /v1/batches), or wait for the mirror (GET /v1/projections, legacy-mirror)',
      );
    }
    const created = creation.data;
    if (created.source !== 'api') {
      throw new ConflictException(
        `batch ${batchId} came from the legacy import: the mirror does not write imported batches ` +
          '(the platform documents they were imported from stay as they are)',
      );
    }
    const layout = snapshot.batch.state?.layout ?? layoutFromFlags(this.config.flags, batchId);
    const expected = await replayBatch(batchId, events, layout);
    const read = layoutToRead(
      layout,
      this.config.flags.isEnabled('USE_SUBCOLLECTION_READS', batchId),
    );
    const mismatches = compareMirroredBatch(
      batchId,
      read,
      expected,
      snapshot.batch,
      completedPlayers(events),
    );
    const report: LegacyMirrorReport = {
      checked_at: this.clock.now().toISOString(),
      layout_read: read,
      mirror_position: snapshot.position,
      mismatch_count: mismatches.length,
      mismatches: mismatches.slice(0, MISMATCHES_KEPT),
    };
    const checked: LegacyMirrorChecked = { batch_id: batchId, ...report };
    await this.storage.events.append(
      legacyMirrorStream(batchId),
      [
        {
          type: LEGACY_MIRROR_EVENTS.checked,
          data: checked,
          metadata: { correlationId: created.correlation_id },
        },
      ],
      { expectedVersion: 'any', ...(idempotencyKey === undefined ? {} : { idempotencyKey }) },
    );
    if (mismatches.length > 0) await this.raise(batchId, report, created.correlation_id);
    return report;
  }

  /** One alert per batch and set of mismatches: a check finding the same again raises nothing. */
  private async raise(batchId: string, report: LegacyMirrorReport, correlationId: string) {
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([report.mismatch_count, report.mismatches]))
      .digest('hex')
      .slice(0, 16);
    await this.alerts.raise({
      key: `legacy-mirror-mismatch:${batchId}:${fingerprint}`,
      kind: 'legacy_mirror_mismatch',
      severity: 'warning',
      summary:
        `batch ${batchId}: ${report.mismatch_count} differences between its mirrored Firestore ` +
        `documents (${report.layout_read} layout) and the log; details in GET /v1/batches/${batchId}`,
      details: {
        batch_id: batchId,
        layout_read: report.layout_read,
        mirror_position: report.mirror_position,
        mismatch_count: report.mismatch_count,
        mismatches: report.mismatches.slice(0, ALERT_MISMATCHES_SHOWN),
      },
      correlationId,
    });
  }
}
