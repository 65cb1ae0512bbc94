import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { json, raw } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, type AppOverrides } from './app.module.js';
import type { AppConfig } from './common/config/index.js';
import { AdminAuthorizer } from './common/http/admin-auth.guard.js';
import { setupOpenApi } from './common/http/openapi.js';
import { Logger } from './common/logging/index.js';

/** Builds the whole application for a config; main.ts and the e2e tests both start from here. */
export async function createApp(
  config: AppConfig,
  overrides: AppOverrides = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, overrides),
    {
      bufferLogs: true,
      bodyParser: false,
    },
  );
  app.useLogger(app.get(Logger));
  // Push bodies stay raw bytes: the pipeline fingerprints and quarantines them exactly as received.
  app.use('/v1/push', raw({ type: () => true, limit: config.server.bodyLimitBytes }));
  // Batch creation carries the expected player list: up to a million ids. Only an authorized
  // caller gets that much read (the guard would only run after the parser).
  app.use(
    '/v1/batches',
    new AdminAuthorizer(config.server.adminToken?.reveal()).middleware(),
    json({ limit: config.server.batchBodyLimitBytes }),
  );
  app.useBodyParser('json', {
    limit: config.server.bodyLimitBytes,
    type: ['application/json', 'application/*+json'],
  });
  setupOpenApi(app, config.server.serviceVersion);
  return app;
}
