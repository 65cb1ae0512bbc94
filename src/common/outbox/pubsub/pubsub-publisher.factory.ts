import type { AppConfig } from '../../config/index.js';
import { createPubSubClient } from '../../gcp/pubsub-client.js';
import { PubSubPublisher } from './pubsub-publisher.js';

/** The Pub/Sub publisher of OUTBOX_PUBLISHER=pubsub: the project's topics, or the emulator's. */
export function createPubSubPublisher(config: AppConfig): PubSubPublisher {
  const settings = config.pubsubPublisher;
  const client = createPubSubClient(settings.googleCloudProject, settings.pubsubEmulatorHost);
  return new PubSubPublisher(client, {
    ordering: settings.pubsubOrdering,
    createMissing: settings.pubsubCreateMissing,
    batching: {
      maxMessages: settings.pubsubBatchMaxMessages,
      maxBytes: settings.pubsubBatchMaxBytes,
      maxMilliseconds: config.timeouts.pubsubBatchMaxDelayMs,
    },
    publishTimeoutMs: config.timeouts.pubsubPublishMs,
    topicCheckMs: config.timeouts.pubsubTopicCheckMs,
    shutdownFlushMs: config.timeouts.pubsubShutdownFlushMs,
  });
}
