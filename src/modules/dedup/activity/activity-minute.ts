export const MS_PER_MINUTE = 60_000;

/** Slots of the activity ring, one per minute: the read model keeps 7 days of minutes. */
export const ACTIVITY_SLOTS = 7 * 24 * 60;

/** Minutes since the epoch of a timestamp (the UTC minute it falls in). */
export function epochMinuteOf(timestamp: string | number): number {
  const ms = typeof timestamp === 'number' ? timestamp : Date.parse(timestamp);
  if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${String(timestamp)}`);
  return Math.floor(ms / MS_PER_MINUTE);
}

/** The minute's start as ISO 8601 UTC without seconds: `2026-12-03T10:41Z`. */
export function minuteLabel(epochMinute: number): string {
  return `${new Date(epochMinute * MS_PER_MINUTE).toISOString().slice(0, 16)}Z`;
}

/**
 * The read-model key of a minute: its slot in a ring of ACTIVITY_SLOTS slots,
 * zero-padded so keys sort by slot. A minute reuses the slot of the minute 7 days before it, so
 * the read model never holds more than 10,080 documents.
 */
export function slotKey(epochMinute: number): string {
  const slot = epochMinute % ACTIVITY_SLOTS;
  return String(slot).padStart(5, '0');
}
