// `npm run import:legacy-batches -- FILE`
// Imports exported legacy batch documents (JSON array, one JSON document, or NDJSON) as batch
// events, idempotently, waits for the batch-progress projection, then prints a consistency report
// per batch. Exit codes: IMPORT_EXIT (0 consistent, 1 failed, 2 usage, 3 mismatches, 4 rejected).
// The import itself lives with the batches module (src/modules/batches/legacy-import/).
import 'reflect-metadata';
import { access } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { ConfigValidationError, loadConfig } from '../common/config/index.js';
import { STORAGE, type Storage } from '../common/event-store/index.js';
import { ProjectionRunner } from '../common/projections/projection-runner.js';
import { IMPORT_EXIT, importLegacyBatches } from '../modules/batches/index.js';
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
    return await importLegacyBatches(
      {
        storage: app.get<Storage>(STORAGE),
        projections: app.get(ProjectionRunner),
        reportEveryMs: config.timeouts.projectionIdlePollMs,
      },
      file,
      { out, problem },
    );
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
