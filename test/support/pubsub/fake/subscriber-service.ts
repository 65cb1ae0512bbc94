import type { ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Broker } from './broker.js';
import { exactlyOnceAckIdFailure, invalidArgument } from './errors.js';
import { streamingPullHandler } from './streaming-pull.js';
import type { SubscriptionQueue, TakeLimits } from './subscription-queue.js';
import { unary } from './unary.js';
import type {
  AcknowledgeRequestWire,
  ListRequestWire,
  ModifyAckDeadlineRequestWire,
  NameRequestWire,
  PullRequestWire,
  ReceivedMessageWire,
  SubscriptionWire,
} from './wire-types.js';

/** Without a call deadline, a pull with nothing to deliver answers empty after this. */
const PULL_WAIT_WITHOUT_DEADLINE_MS = 30_000;
/** Like the emulator, an empty pull answers this long before the call's deadline. */
const EMPTY_PULL_MARGIN_MS = 1_000;

/** google.pubsub.v1.Subscriber: subscriptions, synchronous and streaming pull, acks. */
export function subscriberService(broker: () => Broker): UntypedServiceImplementation {
  return {
    createSubscription: unary((subscription: SubscriptionWire) =>
      broker().createSubscription(subscription),
    ),
    getSubscription: unary(
      (request: NameRequestWire) => broker().subscription(request.subscription ?? '').config,
    ),
    deleteSubscription: unary((request: NameRequestWire) => {
      broker().deleteSubscription(request.subscription ?? '');
      return {};
    }),
    listSubscriptions: unary((request: ListRequestWire) => ({
      subscriptions: broker().listSubscriptions(request.project),
      nextPageToken: '',
    })),
    acknowledge: unary((request: AcknowledgeRequestWire) => {
      const queue = broker().subscription(request.subscription);
      failStaleOnExactlyOnce(queue, queue.acknowledge(request.ackIds));
      return {};
    }),
    modifyAckDeadline: unary((request: ModifyAckDeadlineRequestWire) => {
      const queue = broker().subscription(request.subscription);
      failStaleOnExactlyOnce(
        queue,
        queue.modifyAckDeadline(request.ackIds, request.ackDeadlineSeconds),
      );
      return {};
    }),
    pull: unary((request: PullRequestWire, call) => pull(broker(), request, call)),
    streamingPull: streamingPullHandler(broker),
  };
}

/** Only exactly-once subscriptions report acks of ids that are no longer valid. */
function failStaleOnExactlyOnce(queue: SubscriptionQueue, stale: string[]): void {
  if (stale.length > 0 && queue.config.enableExactlyOnceDelivery) {
    throw exactlyOnceAckIdFailure(stale);
  }
}

async function pull(
  broker: Broker,
  request: PullRequestWire,
  call: ServerUnaryCall<PullRequestWire, unknown>,
): Promise<{ receivedMessages: ReceivedMessageWire[] }> {
  const queue = broker.subscription(request.subscription);
  if (request.maxMessages <= 0) throw invalidArgument('No max_messages specified');
  const limits: TakeLimits = {
    maxMessages: request.maxMessages,
    maxBytes: 0,
    leaseMs: queue.config.ackDeadlineSeconds * 1000,
  };
  const now = queue.take(limits);
  if (now.length > 0 || request.returnImmediately) return { receivedMessages: now };
  return { receivedMessages: await waitForMessages(queue, limits, call) };
}

/** Waits for something deliverable, or answers empty shortly before the call's deadline. */
function waitForMessages(
  queue: SubscriptionQueue,
  limits: TakeLimits,
  call: ServerUnaryCall<PullRequestWire, unknown>,
): Promise<ReceivedMessageWire[]> {
  const deadline = call.getDeadline();
  const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
  const waitMs = Number.isFinite(deadlineMs)
    ? Math.max(0, deadlineMs - Date.now() - EMPTY_PULL_MARGIN_MS)
    : PULL_WAIT_WITHOUT_DEADLINE_MS;
  return new Promise((resolve) => {
    let settled = false;
    let unlisten = () => {};
    const finish = (messages: ReceivedMessageWire[]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unlisten();
      resolve(messages);
    };
    const timer = setTimeout(() => finish([]), waitMs);
    unlisten = queue.listen({
      available: () => {
        if (settled) return;
        const messages = queue.take(limits);
        if (messages.length > 0) finish(messages);
      },
      closed: () => finish([]),
    });
    call.once('cancelled', () => finish([]));
  });
}
