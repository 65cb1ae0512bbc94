import { Inject, Injectable, Optional } from '@nestjs/common';
import { RecentSet } from '../../common/collections/recent-set.js';
import { STORAGE, type Storage } from '../../common/event-store/index.js';
import type { PushContext, PushPlan, PushPlanner } from '../../common/ingestion/push-planner.js';
import { batchStream } from './batch.events.js';
import {
  predictionCompletionSchema,
  type PredictionCompletionMessage,
} from './prediction-completion.schema.js';
import { decidePredictionOutcome } from './prediction-outcome.decider.js';

export const PREDICTION_COMPLETIONS_ENDPOINT = 'prediction-completions';

/**
 * How many batches the planner remembers to exist (the most recently used). A few run per day, so
 * this covers years of them; a forgotten one costs one read of its stream's version.
 */
export const KNOWN_BATCHES_CAPACITY = 10_000;
/** Overrides KNOWN_BATCHES_CAPACITY (tests build the planner with a small one). */
export const KNOWN_BATCHES_CAPACITY_TOKEN = Symbol('KNOWN_BATCHES_CAPACITY');

/**
 * Plans a worker's completion or failure: reads whether its batch exists (remembered, bounded:
 * a stream never disappears from the log) and hands that to the pure prediction-outcome decider.
 */
@Injectable()
export class PredictionCompletionPlanner implements PushPlanner<PredictionCompletionMessage> {
  readonly endpoint = PREDICTION_COMPLETIONS_ENDPOINT;
  readonly schema = predictionCompletionSchema;
  private readonly knownBatches: RecentSet<string>;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Optional()
    @Inject(KNOWN_BATCHES_CAPACITY_TOKEN)
    capacity: number = KNOWN_BATCHES_CAPACITY,
  ) {
    this.knownBatches = new RecentSet(capacity);
  }

  /** How many batches it remembers now (at most its capacity). */
  get knownBatchCount(): number {
    return this.knownBatches.size;
  }

  correlationIdOf(message: PredictionCompletionMessage): string | undefined {
    return message.correlation_id ?? undefined;
  }

  async plan(message: PredictionCompletionMessage, context: PushContext): Promise<PushPlan> {
    const batchExists = await this.batchExists(message.batch_id);
    return decidePredictionOutcome(message, { batchExists }, context);
  }

  private async batchExists(batchId: string): Promise<boolean> {
    if (this.knownBatches.has(batchId)) return true;
    const exists = (await this.storage.events.streamVersion(batchStream(batchId))) > 0;
    if (exists) this.knownBatches.add(batchId);
    return exists;
  }
}
