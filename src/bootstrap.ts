import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
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
    {
      bufferLogs: true,
      bodyParser: false,
    },
  );
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', {
    limit: config.server.bodyLimitBytes,
    type: ['application/json', 'application/*+json'],
  });
  setupOpenApi(app, config.server.serviceVersion);
  return app;
}
