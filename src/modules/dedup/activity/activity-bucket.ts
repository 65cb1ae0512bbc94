import { minuteLabel } from './activity-minute.js';

/** What was ingested in one UTC minute. */
export interface ActivityBucket extends Record<string, unknown> {
  /** The minute's start, `2026-12-03T10:41Z`. */
  minute: string;
  /** Messages recorded by each push endpoint (one per message, however many events it appended). */
  accepted: Record<string, number>;
  /** Messages set aside in quarantine, by reason. */
  quarantined: Record<string, number>;
  /** Quarantine replays (any outcome). */
  replayed: number;
}

/** What one event of the log adds to its minute. */
export type ActivityCount =
  | { kind: 'accepted'; endpoint: string }
  | { kind: 'quarantined'; reason: string }
  | { kind: 'replayed' };

export function emptyBucket(epochMinute: number): ActivityBucket {
  return { minute: minuteLabel(epochMinute), accepted: {}, quarantined: {}, replayed: 0 };
}

/**
 * `stored` (the document in the minute's slot, if any) with `count` added. A slot holding an
 * older minute (7 days or more before) starts over: that is how old minutes are pruned. A count
 * older than the slot's minute is outside the kept window: null, nothing to write.
 */
export function countInto(
  stored: ActivityBucket | null,
  epochMinute: number,
  count: ActivityCount,
): ActivityBucket | null {
  const minute = minuteLabel(epochMinute);
  if (stored !== null && stored.minute > minute) return null;
  const bucket = stored?.minute === minute ? stored : emptyBucket(epochMinute);
  switch (count.kind) {
    case 'accepted':
      return { ...bucket, accepted: increment(bucket.accepted, count.endpoint) };
    case 'quarantined':
      return { ...bucket, quarantined: increment(bucket.quarantined, count.reason) };
    case 'replayed':
      return { ...bucket, replayed: bucket.replayed + 1 };
  }
}

function increment(counts: Record<string, number>, name: string): Record<string, number> {
  return { ...counts, [name]: (counts[name] ?? 0) + 1 };
}
