import type { Clock } from '../../../common/clock/clock.js';
import type { Storage } from '../../../common/event-store/index.js';
import type { PushMessage } from '../../../common/ingestion/push-envelope.js';
import { outcome, type PushOutcome } from '../push/push-outcome.js';
import { bodyReference, type QuarantineBodyKeeper } from '../quarantine/quarantine-body.keeper.js';
import { newConflictBodyId } from '../quarantine/quarantine-id.js';
import { QUARANTINE_EVENTS, type PushConflictRecorded } from '../quarantine/quarantine.events.js';

/** The stream of every conflict record. */
export const PUSH_CONFLICTS_STREAM = 'push-conflicts';

/** A delivery whose message id was already processed with another payload. */
export interface ConflictingDelivery {
  endpoint: string;
  message: PushMessage;
  body: Buffer;
  storedFingerprint: string;
  fingerprint: string;
  /** The record's own key (PushDedupPolicy.conflictKey): one record per message and payload. */
  key: string;
}

/**
 * Same message id, different payload: never dropped silently. Records the new payload (its body in
 * the bounded body store, the record in stream push-conflicts) and answers 422.
 */
export class PushConflictRecorder {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly bodies: QuarantineBodyKeeper,
  ) {}

  async record(conflict: ConflictingDelivery): Promise<PushOutcome> {
    const { message, body } = conflict;
    const now = this.clock.now();
    const bodyId = newConflictBodyId(now);
    const usage = await this.bodies.keep(bodyId, body, now.toISOString());
    const record: PushConflictRecorded = {
      endpoint: conflict.endpoint,
      subscription: message.subscription,
      message_id: message.messageId,
      stored_fingerprint: conflict.storedFingerprint,
      fingerprint: conflict.fingerprint,
      body_id: bodyId,
      ...bodyReference(body),
      received_at: now.toISOString(),
    };
    const recorded = await this.storage.events.append(
      PUSH_CONFLICTS_STREAM,
      [
        {
          type: QUARANTINE_EVENTS.conflict,
          data: record,
          metadata: { messageId: message.messageId },
        },
      ],
      { expectedVersion: 'any', idempotencyKey: conflict.key },
    );
    await this.bodies.settle(bodyId, { duplicate: recorded.duplicate, usage });
    const text =
      `message ${message.messageId} on ${message.subscription} was already processed with a different ` +
      'payload; the new payload is recorded (stream push-conflicts) and not applied. Publish it under a new message id.';
    return outcome(422, 'conflict', text, { body: { status: 'conflict', message: text } });
  }
}
