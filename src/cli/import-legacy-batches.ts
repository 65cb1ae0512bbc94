// `npm run import:legacy-batches -- FILE`
// Imports exported legacy batch documents (JSON array, one JSON document, or NDJSON) as batch
// events, idempotently, waits for the batch-progress projection, then prints a consistency report
// per batch. Exit codes: IMPORT_EXIT (0 consistent, 1 failed, 2 usage, 3 mismatches, 4 rejected).
import 'reflect-metadata';
import { access } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { ConfigValidationError, loadConfig } from '../common/config/index.js';
import { STORAGE, type Storage } from '../common/event-store/index.js';
import { ProjectionRunner } from '../common/projections/projection-runner.js';
import { BATCH_PROGRESS_PROJECTION } from './legacy-import/batch-progress-reader.js';
import { reportConsistency } from './legacy-import/consistency-report.js';
import { importDocuments } from './legacy-import/import-documents.js';
import { IMPORT_EXIT } from './legacy-import/import-summary.js';
import { LegacyBatchImporter } from './legacy-import/legacy-batch-importer.js';
import { openLegacyDocuments } from './legacy-import/legacy-document-source.js';
import { waitForProjection } from './legacy-import/projection-catch-up.js';
import { exitAfterFlush } from './exit-after-flush.js';

const USAGE =
  'usage: npm run import:legacy-batches -- FILE   (a JSON array of legacy batch documents, one document, or NDJSON)';

const out = (line: string) => process.stdout.write(`${line}\n`);
const problem = (line: string) => process.stderr.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  const [file, ...extra] = argv;
  if (!file || extra.length > 0 || file.startsWith('-')) {
    problem(USAGE);
    return IMPORT_EXIT.usage;
  }
  await access(file).catch((error: unknown) => {
    throw new Error(
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  const config = loadConfig(process.env);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    const storage = app.get<Storage>(STORAGE);
    const source = await openLegacyDocuments(file);
    out(`importing ${file} (${source.format})`);
    const { tally, batches } = await importDocuments(
      source,
      new LegacyBatchImporter(storage.events),
      { out, problem },
    );

    const head = await storage.events.head();
    if (batches.size > 0 && head !== null) {
      await waitForProjection(
        app.get(ProjectionRunner),
        BATCH_PROGRESS_PROJECTION,
        head,
        config.timeouts.projectionIdlePollMs,
        (lag, lastError) =>
          out(
            `waiting for projection ${BATCH_PROGRESS_PROJECTION}: ${lag} events behind` +
              (lastError ? ` (last error: ${lastError})` : ''),
          ),
      );
    }
    const reported = await reportConsistency(storage.readModels, batches, out);
    out(tally.summary(reported));
    return tally.exitCode(reported);
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(exitAfterFlush, (error: unknown) => {
  problem(
    error instanceof ConfigValidationError
      ? error.message
      : `import-legacy-batches: ${String(error instanceof Error ? error.stack : error)}`,
  );
  exitAfterFlush(IMPORT_EXIT.failed);
});
