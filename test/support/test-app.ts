import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppOverrides } from '../../src/app.module.js';
import { createApp } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/common/config/index.js';
import { makeTempDir } from './temp-dir.js';

/** Fast timings for tests; every other setting is the service default. */
export const TEST_ENV = {
  TIMEOUT_PROJECTION_IDLE_POLL_MS: '50',
  TIMEOUT_OUTBOX_IDLE_POLL_MS: '50',
  TIMEOUT_TIMER_MAX_SLEEP_MS: '200',
  TIMEOUT_LEASE_TTL_MS: '1000',
  TIMEOUT_LEASE_RENEW_MS: '250',
  TIMEOUT_RETRY_BACKOFF_BASE_MS: '20',
  TIMEOUT_RETRY_BACKOFF_MAX_MS: '100',
  TIMEOUT_SHUTDOWN_DRAIN_MS: '300',
  TIMEOUT_HEALTH_CHECK_MS: '1000',
  TIMEOUT_HEALTH_CACHE_MS: '1',
  ENABLE_STRUCTURED_LOGGING: 'true',
  LOG_LEVEL: 'warn',
};

export interface TestApp {
  app: NestExpressApplication;
  sqlitePath: string;
  close(): Promise<void>;
}

/** The real application on a fresh SQLite file, initialised (not listening; use supertest on app.getHttpServer()). */
export async function startTestApp(
  env: Record<string, string> = {},
  overrides: AppOverrides & { sqlitePath?: string } = {},
): Promise<TestApp> {
  const dir = makeTempDir('shotclock-e2e-');
  const sqlitePath = overrides.sqlitePath ?? join(dir.path, 'shotclock.sqlite');
  const config = loadConfig({ ...TEST_ENV, SQLITE_PATH: sqlitePath, ...env });
  const app = await createApp(config, overrides);
  await app.init();
  return {
    app,
    sqlitePath,
    async close() {
      await app.close();
      dir.cleanup();
    },
  };
}
