import {
  narrowToListed,
  type EventLog,
  type Position,
  type ProjectionStore,
  type RecordedEvent,
} from '../event-store/index.js';
import { LogFollower, type FollowerTiming } from '../event-store/log-follower.js';
import type { ProjectionStatus } from './projection-worker.js';
import type { ReactionDefinition } from './reaction-definition.js';
import { yieldToEventLoop } from '../event-store/yield-to-event-loop.js';

const PAGE_SIZE = 100;

/** Runs one reaction: a page of events handled, then the checkpoint moved past them. */
export class ReactionWorker extends LogFollower {
  /** Checks each event is of a type the definition lists: what lets its handler take its union. */
  private readonly narrow: (event: RecordedEvent) => RecordedEvent;

  constructor(
    readonly definition: ReactionDefinition,
    events: EventLog,
    store: ProjectionStore,
    timing: FollowerTiming,
  ) {
    super(definition.name, `reaction:${definition.name}`, events, store, timing);
    this.narrow = narrowToListed(`reaction ${definition.name}`, definition.eventTypes);
  }

  protected async catchUp(head: Position | null): Promise<void> {
    if (head === null) return;
    let checkpoint = await this.resumePosition();
    while (this.shouldContinue && (checkpoint === null || checkpoint < head)) {
      const page: RecordedEvent[] = [];
      for await (const event of this.events.readAll({
        after: checkpoint,
        until: head,
        types: this.definition.eventTypes,
        limit: PAGE_SIZE,
      })) {
        page.push(this.narrow(event));
      }
      const read = page.length;
      let lastRead: Position | null = null;
      for (const event of this.toHandle(page)) {
        await this.definition.handle(event);
        lastRead = event.position;
        if (!this.shouldContinue) break;
      }
      // One checkpoint write per page (not per event): handlers are idempotent, so a crash
      // inside a page only repeats that page's reactions.
      const next = read < PAGE_SIZE && this.shouldContinue ? head : lastRead;
      if (next === null || next === checkpoint) return;
      if (read === 0) await this.skipTo(next);
      else await this.commitThrough(next);
      checkpoint = next;
      await yieldToEventLoop();
    }
  }

  /** The page in log order, minus events a later event of the same coalesce key stands for. */
  private toHandle(page: readonly RecordedEvent[]): RecordedEvent[] {
    const keyOf = this.definition.coalesceKey;
    if (!keyOf) return [...page];
    const lastIndexByKey = new Map<string, number>();
    page.forEach((event, index) => {
      const key = keyOf(event);
      if (key !== null) lastIndexByKey.set(key, index);
    });
    return page.filter((event, index) => {
      const key = keyOf(event);
      return key === null || lastIndexByKey.get(key) === index;
    });
  }

  async status(): Promise<ProjectionStatus> {
    const [checkpoint, head] = await Promise.all([this.position(), this.events.head()]);
    return {
      name: this.name,
      kind: 'reaction',
      state: this.state,
      checkpoint,
      lag: await this.events.distance(checkpoint, head),
      last_error: this.lastError,
      failed_attempts: this.failedAttempts,
      rebuild: null,
    };
  }
}
