const MILLISECONDS_PER_DAY = 86_400_000;

/** Unit conversion only; every configured duration itself lives in TimeoutConfig or a flag. */
export function daysToMs(days: number): number {
  return days * MILLISECONDS_PER_DAY;
}

const MILLISECONDS_PER_SECOND = 1_000;

/** Unit conversion only (QUERY_CACHE_TTL_SECONDS is in seconds). */
export function secondsToMs(seconds: number): number {
  return seconds * MILLISECONDS_PER_SECOND;
}

/** Whole seconds, rounded up (HTTP Retry-After is in seconds and must not undershoot). */
export function msToWholeSeconds(ms: number): number {
  return Math.ceil(ms / MILLISECONDS_PER_SECOND);
}
