import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { AppModule, type AppOverrides } from './app.module.js';
import type { AppConfig } from './common/config/index.js';
import { setupOpenApi } from './common/http/openapi.js';
import { Logger } from './common/logging/index.js';

/** Builds the whole application for a config; main.ts and the e2e tests both start from here. */
export async function createApp(
  config: AppConfig,
  overrides: AppOverrides = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, overrides),
    new ExpressAdapter(strictExpress()),
    // Bodies are read per route, after the route's guard (RequestInputInterceptor).
    { bufferLogs: true, bodyParser: false },
  );
  app.useLogger(app.get(Logger));
  setupOpenApi(app, config.server.serviceVersion);
  return app;
}

/**
 * Routing matches a path only as the route spells it: `/V1/flags`, `/v1/flags/` or `//v1/flags`
 * match nothing (404) rather than reaching a handler by another spelling. Set before Express
 * creates its router, which reads them once.
 */
function strictExpress(): express.Express {
  const instance = express();
  instance.set('case sensitive routing', true);
  instance.set('strict routing', true);
  instance.disable('x-powered-by');
  // No conditional GETs here: read models change with every event, and hashing each body cost
  // about 5% of a request.
  instance.set('etag', false);
  return instance;
}
