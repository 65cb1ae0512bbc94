import type { EventLog, Position, ProjectionStore } from '../event-store/index.js';
import { LogFollower, type FollowerTiming } from '../event-store/log-follower.js';
import type { ProjectionStatus } from './projection-worker.js';
import type { ReactionDefinition } from './reaction-definition.js';

const PAGE_SIZE = 100;

/** Runs one reaction: a page of events handled, then the checkpoint moved past them. */
export class ReactionWorker extends LogFollower {
  readonly checkpointName: string;

  constructor(
    readonly definition: ReactionDefinition,
    events: EventLog,
    private readonly store: ProjectionStore,
    timing: FollowerTiming,
  ) {
    super(definition.name, events, timing);
    this.checkpointName = `reaction:${definition.name}`;
  }

  protected async catchUp(head: Position | null): Promise<void> {
    if (head === null) return;
    let checkpoint = await this.store.checkpoint(this.checkpointName);
    while (this.shouldContinue && (checkpoint === null || checkpoint < head)) {
      let read = 0;
      let lastRead: Position | null = null;
      for await (const event of this.events.readAll({
        after: checkpoint,
        until: head,
        types: this.definition.eventTypes,
        limit: PAGE_SIZE,
      })) {
        read += 1;
        await this.definition.handle(event);
        lastRead = event.position;
        if (!this.shouldContinue) break;
      }
      // One checkpoint write per page (not per event): handlers are idempotent, so a crash
      // inside a page only repeats that page's reactions.
      const next = read < PAGE_SIZE && this.shouldContinue ? head : lastRead;
      if (next === null || next === checkpoint) return;
      await this.store.commit(this.checkpointName, checkpoint, next, async () => {});
      checkpoint = next;
    }
  }

  async status(): Promise<ProjectionStatus> {
    const [checkpoint, head] = await Promise.all([
      this.store.checkpoint(this.checkpointName),
      this.events.head(),
    ]);
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
