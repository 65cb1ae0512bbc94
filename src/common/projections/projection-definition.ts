import type { ReadModelTransaction, RecordedEvent } from '../event-store/index.js';

/** A named read model built from chosen event types. */
export interface ProjectionDefinition {
  name: string;
  /** Event types this projection handles; all types when omitted. */
  eventTypes?: readonly string[];
  /** Read-model collections it owns (deleted on rebuild). */
  collections: readonly string[];
  apply(event: RecordedEvent, tx: ReadModelTransaction): Promise<void>;
}
