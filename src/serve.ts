import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { createApp } from './bootstrap.js';
import type { AppConfig } from './common/config/index.js';
import { installGracefulShutdown } from './common/shutdown/graceful-shutdown.js';
import { connectPullTransport } from './common/transport/pubsub/pull-transport.js';

/** What a worker (SHOTCLOCK_MODE=worker) serves over HTTP: the probes and metrics, nothing else. */
export const WORKER_HTTP_PATHS: ReadonlySet<string> = new Set([
  '/health',
  '/health/live',
  '/health/ready',
  '/metrics',
]);

/**
 * Runs the service as SHOTCLOCK_MODE says: `all` the HTTP API and, with PUBSUB_SUBSCRIPTIONS,
 * the pull transport in one process; `api` the HTTP API only; `worker` the pull transport, with
 * HTTP serving only the probes and metrics (Kubernetes probes, scraping). Shuts down gracefully on
 * SIGTERM/SIGINT.
 */
export async function serve(config: AppConfig): Promise<NestExpressApplication> {
  const app = await createApp(config);
  const { mode } = config.pubsubPull;
  if (mode === 'worker') app.use(probesOnly);
  const pull = connectPullTransport(app, config);
  const logger = new Logger('Main');
  installGracefulShutdown(
    app,
    { drainMs: config.timeouts.shutdownDrainMs, graceMs: config.timeouts.shutdownGraceMs },
    logger,
  );
  await app.init();
  if (pull) await app.startAllMicroservices();
  await app.listen(config.server.port, config.server.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  const { store } = config;
  const pulled = config.pubsubPull.subscriptions.map((entry) => entry.subscription).join(', ');
  logger.log(
    `Shotclock ${config.server.serviceVersion} listening on ${config.server.host}:${port} ` +
      `(store ${store.eventStore}${store.eventStore === 'sqlite' ? ` at ${store.sqlitePath}` : ''}; ` +
      `SHOTCLOCK_MODE=${mode}${mode === 'worker' ? ': HTTP serves probes and metrics only' : ''}; ` +
      `${pull ? `pulling ${pulled}` : 'not pulling'})`,
  );
  return app;
}

function probesOnly(req: Request, res: Response, next: NextFunction): void {
  if (WORKER_HTTP_PATHS.has(req.path)) {
    next();
    return;
  }
  res.status(404).json({
    statusCode: 404,
    error: 'Not Found',
    message:
      `${req.method} ${req.path}: this process runs with SHOTCLOCK_MODE=worker and serves only ` +
      `${[...WORKER_HTTP_PATHS].join(', ')}; the API is served by processes with SHOTCLOCK_MODE=all or api`,
  });
}
