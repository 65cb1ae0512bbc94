import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import {
  describe,
  STORAGE,
  StoreUnavailableError,
  WrongExpectedVersionError,
  type MultiAppendResult,
  type NewEvent,
  type Storage,
} from '../event-store/index.js';
import {
  BadPayloadError,
  decodeData,
  NotAnEnvelopeError,
  readPushEnvelope,
  type PushMessage,
} from './push-envelope.js';
import type { PushContext, PushDecision, PushHandler } from './push-handler.js';
import { outcome, type PushOutcome } from './push-outcome.js';
import { newQuarantineId } from './quarantine-id.js';
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

/** Re-deciding after a concurrent writer moved a stream; more than this is a hot-spot bug. */
const MAX_DECIDE_ATTEMPTS = 5;
const KEPT_HEADERS = /^(content-type|x-correlation-id|x-goog-pubsub-.*)$/i;

/**
 * The path of every pushed message: envelope -> decode -> schema -> decide -> one atomic append
 * that carries the idempotency key. A message is only ever "processed" together with its effect.
 */
@Injectable()
export class PushPipeline {
  private readonly logger = new Logger('PushIngestion');

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

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
        body: { statusCode: 400, error: 'Bad Request', message: error.message },
      });
    }
    const result = await this.processMessage(handler, input, message, mode);
    return {
      ...result,
      message: {
        messageId: message.messageId,
        subscription: message.subscription,
        deliveryAttempt: message.deliveryAttempt,
      },
    };
  }

  private async processMessage<T>(
    handler: PushHandler<T>,
    input: PushInput,
    message: PushMessage,
    mode: PipelineMode,
  ): Promise<PushOutcome> {
    const key = this.keyFor(message, mode);
    let data: Buffer;
    let payload: T;
    try {
      data = decodeData(message);
      payload = parsePayload(handler, data);
    } catch (error) {
      if (!(error instanceof BadPayloadError)) throw error;
      return this.setAside(
        handler,
        input,
        message,
        mode,
        key,
        null,
        error.reason,
        error.detail,
        null,
      );
    }
    const fingerprint = createHash('sha256').update(data).digest('hex');
    const context = this.contextFor(handler, message, payload, input.headers);

    for (let attempt = 1; ; attempt++) {
      let decision: PushDecision;
      try {
        decision = await handler.decide(payload, context);
        return await this.carryOut(
          handler,
          input,
          message,
          mode,
          key,
          fingerprint,
          context,
          decision,
        );
      } catch (error) {
        if (error instanceof WrongExpectedVersionError && attempt < MAX_DECIDE_ATTEMPTS) continue;
        if (error instanceof StoreUnavailableError) {
          return outcome(503, 'unavailable', error.message, {
            body: { status: 'retry', message: error.message },
          });
        }
        return this.failed(handler, input, message, mode, key, fingerprint, error);
      }
    }
  }

  private async carryOut(
    handler: PushHandler<unknown>,
    input: PushInput,
    message: PushMessage,
    mode: PipelineMode,
    key: string | undefined,
    fingerprint: string,
    context: PushContext,
    decision: PushDecision,
  ): Promise<PushOutcome> {
    switch (decision.kind) {
      case 'append': {
        const writes = decision.writes.map((write) => ({
          ...write,
          events: write.events.map((event) =>
            withMessageMetadata(event, context, handler.endpoint),
          ),
        }));
        const result = await this.storage.events.appendMulti(
          writes,
          this.keyOptions(key, fingerprint),
        );
        return this.answerFor(result, handler, input, message, fingerprint, 'recorded');
      }
      case 'ignore': {
        const result = await this.storage.events.appendMulti(
          [{ streamId: `push-${handler.endpoint}`, events: [], expectedVersion: 'any' }],
          this.keyOptions(key, fingerprint),
        );
        return this.answerFor(result, handler, input, message, fingerprint, decision.note);
      }
      case 'park':
      case 'reject':
        return this.setAside(
          handler,
          input,
          message,
          mode,
          key,
          fingerprint,
          decision.reason,
          decision.detail,
          decision.kind === 'park' ? decision.parkKey : null,
        );
    }
  }

  /** Quarantines a delivery (202 so Pub/Sub stops retrying); a replay that fails again is reported instead. */
  private async setAside(
    handler: PushHandler<unknown>,
    input: PushInput,
    message: PushMessage,
    mode: PipelineMode,
    key: string | undefined,
    fingerprint: string | null,
    reason: string,
    detail: string,
    parkKey: string | null,
  ): Promise<PushOutcome> {
    if (mode.kind === 'replay') {
      return outcome(202, 'quarantined', `${reason}: ${detail}`, {
        quarantineId: mode.quarantineId,
      });
    }
    const quarantineId = newQuarantineId(this.clock.now());
    const event: MessageQuarantined = {
      quarantine_id: quarantineId,
      reason,
      detail,
      endpoint: handler.endpoint,
      subscription: message.subscription,
      message_id: message.messageId,
      delivery_attempt: message.deliveryAttempt,
      park_key: parkKey,
      body_base64: input.body.toString('base64'),
      headers: keptHeaders(input.headers),
      received_at: this.clock.now().toISOString(),
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
      this.keyOptions(key, fingerprint ?? undefined),
    );
    return this.answerFor(result, handler, input, message, fingerprint, `${reason}: ${detail}`);
  }

  /** Maps an append (maybe a duplicate of an earlier one) to the answer. */
  private async answerFor(
    result: MultiAppendResult,
    handler: PushHandler<unknown>,
    input: PushInput,
    message: PushMessage,
    fingerprint: string | null,
    detail: string,
  ): Promise<PushOutcome> {
    const streamId = result.streams[0]?.streamId ?? '';
    const quarantineId = streamId.startsWith(QUARANTINE_STREAM_PREFIX)
      ? streamId.slice(QUARANTINE_STREAM_PREFIX.length)
      : null;
    if (result.duplicate) {
      if (fingerprint && result.storedFingerprint && result.storedFingerprint !== fingerprint) {
        return this.conflict(handler, input, message, result.storedFingerprint, fingerprint);
      }
      if (quarantineId) return this.quarantined(quarantineId);
      return outcome(204, 'duplicate', 'already processed', {
        headers: { 'Idempotent-Replayed': 'true' },
      });
    }
    if (quarantineId) return this.quarantined(quarantineId);
    return outcome(204, 'processed', detail);
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
    handler: PushHandler<unknown>,
    input: PushInput,
    message: PushMessage,
    storedFingerprint: string,
    fingerprint: string,
  ): Promise<PushOutcome> {
    const record: PushConflictRecorded = {
      endpoint: handler.endpoint,
      subscription: message.subscription,
      message_id: message.messageId,
      stored_fingerprint: storedFingerprint,
      fingerprint,
      body_base64: input.body.toString('base64'),
      received_at: this.clock.now().toISOString(),
    };
    await this.storage.events.append(
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
        idempotencyKey: `conflict:${message.subscription}/${message.messageId}:${fingerprint}`,
      },
    );
    const text =
      `message ${message.messageId} on ${message.subscription} was already processed with a different ` +
      'payload; the new payload is recorded (stream push-conflicts) and not applied. Publish it under a new message id.';
    return outcome(422, 'conflict', text, { body: { status: 'conflict', message: text } });
  }

  /** A handler failure: Pub/Sub retries (500) until the attempt limit, then the message is quarantined. */
  private async failed(
    handler: PushHandler<unknown>,
    input: PushInput,
    message: PushMessage,
    mode: PipelineMode,
    key: string | undefined,
    fingerprint: string,
    error: unknown,
  ): Promise<PushOutcome> {
    const detail = describe(error);
    const attempts = message.deliveryAttempt ?? 0;
    if (mode.kind === 'delivery' && attempts >= this.config.ingestion.pushMaxDeliveryAttempts) {
      return this.setAside(
        handler,
        input,
        message,
        mode,
        key,
        fingerprint,
        'handler_error',
        detail,
        null,
      );
    }
    this.logger.error(
      `handling message ${message.messageId} (${handler.endpoint}) failed: ${detail}`,
      error instanceof Error ? error.stack : undefined,
    );
    return outcome(500, 'failed', detail, {
      body: { status: 'error', message: `handling failed, Pub/Sub will redeliver: ${detail}` },
    });
  }

  private keyFor(message: PushMessage, mode: PipelineMode): string | undefined {
    if (mode.kind === 'replay') return `replay:${mode.quarantineId}`;
    return this.config.flags.isEnabled('ENABLE_IDEMPOTENCY_KEYS', message.subscription)
      ? `push:${message.subscription}/${message.messageId}`
      : undefined;
  }

  private keyOptions(key: string | undefined, fingerprint: string | undefined) {
    return key === undefined
      ? {}
      : { idempotencyKey: key, ...(fingerprint ? { fingerprint } : {}) };
  }

  private contextFor<T>(
    handler: PushHandler<T>,
    message: PushMessage,
    payload: T,
    headers: IncomingHttpHeaders,
  ): PushContext {
    const headerCorrelation = headers['x-correlation-id'];
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
        KEPT_HEADERS.test(entry[0]) && typeof entry[1] === 'string',
    ),
  );
}
