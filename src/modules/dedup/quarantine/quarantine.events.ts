import type { Holds, SameEventTypes, TypedEvent } from '../../../common/event-store/index.js';

/** Stream of one quarantined message: `quarantine-<id>`. */
export const quarantineStream = (quarantineId: string) => `quarantine-${quarantineId}`;
export const QUARANTINE_STREAM_PREFIX = 'quarantine-';

export const QUARANTINE_EVENTS = {
  quarantined: 'MessageQuarantined',
  replayed: 'QuarantineReplayed',
  conflict: 'PushConflictRecorded',
} as const;

export type QuarantineReason =
  'bad_base64' | 'invalid_json' | 'schema_violation' | 'handler_error' | (string & {});

export interface MessageQuarantined {
  quarantine_id: string;
  reason: QuarantineReason;
  detail: string;
  endpoint: string;
  subscription: string;
  message_id: string;
  delivery_attempt: number | null;
  /** Set when the message waits for something (e.g. `batch:<id>`) and is replayed when it happens. */
  park_key: string | null;
  /**
   * Size and sha256 of the request body exactly as received. The body itself is in the bounded
   * quarantine body store under `quarantine_id` until it is evicted (QUARANTINE_MAX_BYTES).
   */
  body_bytes?: number;
  body_sha256?: string;
  /** Entries written before the body store: the body inside the event, base64. */
  body_base64?: string;
  /** The request headers that matter to the pipeline (content type, x-goog-pubsub-*). */
  headers: Record<string, string>;
  received_at: string;
}

export type ReplayOutcome = 'processed' | 'duplicate' | 'still_failing';

export interface QuarantineReplayed {
  quarantine_id: string;
  outcome: ReplayOutcome;
  detail: string;
  replayed_at: string;
}

/** Same message id, different payload: never dropped silently. Stream `push-conflicts`. */
export interface PushConflictRecorded {
  endpoint: string;
  subscription: string;
  message_id: string;
  stored_fingerprint: string | null;
  fingerprint: string;
  /** The body's id in the quarantine body store (held until evicted), its size and sha256. */
  body_id?: string;
  body_bytes?: number;
  body_sha256?: string;
  /** Records written before the body store: the body inside the event, base64. */
  body_base64?: string;
  received_at: string;
}

/** Every event of the quarantine and the push conflicts: `switch (event.type)` narrows `event.data`. */
export type QuarantineEvent =
  | TypedEvent<typeof QUARANTINE_EVENTS.quarantined, MessageQuarantined>
  | TypedEvent<typeof QUARANTINE_EVENTS.replayed, QuarantineReplayed>
  | TypedEvent<typeof QUARANTINE_EVENTS.conflict, PushConflictRecorded>;

type _EveryQuarantineEvent = Holds<SameEventTypes<QuarantineEvent, typeof QUARANTINE_EVENTS>>;
