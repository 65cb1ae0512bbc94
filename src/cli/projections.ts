// `npm run projections -- list` | `npm run projections -- rebuild NAME`
// Rebuilds a projection against the configured store, printing progress. While a service is running
// on the same store, prefer `POST /v1/projections/:name/rebuild` so only one process replays.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { ConfigValidationError, loadConfig } from '../common/config/index.js';
import { ProjectionRunner } from '../common/projections/projection-runner.js';
import { exitAfterFlush } from './exit-after-flush.js';

const USAGE = 'usage: npm run projections -- list | rebuild <name>';

async function main(argv: string[]): Promise<number> {
  const [command, name] = argv;
  if (command !== 'list' && command !== 'rebuild') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(process.env);
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot(config, { singletonJobs: false }),
    {
      logger: ['error', 'warn'],
    },
  );
  try {
    const runner = app.get(ProjectionRunner);
    if (command === 'list') {
      for (const status of await runner.statuses()) {
        process.stdout.write(
          `${status.name}\t${status.state}\tcheckpoint=${status.checkpoint ?? '-'}\tlag=${status.lag}\n`,
        );
      }
      return 0;
    }
    if (!name) {
      process.stderr.write(`${USAGE}\nknown projections: ${runner.names().join(', ')}\n`);
      return 2;
    }
    const started = Date.now();
    const { applied } = await runner.rebuild(name, (passed, total) => {
      const percent = total === 0 ? 100 : Math.floor((passed / total) * 100);
      process.stdout.write(`rebuild ${name}: ${passed}/${total} events (${percent}%)\n`);
    });
    process.stdout.write(
      `rebuilt ${name}: applied ${applied} events in ${Date.now() - started} ms\n`,
    );
    return 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(exitAfterFlush, (error: unknown) => {
  process.stderr.write(
    error instanceof ConfigValidationError
      ? `${error.message}\n`
      : `projections: ${String(error instanceof Error ? error.stack : error)}\n`,
  );
  exitAfterFlush(1);
});
