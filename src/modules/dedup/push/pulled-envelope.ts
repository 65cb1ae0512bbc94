import type { PulledMessage } from '../../../common/transport/pubsub/pulled-message.js';
import type { PushInput } from './push-pipeline.js';

/**
 * A pulled message as the wrapped push envelope Pub/Sub would have posted for it. The pipeline
 * reads it like any push, so both transports share one path: the same envelope checks, the same
 * idempotency key (`push:<endpoint>:<subscription>/<message id>`) and fingerprint (SHA-256 of the
 * data), hence one effect for a message that arrives once by push and once by pull; and a
 * quarantined pulled message keeps a body that replays like a pushed one.
 */
export function pulledEnvelope(message: PulledMessage): PushInput {
  const envelope = {
    message: {
      data: message.data.toString('base64'),
      messageId: message.id,
      attributes: message.attributes,
      ...(message.publishTime === null ? {} : { publishTime: message.publishTime }),
      ...(message.orderingKey === null ? {} : { orderingKey: message.orderingKey }),
    },
    subscription: message.subscription,
    ...(message.deliveryAttempt === null ? {} : { deliveryAttempt: message.deliveryAttempt }),
  };
  return {
    body: Buffer.from(JSON.stringify(envelope)),
    headers: { 'content-type': 'application/json' },
  };
}
