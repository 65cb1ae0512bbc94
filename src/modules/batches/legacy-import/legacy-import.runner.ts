import type { Storage } from '../../../common/event-store/index.js';
import type { ProjectionRunner } from '../../../common/projections/projection-runner.js';
import { BATCH_PROGRESS_PROJECTION } from './batch-progress-reader.js';
import { reportConsistency } from './consistency-report.js';
import { importDocuments } from './import-documents.js';
import { LegacyBatchImporter } from './legacy-batch-importer.js';
import { openLegacyDocuments } from './legacy-document-source.js';
import { waitForProjection } from './projection-catch-up.js';

/** What the import needs of a running app (`npm run import:legacy-batches`). */
export interface LegacyImportDependencies {
  storage: Storage;
  projections: ProjectionRunner;
  /** How often the lag is reported while the batch-progress projection catches up. */
  reportEveryMs: number;
}

/** Where the import tells how it goes: progress and the report (stdout), problems (stderr). */
export interface LegacyImportOutput {
  out(line: string): void;
  problem(line: string): void;
}

/**
 * Imports the legacy batch documents of `file` (JSON array, one document, or NDJSON) as batch
 * events, idempotently, waits for the batch-progress projection, then reports each batch's
 * consistency; returns the exit code (IMPORT_EXIT).
 */
export async function importLegacyBatches(
  deps: LegacyImportDependencies,
  file: string,
  output: LegacyImportOutput,
): Promise<number> {
  const { storage, projections } = deps;
  const source = await openLegacyDocuments(file);
  output.out(`importing ${file} (${source.format})`);
  const { tally, batches } = await importDocuments(
    source,
    new LegacyBatchImporter(storage.events),
    output,
  );

  const head = await storage.events.head();
  if (batches.size > 0 && head !== null) {
    await waitForProjection(
      projections,
      BATCH_PROGRESS_PROJECTION,
      head,
      deps.reportEveryMs,
      (lag, lastError) =>
        output.out(
          `waiting for projection ${BATCH_PROGRESS_PROJECTION}: ${lag} events behind` +
            (lastError ? ` (last error: ${lastError})` : ''),
        ),
    );
  }
  const reported = await reportConsistency(storage.readModels, batches, output.out);
  output.out(tally.summary(reported));
  return tally.exitCode(reported);
}
