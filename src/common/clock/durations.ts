const MILLISECONDS_PER_DAY = 86_400_000;

/** Unit conversion only; every configured duration itself lives in TimeoutConfig or a flag. */
export function daysToMs(days: number): number {
  return days * MILLISECONDS_PER_DAY;
}
