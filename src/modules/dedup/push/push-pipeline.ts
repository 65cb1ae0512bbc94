import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../../../common/clock/clock.js';
import { msToWholeSeconds } from '../../../common/clock/durations.js';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import { errorMessage } from '../../../common/errors/error-message.js';
import {
  findUnsupportedText,
  STORAGE,
  retryOnConcurrentWrite,
  StoreUnavailableError,
  type MultiAppendResult,
  type NewEvent,
  type Storage,
  unsupportedTextProblem,
} from '../../../common/event-store/index.js';
import { replaceUnsupportedText } from '../../../common/event-store/text-replacement.js';
import {
  BadPayloadError,
  decodeData,
  NotAnEnvelopeError,
  readPushEnvelope,
  UnacceptableEnvelopeError,
  type PushMessage,
} from '../../../common/ingestion/push-envelope.js';
import type { PushContext, PushPlan, PushPlanner } from '../../../common/ingestion/push-planner.js';
import { PushConflictRecorder } from '../policy/push-conflict.recorder.js';
import { PushDedupPolicy, type PipelineMode } from '../policy/push-dedup.policy.js';
import { QuarantineBodyKeeper } from '../quarantine/quarantine-body.keeper.js';
import { QuarantineWriter } from '../quarantine/quarantine.writer.js';
import { outcome, retryLater, type PushOutcome } from './push-outcome.js';

export type { PipelineMode } from '../policy/push-dedup.policy.js';

export interface PushInput {
  body: Buffer;
  headers: IncomingHttpHeaders;
}

/** One delivery in flight: what arrived, how it is run, and the key its effect is stored under. */
interface Delivery {
  planner: PushPlanner<unknown>;
  input: PushInput;
  message: PushMessage;
  mode: PipelineMode;
  key: string | undefined;
  /** sha256 of the decoded data; null when the data could not be decoded. */
  fingerprint: string | null;
}

/**
 * The path of every pushed message: envelope -> decode -> schema -> plan -> one atomic append
 * that carries the idempotency key. A message is only ever "processed" together with its effect.
 * Which key, and what a used key means, is the dedup policy (policy/push-dedup.policy.ts); a
 * message that cannot be processed is set aside in quarantine (quarantine/quarantine.writer.ts).
 */
