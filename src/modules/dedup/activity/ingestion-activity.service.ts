import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../../common/clock/clock.js';
import { STORAGE, type Storage } from '../../../common/event-store/index.js';
import { PushIngestionService } from '../push/push-ingestion.service.js';
import type { ActivityBucket } from './activity-bucket.js';
import { ACTIVITY_SLOTS, epochMinuteOf, slotKey } from './activity-minute.js';
import { activityWindow, type ActivityWindow } from './activity-window.js';
import { ACTIVITY_MINUTES } from './ingestion-activity.projection.js';

/** The ingestion-activity read model, a window of minutes ending with the current one. */
@Injectable()
export class IngestionActivityService {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly ingestion: PushIngestionService,
  ) {}

  async activity(minutes: number): Promise<ActivityWindow> {
    const lastMinute = epochMinuteOf(this.clock.now().getTime());
    const firstMinute = lastMinute - minutes + 1;
    const stored = new Map<string, ActivityBucket>();
    for (const range of slotRanges(firstMinute, lastMinute)) {
      const page = await this.storage.readModels.list<ActivityBucket>(ACTIVITY_MINUTES, {
        ...range,
        limit: minutes,
      });
      for (const { doc } of page) stored.set(doc.minute, doc);
    }
    return activityWindow(stored, { lastMinute, minutes, endpoints: this.ingestion.endpoints });
  }
}

/** The slot keys of the minutes first..last: one key range, or two where the ring wraps. */
function slotRanges(first: number, last: number): Array<{ after?: string; until: string }> {
  const from = (minute: number) => {
    const slot = minute % ACTIVITY_SLOTS;
    return slot === 0 ? {} : { after: slotKey(minute - 1) };
  };
  if (first % ACTIVITY_SLOTS <= last % ACTIVITY_SLOTS) {
    return [{ ...from(first), until: slotKey(last) }];
  }
  return [{ ...from(first), until: slotKey(ACTIVITY_SLOTS - 1) }, { until: slotKey(last) }];
}
