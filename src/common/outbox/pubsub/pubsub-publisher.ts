import { Logger } from '@nestjs/common';
import type { PubSub, Topic } from '@google-cloud/pubsub';
import type { OutboundMessage } from '../../event-store/index.js';
import { errorMessage } from '../../errors/error-message.js';
import {
  PermanentPublishError,
  type MessageSource,
  type Publisher,
  type TopicCheck,
} from '../publisher.port.js';
import { withDeadline } from '../../gcp/deadline.js';
import { GoogleCredentials } from '../../gcp/google-credentials.js';
import { OrderingKeyPauses } from './ordering-key-pauses.js';
import { classifyPublishError } from './publish-error.classification.js';
import { toPubSubMessage } from './pubsub-message.mapping.js';
import { checkTopic } from './topic-check.js';

export interface PubSubPublisherOptions {
  /** PUBSUB_ORDERING: ordering key = the event's stream. */
  ordering: boolean;
  /** PUBSUB_CREATE_MISSING: the boot check creates missing topics. */
  createMissing: boolean;
  batching: { maxMessages: number; maxBytes: number; maxMilliseconds: number };
  /** The deadline of one publish call (TIMEOUT_PUBSUB_PUBLISH_MS). */
  publishTimeoutMs: number;
  topicCheckMs: number;
  shutdownFlushMs: number;
  now?: () => Date;
}

/**
 * Publishes outbox messages to Google Cloud Pub/Sub (or its emulator): one `Topic` per outbox topic,
 * with the configured batching and, with PUBSUB_ORDERING, message ordering by stream. A refusal a
 * retry cannot fix is thrown as PermanentPublishError; anything else is retried by the dispatcher.
 */
export class PubSubPublisher implements Publisher {
  readonly kind = 'pubsub';
  private readonly logger = new Logger(PubSubPublisher.name);
  private readonly topics = new Map<string, Topic>();
  private readonly checks = new Map<string, TopicCheck>();
  private readonly pauses = new OrderingKeyPauses();
  private closing: Promise<void> | null = null;
  private readonly credentials: GoogleCredentials;

  constructor(
    private readonly client: PubSub,
    private readonly options: PubSubPublisherOptions,
  ) {
    this.credentials = GoogleCredentials.of(client, options.topicCheckMs);
  }

  async publish(message: OutboundMessage, source: MessageSource): Promise<void> {
    this.refuseWhenClosed(message);
    // Awaited only until found, so a publish joins the current batch before a close can flush it.
    // Missing credentials are transient (a metadata server not up yet): retried with backoff.
    if (!this.credentials.ready) {
      await this.credentials.ensure();
      this.refuseWhenClosed(message);
    }
    const topic = this.topic(message.topic);
    const outgoing = toPubSubMessage(message, source, this.options.ordering);
    const key = outgoing.orderingKey;
    if (key !== undefined) this.resumeIfPaused(message, key);
    try {
      await topic.publishMessage(outgoing);
    } catch (error) {
      if (key !== undefined) this.pauses.failed(message.topic, key, message.messageId);
      throw publishError(error, message, topic.name);
    }
  }

  private refuseWhenClosed(message: OutboundMessage): void {
    if (this.closing) {
      throw new Error(
        `the Pub/Sub publisher is closed; ${message.messageId} is published after the restart`,
      );
    }
  }

  /** Checks (or, with PUBSUB_CREATE_MISSING, creates) each topic, all within TIMEOUT_PUBSUB_TOPIC_CHECK_MS. */
  async checkTopics(topics: readonly string[]): Promise<void> {
    try {
      await this.credentials.ensure();
    } catch (error) {
      const checkedAt = (this.options.now ?? (() => new Date()))().toISOString();
      for (const name of topics) {
        this.checks.set(name, { state: 'unchecked', detail: errorMessage(error), checkedAt });
      }
      this.logger.error(`outbox topics not checked: ${errorMessage(error)}`);
      return;
    }
    await Promise.all(
      topics.map(async (name) => {
        const check = await checkTopic(this.topic(name), {
          createMissing: this.options.createMissing,
          timeoutMs: this.options.topicCheckMs,
          now: this.options.now ?? (() => new Date()),
        });
        this.checks.set(name, check);
        if (check.state === 'missing') this.logger.error(`outbox topic ${name}: ${check.detail}`);
        else if (check.state === 'unchecked')
          this.logger.warn(`outbox topic ${name}: ${check.detail}`);
        else this.logger.log(`outbox topic ${name}: ${check.detail}`);
      }),
    );
  }

