import type { DebugMessage, Message, PubSub, Subscription } from '@google-cloud/pubsub';
import type { LoggerService } from '@nestjs/common';
import { backoffMs } from '../../config/backoff.js';
import { errorMessage } from '../../errors/error-message.js';
import { GoogleCredentials } from '../../gcp/google-credentials.js';
import { ackDecision, type AckAction, type AckDecision } from './ack-decision.js';
import type { PullMetrics } from './pull-metrics.js';
import { subscriberOptions, type PullOptions } from './pull-options.js';
import type { SubscriptionHealth } from './pull-status.js';
import type { SubscriptionRoute } from '../../config/pubsub-subscription-map.js';

/** Hands one message to its route's handler and resolves with what the handler returned. */
export type PulledMessageHandler = (message: Message, entry: SubscriptionRoute) => Promise<unknown>;

/** Told each time a subscription cannot be read or its stream fails (it is retried). */
export type StreamFailureListener = (subscription: string, problem: string) => void;

const CONTEXT = 'PubSubPull';

/**
 * One pulled subscription: reads its settings (exactly-once delivery, dead-letter policy), opens
 * its streaming pull, hands each message to the handler, acks or nacks by the outcome
 * (ack-decision.ts), reopens after a stream failure, and on close stops the stream, lets the
 * messages in flight finish and nacks the rest.
 */
export class SubscriptionStream {
  private readonly subscription: Subscription;
  private readonly credentials: GoogleCredentials;
  private listening = false;
  private closing = false;
  private closed: Promise<void> | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  /** Resolves when the library has closed a stream that failed (before it is opened again). */
  private libraryClosed: Promise<void> = Promise.resolve();
  private failures = 0;
  private inFlight = 0;

  constructor(
    client: PubSub,
    private readonly entry: SubscriptionRoute,
    private readonly options: PullOptions,
    private readonly health: SubscriptionHealth,
    private readonly metrics: PullMetrics,
    private readonly handler: PulledMessageHandler,
    private readonly onFailure: StreamFailureListener,
    private readonly logger: LoggerService,
  ) {
    this.subscription = client.subscription(entry.subscription, subscriberOptions(options));
    this.credentials = GoogleCredentials.of(client, options.timeouts.pubsubPullConnectMs);
  }

  get name(): string {
    return this.entry.subscription;
  }

  /** Reads the subscription and opens the stream; on failure, says why and retries after a backoff. */
  async open(): Promise<void> {
    if (this.closing) return;
    // A retry keeps `failed` (and its error) until the stream is open again.
    if (this.health.state !== 'failed') this.health.state = 'connecting';
    try {
      await this.credentials.ensure();
      const [metadata] = await this.subscription.getMetadata({
        timeout: this.options.timeouts.pubsubPullConnectMs,
      });
      this.health.exactly_once = metadata.enableExactlyOnceDelivery === true;
      this.health.dead_letter_policy = Boolean(metadata.deadLetterPolicy?.deadLetterTopic);
    } catch (error) {
      this.failed(`reading subscription ${this.name} failed: ${errorMessage(error)}`);
      return;
    }
    await this.libraryClosed;
    if (this.closing) return;
    this.startStream();
    this.failures = 0;
    this.health.state = 'open';
    this.logger.log(
      `pulling ${this.name} for route ${this.entry.route} (exactly-once delivery ` +
        `${this.health.exactly_once ? 'on' : 'off'}, dead-letter policy ` +
        `${this.health.dead_letter_policy ? 'set' : 'none'}, ${this.options.streams} stream(s), ` +
        `at most ${this.options.maxMessages} in flight)`,
      CONTEXT,
    );
  }

  /**
   * Stops the stream (no new messages), waits for the messages in flight (at most
   * TIMEOUT_PUBSUB_PULL_CLOSE_MS), nacks the rest and flushes acks and nacks. Idempotent.
   */
  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private async shutDown(): Promise<void> {
    this.closing = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    const waiting = this.inFlight;
    try {
      // The library stops the stream at once, waits for its inventory (the messages in flight
      // here) until the close timeout, then nacks what is left and flushes acks and nacks.
      await this.subscription.close();
    } catch (error) {
      this.logger.warn(
        `closing ${this.name}: ${errorMessage(error)}; messages not acknowledged come back after their ack deadline`,
        CONTEXT,
      );
    }
    // The listeners stay: an event after close finds `closing` set (a message is nacked).
    this.health.state = 'closed';
    this.logger.log(
      `stopped pulling ${this.name}: ${waiting} message(s) were in flight, ${this.inFlight} still running at close`,
      CONTEXT,
    );
  }

