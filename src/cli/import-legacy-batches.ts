// `npm run import:legacy-batches -- FILE` | `-- --from-firestore [--collection NAME] [--since DATE]`
// Imports legacy batch documents, from an export file or straight from Firestore, as batch events,
// idempotently, waits for the batch-progress projection, then prints a consistency report per
// batch. Exit codes: IMPORT_EXIT (0 consistent, 1 failed, 2 usage, 3 mismatches, 4 rejected).
// The import itself lives with the batches module (src/modules/batches/legacy-import/).
import 'reflect-metadata';
import { access } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { ConfigValidationError, loadConfig, type AppConfig } from '../common/config/index.js';
import { STORAGE, type Storage } from '../common/event-store/index.js';
import { createFirestoreClient } from '../common/gcp/firestore-client.js';
import { ProjectionRunner } from '../common/projections/projection-runner.js';
import {
  IMPORT_EXIT,
  importLegacyBatches,
  parseLegacyImportArguments,
  type LegacyImportArguments,
  type LegacyImportInput,
} from '../modules/batches/index.js';
import { exitAfterFlush } from './exit-after-flush.js';

const USAGE =
  'usage: npm run import:legacy-batches -- FILE\n' +
  '       npm run import:legacy-batches -- --from-firestore [--collection NAME] [--since YYYY-MM-DD]\n' +
  '       npm run import:legacy-batches -- --help';

const HELP = `${USAGE}

Imports the legacy platform's prediction batch documents into the configured store as batch
events, idempotently (a document imported before is skipped), waits for the batch-progress
projection, then prints one consistency line per batch and a summary.

  FILE              an export: a JSON array of documents, one JSON document, or NDJSON
                    (one document per line; streamed, use it for large exports)
  --from-firestore  read the documents straight from Firestore, a page at a time, with each
                    batch's completions subcollection (prediction_batches/{id}/completions)
                    folded into the legacy fields; disagreements between the two layouts are
                    reported as mismatches
  --collection NAME the collection of batch documents (default prediction_batches)
  --since DATE      only batches whose game_date (text YYYY-MM-DD) is DATE or later
  -h, --help        this text

Firestore: project GOOGLE_CLOUD_PROJECT (unset: the credentials' project), database
FIRESTORE_DATABASE_ID (unset: (default)), the emulator at FIRESTORE_EMULATOR_HOST when set.
Unknown fields are ignored with a warning; an invalid document is reported with its line,
index or document path and skipped. Progress prints every 1,000 documents.

Exit codes: 0 every batch consistent, 1 the import could not run, 2 usage, 3 mismatches found,
4 no mismatches but some documents rejected (invalid, or their batch id was taken).
Details: docs/operations.md#import-legacy-batches`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const problem = (line: string) => process.stderr.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  const args = parseLegacyImportArguments(argv);
  if (args.kind === 'help') {
    out(HELP);
    return IMPORT_EXIT.consistent;
  }
  if (args.kind === 'usage') {
    problem(`${args.problem}\n${USAGE}`);
    return IMPORT_EXIT.usage;
  }
  if (args.kind === 'file') {
    await access(args.path).catch((error: unknown) => {
      throw new Error(
        `cannot read ${args.path}: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }
  const config = loadConfig(process.env);
  const input = inputOf(args, config);
  try {
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
      logger: ['error', 'warn'],
    });
    try {
      return await importLegacyBatches(
        {
          storage: app.get<Storage>(STORAGE),
          projections: app.get(ProjectionRunner),
          reportEveryMs: config.timeouts.projectionIdlePollMs,
        },
        input,
        { out, problem },
      );
    } finally {
      await app.close();
    }
  } finally {
    if (input.kind === 'firestore') await input.db.terminate();
  }
}

/** The file, or a Firestore client on the configured project, database and emulator. */
function inputOf(
  args: Extract<LegacyImportArguments, { kind: 'file' | 'firestore' }>,
  config: AppConfig,
): LegacyImportInput {
  if (args.kind === 'file') return { kind: 'file', path: args.path };
  const { firestoreEmulatorHost, firestoreDatabaseId } = config.firestore;
  const projectId = config.pubsubPublisher.googleCloudProject;
  const db = createFirestoreClient({
    ...(projectId === undefined ? {} : { projectId }),
    ...(firestoreDatabaseId === undefined ? {} : { databaseId: firestoreDatabaseId }),
    ...(firestoreEmulatorHost === undefined ? {} : { emulatorHost: firestoreEmulatorHost }),
  });
  return {
    kind: 'firestore',
    db,
    projectId,
    collection: args.collection,
    since: args.since,
    readTimeoutMs: config.timeouts.firestoreReadWriteMs,
  };
}

main(process.argv.slice(2)).then(exitAfterFlush, (error: unknown) => {
  problem(
    error instanceof ConfigValidationError
      ? error.message
      : `import-legacy-batches: ${String(error instanceof Error ? error.stack : error)}`,
  );
  exitAfterFlush(IMPORT_EXIT.failed);
});