@Injectable()
export class PushPipeline {
  private readonly logger = new Logger('PushIngestion');
  private readonly policy: PushDedupPolicy;
  private readonly quarantine: QuarantineWriter;
  private readonly conflicts: PushConflictRecorder;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // Raw bodies of quarantined and conflicting deliveries, kept in the bounded body store.
    const bodies = new QuarantineBodyKeeper(
      storage,
      config.ingestion.quarantineMaxBytes,
      this.logger,
    );
    this.policy = new PushDedupPolicy(config.flags);
    this.quarantine = new QuarantineWriter(storage, clock, bodies);
    this.conflicts = new PushConflictRecorder(storage, clock, bodies);
  }

  async process<T>(
    planner: PushPlanner<T>,
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
      planner: planner as PushPlanner<unknown>,
      input,
      message,
      mode,
      key: this.policy.keyFor(planner.endpoint, message, mode),
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
      payload = parsePayload(delivery.planner, data);
    } catch (error) {
      if (!(error instanceof BadPayloadError)) throw error;
      // A parser's complaint may quote the bad input: keep the quarantine record storable.
      return this.setAside(delivery, error.reason, replaceUnsupportedText(error.detail), null);
    }
    delivery.fingerprint = this.policy.fingerprintOf(data);
    const context = this.contextFor(delivery, payload);
    try {
      return await retryOnConcurrentWrite(
        async () => this.carryOut(delivery, context, await delivery.planner.plan(payload, context)),
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
    plan: PushPlan,
  ): Promise<PushOutcome> {
    const endpoint = delivery.planner.endpoint;
    switch (plan.kind) {
      case 'append': {
        const writes = plan.writes.map((write) => ({
          ...write,
          events: write.events.map((event) => withMessageMetadata(event, context, endpoint)),
        }));
        const result = await this.storage.events.appendMulti(writes, this.appendOptions(delivery));
        return this.answerFor(delivery, result, 'recorded');
      }
      case 'ignore': {
        const result = await this.storage.events.appendMulti(
          [{ streamId: `push-${endpoint}`, events: [], expectedVersion: 'any' }],
          this.appendOptions(delivery),
        );
        return this.answerFor(delivery, result, plan.note);
      }
      case 'park':
      case 'reject':
        return this.setAside(
          delivery,
          plan.reason,
          plan.detail,
          plan.kind === 'park' ? plan.parkKey : null,
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
    const result = await this.quarantine.setAside({
      endpoint: delivery.planner.endpoint,
      message,
      body: input.body,
      headers: input.headers,
      reason,
      detail,
      parkKey,
      appendOptions: this.appendOptions(delivery),
    });
    return this.answerFor(delivery, result, `${reason}: ${detail}`);
  }

  /** Maps an append (maybe a duplicate of an earlier one) to the answer. */
  private async answerFor(
    delivery: Delivery,
    result: MultiAppendResult,
    detail: string,
  ): Promise<PushOutcome> {
    const quarantineId = this.quarantine.entryOf(result);
    const keyed = this.policy.classify(result, delivery.fingerprint);
    if (keyed.kind === 'conflict') {
      const { endpoint } = delivery.planner;
      return this.conflicts.record({
        endpoint,
        message: delivery.message,
        body: delivery.input.body,
        storedFingerprint: keyed.storedFingerprint,
        fingerprint: keyed.fingerprint,
        key: this.policy.conflictKey(endpoint, delivery.message, keyed.fingerprint),
      });
    }
    if (keyed.kind === 'duplicate') {
      if (quarantineId) return this.quarantine.answer(quarantineId);
      return outcome(204, 'duplicate', 'already processed', {
        headers: { 'Idempotent-Replayed': 'true' },
      });
    }
    this.warnIfFingerprinted(delivery);
    if (quarantineId) return this.quarantine.answer(quarantineId);
    return outcome(204, 'processed', detail);
  }

  /**
   * Once per message sent without an id: only the delivery that recorded its effect (or its
   * quarantine entry) warns; redeliveries are duplicates and stay quiet.
   */
  private warnIfFingerprinted({ message, planner }: Delivery): void {
    if (message.messageIdSource !== 'fingerprint') return;
    this.logger.warn(
      `message without messageId/message_id on ${message.subscription} (${planner.endpoint}) accepted as ` +
        `${message.messageId}, the fingerprint of its data, attributes and subscription: a redelivery ` +
        'of the same message is a duplicate, a changed one is another message. Publish through Pub/Sub ' +
        '(which assigns ids) rather than posting envelopes by hand.',
    );
  }

  /** A planner failure: Pub/Sub retries (500) until the attempt limit, then the message is quarantined. */
  private async failed(delivery: Delivery, error: unknown): Promise<PushOutcome> {
    const { message, mode, planner } = delivery;
    const detail = errorMessage(error);
    const attempts = message.deliveryAttempt ?? 0;
    if (mode.kind === 'delivery' && attempts >= this.config.ingestion.pushMaxDeliveryAttempts) {
      return this.setAside(delivery, 'handler_error', detail, null);
    }
    this.logger.error(
      `handling message ${message.messageId} (${planner.endpoint}) failed: ${detail}`,
      error instanceof Error ? error.stack : undefined,
    );
    return outcome(500, 'failed', detail, {
      body: { status: 'error', message: `handling failed, Pub/Sub will redeliver: ${detail}` },
    });
  }

  private appendOptions({ key, fingerprint }: Delivery) {
    return this.policy.appendOptions(key, fingerprint);
  }

  private contextFor(delivery: Delivery, payload: unknown): PushContext {
    const { planner, message, input } = delivery;
    const headerCorrelation = input.headers['x-correlation-id'];
    return {
      endpoint: planner.endpoint,
      messageId: message.messageId,
      subscription: message.subscription,
      publishTime: message.publishTime,
      attributes: message.attributes,
      orderingKey: message.orderingKey,
      deliveryAttempt: message.deliveryAttempt,
      correlationId:
        planner.correlationIdOf?.(payload) ??
        (typeof headerCorrelation === 'string' ? headerCorrelation : undefined) ??
        message.messageId,
      receivedAt: this.clock.now(),
    };
  }
}

function parsePayload<T>(planner: PushPlanner<T>, data: Buffer): T {
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch (error) {
    throw new BadPayloadError('invalid_json', `message data is not JSON: ${errorMessage(error)}`);
  }
  // Before the schema: no planner may ever see (or store) text a store cannot hold.
  const unsupported = findUnsupportedText(json, 'data');
  if (unsupported !== null) {
    throw new BadPayloadError('unsupported_character', unsupportedTextProblem(unsupported));
  }
  const parsed = planner.schema.safeParse(json);
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
