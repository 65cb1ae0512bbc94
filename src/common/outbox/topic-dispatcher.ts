import { errorMessage } from '../errors/error-message.js';
import {
  narrowToListed,
  type EventLog,
  type OutboundMessage,
  type OutboxStore,
  type Position,
  type ProjectionStore,
  type RecordedEvent,
} from '../event-store/index.js';
import { LogFollower, type FollowerTiming } from '../event-store/log-follower.js';
import { outboxMessageId, type OutboxRoute } from './outbox-route.js';
import { PermanentPublishError, type MessageSource, type Publisher } from './publisher.port.js';
import { yieldToEventLoop } from '../event-store/yield-to-event-loop.js';

const PAGE_SIZE = 100;

/** Why a topic's dispatcher stopped by itself: the broker refused a message for good. */
export interface TopicStop {
  reason: string;
  /** The broker's name for the refusal, e.g. `NOT_FOUND`. */
  code: string;
  messageId: string;
  eventId: string;
  since: string;
}

/**
 * Delivers one topic's messages at least once, in log order: a message that fails is retried
 * with backoff before any later message of the topic goes out. A permanent refusal
 * (PermanentPublishError) stops the topic at that message until `resume()` or a restart.
 */
export class TopicDispatcher extends LogFollower {
  /** Checks each event is of a type the route lists: what lets `toMessage` take its union. */
  private readonly narrow: (event: RecordedEvent) => RecordedEvent;
  /** Set while the topic is stopped by a permanent refusal; nothing is published meanwhile. */
  permanentStop: TopicStop | null = null;

  constructor(
    private readonly route: OutboxRoute,
    events: EventLog,
    checkpoints: ProjectionStore,
    private readonly outbox: OutboxStore,
    private readonly publisher: Publisher,
    private readonly publishTimeoutMs: number,
    timing: FollowerTiming,
    private readonly onStop: (stop: TopicStop) => void = () => {},
  ) {
    super(route.topic, `outbox:${route.topic}`, events, checkpoints, timing);
    this.narrow = narrowToListed(`outbox route ${route.topic}`, route.eventTypes);
  }

  /** (Re)starting tries the stopped message again: after a restart, a lease move or `resume()`. */
  override start(): void {
    this.permanentStop = null;
    super.start();
  }

  /** Publishes again from the message the topic stopped at; false when it was not stopped. */
  resume(): boolean {
    if (this.permanentStop === null) return false;
    this.logger.log(`${this.name}: resumed at ${this.permanentStop.messageId} by an operator`);
    this.permanentStop = null;
    this.poke();
    return true;
  }

  protected async catchUp(head: Position | null): Promise<void> {
    if (head === null || this.permanentStop !== null) return;
    let checkpoint = await this.resumePosition();
    while (this.shouldContinue && (checkpoint === null || checkpoint < head)) {
      let read = 0;
      let sent = 0;
      let lastRead: Position | null = checkpoint;
      for await (const event of this.events.readAll({
        after: checkpoint,
        until: head,
        types: this.route.eventTypes,
        limit: PAGE_SIZE,
      })) {
        read += 1;
        lastRead = event.position;
        const content = this.route.toMessage(this.narrow(event));
        if (!content) continue;
        const message: OutboundMessage = {
          topic: this.route.topic,
          messageId: outboxMessageId(this.route.topic, event.eventId),
          ...content,
        };
        const source: MessageSource = {
          eventType: event.type,
          streamId: event.streamId,
          ...(event.metadata.correlationId ? { correlationId: event.metadata.correlationId } : {}),
        };
        if (!(await this.deliver(message, source, event.eventId, event.position))) return;
        await this.outbox.recordDelivery(message, event.eventId, event.position, {
          name: this.checkpointName,
          expected: this.storedCheckpoint(),
        });
        this.recordStored(event.position);
        sent += 1;
        checkpoint = event.position;
        if (!this.shouldContinue) return;
      }
      // Events that sent nothing still move the checkpoint; a short page means the head is reached.
      const next = read < PAGE_SIZE ? head : lastRead;
      if (next !== null && next !== checkpoint) {
        if (sent === 0) await this.skipTo(next);
        else await this.commitThrough(next);
        checkpoint = next;
      }
      await yieldToEventLoop();
    }
  }

  /** True once published; false when the broker refused it for good (the topic is then stopped). */
  private async deliver(
    message: OutboundMessage,
    source: MessageSource,
    eventId: string,
    position: Position,
  ): Promise<boolean> {
    try {
      await withTimeout(this.publisher.publish(message, source), this.publishTimeoutMs, message);
      return true;
    } catch (error) {
      const attempts = await this.outbox.recordFailure(
        message,
        eventId,
        position,
        errorMessage(error),
      );
      if (error instanceof PermanentPublishError) {
        this.stopAt(error, message, eventId);
        return false;
      }
      throw new Error(
        `publishing ${message.messageId} to ${message.topic} failed (attempt ${attempts}): ${errorMessage(error)}`,
        { cause: error },
      );
    }
  }

  /** Stops publishing at `message`: the checkpoint stays before it, so nothing later is skipped. */
  private stopAt(error: PermanentPublishError, message: OutboundMessage, eventId: string): void {
    this.permanentStop = {
      reason: `${error.message}; fix it, then POST /v1/outbox/${encodeURIComponent(this.name)}/resume (a restart also resumes)`,
      code: error.code,
      messageId: message.messageId,
      eventId,
      since: new Date().toISOString(),
    };
    this.logger.error(
      `${this.name}: stopped at ${message.messageId}, the broker refused it for good (${error.code}): ${this.permanentStop.reason}`,
    );
    this.onStop(this.permanentStop);
  }
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number, message: OutboundMessage): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`publish of ${message.messageId} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
