import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, type RunningChild } from './child-process.js';

// Beside this file once compiled: .bench-dist/bench/*.js and .bench-dist/src/main.js.
const compiled = (path: string) => fileURLToPath(new URL(path, import.meta.url));
export const SERVICE_ENTRY = compiled('../src/main.js');
export const BARE_SERVER_ENTRY = compiled('./bare-http-server.js');
export const LOAD_GENERATOR_ENTRY = compiled('./load-generator.js');

/** The real service (compiled by `npm run bench`) as a child process on a fresh SQLite file. */
export function startService(
  dir: string,
  synchronous: 'FULL' | 'NORMAL',
  env: Record<string, string> = {},
  /** `/health/ready` waits for projections to catch up; `/health/live` only for the server. */
  readyPath = '/health/ready',
): Promise<RunningChild> {
  return startChild(
    SERVICE_ENTRY,
    {
      SQLITE_PATH: join(dir, 'service.sqlite'),
      SQLITE_SYNCHRONOUS: synchronous,
      LOG_LEVEL: 'warn',
      ENABLE_STRUCTURED_LOGGING: 'true',
      ENABLE_IDEMPOTENCY_KEYS: 'true',
      // e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the service under the bench's load.
      ...(process.env.BENCH_SERVICE_NODE_OPTIONS
        ? { NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS }
        : {}),
      ...env,
    },
    readyPath,
  );
}

export const mib = (bytes: number | null) =>
  bytes === null ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
