import { z } from 'zod';
import type { ReadModelReader } from '../../../common/event-store/index.js';
import { BATCH_COLLECTIONS } from '../batch-progress.view.js';
import type { DerivedFigures } from './consistency-check.js';

export { BATCH_PROGRESS_PROJECTION } from '../batch-progress.view.js';
const BATCHES_COLLECTION = BATCH_COLLECTIONS.batches;

const count = z.int().nonnegative();
const derivedFiguresSchema = z.object({
  completed_count: count,
  failed_count: count,
  total_predictions: count,
});

/** The derived counters of one batch, or null when the read model has no document for it. */
export async function readDerivedFigures(
  readModels: ReadModelReader,
  batchId: string,
): Promise<DerivedFigures | null> {
  const doc = await readModels.get(BATCHES_COLLECTION, batchId);
  if (doc === null) return null;
  const parsed = derivedFiguresSchema.safeParse(doc);
  if (!parsed.success) {
    throw new Error(
      `read model ${BATCHES_COLLECTION}/${batchId} does not have the batch-progress view: ` +
        parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
  }
  return parsed.data;
}
