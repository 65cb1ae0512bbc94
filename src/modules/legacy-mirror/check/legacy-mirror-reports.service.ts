import { Inject, Injectable } from '@nestjs/common';
import { STORAGE, type Storage } from '../../../common/event-store/index.js';
import type { LegacyMirrorReport, LegacyMirrorReports } from '../../batches/index.js';
import { MIRROR_CHECKS } from './mirror-checks.projection.js';

/** Batches' LEGACY_MIRROR_REPORTS port: the latest check of a batch, from its read model. */
@Injectable()
export class LegacyMirrorReportsService implements LegacyMirrorReports {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  reportFor(batchId: string): Promise<LegacyMirrorReport | null> {
    return this.storage.readModels.get<LegacyMirrorReport & Record<string, unknown>>(
      MIRROR_CHECKS,
      batchId,
    );
  }
}
