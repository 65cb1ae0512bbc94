import {
  narrowToListed,
  type RecordedEvent,
  type ReadModelTransaction,
} from '../../../common/event-store/index.js';
import type { ProjectionDefinition } from '../../../common/projections/projection-definition.js';
import { QUARANTINE_EVENTS, type QuarantineEvent } from '../quarantine/quarantine.events.js';
import { countInto, type ActivityBucket, type ActivityCount } from './activity-bucket.js';
import { epochMinuteOf, slotKey } from './activity-minute.js';

export const INGESTION_ACTIVITY_PROJECTION = 'ingestion-activity';
/** Key: the minute's slot (activity-minute.ts); document: its ActivityBucket. */
export const ACTIVITY_MINUTES = 'ingestion_activity_minutes';
/** Key LAST_MESSAGE_KEY: the message whose events were counted last. */
export const ACTIVITY_LAST_MESSAGE = 'ingestion_activity_last_message';
const LAST_MESSAGE_KEY = 'last';

/** What the push pipeline stamps on the events it appends (push-pipeline.ts). */
const PUSH_SOURCE_PREFIX = 'push:';
const COUNTED_QUARANTINE_TYPES = [
  QUARANTINE_EVENTS.quarantined,
  QUARANTINE_EVENTS.replayed,
] as const;
const quarantineTypes = new Set<string>(COUNTED_QUARANTINE_TYPES);
const asQuarantineEvent = narrowToListed<QuarantineEvent, typeof COUNTED_QUARANTINE_TYPES>(
  INGESTION_ACTIVITY_PROJECTION,
  COUNTED_QUARANTINE_TYPES,
);

/**
 * Ingestion per UTC minute of the event's recorded time: messages each push endpoint recorded,
 * quarantine entries by reason, quarantine replays. It follows every event: what a push appended
 * is recognised by its metadata (`source: push:<endpoint>`), whatever its type or module.
 */
export const ingestionActivityProjection: ProjectionDefinition = {
  name: INGESTION_ACTIVITY_PROJECTION,
  collections: [ACTIVITY_MINUTES, ACTIVITY_LAST_MESSAGE],
  async apply(event, tx) {
    const count = await countOf(event, tx);
    if (count === null) return;
    const minute = epochMinuteOf(event.recordedAt);
    const key = slotKey(minute);
    const next = countInto(await tx.get<ActivityBucket>(ACTIVITY_MINUTES, key), minute, count);
    if (next !== null) await tx.put(ACTIVITY_MINUTES, key, next);
  },
};

async function countOf(
  event: RecordedEvent,
  tx: ReadModelTransaction,
): Promise<ActivityCount | null> {
  if (quarantineTypes.has(event.type)) {
    const quarantine = asQuarantineEvent(event);
    return quarantine.type === QUARANTINE_EVENTS.quarantined
      ? { kind: 'quarantined', reason: quarantine.data.reason }
      : { kind: 'replayed' };
  }
  const source = event.metadata.source;
  if (typeof source !== 'string' || !source.startsWith(PUSH_SOURCE_PREFIX)) return null;
  return (await firstEventOfMessage(event, source, tx))
    ? { kind: 'accepted', endpoint: source.slice(PUSH_SOURCE_PREFIX.length) }
    : null;
}

/**
 * A message's events are written by one append, which every store reads back contiguously, so
 * an event of the same message as the last one counted belongs to a message already counted.
 */
async function firstEventOfMessage(
  event: RecordedEvent,
  source: string,
  tx: ReadModelTransaction,
): Promise<boolean> {
  const message = `${source}|${String(event.metadata['subscription'])}|${String(event.metadata.messageId)}`;
  const last = await tx.get<{ last_counted_message: string }>(
    ACTIVITY_LAST_MESSAGE,
    LAST_MESSAGE_KEY,
  );
  if (last?.last_counted_message === message) return false;
  await tx.put(ACTIVITY_LAST_MESSAGE, LAST_MESSAGE_KEY, { last_counted_message: message });
  return true;
}
