import { status, type handleBidiStreamingCall, type ServerDuplexStream } from '@grpc/grpc-js';
import type { Broker } from './broker.js';
import { FakeRpcError, invalidArgument, notFound, toServiceError } from './errors.js';
import { shortName } from './names.js';
import type { QueueListener, SubscriptionQueue } from './subscription-queue.js';
import type { ReceivedMessageWire, StreamingPullRequestWire } from './wire-types.js';

type Call = ServerDuplexStream<StreamingPullRequestWire, unknown>;

/** Messages per response when the client sets no flow control. */
const MAX_MESSAGES_PER_RESPONSE = 1_000;

/**
 * google.pubsub.v1.Subscriber.StreamingPull. The first request names the subscription and the
 * stream's ack deadline (and flow control); later ones carry acks, deadline changes (0 = nack),
 * a new stream deadline, or nothing (the client's keepalive, answered with an empty response when
 * protocol_version >= 1). Messages are pushed as they become deliverable, within the flow control.
 * (The Node client sends its acks and lease extensions as unary calls; both paths are served.)
 */
export function streamingPullHandler(
  broker: () => Broker,
): handleBidiStreamingCall<StreamingPullRequestWire, unknown> {
  return (call) => new StreamingPullSession(broker(), call).run();
}

class StreamingPullSession implements QueueListener {
  private queue: SubscriptionQueue | undefined;
  private unlisten = () => {};
  private leaseMs = 0;
  private maxOutstandingMessages = 0;
  private maxOutstandingBytes = 0;
  private serverKeepalives = false;
  private readonly delivered = new Map<string, number>();
  private ended = false;

  constructor(
    private readonly broker: Broker,
    private readonly call: Call,
  ) {}

  run(): void {
    this.call.on('data', (request: StreamingPullRequestWire) => {
      try {
        if (this.queue) this.handleLater(this.queue, request);
        else this.handleFirst(request);
      } catch (error) {
        this.fail(toServiceError(error));
      }
    });
    this.call.on('end', () => this.finish());
    this.call.on('cancelled', () => this.stop());
    this.call.on('error', () => this.stop());
  }

  available(): void {
    if (this.ended || !this.queue) return;
    const budget = this.remainingBudget();
    if (budget.messages <= 0) return;
    const messages = this.queue.take({
      maxMessages: budget.messages,
      maxBytes: budget.bytes,
      leaseMs: this.leaseMs,
    });
    if (messages.length === 0) return;
    for (const received of messages)
      this.delivered.set(received.ackId, received.message.data.length);
    this.write(messages);
  }

  closed(): void {
    this.fail(
      notFound(`Subscription does not exist (resource=${shortName(this.queue?.name ?? '')})`),
    );
  }

  private handleFirst(request: StreamingPullRequestWire): void {
    if (!request.subscription) throw invalidArgument('first message must set subscription');
    if (request.streamAckDeadlineSeconds <= 0) {
      throw invalidArgument('first message must set stream_ack_deadline_seconds');
    }
    let queue: SubscriptionQueue;
    try {
      queue = this.broker.subscription(request.subscription);
    } catch (error) {
      if (error instanceof FakeRpcError && error.code === status.NOT_FOUND) {
        throw notFound(`Subscription does not exist (resource=${shortName(request.subscription)})`);
      }
      throw error;
    }
    this.queue = queue;
    this.leaseMs = request.streamAckDeadlineSeconds * 1000;
    this.maxOutstandingMessages = Number(request.maxOutstandingMessages) || 0;
    this.maxOutstandingBytes = Number(request.maxOutstandingBytes) || 0;
    this.serverKeepalives = Number(request.protocolVersion) >= 1;
    this.unlisten = queue.listen(this);
    this.applyAcks(queue, request);
    this.available();
  }

  private handleLater(queue: SubscriptionQueue, request: StreamingPullRequestWire): void {
    if (request.streamAckDeadlineSeconds > 0)
      this.leaseMs = request.streamAckDeadlineSeconds * 1000;
    const carriesAcks = this.applyAcks(queue, request);
    if (!carriesAcks && request.streamAckDeadlineSeconds <= 0 && this.serverKeepalives) {
      this.write([]);
    }
    this.available();
  }

  /** Applies the acks and deadline changes a request carries; true if it carried any. */
  private applyAcks(queue: SubscriptionQueue, request: StreamingPullRequestWire): boolean {
    if (request.modifyDeadlineSeconds.length !== request.modifyDeadlineAckIds.length) {
      throw invalidArgument(
        `modify_deadline_seconds (${request.modifyDeadlineSeconds.length}) and modify_deadline_ack_ids ` +
          `(${request.modifyDeadlineAckIds.length}) must have the same length`,
      );
    }
    if (request.ackIds.length > 0) queue.acknowledge(request.ackIds);
    request.modifyDeadlineAckIds.forEach((ackId, index) =>
      queue.modifyAckDeadline([ackId], request.modifyDeadlineSeconds[index] ?? 0),
    );
    return request.ackIds.length > 0 || request.modifyDeadlineAckIds.length > 0;
  }

  private remainingBudget(): { messages: number; bytes: number } {
    let outstandingBytes = 0;
    for (const [ackId, size] of this.delivered) {
      if (this.queue?.isLeased(ackId)) outstandingBytes += size;
      else this.delivered.delete(ackId);
    }
    const messages =
      this.maxOutstandingMessages > 0
        ? this.maxOutstandingMessages - this.delivered.size
        : MAX_MESSAGES_PER_RESPONSE;
    if (this.maxOutstandingBytes <= 0) return { messages, bytes: 0 };
    const bytes = this.maxOutstandingBytes - outstandingBytes;
    return bytes > 0 ? { messages, bytes } : { messages: 0, bytes: 0 };
  }

  private write(receivedMessages: ReceivedMessageWire[]): void {
    const config = this.queue?.config;
    this.call.write({
      receivedMessages,
      acknowledgeConfirmation: {
        ackIds: [],
        invalidAckIds: [],
        unorderedAckIds: [],
        temporaryFailedAckIds: [],
      },
      modifyAckDeadlineConfirmation: { ackIds: [], invalidAckIds: [], temporaryFailedAckIds: [] },
      subscriptionProperties: {
        exactlyOnceDeliveryEnabled: config?.enableExactlyOnceDelivery ?? false,
        messageOrderingEnabled: config?.enableMessageOrdering ?? false,
      },
    });
  }

  /** The client half-closed: end the call with OK. */
  private finish(): void {
    if (this.ended) return;
    this.stop();
    this.call.end();
  }

  private fail(error: FakeRpcError): void {
    if (this.ended) return;
    this.stop();
    this.call.emit('error', error);
  }

  /** Leased messages stay leased until their deadline, as on the service. */
  private stop(): void {
    this.ended = true;
    this.unlisten();
  }
}
