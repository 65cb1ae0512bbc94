import { defineProjection } from '../../../common/projections/projection-definition.js';
import { QUARANTINE_EVENTS, type QuarantineEvent } from '../quarantine/quarantine.events.js';

export const DEDUP_STATS_PROJECTION = 'dedup-stats';
export const DEDUP_STATS = 'dedup_stats';

/** Key of one reason's count in DEDUP_STATS. */
export const QUARANTINE_REASON_PREFIX = 'quarantine_reason/';

export interface ReasonCount extends Record<string, unknown> {
  reason: string;
  entries: number;
}

/** Quarantine entries by reason, counted once each (a projection applies each event once). */
export const dedupStatsProjection = defineProjection<QuarantineEvent>()({
  name: DEDUP_STATS_PROJECTION,
  eventTypes: [QUARANTINE_EVENTS.quarantined],
  collections: [DEDUP_STATS],
  async apply(event, tx) {
    const { reason } = event.data;
    const key = `${QUARANTINE_REASON_PREFIX}${encodeURIComponent(reason)}`;
    const counted = await tx.get<ReasonCount>(DEDUP_STATS, key);
    await tx.put(DEDUP_STATS, key, { reason, entries: (counted?.entries ?? 0) + 1 });
  },
});