  topicCheck(topic: string): TopicCheck | null {
    return this.checks.get(topic) ?? null;
  }

  /** Flushes pending batches within TIMEOUT_PUBSUB_SHUTDOWN_FLUSH_MS, then closes the client. */
  close(): Promise<void> {
    this.closing ??= this.flushAndClose();
    return this.closing;
  }

  private async flushAndClose(): Promise<void> {
    const flushes = [...this.topics.values()].map((topic) => topic.flush());
    await withDeadline(
      Promise.all(flushes),
      this.options.shutdownFlushMs,
      'flushing the Pub/Sub publish batches',
    ).catch((error: unknown) =>
      this.logger.warn(
        `${errorMessage(error)}: messages still pending are published again after the restart (their checkpoint did not move)`,
      ),
    );
    await this.client.close();
  }

  /**
   * The key was paused by a failed publish; this publish is the dispatcher's retry of that message
   * (or the message got delivered by another instance meanwhile), so nothing overtakes it.
   */
  private resumeIfPaused(message: OutboundMessage, key: string): void {
    const pausedBy = this.pauses.pausedBy(message.topic, key);
    const resume = this.pauses.resumeBefore(message.topic, key, message.messageId);
    if (resume === 'none') return;
    if (resume === 'delivered-elsewhere') {
      this.logger.warn(
        `ordering key ${key} of ${message.topic} was paused by ${pausedBy}, which this dispatcher no longer has to send (another instance delivered it); resuming for ${message.messageId}`,
      );
    }
    this.topic(message.topic).resumePublishing(key);
  }

  private topic(name: string): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = this.client.topic(name, {
        batching: this.options.batching,
        messageOrdering: this.options.ordering,
        // One attempt per publish: the dispatcher's backoff is the only retry policy, so every
        // attempt shows in GET /v1/outbox and none goes on in the background after it gave up.
        gaxOpts: { timeout: this.options.publishTimeoutMs, retry: null },
      });
      this.topics.set(name, topic);
    }
    return topic;
  }
}

/** The error the dispatcher sees: permanent (it stops the topic) or transient (it retries). */
function publishError(error: unknown, message: OutboundMessage, topicPath: string): Error {
  const { permanent, code } = classifyPublishError(error);
  const what = `Pub/Sub refused ${message.messageId} on ${topicPath}${code ? ` (${code})` : ''}: ${errorMessage(error)}`;
  if (permanent && code !== null) {
    return new PermanentPublishError(
      `${what}; ${PERMANENT_HINTS[code] ?? 'retrying cannot fix it'}`,
      code,
      {
        cause: error,
      },
    );
  }
  return new Error(`${what}; retried with backoff`, { cause: error });
}

/** What an operator does about each permanent refusal. */
const PERMANENT_HINTS: Readonly<Record<string, string>> = {
  NOT_FOUND:
    'the topic does not exist: create it (the deployment does; PUBSUB_CREATE_MISSING=true at boot in development) or fix PHASE3_TOPIC/PHASE5_TOPIC and GOOGLE_CLOUD_PROJECT',
  PERMISSION_DENIED:
    'the service account may not publish: grant it roles/pubsub.publisher on the topic',
  UNAUTHENTICATED:
    'the credentials were refused: check the service account and its key or workload identity',
  INVALID_ARGUMENT:
    'the message is invalid for Pub/Sub (size, attributes or ordering key): see the error',
};
