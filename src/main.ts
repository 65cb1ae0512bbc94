import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap.js';
import { ConfigValidationError, loadConfig, type AppConfig } from './common/config/index.js';
import { installGracefulShutdown } from './common/shutdown/graceful-shutdown.js';

function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

const config = loadConfigOrExit();
const app = await createApp(config);
const logger = new Logger('Main');
installGracefulShutdown(
  app,
  { drainMs: config.timeouts.shutdownDrainMs, graceMs: config.timeouts.shutdownGraceMs },
  logger,
);
await app.listen(config.server.port, config.server.host);
const { port } = app.getHttpServer().address() as AddressInfo;
logger.log(
  `Shotclock ${config.server.serviceVersion} listening on ${config.server.host}:${port} ` +
    `(store ${config.store.eventStore}${config.store.eventStore === 'sqlite' ? ` at ${config.store.sqlitePath}` : ''})`,
);
