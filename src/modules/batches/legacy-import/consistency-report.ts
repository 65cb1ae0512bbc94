import type { ReadModelReader } from '../../../common/event-store/index.js';
import { readDerivedFigures } from './batch-progress-reader.js';
import { findMismatches, formatBatchReport } from './consistency-check.js';
import type { BatchEntry, ReportedBatch } from './import-summary.js';

export const REPORT_HEADER =
  'completed: array/derived/keys, predictions: total/sum/derived, failed: array/derived';

/** Compares each imported batch with its read model (caught up), printing one entry per batch. */
export async function reportConsistency(
  readModels: ReadModelReader,
  batches: ReadonlyMap<string, BatchEntry>,
  out: (line: string) => void,
): Promise<ReportedBatch[]> {
  out(`consistency report (${batches.size} batch(es); ${REPORT_HEADER}):`);
  const reported: ReportedBatch[] = [];
  for (const entry of batches.values()) {
    const derived = await readDerivedFigures(readModels, entry.figures.batchId);
    const mismatches = findMismatches(entry.figures, derived);
    reported.push({ ...entry, derived, mismatches });
    out(formatBatchReport(entry.figures, entry.status, derived, mismatches));
  }
  return reported;
}
