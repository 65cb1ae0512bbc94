import { Duration, SubscriptionCloseBehaviors, type SubscriberOptions } from '@google-cloud/pubsub';
import type { TimeoutConfig } from '../../config/timeout.config.js';

/** What bounds one subscription's pulling: flow control and the TimeoutConfig entries it uses. */
export interface PullOptions {
  /** Streaming pulls per subscription. */
  readonly streams: number;
  /** Most messages in flight (received, not yet acked or nacked) per subscription. */
  readonly maxMessages: number;
  /** Most bytes of message data in flight per subscription. */
  readonly maxBytes: number;
  readonly timeouts: Pick<
    TimeoutConfig,
    | 'pubsubPullAckDeadlineMs'
    | 'pubsubPullMaxExtensionMs'
    | 'pubsubPullCloseMs'
    | 'pubsubPullConnectMs'
    | 'retryBackoffBaseMs'
    | 'retryBackoffMaxMs'
  >;
}

/**
 * The client library's options for one subscription. The ack deadline is fixed (min = max) rather
 * than left to the library's 99th-percentile estimate, so a crashed process's messages come back
 * after at most that long. `allowExcessMessages` stays on: every message the stream delivers is
 * handed over at once (the server-side flow control keeps that near maxMessages), so nothing waits
 * unseen inside the library when shutdown nacks "what has not started". The server applies flow
 * control to each stream, so it may lease up to `streams` times maxMessages to this process (what
 * a crashed process strands until the ack deadline); the library pauses every stream while
 * maxMessages are in flight. On close the library stops the streams at once, waits for the
 * messages in flight, then nacks whatever is left.
 */
export function subscriberOptions(options: PullOptions): SubscriberOptions {
  const { timeouts } = options;
  const ackDeadline = Duration.from({ milliseconds: timeouts.pubsubPullAckDeadlineMs });
  return {
    flowControl: {
      maxMessages: options.maxMessages,
      maxBytes: options.maxBytes,
      allowExcessMessages: true,
    },
    minAckDeadline: ackDeadline,
    maxAckDeadline: ackDeadline,
    maxExtensionTime: Duration.from({ milliseconds: timeouts.pubsubPullMaxExtensionMs }),
    streamingOptions: { maxStreams: options.streams },
    closeOptions: {
      behavior: SubscriptionCloseBehaviors.WaitForProcessing,
      timeout: Duration.from({ milliseconds: timeouts.pubsubPullCloseMs }),
    },
  };
}
