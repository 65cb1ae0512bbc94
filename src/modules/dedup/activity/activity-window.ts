import type { ActivityBucket } from './activity-bucket.js';
import { emptyBucket, type ActivityCount } from './activity-bucket.js';
import { minuteLabel, MS_PER_MINUTE } from './activity-minute.js';

/** GET /v1/ingestion/activity. */
export interface ActivityWindow {
  minutes: number;
  /** End of the window: the start of the minute after the current one (ISO 8601 UTC). */
  until: string;
  /** One per minute of the window, oldest first; every bucket names every endpoint and reason. */
  buckets: ActivityBucket[];
  totals: Omit<ActivityBucket, 'minute'>;
}

export interface WindowRequest {
  /** The current minute (minutes since the epoch): the window's last. */
  lastMinute: number;
  minutes: number;
  /** Endpoints shown with 0 when they recorded nothing (the registered push endpoints). */
  endpoints: readonly string[];
}

/** The minutes of the window from what is stored; a minute with no document counts nothing. */
export function activityWindow(
  stored: ReadonlyMap<string, ActivityBucket>,
  { lastMinute, minutes, endpoints }: WindowRequest,
): ActivityWindow {
  const firstMinute = lastMinute - minutes + 1;
  const found = Array.from(
    { length: minutes },
    (_, i) => stored.get(minuteLabel(firstMinute + i)) ?? emptyBucket(firstMinute + i),
  );
  const endpointNames = namesOf(endpoints, found, 'accepted');
  const reasons = namesOf([], found, 'quarantined');
  const buckets = found.map((bucket) => ({
    minute: bucket.minute,
    accepted: zeroFilled(endpointNames, bucket.accepted),
    quarantined: zeroFilled(reasons, bucket.quarantined),
    replayed: bucket.replayed,
  }));
  return {
    minutes,
    until: new Date((lastMinute + 1) * MS_PER_MINUTE).toISOString(),
    buckets,
    totals: {
      accepted: sums(endpointNames, buckets, 'accepted'),
      quarantined: sums(reasons, buckets, 'quarantined'),
      replayed: buckets.reduce((sum, bucket) => sum + bucket.replayed, 0),
    },
  };
}

type CountedBy = Exclude<ActivityCount['kind'], 'replayed'>;

function namesOf(known: readonly string[], buckets: ActivityBucket[], by: CountedBy): string[] {
  const names = new Set(known);
  for (const bucket of buckets) for (const name of Object.keys(bucket[by])) names.add(name);
  return [...names].sort();
}

function zeroFilled(names: string[], counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(names.map((name) => [name, counts[name] ?? 0]));
}

function sums(names: string[], buckets: ActivityBucket[], by: CountedBy): Record<string, number> {
  return Object.fromEntries(
    names.map((name) => [name, buckets.reduce((sum, bucket) => sum + (bucket[by][name] ?? 0), 0)]),
  );
}
