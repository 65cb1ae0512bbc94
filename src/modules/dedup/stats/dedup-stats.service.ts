import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import { STORAGE, type Storage } from '../../../common/event-store/index.js';
import { PUSH_CONFLICTS_STREAM } from '../policy/push-conflict.recorder.js';
import {
  DEDUP_STATS,
  QUARANTINE_REASON_PREFIX,
  type ReasonCount,
} from './dedup-stats.projection.js';
import { DeliveryCounts } from './delivery-counts.js';

/** Reasons a store could hold are few; a page this size holds them all. */
const REASONS_PAGE = 1000;

/** GET /v1/dedup/stats: keys, duplicates, conflicts and quarantine at a glance. */
@Injectable()
export class DedupStatsService {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly deliveries: DeliveryCounts,
  ) {}

  async stats() {
    const [keysLive, conflictsRecorded, quarantineByReason] = await Promise.all([
      this.storage.events.countLiveIdempotencyKeys(),
      this.storage.events.streamVersion(PUSH_CONFLICTS_STREAM),
      this.quarantineByReason(),
    ]);
    return {
      keys_live: keysLive,
      key_ttl_days: this.config.flags.number('DEDUP_TTL_DAYS'),
      this_instance: {
        instance_id: this.config.server.instanceId,
        since: this.deliveries.since,
        duplicates_answered: this.deliveries.of('duplicate'),
        conflicts_answered: this.deliveries.of('conflict'),
        // Every append this instance answered from an existing key (push, timers, alerts, ...).
        store_duplicates: this.storage.events.stats.duplicates,
      },
      conflicts_recorded: conflictsRecorded,
      quarantine_by_reason: quarantineByReason,
    };
  }

  /** Entries ever quarantined, by reason (the dedup-stats projection: caught up like any read model). */
  private async quarantineByReason(): Promise<Record<string, number>> {
    const byReason: Record<string, number> = {};
    let after: string | undefined;
    for (;;) {
      const page = await this.storage.readModels.list<ReasonCount>(DEDUP_STATS, {
        prefix: QUARANTINE_REASON_PREFIX,
        limit: REASONS_PAGE,
        ...(after ? { after } : {}),
      });
      for (const { doc } of page) byReason[doc.reason] = doc.entries;
      if (page.length < REASONS_PAGE) return byReason;
      after = page[page.length - 1]!.key;
    }
  }
}
