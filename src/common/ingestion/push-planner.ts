import type { z } from 'zod';
import type { ExpectedVersion, NewEvent } from '../event-store/index.js';

/** What the pipeline knows about one delivered message, besides its payload. */
export interface PushContext {
  endpoint: string;
  messageId: string;
  subscription: string;
  publishTime: string | null;
  attributes: Record<string, string>;
  orderingKey: string | null;
  deliveryAttempt: number | null;
  /** From the payload's correlation_id, the X-Correlation-Id header, or the message id. */
  correlationId: string;
  /** When the message was received (the injectable clock). */
  receivedAt: Date;
}

/** What a planner decided to do with a valid message. */
export type PushPlan =
  /** Record these events (atomically, with the message's idempotency key). */
  | {
      kind: 'append';
      writes: Array<{ streamId: string; events: NewEvent[]; expectedVersion: ExpectedVersion }>;
    }
  /**
   * Keep the message aside until something happens (e.g. its batch is created), then replay it.
   * `parkKey` names what it waits for, e.g. `batch:<id>`; see QuarantineService.replayParked.
   */
  | { kind: 'park'; reason: string; detail: string; parkKey: string }
  /** Permanently unusable although it passed the schema (answer 202, kept in quarantine). */
  | { kind: 'reject'; reason: string; detail: string }
  /** Nothing to record; the message counts as processed (its key is still stored). */
  | { kind: 'ignore'; note: string };

/**
 * One push endpoint's message type: its schema and its plan. A planner, not a decider: it may
 * read the store (the stream a message is about, whether its batch exists), hands what it read
 * to its module's pure decider, and returns the plan; the pipeline writes it, under the
 * message's idempotency key (and plans again when a concurrent writer moved a stream). Whatever
 * it keeps between messages is bounded.
 */
export interface PushPlanner<T = unknown> {
  /** Path segment under /v1/push/, also the log and metric label. */
  readonly endpoint: string;
  readonly schema: z.ZodType<T>;
  /** Reads what it needs and returns the plan; writes nothing. */
  plan(payload: T, context: PushContext): Promise<PushPlan>;
  /** correlation_id taken from the payload, when it has one. */
  correlationIdOf?(payload: T): string | undefined;
}
