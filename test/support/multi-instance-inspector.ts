import type { ReadModelSnapshot } from './multi-instance-read-models.js';

/** A message the embedded publisher recorded (one row per publish: a republish is a new row). */
export interface PublishedRow {
  messageId: string;
  topic: string;
  body: unknown;
  publishedAt: Date;
}

/**
 * What the multi-instance proof reads straight from the store the services share (what the log,
 * the timers and the outbox really hold, not what an endpoint reports), whatever the store.
 */
export interface StoreInspector {
  /** Events of `type` per value of their data fields joined by `/` (`?` where one is missing). */
  countBy(type: string, ...fields: string[]): Promise<Map<string, number>>;
  /** The data of every event of `type`, in log order. */
  eventData(type: string): Promise<Array<Record<string, unknown>>>;
  /** The state of each timer (`scheduled`, `fired`, `cancelled`; absent: never scheduled). */
  timerStates(timerIds: readonly string[]): Promise<Map<string, string>>;
  /** Ids of timers still scheduled although due at `nowMs`. */
  overdueTimers(nowMs: number): Promise<string[]>;
  /** Every message the embedded publisher recorded. */
  published(): Promise<PublishedRow[]>;
  /** Every read-model document. */
  readModels(): Promise<ReadModelSnapshot>;
  /** A value per projection checkpoint that changes whenever the checkpoint is written. */
  checkpointWrites(): Promise<Map<string, string>>;
}

/** Events counted by the text `key` gives each, as countBy does. */
export function countByFields(
  rows: Iterable<Record<string, unknown>>,
  fields: readonly string[],
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const data of rows) {
    const key = fields.map((field) => fieldText(data[field])).join('/');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function fieldText(value: unknown): string {
  if (value === undefined || value === null) return '?';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
