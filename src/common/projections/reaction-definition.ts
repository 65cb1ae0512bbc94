import type { RecordedEvent } from '../event-store/index.js';

/**
 * A side effect taken for events of some types (replay parked messages, complete a batch).
 * Delivered at least once, in log order: `handle` must be idempotent (use idempotency keys).
 */
export interface ReactionDefinition {
  name: string;
  eventTypes: readonly string[];
  handle(event: RecordedEvent): Promise<void>;
  /**
   * For reactions that decide from current state rather than from the event: events of one page
   * that share a key are handled once, with the last of them (null: always handled).
   */
  coalesceKey?(event: RecordedEvent): string | null;
}
