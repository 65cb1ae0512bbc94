import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp } from '../../src/bootstrap.js';
import { loadConfig, type AppConfig } from '../../src/common/config/index.js';
import { connectPullTransport } from '../../src/common/transport/pubsub/pull-transport.js';
import type { PubSubTarget } from './pubsub/index.js';
import { metricValue } from './prometheus-text.js';
import { makeTempDir } from './temp-dir.js';
import { TEST_ENV } from './test-app.js';

export interface PullingApp {
  app: NestExpressApplication;
  config: AppConfig;
  sqlitePath: string;
  /** The app's HTTP server, for supertest. */
  server(): ReturnType<NestExpressApplication['getHttpServer']>;
  /** A sample of a metric from GET /metrics (0 when the series is absent). */
  metric(name: string, labels: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

/**
 * The real application on a fresh SQLite file with the pull transport connected the way
 * `serve()` connects it (init, then the transport, on the target's emulator or fake), not
 * listening: drive it with supertest on server().
 */
export async function startPullingApp(
  target: PubSubTarget,
  env: Record<string, string>,
): Promise<PullingApp> {
  const dir = makeTempDir('shotclock-pull-');
  const sqlitePath = join(dir.path, 'shotclock.sqlite');
  const config = loadConfig({
    ...TEST_ENV,
    LOG_LEVEL: 'error',
    SQLITE_PATH: sqlitePath,
    PUBSUB_EMULATOR_HOST: target.host,
    GOOGLE_CLOUD_PROJECT: target.projectId,
    ...env,
  });
  const app = await createApp(config);
  const pull = connectPullTransport(app, config);
  if (!pull)
    throw new Error('startPullingApp: the configuration pulls nothing (PUBSUB_SUBSCRIPTIONS)');
  await app.init();
  await app.startAllMicroservices();
  const server = () => app.getHttpServer();
  return {
    app,
    config,
    sqlitePath,
    server,
    async metric(name, labels) {
      const text = (await request(server()).get('/metrics').expect(200)).text;
      return metricValue(text, name, labels);
    },
    async close() {
      await app.close();
      dir.cleanup();
    },
  };
}
