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
import type { Publisher } from './publisher.port.js';
import { yieldToEventLoop } from '../event-store/yield-to-event-loop.js';

const PAGE_SIZE = 100;

/**
 * Delivers one topic's messages at least once, in log order: a message that fails is retried
 * with backoff before any later message of the topic goes out.
 */
export class TopicDispatcher extends LogFollower {
  /** Checks each event is of a type the route lists: what lets `toMessage` take its union. */
  private readonly narrow: (event: RecordedEvent) => RecordedEvent;

  constructor(
    private readonly route: OutboxRoute,
    events: EventLog,
    checkpoints: ProjectionStore,
    private readonly outbox: OutboxStore,
    private readonly publisher: Publisher,
    private readonly publishTimeoutMs: number,
    timing: FollowerTiming,
  ) {
    super(route.topic, `outbox:${route.topic}`, events, checkpoints, timing);
    this.narrow = narrowToListed(`outbox route ${route.topic}`, route.eventTypes);
  }

  protected async catchUp(head: Position | null): Promise<void> {
    if (head === null) return;
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
        await this.deliver(message, event.eventId, event.position);
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

  private async deliver(
    message: OutboundMessage,
    eventId: string,
    position: Position,
  ): Promise<void> {
    try {
      await withTimeout(this.publisher.publish(message), this.publishTimeoutMs, message);
    } catch (error) {
      const attempts = await this.outbox.recordFailure(
        message,
        eventId,
        position,
        errorMessage(error),
      );
      throw new Error(
        `publishing ${message.messageId} to ${message.topic} failed (attempt ${attempts}): ${errorMessage(error)}`,
        { cause: error },
      );
    }
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
