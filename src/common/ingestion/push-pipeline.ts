import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock.js';
import { msToWholeSeconds } from '../clock/durations.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import {
  describe,
  findUnsupportedText,
  STORAGE,
  retryOnConcurrentWrite,
  StoreUnavailableError,
  type MultiAppendResult,
  type NewEvent,
  type Storage,
  unsupportedTextProblem,
} from '../event-store/index.js';
import { replaceUnsupportedText } from '../event-store/text-replacement.js';
import {
  BadPayloadError,
  decodeData,
  NotAnEnvelopeError,
  readPushEnvelope,
  UnacceptableEnvelopeError,
  type PushMessage,
} from './push-envelope.js';
import type { PushContext, PushDecision, PushHandler } from './push-handler.js';
import { outcome, retryLater, type PushOutcome } from './push-outcome.js';
import { bodyReference, QuarantineBodyKeeper } from './quarantine-body.keeper.js';
import { newConflictBodyId, newQuarantineId } from './quarantine-id.js';
import {
  QUARANTINE_EVENTS,
  QUARANTINE_STREAM_PREFIX,
  quarantineStream,
  type MessageQuarantined,
  type PushConflictRecorded,
} from './quarantine.events.js';

/** How a delivery is run: as Pub/Sub sent it, or replayed from quarantine under its own key. */
export type PipelineMode = { kind: 'delivery' } | { kind: 'replay'; quarantineId: string };

export interface PushInput {
  body: Buffer;
  headers: IncomingHttpHeaders;
}

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

/** One delivery in flight: what arrived, how it is run, and the key its effect is stored under. */
interface Delivery {
  handler: PushHandler<unknown>;
  input: PushInput;
  message: PushMessage;
  mode: PipelineMode;
  key: string | undefined;
  /** sha256 of the decoded data; null when the data could not be decoded. */
  fingerprint: string | null;
}

/**
 * The path of every pushed message: envelope -> decode -> schema -> decide -> one atomic append
 * that carries the idempotency key. A message is only ever "processed" together with its effect.
 */
@Injectable()
export class PushPipeline {
  private readonly logger = new Logger('PushIngestion');