  private startStream(): void {
    if (this.listening) {
      this.subscription.open();
      return;
    }
    this.listening = true;
    this.subscription.on('error', (error: Error) =>
      this.failed(`stream of ${this.name} failed: ${errorMessage(error)}`, true),
    );
    this.subscription.on('debug', (note: DebugMessage) => this.streamNote(note));
    // Adding the first `message` listener opens the stream.
    this.subscription.on('message', (message: Message) => this.receive(message));
  }

  private receive(message: Message): void {
    if (this.closing) {
      // Arrived after shutdown began: never started, so it goes back at once.
      this.metrics.refused(this.name);
      message.nack();
      return;
    }
    this.metrics.receivedOne(this.name);
    this.inFlight += 1;
    this.health.in_flight = this.inFlight;
    this.health.last_message_at = new Date().toISOString();
    void this.handle(message).finally(() => {
      this.inFlight -= 1;
      this.health.in_flight = this.inFlight;
    });
  }

  private async handle(message: Message): Promise<void> {
    let decision: AckDecision;
    try {
      decision = ackDecision(await this.handler(message, this.entry));
      if (decision.outcome === null) {
        this.logger.error(
          `message ${message.id} on ${this.name} (${this.entry.route}): ${decision.reason}; nacked`,
          undefined,
          CONTEXT,
        );
      }
    } catch (error) {
      decision = { action: 'nack', outcome: null, reason: errorMessage(error) };
      this.logger.error(
        `handling message ${message.id} on ${this.name} (${this.entry.route}) threw: ${decision.reason}; nacked for redelivery`,
        error instanceof Error ? error.stack : undefined,
        CONTEXT,
      );
    }
    await this.settle(message, decision.action);
    this.metrics.settled(
      this.name,
      decision.action,
      decision.outcome ?? 'handler_error',
      (Date.now() - message.received) / 1000,
    );
  }

  /** Exactly-once subscriptions confirm each ack; elsewhere the library batches them. */
  private async settle(message: Message, action: AckAction): Promise<void> {
    if (!this.health.exactly_once) {
      if (action === 'ack') message.ack();
      else message.nack();
      return;
    }
    try {
      if (action === 'ack') await message.ackWithResponse();
      else await message.nackWithResponse();
    } catch (error) {
      this.metrics.ackFailed(this.name);
      // An effect is committed under the message's key: a redelivery is answered as a duplicate.
      this.logger.warn(
        `${action} of message ${message.id} on ${this.name} refused: ${errorMessage(error)}; ` +
          'Pub/Sub redelivers it and its idempotency key answers it as a duplicate',
        CONTEXT,
      );
    }
  }

  /** The library retries transient stream errors itself and reports them as debug messages. */
  private streamNote(note: DebugMessage): void {
    if (!note.error) return;
    this.health.last_error = `${note.message} ${errorMessage(note.error)}`;
    this.health.last_error_at = new Date().toISOString();
  }

  /**
   * The subscription could not be read, or its stream stopped with an error the library does not
   * retry (the library then closes the stream): open it again after a backoff.
   */
  private failed(problem: string, streamClosing = false): void {
    if (this.closing) return;
    if (streamClosing) {
      this.libraryClosed = new Promise<void>((resolve) => {
        const done = setTimeout(resolve, this.options.timeouts.pubsubPullCloseMs);
        done.unref();
        this.subscription.once('close', () => {
          clearTimeout(done);
          resolve();
        });
      });
    }
    this.failures += 1;
    const delayMs = backoffMs(this.failures, this.options.timeouts, { jitter: 'equal' });
    this.health.state = 'failed';
    this.health.last_error = problem;
    this.health.last_error_at = new Date().toISOString();
    this.onFailure(this.name, problem);
    this.logger.error(
      `${problem}; retrying in ${delayMs} ms (attempt ${this.failures}). Check that the subscription ` +
        'exists and that this service account may consume it (roles/pubsub.subscriber)',
      undefined,
      CONTEXT,
    );
    if (this.reconnect) clearTimeout(this.reconnect);
    this.reconnect = setTimeout(() => {
      this.reconnect = null;
      void this.open();
    }, delayMs);
    this.reconnect.unref();
  }
}
