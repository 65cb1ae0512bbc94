import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../../../common/clock/clock.js';
import {
  aggregateStream,
  type MultiAppendOptions,
  type MultiAppendResult,
  type Storage,
} from '../../../common/event-store/index.js';
import type { PushMessage } from '../../../common/ingestion/push-envelope.js';
import { outcome, type PushOutcome } from '../push/push-outcome.js';
import { bodyReference, type QuarantineBodyKeeper } from './quarantine-body.keeper.js';
import { newQuarantineId } from './quarantine-id.js';
import { quarantineDecider } from './quarantine.decider.js';
import {
  QUARANTINE_EVENTS,
  QUARANTINE_STREAM_PREFIX,
  quarantineStream,
  type MessageQuarantined,
} from './quarantine.events.js';

/**
 * The headers a replay needs (what readPushEnvelope and the correlation id read), and no other:
 * a quarantine entry must not grow with whatever headers a sender adds.
 */
const KEPT_HEADERS = new Set([
  'content-type',
  'x-correlation-id',
  'x-goog-pubsub-message-id',
  'x-goog-pubsub-subscription-name',
  'x-goog-pubsub-publish-time',
]);

/** A delivery to set aside, and why. */
export interface QuarantineRequest {
  endpoint: string;
  message: PushMessage;
  body: Buffer;
  headers: IncomingHttpHeaders;
  reason: string;
  detail: string;
  /** What a parked message waits for (e.g. `batch:<id>`); null when it is rejected for good. */
  parkKey: string | null;
  /** The delivery's idempotency key: a redelivery finds this entry instead of writing another. */
  appendOptions: MultiAppendOptions;
}

/** Writes quarantine entries for the push path and answers for them (202, so Pub/Sub stops). */
export class QuarantineWriter {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly bodies: QuarantineBodyKeeper,
  ) {}

  /**
   * Appends MessageQuarantined under the delivery's key; the raw body goes to the bounded body
   * store first, the append-only log keeps its size and hash. A duplicate result means the
   * message was set aside (or processed) before.
   */
  async setAside(request: QuarantineRequest): Promise<MultiAppendResult> {
    const { message } = request;
    const now = this.clock.now();
    const quarantineId = newQuarantineId(now);
    const usage = await this.bodies.keep(quarantineId, request.body, now.toISOString());
    const event: MessageQuarantined = {
      quarantine_id: quarantineId,
      reason: request.reason,
      detail: request.detail,
      endpoint: request.endpoint,
      subscription: message.subscription,
      message_id: message.messageId,
      delivery_attempt: message.deliveryAttempt,
      park_key: request.parkKey,
      ...bodyReference(request.body),
      headers: keptHeaders(request.headers),
      received_at: now.toISOString(),
    };
    const result = await this.storage.events.appendMulti(
      [
        {
          streamId: quarantineStream(quarantineId),
          events: [
            {
              type: QUARANTINE_EVENTS.quarantined,
              data: event,
              metadata: { messageId: message.messageId },
            },
          ],
          expectedVersion: 'no-stream',
        },
      ],
      request.appendOptions,
    );
    await this.bodies.settle(quarantineId, { duplicate: result.duplicate, usage });
    return result;
  }

  /** The quarantine entry an append wrote (or found under its key), or null for any other effect. */
  entryOf(result: MultiAppendResult): string | null {
    const streamId = result.streams[0]?.streamId ?? '';
    return streamId.startsWith(QUARANTINE_STREAM_PREFIX)
      ? streamId.slice(QUARANTINE_STREAM_PREFIX.length)
      : null;
  }

  /** The 202 answer for a quarantine entry (a redelivery gets the same entry back). */
  async answer(quarantineId: string): Promise<PushOutcome> {
    const { entry } = (
      await aggregateStream(this.storage, quarantineStream(quarantineId), quarantineDecider)
    ).state;
    const reason = entry?.reason ?? 'unknown';
    const detail = entry?.detail ?? '';
    return outcome(202, 'quarantined', `${reason}: ${detail}`, {
      quarantineId,
      body: { status: 'quarantined', reason, detail, quarantine_id: quarantineId },
    });
  }
}

function keptHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(
      (entry): entry is [string, string] =>
        KEPT_HEADERS.has(entry[0].toLowerCase()) && typeof entry[1] === 'string',
    ),
  );
}
