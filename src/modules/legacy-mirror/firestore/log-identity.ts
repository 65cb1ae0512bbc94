import type { EventLog } from '../../../common/event-store/index.js';

/**
 * Names the event log a Firestore checkpoint was written from: its first event (position, id and
 * time of recording), which no append changes. A checkpoint is a position in one log; in a
 * Firestore database that another deployment (or an earlier, discarded log) mirrored, it would
 * skip this log's events up to there and build on documents of another history.
 */
export class LogIdentity {
  private known: string | null = null;

  constructor(private readonly events: EventLog) {}

  /** Null while the log is empty (asked again next time). */
  async current(): Promise<string | null> {
    if (this.known !== null) return this.known;
    for await (const first of this.events.readAll({ limit: 1 })) {
      this.known = `${first.position}:${first.eventId}:${first.recordedAt}`;
    }
    return this.known;
  }
}

/** Why a checkpoint of another log cannot be built upon, and what to do. */
export function foreignLogError(name: string, stored: string, current: string): Error {
  return new Error(
    `projection ${name}: its Firestore checkpoint was written from another event log (first ` +
      `event ${stored}; this log's is ${current}): GOOGLE_CLOUD_PROJECT / FIRESTORE_DATABASE_ID ` +
      'name a database another deployment or an earlier log mirrored. Point them at this ' +
      `deployment's database, or rebuild (POST /v1/projections/${name}/rebuild) to replace ` +
      'its mirrored documents with this log',
  );
}