  /** Raw bodies of quarantined and conflicting deliveries, kept in the bounded body store. */
  private readonly bodies: QuarantineBodyKeeper;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.bodies = new QuarantineBodyKeeper(
      storage,
      config.ingestion.quarantineMaxBytes,
      this.logger,
    );
  }

  async process<T>(
    handler: PushHandler<T>,
    input: PushInput,
    mode: PipelineMode,
  ): Promise<PushOutcome> {
    let message: PushMessage;
    try {
      message = readPushEnvelope(input.body, input.headers);
    } catch (error) {
      if (!(error instanceof NotAnEnvelopeError)) throw error;
      return outcome(400, 'not_envelope', error.message, {
        body: {
          statusCode: 400,
          error: 'Bad Request',
          message: error.message,
          ...(error instanceof UnacceptableEnvelopeError
            ? { issues: [{ field: error.field, problem: error.message }] }
            : {}),
        },
      });
    }
    const delivery: Delivery = {
      handler: handler as PushHandler<unknown>,
      input,
      message,
      mode,
      key: this.keyFor(handler.endpoint, message, mode),
      fingerprint: null,
    };
    let result: PushOutcome;
    try {
      result = await this.processMessage(delivery);
    } catch (error) {
      // Any write of the path (effect, quarantine, conflict record) may meet a busy store:
      // nothing was recorded, so Pub/Sub must redeliver.
      if (!(error instanceof StoreUnavailableError)) throw error;
      result = retryLater(error.message, msToWholeSeconds(this.config.timeouts.storeRetryAfterMs));
    }
    return {
      ...result,
      message: {
        messageId: message.messageId,
        subscription: message.subscription,
        deliveryAttempt: message.deliveryAttempt,
      },
    };
  }

  private async processMessage(delivery: Delivery): Promise<PushOutcome> {
    let data: Buffer;
    let payload: unknown;
    try {
      data = decodeData(delivery.message);
      payload = parsePayload(delivery.handler, data);
    } catch (error) {
      if (!(error instanceof BadPayloadError)) throw error;
      // A parser's complaint may quote the bad input: keep the quarantine record storable.
      return this.setAside(delivery, error.reason, replaceUnsupportedText(error.detail), null);
    }
    delivery.fingerprint = createHash('sha256').update(data).digest('hex');
    const context = this.contextFor(delivery, payload);
    try {
      return await retryOnConcurrentWrite(
        async () =>
          this.carryOut(delivery, context, await delivery.handler.decide(payload, context)),
        // A stream this hot is contention, not a bad message: answer 503 (redelivered later,
        // never counted towards quarantine), as for a busy store.
        (conflict, attempts) =>
          new StoreUnavailableError(
            `handling message ${delivery.message.messageId}: ${attempts} concurrent writers moved stream ${conflict.streamId}`,
            conflict,
          ),
      );
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      return this.failed(delivery, error);
    }
  }

  private async carryOut(
    delivery: Delivery,
    context: PushContext,
    decision: PushDecision,
  ): Promise<PushOutcome> {
    const endpoint = delivery.handler.endpoint;
    switch (decision.kind) {
      case 'append': {
        const writes = decision.writes.map((write) => ({
          ...write,
          events: write.events.map((event) => withMessageMetadata(event, context, endpoint)),
        }));
        const result = await this.storage.events.appendMulti(writes, this.keyOptions(delivery));
        return this.answerFor(delivery, result, 'recorded');
      }
      case 'ignore': {
        const result = await this.storage.events.appendMulti(
          [{ streamId: `push-${endpoint}`, events: [], expectedVersion: 'any' }],
          this.keyOptions(delivery),
        );
        return this.answerFor(delivery, result, decision.note);
      }
      case 'park':
      case 'reject':
        return this.setAside(
          delivery,
          decision.reason,
          decision.detail,
          decision.kind === 'park' ? decision.parkKey : null,
        );
    }
  }

  /** Quarantines a delivery (202 so Pub/Sub stops retrying); a replay that fails again is reported instead. */
  private async setAside(
    delivery: Delivery,
    reason: string,
    detail: string,
    parkKey: string | null,
  ): Promise<PushOutcome> {
    const { mode, message, input } = delivery;
    if (mode.kind === 'replay') {
      return outcome(202, 'quarantined', `${reason}: ${detail}`, {
        quarantineId: mode.quarantineId,
      });
    }
    const now = this.clock.now();
    const quarantineId = newQuarantineId(now);
    // The raw body goes to the bounded body store first; the append-only log keeps its size and hash.
    const usage = await this.bodies.keep(quarantineId, input.body, now.toISOString());
    const event: MessageQuarantined = {
      quarantine_id: quarantineId,
      reason,
      detail,
      endpoint: delivery.handler.endpoint,
      subscription: message.subscription,
      message_id: message.messageId,
      delivery_attempt: message.deliveryAttempt,
      park_key: parkKey,
      ...bodyReference(input.body),
      headers: keptHeaders(input.headers),
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
      this.keyOptions(delivery),
    );
    await this.bodies.settle(quarantineId, { duplicate: result.duplicate, usage });
    return this.answerFor(delivery, result, `${reason}: ${detail}`);
  }

  /** Maps an append (maybe a duplicate of an earlier one) to the answer. */
  private async answerFor(
    delivery: Delivery,
    result: MultiAppendResult,
    detail: string,
  ): Promise<PushOutcome> {
    const streamId = result.streams[0]?.streamId ?? '';
    const quarantineId = streamId.startsWith(QUARANTINE_STREAM_PREFIX)
      ? streamId.slice(QUARANTINE_STREAM_PREFIX.length)
      : null;
    if (result.duplicate) {
      const { fingerprint } = delivery;
      if (fingerprint && result.storedFingerprint && result.storedFingerprint !== fingerprint) {
        return this.conflict(delivery, result.storedFingerprint, fingerprint);
      }
      if (quarantineId) return this.quarantined(quarantineId);
      return outcome(204, 'duplicate', 'already processed', {
        headers: { 'Idempotent-Replayed': 'true' },
      });
    }
    this.warnIfFingerprinted(delivery);
    if (quarantineId) return this.quarantined(quarantineId);
    return outcome(204, 'processed', detail);
  }

  /**
   * Once per message sent without an id: only the delivery that recorded its effect (or its
   * quarantine entry) warns; redeliveries are duplicates and stay quiet.
   */
  private warnIfFingerprinted({ message, handler }: Delivery): void {
    if (message.messageIdSource !== 'fingerprint') return;
    this.logger.warn(
      `message without messageId/message_id on ${message.subscription} (${handler.endpoint}) accepted as ` +
        `${message.messageId}, the fingerprint of its data, attributes and subscription: a redelivery ` +
        'of the same message is a duplicate, a changed one is another message. Publish through Pub/Sub ' +
        '(which assigns ids) rather than posting envelopes by hand.',
    );
  }

  /** The 202 answer for a quarantine entry (a redelivery gets the same entry back). */
  private async quarantined(quarantineId: string): Promise<PushOutcome> {
    let entry: MessageQuarantined | undefined;
    for await (const event of this.storage.events.readStream(quarantineStream(quarantineId), {
      limit: 1,
    })) {
      entry = event.data as MessageQuarantined;
    }
    const reason = entry?.reason ?? 'unknown';
    const detail = entry?.detail ?? '';
    return outcome(202, 'quarantined', `${reason}: ${detail}`, {
      quarantineId,
      body: { status: 'quarantined', reason, detail, quarantine_id: quarantineId },
    });
  }

  /** Same message id, different payload: record it (once per payload) and answer 422. */
  private async conflict(
    delivery: Delivery,
    storedFingerprint: string,
    fingerprint: string,
  ): Promise<PushOutcome> {
    const { message } = delivery;
    const now = this.clock.now();
    const bodyId = newConflictBodyId(now);
    const usage = await this.bodies.keep(bodyId, delivery.input.body, now.toISOString());
    const record: PushConflictRecorded = {
      endpoint: delivery.handler.endpoint,
      subscription: message.subscription,
      message_id: message.messageId,
      stored_fingerprint: storedFingerprint,
      fingerprint,
      body_id: bodyId,
      ...bodyReference(delivery.input.body),
      received_at: now.toISOString(),
    };
    const recorded = await this.storage.events.append(
      'push-conflicts',
      [
        {
          type: QUARANTINE_EVENTS.conflict,
          data: record,
          metadata: { messageId: message.messageId },
        },
      ],
      {
        expectedVersion: 'any',
        // Scoped by endpoint like the effect's key (keyFor).
        idempotencyKey: `conflict:${delivery.handler.endpoint}:${message.subscription}/${message.messageId}:${fingerprint}`,
      },
    );
    await this.bodies.settle(bodyId, { duplicate: recorded.duplicate, usage });
    const text =
      `message ${message.messageId} on ${message.subscription} was already processed with a different ` +
      'payload; the new payload is recorded (stream push-conflicts) and not applied. Publish it under a new message id.';
    return outcome(422, 'conflict', text, { body: { status: 'conflict', message: text } });
  }

  /** A handler failure: Pub/Sub retries (500) until the attempt limit, then the message is quarantined. */
  private async failed(delivery: Delivery, error: unknown): Promise<PushOutcome> {
    const { message, mode, handler } = delivery;
    const detail = describe(error);
    const attempts = message.deliveryAttempt ?? 0;
    if (mode.kind === 'delivery' && attempts >= this.config.ingestion.pushMaxDeliveryAttempts) {
      return this.setAside(delivery, 'handler_error', detail, null);
    }
    this.logger.error(
      `handling message ${message.messageId} (${handler.endpoint}) failed: ${detail}`,
      error instanceof Error ? error.stack : undefined,
    );
    return outcome(500, 'failed', detail, {
      body: { status: 'error', message: `handling failed, Pub/Sub will redeliver: ${detail}` },
    });
  }

  /**
   * Scoped by endpoint as well as subscription and message id: one subscription's message pushed
   * to two endpoints has an effect on each. Older keys lacked the endpoint (README: upgrading).
   * A message sent without an id has `fp:<sha256>` as its id (readPushEnvelope), so its key is
   * `push:<endpoint>:<subscription>/fp:<sha256>`; a sent id may not start with `fp:`.
   */
  private keyFor(endpoint: string, message: PushMessage, mode: PipelineMode): string | undefined {
    if (mode.kind === 'replay') return `replay:${mode.quarantineId}`;
    return this.config.flags.isEnabled('ENABLE_IDEMPOTENCY_KEYS', message.subscription)
      ? `push:${endpoint}:${message.subscription}/${message.messageId}`
      : undefined;
  }

  private keyOptions({ key, fingerprint }: Delivery) {
    return key === undefined
      ? {}
      : { idempotencyKey: key, ...(fingerprint ? { fingerprint } : {}) };
  }

  private contextFor(delivery: Delivery, payload: unknown): PushContext {
    const { handler, message, input } = delivery;
    const headerCorrelation = input.headers['x-correlation-id'];
    return {
      endpoint: handler.endpoint,
      messageId: message.messageId,
      subscription: message.subscription,
      publishTime: message.publishTime,
      attributes: message.attributes,
      orderingKey: message.orderingKey,
      deliveryAttempt: message.deliveryAttempt,
      correlationId:
        handler.correlationIdOf?.(payload) ??
        (typeof headerCorrelation === 'string' ? headerCorrelation : undefined) ??
        message.messageId,
      receivedAt: this.clock.now(),
    };
  }
}

function parsePayload<T>(handler: PushHandler<T>, data: Buffer): T {
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch (error) {
    throw new BadPayloadError('invalid_json', `message data is not JSON: ${describe(error)}`);
  }
  // Before the schema: no handler may ever see (or store) text a store cannot hold.
  const unsupported = findUnsupportedText(json, 'data');
  if (unsupported !== null) {
    throw new BadPayloadError('unsupported_character', unsupportedTextProblem(unsupported));
  }
  const parsed = handler.schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}`,
    );
    throw new BadPayloadError('schema_violation', problems.join('; '));
  }
  return parsed.data;
}

function withMessageMetadata(event: NewEvent, context: PushContext, endpoint: string): NewEvent {
  return {
    ...event,
    metadata: {
      correlationId: context.correlationId,
      messageId: context.messageId,
      subscription: context.subscription,
      source: `push:${endpoint}`,
      ...event.metadata,
    },
  };
}

function keptHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(
      (entry): entry is [string, string] =>
        KEPT_HEADERS.has(entry[0].toLowerCase()) && typeof entry[1] === 'string',
    ),
  );
}
