import { defineProjection } from '../../../common/projections/projection-definition.js';
import type { LegacyMirrorReport } from '../../batches/index.js';
import { LEGACY_MIRROR_EVENTS, type LegacyMirrorEvent } from '../legacy-mirror.events.js';

/** Key `<batch_id>`: the batch's latest LegacyMirrorReport. */
export const MIRROR_CHECKS = 'legacy_mirror_checks';

/** The latest consistency check of each batch (GET /v1/batches/:id, `legacy_mirror`). */
export const mirrorChecksProjection = defineProjection<LegacyMirrorEvent>()({
  name: 'legacy-mirror-checks',
  eventTypes: [LEGACY_MIRROR_EVENTS.checked],
  collections: [MIRROR_CHECKS],
  async apply(event, tx) {
    const { batch_id: batchId, ...report } = event.data;
    await tx.put(MIRROR_CHECKS, batchId, report satisfies LegacyMirrorReport);
  },
});
