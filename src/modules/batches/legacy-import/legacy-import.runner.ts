import type { Firestore } from '@google-cloud/firestore';
import type { Storage } from '../../../common/event-store/index.js';
import type { ProjectionRunner } from '../../../common/projections/projection-runner.js';
import { BATCH_PROGRESS_PROJECTION } from './batch-progress-reader.js';
import { reportConsistency } from './consistency-report.js';
import { importDocuments } from './import-documents.js';
import { openFirestoreLegacyDocuments } from './firestore-document-source.js';
import { LegacyBatchImporter } from './legacy-batch-importer.js';
import { openLegacyDocuments, type LegacyDocumentSource } from './legacy-document-source.js';
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

/** Where the legacy documents come from: an exported file, or the Firestore collection itself. */
export type LegacyImportInput =
  | { kind: 'file'; path: string }
  | {
      kind: 'firestore';
      db: Firestore;
      /** The client's project, for the opening line (undefined: the one the credentials name). */
      projectId: string | undefined;
      collection: string;
      /** Only batches whose game_date is this day (YYYY-MM-DD) or later. */
      since: string | null;
      /** Longest one page's read may take (TimeoutConfig.firestoreReadWriteMs). */
      readTimeoutMs: number;
      /** Documents per page; the source's default unless a test wants small pages. */
      pageSize?: number;
    };

/**
 * Imports the legacy batch documents of `input` (a file: JSON array, one document, or NDJSON;
 * or a Firestore collection, both completion layouts) as batch events, idempotently, waits for the
 * batch-progress projection, then reports each batch's consistency; returns the exit code
 * (IMPORT_EXIT).
 */
export async function importLegacyBatches(
  deps: LegacyImportDependencies,
  input: LegacyImportInput,
  output: LegacyImportOutput,
): Promise<number> {
  const { storage, projections } = deps;
  const source = await openSource(input, output);
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

async function openSource(
  input: LegacyImportInput,
  output: LegacyImportOutput,
): Promise<LegacyDocumentSource> {
  if (input.kind === 'file') {
    const source = await openLegacyDocuments(input.path);
    output.out(`importing ${input.path} (${source.format})`);
    return source;
  }
  const { db, projectId, collection, since } = input;
  output.out(
    `importing Firestore ${collection} of project ${projectId ?? '(from the credentials)'}, ` +
      `database ${db.databaseId}${since === null ? '' : `, game_date >= ${since}`}`,
  );
  return openFirestoreLegacyDocuments(db, input, output.out);
}
