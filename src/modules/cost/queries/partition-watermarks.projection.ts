import { defineProjection } from '../../../common/projections/projection-definition.js';
import { ANALYTICS_EVENTS, type AnalyticsEvent } from '../analytics-load.events.js';

export const PARTITION_WATERMARKS = 'analytics_partition_watermarks';
/** The key of loads recorded without their partition days: they count for every day. */
export const UNKNOWN_PARTITION = 'unknown';

/** `<table>/<day>`: string order is day order within a table. */
export const watermarkKey = (table: string, day: string) => `${table}/${day}`;

export interface PartitionWatermark extends Record<string, unknown> {
  table: string;
  day: string;
  loads: number;
  rows: number;
  /** Log position of the newest load that wrote rows into this partition. */
  watermark: string;
  last_load_at: string;
}

/**
 * Per analytics table and partition day: the log position of the last load that wrote into it.
 * Built from the log, so every instance sees loads made by the one that exports.
 */
export const partitionWatermarksProjection = defineProjection<AnalyticsEvent>()({
  name: 'analytics-partition-watermarks',
  eventTypes: [ANALYTICS_EVENTS.loadCompleted],
  collections: [PARTITION_WATERMARKS],
  async apply(event, tx) {
    const load = event.data;
    const partitions = load.partitions ?? { [UNKNOWN_PARTITION]: load.rows };
    for (const [day, rows] of Object.entries(partitions)) {
      const key = watermarkKey(load.table, day);
      const current = await tx.get<PartitionWatermark>(PARTITION_WATERMARKS, key);
      await tx.put(PARTITION_WATERMARKS, key, {
        table: load.table,
        day,
        loads: (current?.loads ?? 0) + 1,
        rows: (current?.rows ?? 0) + rows,
        watermark: event.position,
        last_load_at: load.at,
      } satisfies PartitionWatermark);
    }
  },
});
