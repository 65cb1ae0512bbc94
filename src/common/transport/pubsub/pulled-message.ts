import type { Message } from '@google-cloud/pubsub';
import { BaseRpcContext } from '@nestjs/microservices';

/**
 * One message as a pull handler gets it (`@Payload()`): what push would have carried in its
 * envelope, so the pipeline treats both alike and keys them alike.
 */
export interface PulledMessage {
  /** The full name of the subscription it was pulled from, `projects/<p>/subscriptions/<s>`. */
  readonly subscription: string;
  /** Pub/Sub's message id. */
  readonly id: string;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly orderingKey: string | null;
  /** RFC 3339. */
  readonly publishTime: string | null;
  /** Pub/Sub counts attempts only on subscriptions with a dead-letter policy; null elsewhere. */
  readonly deliveryAttempt: number | null;
}

export function pulledMessageOf(message: Message, subscription: string): PulledMessage {
  return {
    subscription,
    id: message.id,
    data: message.data,
    attributes: message.attributes ?? {},
    orderingKey: message.orderingKey ? message.orderingKey : null,
    publishTime: message.publishTime ? message.publishTime.toISOString() : null,
    deliveryAttempt: message.deliveryAttempt > 0 ? message.deliveryAttempt : null,
  };
}

/** `@Ctx()` of a pull handler: the client library's message and the route it was pulled for. */
export class PubSubContext extends BaseRpcContext<[message: Message, route: string]> {
  getMessage(): Message {
    return this.args[0];
  }

  getRoute(): string {
    return this.args[1];
  }
}
