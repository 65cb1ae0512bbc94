import type { QueueListener, SubscriptionQueue } from './subscription-queue.js';
import type { PubsubMessageWire, ReceivedMessageWire } from './wire-types.js';

const MAX_PUSHES_IN_FLIGHT = 100;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 1_000;

/**
 * Delivers a push subscription: POSTs the wrapped JSON envelope to push_config.push_endpoint, acks
 * on 2xx, and on anything else (or no answer within the ack deadline) retries after a backoff that
 * grows from 100 ms to 1 s. No Authorization header, like the emulator.
 */
export class PushDelivery implements QueueListener {
  private readonly inFlight = new Set<AbortController>();
  private readonly failures = new Map<string, number>();
  private readonly unlisten: () => void;
  private stopped = false;

  constructor(private readonly queue: SubscriptionQueue) {
    this.unlisten = queue.listen(this);
    setImmediate(() => this.available());
  }

  available(): void {
    const room = MAX_PUSHES_IN_FLIGHT - this.inFlight.size;
    if (this.stopped || room <= 0) return;
    const messages = this.queue.take({ maxMessages: room, maxBytes: 0, leaseMs: this.leaseMs() });
    for (const received of messages) void this.push(received);
  }

  closed(): void {
    this.stopped = true;
    this.unlisten();
    for (const controller of this.inFlight) controller.abort();
  }

  private async push(received: ReceivedMessageWire): Promise<void> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(), this.leaseMs());
    let delivered: boolean;
    try {
      const response = await fetch(this.queue.config.pushConfig?.pushEndpoint ?? '', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(pushEnvelope(this.queue.name, received.message)),
        signal: controller.signal,
      });
      await response.arrayBuffer();
      delivered = response.status >= 200 && response.status < 300;
    } catch {
      // Refused, reset or timed out: a failed delivery, retried below like a non-2xx answer.
      delivered = false;
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (this.stopped) return;
    const messageId = received.message.messageId;
    if (delivered) {
      this.failures.delete(messageId);
      this.queue.acknowledge([received.ackId]);
    } else {
      const failures = (this.failures.get(messageId) ?? 0) + 1;
      this.failures.set(messageId, failures);
      const backoffMs = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1));
      this.queue.extendLeases([received.ackId], backoffMs);
    }
    this.available();
  }

  private leaseMs(): number {
    return this.queue.config.ackDeadlineSeconds * 1000;
  }
}

/** The emulator's wrapped envelope (it sends neither orderingKey nor deliveryAttempt). */
export function pushEnvelope(subscription: string, message: PubsubMessageWire) {
  const seconds = Number(message.publishTime?.seconds ?? 0);
  const millis = Math.floor((message.publishTime?.nanos ?? 0) / 1e6);
  const publishTime = new Date(seconds * 1000 + millis).toISOString();
  return {
    message: {
      data: message.data.toString('base64'),
      attributes: message.attributes,
      messageId: message.messageId,
      message_id: message.messageId,
      publishTime,
      publish_time: publishTime,
    },
    subscription,
  };
}
