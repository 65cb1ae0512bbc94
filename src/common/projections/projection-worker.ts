import { errorMessage } from '../errors/error-message.js';
import {
  narrowToListed,
  TransactionTooLargeError,
  type EventLog,
  type Position,
  type ProjectionStore,
  type RecordedEvent,
} from '../event-store/index.js';
import { LogFollower, type FollowerTiming } from '../event-store/log-follower.js';
import type { ProjectionDefinition } from './projection-definition.js';
import { yieldToEventLoop } from '../event-store/yield-to-event-loop.js';

export const PROJECTION_BATCH_SIZE = 100;

export interface ProjectionStatus {
  name: string;
  /** Projections build read models; reactions take side effects. */
  kind: 'projection' | 'reaction';
  state: string;
  checkpoint: Position | null;
  lag: number;
  last_error: string | null;
  failed_attempts: number;
  /** While a rebuild runs: log events passed and in all. */
  rebuild: { passed: number; total: number } | null;
}

/** Called after each committed batch: log events passed so far, and in all. */
export type RebuildProgress = (passed: number, total: number) => void;

/** Runs one projection: batches of events applied with their checkpoint in one transaction. */
export class ProjectionWorker extends LogFollower {
  private rebuildProgress: { passed: number; total: number } | null = null;
  /** Checks each event is of a type the definition lists: what lets its handler take its union. */
  private readonly narrow: (event: RecordedEvent) => RecordedEvent;

  constructor(
    readonly definition: ProjectionDefinition,
    events: EventLog,
    store: ProjectionStore,
    timing: FollowerTiming,
    private readonly batchSize = PROJECTION_BATCH_SIZE,
  ) {
    super(definition.name, definition.name, events, store, timing);
    this.narrow = narrowToListed(`projection ${definition.name}`, definition.eventTypes);
  }

  protected async catchUp(
    head: Position | null,
    onBatch?: (checkpoint: Position, applied: number) => Promise<void>,
  ): Promise<void> {
    if (head === null) return;
    let checkpoint = await this.resumePosition();
    let batchSize = this.batchSize;
    while (checkpoint === null || checkpoint < head) {
      const batch: RecordedEvent[] = [];
      for await (const event of this.events.readAll({
        after: checkpoint,
        until: head,
        ...(this.definition.eventTypes === undefined ? {} : { types: this.definition.eventTypes }),
        limit: batchSize,
      })) {
        batch.push(event);
      }
      // A short batch means nothing else of interest lies before the head: jump there.
      const next = batch.length < batchSize ? head : batch[batch.length - 1]!.position;
      if (batch.length === 0 && !onBatch) {
        await this.skipTo(next);
      } else {
        try {
          await this.commitThrough(next, async (tx) => {
            for (const event of batch) await this.definition.apply(this.narrow(event), tx);
          });
        } catch (error) {
          // The store cannot commit this many read-model writes at once: half the events, again.
          if (!(error instanceof TransactionTooLargeError) || batch.length === 1) throw error;
          batchSize = Math.ceil(batch.length / 2);
          continue;
        }
      }
      checkpoint = next;
      await onBatch?.(next, batch.length);
      await yieldToEventLoop();
    }
  }

  /** Resets the read model and replays the log; the worker must be stopped. */
  async rebuild(onProgress?: RebuildProgress): Promise<number> {
    this.state = 'rebuilding';
    try {
      await this.checkpoints.reset(this.name, this.definition.collections);
      this.forgetPosition();
      const head = await this.events.head();
      const total = await this.events.distance(null, head);
      this.rebuildProgress = { passed: 0, total };
      let applied = 0;
      let passed = 0;
      let previous: Position | null = null;
      await this.catchUp(head, async (checkpoint, count) => {
        applied += count;
        // Only the span of this batch is counted, so a rebuild stays linear in the log's length.
        passed += await this.events.distance(previous, checkpoint);
        previous = checkpoint;
        this.rebuildProgress = { passed, total };
        onProgress?.(passed, total);
      });
      this.state = 'stopped';
      return applied;
    } catch (error) {
      this.state = 'failed';
      this.lastError = `rebuild failed: ${errorMessage(error)}`;
      throw error;
    } finally {
      this.rebuildProgress = null;
    }
  }

  async status(): Promise<ProjectionStatus> {
    const [checkpoint, head] = await Promise.all([this.position(), this.events.head()]);
    return {
      name: this.name,
      kind: 'projection',
      state: this.state,
      checkpoint,
      lag: await this.events.distance(checkpoint, head),
      last_error: this.lastError,
      failed_attempts: this.failedAttempts,
      rebuild: this.rebuildProgress,
    };
  }
}
