import {
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { logContextMiddleware } from './log-context.middleware.js';
import { buildLoggerOptions } from './logger-options.js';
import type { LoggingOptions } from './logging-options.js';

/**
 * The service's logging: nestjs-pino configured by {@link buildLoggerOptions} (global: `Logger`,
 * `PinoLogger` and `@InjectPinoLogger` are injectable everywhere), plus a middleware running each
 * request inside its log context. Register once, in the root module.
 */
@Module({})
export class LoggingModule implements NestModule {
  static forRoot(opts: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot(buildLoggerOptions(opts))],
      exports: [LoggerModule],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Same all-routes pattern as nestjs-pino's own middleware (also matches a global prefix root).
    consumer
      .apply(logContextMiddleware)
      .forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}
