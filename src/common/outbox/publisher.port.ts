import type { OutboundMessage } from '../event-store/index.js';

/** The event a message was made from: what a broker may carry beside the route's body. */
export interface MessageSource {
  eventType: string;
  /** The event's stream (the ordering key when the broker orders messages). */
  streamId: string;
  /** From the event's metadata, when it has one. */
  correlationId?: string;
}

/** What a publisher found out about a topic before publishing to it (at boot). */
export interface TopicCheck {
  /** `unchecked`: the broker did not answer in time or failed; publishing will tell. */
  state: 'exists' | 'created' | 'missing' | 'unchecked';
  /** What was found and, when it is a problem, what to do. */
  detail: string;
  checkedAt: string;
}

/** Delivers one outbound message; resolves once the broker accepted it, throws otherwise. */
export interface Publisher {
  readonly kind: string;
  /**
   * Throws PermanentPublishError when retrying cannot help (the topic's dispatcher then stops
   * until an operator resumes it), any other error for a retry with backoff.
   */
  publish(message: OutboundMessage, source: MessageSource): Promise<void>;
  /** Checks the topics at boot (bounded in time, never throws); brokers without topics omit it. */
  checkTopics?(topics: readonly string[]): Promise<void>;
  /** The last check of `topic`, if any. */
  topicCheck?(topic: string): TopicCheck | null;
  /** Sends what is pending and releases connections (idempotent). */
  close?(): Promise<void>;
}

/**
 * The broker refused the message for a reason a retry does not fix (topic not found, permission
 * denied, invalid message): the dispatcher stops the topic and raises an alert.
 */
export class PermanentPublishError extends Error {
  constructor(
    message: string,
    /** The broker's own name for the refusal, e.g. `NOT_FOUND`. */
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'PermanentPublishError';
  }
}

export const PUBLISHER = Symbol('PUBLISHER');
