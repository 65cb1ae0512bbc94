import { Inject, Injectable } from '@nestjs/common';
import { STORAGE, type Storage } from '../../../common/event-store/index.js';
import type { AnalyticsTable } from '../analytics-rows.js';
import {
  PARTITION_WATERMARKS,
  UNKNOWN_PARTITION,
  watermarkKey,
  type PartitionWatermark,
} from './partition-watermarks.projection.js';
import { addDays } from '../../../common/clock/calendar-days.js';
import type { QueryRange } from './query-range.js';

/** No load has written into the partitions yet. */
export const NO_WATERMARK = '-';

@Injectable()
export class PartitionWatermarksReader {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  /**
   * The newest load position over the range's partitions of `table` (or NO_WATERMARK): it
   * changes exactly when a load writes rows into one of those days.
   */
  async watermark(table: AnalyticsTable, range: QueryRange): Promise<string> {
    const [days, unknown] = await Promise.all([
      this.storage.readModels.list<PartitionWatermark>(PARTITION_WATERMARKS, {
        after: watermarkKey(table, addDays(range.from, -1)),
        until: watermarkKey(table, range.to),
      }),
      this.storage.readModels.get<PartitionWatermark>(
        PARTITION_WATERMARKS,
        watermarkKey(table, UNKNOWN_PARTITION),
      ),
    ]);
    let newest = unknown?.watermark ?? NO_WATERMARK;
    for (const { doc } of days)
      if (newest === NO_WATERMARK || doc.watermark > newest) newest = doc.watermark;
    return newest;
  }
}
